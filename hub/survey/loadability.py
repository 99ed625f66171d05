"""``python -m hub loadable``: over a catalog, which cards' networks build here, by route, and why the
others do not (failure classes), optionally checked against each card built alone in a fresh process.

``jobs`` > 1 builds in that many worker processes (``workers``; zoo code runs isolated, so a worker builds
many cards one after another, as one process would); the cards of one code directory go to one worker
together. Zoo code's prints go to stderr, so a JSON report on stdout stays the only thing there.
"""
from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor

from tqdm import tqdm

from ..cards.repo_link import parse_repo_link
from ..catalog.catalog import Catalog, matches
from ..routes.zoo.code import prefetch
from .alone import built_alone
from .build import build_group, groups
from .report import LoadabilityReport
from .workers import build_in_workers


def survey(catalog: Catalog, pattern: str | None = None, isolated: bool = False, jobs: int = 1,
           progress: bool = False, pretrained_shapes: bool = False) -> LoadabilityReport:
    """Build every card's network: in this process (``jobs`` 1) or in ``jobs`` worker processes."""
    scan = catalog.scan()
    cards = [c for c in scan.cards if not pattern or matches(c.uid, pattern)]
    zoo_refs = [ref for c in cards if (ref := parse_repo_link(c.repo_link or "")) is not None
                and ref.is_model_zoo and not ref.toolkit]
    if zoo_refs:  # one sparse clone per release instead of one per directory
        laid = prefetch(zoo_refs, "the zoo code of the catalog")
        if progress and laid:
            print(f"fetched the code of {laid} zoo directories", file=sys.stderr)
    bar = tqdm(total=len(cards), unit="card", file=sys.stderr, disable=not progress, desc="loadable")
    if jobs <= 1:
        by_uid = {}
        for group in groups(cards):
            for outcome in build_group(group, pretrained_shapes):
                by_uid[outcome.uid] = outcome
                bar.update()
    else:
        by_uid = build_in_workers(catalog, groups(cards), jobs, bar, pretrained_shapes)
    bar.close()
    report = LoadabilityReport([by_uid[c.uid] for c in cards])
    if isolated:
        with ThreadPoolExecutor(max(1, jobs)) as pool:
            for outcome, alone in zip(report.outcomes, pool.map(built_alone, [o.uid for o in report.outcomes])):
                outcome.alone_ok = alone
    return report
