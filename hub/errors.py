"""Every error the hub raises derives from ``HubError`` and says which file, field, URL or uid failed."""
from __future__ import annotations

from pathlib import Path


class HubError(Exception):
    """Base class: catching it catches every failure the hub reports on purpose."""


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


class FetchError(HubError):
    """A download that failed; the message names the URL and what went wrong."""


class UntrustedURLError(FetchError):
    """An asset URL (or a redirect) pointing at a host the hub does not trust."""


class ChecksumError(FetchError):
    """Downloaded bytes whose sha256 differs from the card's ``asset-sha256``."""


class OfflineError(FetchError):
    """``MSHUB_OFFLINE`` is set and the asset is not in the cache."""


class CheckpointError(HubError, ValueError):
    """A checkpoint that does not fit the network: missing parameters or wrong shapes."""


class WeakChecksumWarning(UserWarning):
    """An asset verified only by a prefix of its sha256 (as MindCV and MindYOLO cards give it)."""
