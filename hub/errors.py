"""Every error the hub raises, grouped by the stage that raises it. Each derives from ``HubError`` (catch
it to catch every failure the hub reports on purpose), and from the standard type MindSpore Hub raises
for the same fault where it has one (``ValueError`` for a bad name or card, ``TypeError`` for a wrong
type), and says which file, field, URL or uid failed.

``kind`` is the failure class reports group by (``hub loadable``): a class attribute, or per instance
where one error type covers several causes (``ZooBuildError``)."""
from __future__ import annotations

from enum import Enum
from pathlib import Path


class Failure(str, Enum):
    """Why a card's network did not build (or a prediction not run), the class reports group by: one closed set
    for every error here (``HubError.kind``) and the survey. Equal to its plain string, printed as it."""

    OTHER = "other"
    UNTRUSTED = "untrusted"
    OFFLINE = "offline"
    GIT = "git"
    NO_ROUTE = "no-route"
    TOOLKIT_MISSING = "toolkit-missing"
    DATA_FILE = "data-file"
    REMOVED_API = "removed-api"
    IMAGE = "image"
    PREPROCESS = "preprocess"
    NO_IMAGE_INPUT = "no-image-input"
    LABELS = "labels"
    TASK = "task"
    MISSING_MODULE = "missing-module"
    STALE_IMPORT = "stale-import"
    OPTIONS = "options"
    SCRIPT_EXIT = "script-exit"
    ZOO_ERROR = "zoo-error"
    NO_NAME = "no-name"
    ARGUMENTS = "arguments"
    NO_HUB_CONF = "no-hub-conf"
    NO_NETWORK = "no-network"
    NO_EXPORT = "no-export"

    def __str__(self) -> str:
        return self.value


class HubError(Exception):
    """Base class: catching it catches every failure the hub reports on purpose."""

    kind = Failure.OTHER
    stage = ""  # where the load pipeline stopped ("network", "checkpoint"), when it raised there


# -- cards and the catalog ---------------------------------------------------------------------------

class CardError(HubError, ValueError):
    """A model card that cannot be read or breaks a rule of the card format (a rule the hub's own checker
    applies: such a card is rejected). ``rule`` names the rule, for reports grouped by rule."""

    def __init__(self, path: str | Path, field: str | None, message: str, line: int | None = None,
                 rule: str = "card"):
        self.path = str(path)
        self.field = field
        self.line = line
        self.message = message
        self.rule = rule
        where = self.path if line is None else f"{self.path}:{line}"
        what = f"field '{field}': " if field else ""
        super().__init__(f"{where}: {what}{message}")


class UidError(HubError, ValueError):
    """A uid, card URL or card path that does not name a card, or names one unsafely."""


class UntrustedRepoError(HubError):
    """A card whose network would be built by code from a repository nobody said to trust."""

    kind = Failure.UNTRUSTED


# -- fetching: downloads and git ---------------------------------------------------------------------

class FetchError(HubError):
    """A download that failed; the message names the URL and what went wrong."""


class UntrustedURLError(FetchError):
    """An asset URL (or a redirect) pointing at a host the hub does not trust."""


class ChecksumError(FetchError):
    """Downloaded bytes whose sha256 differs from the card's ``asset-sha256``."""


class OfflineError(FetchError):
    """``MSHUB_OFFLINE`` is set and the asset is not in the cache."""

    kind = Failure.OFFLINE


class RetryableError(FetchError):
    """A failure worth another attempt (connection drop, timeout, 5xx, 429); ``offline_hint`` when the
    host could not be reached or a gateway answered for it (the hint about working offline then helps)."""

    def __init__(self, message: str, retry_after: float | None = None, offline_hint: bool = False) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.offline_hint = offline_hint


class InterruptedDownload(FetchError):
    """Retries ran out; the bytes received so far are kept so a later call resumes."""


class GitError(HubError):
    """A git command that could not run or failed."""

    kind = Failure.GIT


class WeakChecksumWarning(UserWarning):
    """An asset verified only by a prefix of its sha256 (as MindCV and MindYOLO cards give it)."""


# -- weights -------------------------------------------------------------------------------------------

class CheckpointError(HubError, ValueError):
    """A checkpoint that does not fit the network: missing parameters or wrong shapes."""


# -- routes: building a card's network -------------------------------------------------------------------

class NoRouteError(HubError):
    """No way to build a card's network: no entry of ours and no code directory in its repo-link."""

    kind = Failure.NO_ROUTE


class ToolkitMissing(HubError):
    """The card's toolkit is not installed."""

    kind = Failure.TOOLKIT_MISSING


class ZooBuildError(HubError):
    """The zoo's code could not build the card's network; ``kind`` classifies why (for reports) and
    ``route`` says which zoo route tried (``zoo`` for the hub conf, ``export`` for export.py)."""

    def __init__(self, message: str, kind: str, route: str = "zoo") -> None:
        super().__init__(message)
        self.kind = kind
        self.route = route
        self.notes: list[str] = []  # what the build chose before it failed (a subdirectory, a script)
        self.card_specific = False  # what it chose depends on the card: another card of the directory may build
        self.variants: list[dict] = []  # other variants the directory offers (option values), as a built one has
        self.unbound: tuple[str, str] | None = None  # (zoo file, name) a file uses and never binds (``never_bound``)
        self.missing: tuple[str, ...] = ()  # an ``arguments`` error's parameters the code asked for


class ScriptOptionError(HubError):
    """A zoo script's option parser refused its command line."""


class MissingDataError(HubError):
    """A zoo script read from a dataset whose files are not here (a stand-in the hub made so the script could
    reach its network)."""

    kind = Failure.DATA_FILE


class RemovedApiError(HubError):
    """Zoo code used a stand-in of a MindSpore module that today's MindSpore removed (one only data
    pipelines import): the stand-in let the network build and refuses every use."""

    kind = Failure.REMOVED_API


# -- inference: from an image to a prediction ----------------------------------------------------------

class ImageError(HubError, ValueError):
    """An image that cannot be used: no such file, not an image, or an array of the wrong type or shape."""

    kind = Failure.IMAGE


class PreprocessError(HubError):
    """A card's eval preprocessing that the hub cannot follow: the message names the file and line of the
    card's code and why (never a guessed default)."""

    kind = Failure.PREPROCESS


class NoImageInputError(PreprocessError):
    """A card whose network takes no image (a generator's noise vector, precomputed features): it has no image
    preprocessing; the message names the inputs the card's code gives it."""

    kind = Failure.NO_IMAGE_INPUT


class LabelsError(HubError, ValueError):
    """No class names for a card, or names whose count differs from the network's classes (both named)."""

    kind = Failure.LABELS


class SurveyError(HubError):
    """A catalog survey that cannot go on: its worker processes fail before they can build any card."""


class TaskError(HubError):
    """A prediction asked of a card whose task ``hub predict`` does not serve; the message names the task."""

    kind = Failure.TASK


# -- publishing -----------------------------------------------------------------------------------------

class CardWriteError(HubError, ValueError):
    """The card cannot be written as asked; the message names the field or file."""
