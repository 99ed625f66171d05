"""MindSpore Hub-compatible model registry and loader.

Importing ``hub`` first tunes oneDNN for AVX-512 CPUs (see ``hub.cpu_tuning``; ``MSHUB_CPU_TUNING=0``
turns it off), so it must be imported before MindSpore runs a convolution.
"""
from __future__ import annotations

from . import cpu_tuning as _cpu_tuning

_cpu_tuning.apply()

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


def list_models(pattern: str | None = None) -> list[ModelCard]:
    """Valid cards in the catalog whose uid matches ``pattern`` (glob or substring)."""
    return Catalog().search(pattern).cards


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
