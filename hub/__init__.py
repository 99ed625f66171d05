"""MindSpore Hub-compatible model registry and loader.

Importing ``hub`` first tunes oneDNN for AVX-512 CPUs (see ``hub.cpu_tuning``; ``MSHUB_CPU_TUNING=0``
turns it off), so it must be imported before MindSpore runs a convolution.

The package is laid out by the stages a card goes through: ``cards`` (the record and its parser),
``catalog`` (lookup, sync, verify), ``fetch`` (cache, HTTP, git), ``weights`` (checkpoints, load
reports, heads), ``routes`` (the ways to build a network), ``audit``, ``publish``, ``survey`` and
``cli``; ``loader`` joins them into ``load``.

The networks and entry points are ``hub.models`` and ``hub.hubconf``. Installed, they are files of this
package; in a source checkout they are the repository's root ``models/`` and ``hubconf.py``, mapped to
those two names alone (``_CheckoutFinder``). Either way nothing is imported as a top-level ``models`` or
``hubconf``, so a user's own packages of those names are never shadowed.
"""
from __future__ import annotations

from . import cpu_tuning as _cpu_tuning

_cpu_tuning.apply()

import importlib.abc as _abc  # noqa: E402
import importlib.util as _util  # noqa: E402
import sys as _sys  # noqa: E402
from pathlib import Path as _Path  # noqa: E402


class _CheckoutFinder(_abc.MetaPathFinder):
    """In a source checkout, answers for exactly ``hub.models`` and ``hub.hubconf`` (the repository's root
    ``models/`` and ``hubconf.py``), so a checkout imports the same modules an installed copy does and
    nothing else of the root (``bench``, ``mindspore_hub``) becomes part of ``hub``."""

    def __init__(self, root: _Path) -> None:
        self.root = root

    @staticmethod
    def checkout_root() -> _Path | None:
        here = _Path(__file__).resolve().parent
        root = here.parent
        if (here / "models").is_dir() or not (root / "hubconf.py").is_file():
            return None
        return root if (root / "models" / "__init__.py").is_file() else None

    def find_spec(self, fullname, path=None, target=None):
        if fullname == "hub.models":
            return _util.spec_from_file_location(fullname, self.root / "models" / "__init__.py",
                                                 submodule_search_locations=[str(self.root / "models")])
        if fullname == "hub.hubconf":
            return _util.spec_from_file_location(fullname, self.root / "hubconf.py")
        return None


if (_root := _CheckoutFinder.checkout_root()) is not None and not any(
        isinstance(f, _CheckoutFinder) for f in _sys.meta_path):
    _sys.meta_path.append(_CheckoutFinder(_root))

from .cards.record import Asset, Metric, ModelCard  # noqa: E402
from .catalog.catalog import Catalog  # noqa: E402
from .errors import (  # noqa: E402
    CardError,
    CheckpointError,
    ChecksumError,
    FetchError,
    HubError,
    OfflineError,
    UidError,
    UntrustedURLError,
)
from .fetch.cache import get_hub_dir, set_hub_dir  # noqa: E402

__version__ = "0.1.0"
__all__ = [
    "Asset", "CardError", "Catalog", "CheckpointError", "ChecksumError", "FetchError", "HubError",
    "Metric", "ModelCard", "OfflineError", "UidError", "UntrustedURLError", "download", "get_hub_dir",
    "info", "labels", "list_models", "load", "load_weights", "predict", "preprocess", "set_hub_dir",
]


def list_models(pattern: str | None = None, version: str | None = None) -> list[ModelCard]:
    """Valid cards in the catalog whose uid matches ``pattern`` (glob or substring) and, when given,
    names MindSpore ``version`` ('1.7' or 'r1.7')."""
    from .catalog.catalog import of_version

    return of_version(Catalog().search(pattern).cards, version)


def info(name: str) -> ModelCard:
    """The card of a uid, card URL or card path."""
    return Catalog().resolve(name)


def download(name: str, force: bool = False):
    """Path of the verified cached checkpoint of ``name``, downloading it if needed."""
    from .fetch.assets import fetch_asset

    return fetch_asset(Catalog().resolve(name), force=force)


def load(name: str, *args, source: str = "gitee", pretrained: bool = True, force_reload: bool = False,
         **kwargs):
    """Network of a card with its verified checkpoint loaded strictly, in eval mode."""
    from .loader import load as _load

    return _load(name, *args, source=source, pretrained=pretrained, force_reload=force_reload, **kwargs)


def load_weights(name: str, source: str = "gitee", force_reload: bool = False) -> dict:
    """Parameter dict of a card's verified checkpoint."""
    from .loader import load_weights as _load_weights

    return _load_weights(name, source=source, force_reload=force_reload)


def preprocess(name: str, source: str = "gitee", trust_repo: bool = False, **options):
    """The card's own eval preprocessing, read from its code: ``pre(image)`` gives what its eval pipeline feeds
    the network for that image (a path, PIL image or HWC uint8 array; one sample, no batch axis), and
    ``pre.config`` says what it does and where it was read. ``options`` are ``load``'s (they choose the variant)."""
    from .inference.resolve import card_preprocess
    from .loader import resolve_card

    return card_preprocess(resolve_card(name, source), options, trust_repo=trust_repo)


def labels(name: str, source: str = "gitee"):
    """The class names of the card's dataset, in the order its network predicts them (``.source`` says where
    they come from: the card's code directory, or this project's lists)."""
    from .inference.labels import card_labels
    from .inference.predict import _code_dir
    from .loader import resolve_card

    card = resolve_card(name, source)
    return card_labels(card, _code_dir(card))


def predict(name: str, images, top: int = 5, **kwargs):
    """Top-k labels (classification), a class per pixel (segmentation) or boxes (the SSD family) for ``images``
    with the card ``name``'s network and its own preprocessing; ``kwargs`` go to ``load``."""
    from .inference.predict import predict as _predict

    return _predict(name, images, top=top, **kwargs)
