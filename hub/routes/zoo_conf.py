"""Route 3: a model zoo card, built as MindSpore Hub builds it, by the directory its repo-link names:
``create_network(model-name lowercased, *args, **kwargs)`` from that directory's ``mindspore_hub_conf.py``,
with the code fetched sparsely and imported in a namespace of its own."""
from __future__ import annotations

import re
from pathlib import Path

from ..card import ModelCard
from ..errors import HubError
from ..repo_link import RepoRef
from .zoo_code import fetch_code_dir
from .zoo_import import load_hub_conf, provided_names, zoo_namespace

# import name -> the name pip installs it under, where they differ
PIP_NAMES = {"cv2": "opencv-python", "sklearn": "scikit-learn", "yaml": "pyyaml", "PIL": "pillow",
             "skimage": "scikit-image", "Levenshtein": "python-Levenshtein", "rouge": "rouge"}


class ZooBuildError(HubError):
    """The zoo's code could not build the card's network; ``kind`` classifies why (for reports)."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


def build(card: ModelCard, ref: RepoRef, args: tuple, kwargs: dict):
    code = fetch_code_dir(ref, card.uid)
    directory = code.path
    where = f"{ref.clone_url} {ref.release}:{ref.directory} (commit {code.commit[:10]})"
    if not (directory / "mindspore_hub_conf.py").is_file():
        raise ZooBuildError(f"{card.uid}: {where} has no mindspore_hub_conf.py, so there is no network to build "
                            "(MindSpore Hub cannot load this card either)", "no-hub-conf")
    name = (card.model_name or card.backbone or card.stem).lower()
    try:
        with zoo_namespace(directory):
            conf = load_hub_conf(directory)
            create = getattr(conf, "create_network", None)
            if create is None:
                raise ZooBuildError(f"{card.uid}: {where}/mindspore_hub_conf.py defines no create_network", "no-name")
            net = create(name, *args, **kwargs)
    except HubError:
        raise
    except ModuleNotFoundError as exc:
        raise _missing_module(card, exc, directory, code.checkout, where) from None
    except TypeError as exc:
        if re.search(r"missing \d+ required|required (positional|keyword)", str(exc)):
            raise ZooBuildError(f"{card.uid}: create_network({name!r}) of {where} needs arguments: {exc}. "
                                + _usage_hint(card), "arguments") from None
        raise _zoo_failure(card, name, where, exc) from None
    except (NotImplementedError, KeyError) as exc:
        raise ZooBuildError(f"{card.uid}: {where}/mindspore_hub_conf.py offers no network named {name!r} "
                            f"({type(exc).__name__}: {exc})", "no-name") from None
    except (Exception, SystemExit) as exc:
        raise _zoo_failure(card, name, where, exc) from None
    if net is None:
        raise ZooBuildError(f"{card.uid}: create_network({name!r}) of {where} returned None: the hub conf "
                            "offers no network of that name", "no-name")
    return net


def _zoo_failure(card: ModelCard, name: str, where: str, exc: BaseException) -> ZooBuildError:
    text = str(exc) or repr(exc)
    if isinstance(exc, ValueError) and re.search(r"(unsupported|not support|not implement|invalid|unknown).*"
                                                 r"(net|model|name)|(net|model|name).*(unsupported|not support)",
                                                 text, re.I):
        return ZooBuildError(f"{card.uid}: {where}/mindspore_hub_conf.py offers no network named {name!r} "
                             f"({text})", "no-name")
    return ZooBuildError(f"{card.uid}: the zoo's code at {where} failed to build {name!r}: "
                         f"{type(exc).__name__}: {text}", "zoo-error")


def _missing_module(card: ModelCard, exc: ModuleNotFoundError, directory: Path, checkout: Path,
                    where: str) -> ZooBuildError:
    missing = exc.name or str(exc)
    top = missing.partition(".")[0]
    if top in provided_names(directory):
        return ZooBuildError(f"{card.uid}: the zoo's code at {where} imports {missing!r}, which that directory "
                             "does not have at this release (a stale import in the zoo; MindSpore Hub fails on "
                             "it too)", "stale-import")
    pip_name = PIP_NAMES.get(top, top)
    line = _requirement_line(directory, checkout, {top.lower(), pip_name.lower()})
    hint = f"its requirements.txt says: {line!r}" if line else f"try: pip install {pip_name}"
    return ZooBuildError(f"{card.uid}: the zoo's code at {where} needs the module {top!r}, which is not "
                         f"installed; {hint}", "missing-module")


def _requirement_line(directory: Path, checkout: Path, names: set[str]) -> str | None:
    """The line naming one of ``names`` in the nearest requirements.txt from ``directory`` up to the root."""
    folder = directory
    while True:
        req = folder / "requirements.txt"
        if req.is_file():
            for line in req.read_text(errors="replace").splitlines():
                package = re.split(r"[<>=!~\[; ]", line.strip(), maxsplit=1)[0].lower()
                if package and package in names:
                    return line.strip()
        if folder == checkout or folder.parent == folder:
            return None
        folder = folder.parent


def _usage_hint(card: ModelCard) -> str:
    calls = [line.strip() for line in card.body.splitlines() if "mshub.load(" in line or "hub.load(" in line]
    if calls:  # the call that passes the most arguments shows what is needed
        return f"The card shows: {max(calls, key=lambda c: c.count(',') + c.count('='))}"
    return "Pass them to load() after the uid, e.g. mshub.load(uid, num_classes=10)."
