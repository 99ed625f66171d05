"""MindSpore Hub-compatible model registry and loader.

Importing ``hub`` first tunes oneDNN for AVX-512 CPUs (see ``hub.cpu_tuning``; ``MSHUB_CPU_TUNING=0``
turns it off), so it must be imported before MindSpore runs a convolution.

The networks and entry points are ``hub.models`` and ``hub.hubconf``. Installed, they are files of this
package; in a source checkout they are the repository's root ``models/`` and ``hubconf.py``, found by
adding the root to this package's search path. Either way nothing is imported as a top-level
``models`` or ``hubconf``, so a user's own packages of those names are never shadowed.
"""
from __future__ import annotations

from pathlib import Path as _Path

from . import cpu_tuning as _cpu_tuning

_cpu_tuning.apply()


def _checkout_root() -> _Path | None:
    """The repository root when running from a source checkout (not an installed copy)."""
    here = _Path(__file__).resolve().parent
    root = here.parent
    if (here / "models").is_dir() or not (root / "hubconf.py").is_file():
        return None
    return root if (root / "models" / "__init__.py").is_file() else None


if (_root := _checkout_root()) is not None:
    __path__.append(str(_root))  # noqa: F821 - a package's own search path, as pkgutil.extend_path does

from .cache import get_hub_dir, set_hub_dir  # noqa: E402
from .card import Asset, Metric, ModelCard  # noqa: E402
from .catalog import Catalog  # noqa: E402
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

__version__ = "0.1.0"
__all__ = [
    "Asset", "CardError", "Catalog", "CheckpointError", "ChecksumError", "FetchError", "HubError",
    "Metric", "ModelCard", "OfflineError", "UidError", "UntrustedURLError", "download", "get_hub_dir",
    "info", "list_models", "load", "load_weights", "set_hub_dir",
]


def list_models(pattern: str | None = None, version: str | None = None) -> list[ModelCard]:
    """Valid cards in the catalog whose uid matches ``pattern`` (glob or substring) and, when given,
    names MindSpore ``version`` ('1.7' or 'r1.7')."""
    from .catalog import of_version

    return of_version(Catalog().search(pattern).cards, version)


def info(name: str) -> ModelCard:
    """The card of a uid, card URL or card path."""
    return Catalog().resolve(name)


def download(name: str, force: bool = False):
    """Path of the verified cached checkpoint of ``name``, downloading it if needed."""
    from .fetch import fetch_asset

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
