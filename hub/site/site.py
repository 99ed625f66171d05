"""Build the catalog site in one call: gather the model, write the files."""
from __future__ import annotations

from pathlib import Path

from .build import collect
from .render import write_site


def build_site(out: Path, roots: list[Path] | None = None, loadable: list[Path] = (), ledger: Path | None = None,
               title: str = "Model catalog", stamp: bool = False) -> dict:
    """Write the site of the catalog ``roots`` (None: as ``python -m hub list`` sees it) into ``out``;
    returns the counts of the summary line (cards, files, pages, index bytes)."""
    model = collect(roots, loadable, ledger, title)
    written = write_site(model, out, stamp=stamp)
    return {"cards": model["totals"]["cards"], **written}
