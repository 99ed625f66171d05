"""Getting files: the cache layout (``cache``), verified asset downloads (``assets``), the HTTP client
(``transfer``), git (``git``), atomic disk writes (``diskio``), cache listing and pruning
(``cache_admin``), and the local mirror server of the demo and the tests (``mirror``).

Only the cache layout is imported with the package: downloads need requests, which ``import hub`` must
not pull in."""
from __future__ import annotations

from importlib import import_module

from .cache import CachedFile, get_hub_dir, reset_hub_dir, set_hub_dir

_LAZY = {
    "fetch_asset": ".assets", "cached_asset": ".assets", "file_sha256": ".assets", "checkpoint_asset": ".assets",
    "DownloadPolicy": ".http", "probe": ".http", "fetch_small": ".http", "download": ".transfer",
    "sparse_clone": ".git", "scan_cache": ".cache_admin", "prune": ".cache_admin",
    "Mirror": ".mirror",
}

__all__ = ["CachedFile", "get_hub_dir", "reset_hub_dir", "set_hub_dir", *_LAZY]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
