"""The catalog: cards found in directories and looked up by uid (``catalog``), the public hub's repository
(its catalog and branches synced with git, single cards fetched: ``hub_repo``), and the maintainers'
checks over a catalog (``verify``).

Syncing needs requests and git; it is imported on first use, so ``import hub`` stays light."""
from __future__ import annotations

from importlib import import_module

from .catalog import CardFile, Catalog, ScanResult, bundled_catalog, find_card_files, matches, of_version

_LAZY = {
    "sync": ".hub_repo", "branch_catalog": ".hub_repo", "branch_model_names": ".hub_repo",
    "synced_catalogs": ".hub_repo", "HUB_BRANCHES": ".hub_repo", "check_catalog": ".verify", "check_cached": ".verify",
}

__all__ = ["CardFile", "Catalog", "ScanResult", "bundled_catalog", "find_card_files", "matches", "of_version",
           *_LAZY]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
