"""``python -m hub loadable``: over a catalog, which cards' networks build here, by route, and why the
others do not (failure classes), optionally checked against each card built alone in a fresh process.

``jobs`` > 1 builds in that many worker processes (``workers``; zoo code runs isolated, so a worker builds
many cards one after another, as one process would); the cards of one code directory go to one worker
together. Zoo code's prints go to stderr, so a JSON report on stdout stays the only thing there.
``shard`` (K, N) builds the K-th of N shares of the code directories (``shards``), so N machines can
survey one catalog and ``report.merge_reports`` put their reports together.
"""
from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor

from tqdm import tqdm

from ..cards.record import ModelCard
from ..cards.repo_link import parse_repo_link
from ..catalog.catalog import Catalog, matches
from ..routes.zoo.source.code import prefetch
from .alone import built_alone
from .build import BuildOptions, build_group, code_key, groups
from .forward import ForwardRun
from .report import LoadabilityReport
from .siblings import mark_same_network
from .workers import WORKER_MEMORY_MB, build_in_workers


def shards(card_groups: list[list[ModelCard]], count: int) -> list[list[list[ModelCard]]]:
    """``count`` shares of the code directories, balanced by cards: the largest directory first to the
    share with the fewest cards (ties: the lower index; directories in order of size, then code key),
    so the split depends on the cards only."""
    shares: list[list[list[ModelCard]]] = [[] for _ in range(count)]
    sizes = [0] * count
    for group in sorted(card_groups, key=lambda g: (-len(g), code_key(g[0]) or g[0].uid)):
        smallest = min(range(count), key=lambda i: (sizes[i], i))
        shares[smallest].append(group)
        sizes[smallest] += len(group)
    return shares


def survey(catalog: Catalog, pattern: str | None = None, isolated: bool = False, jobs: int = 1,
           progress: bool = False, pretrained_shapes: bool = False, run_timeout: float | None = None,
           shard: tuple[int, int] | None = None, worker_memory_mb: int | None = None,
           preprocessing: bool = False) -> LoadabilityReport:
    """Build every card's network: in this process (``jobs`` 1) or in ``jobs`` worker processes.
    ``run_timeout``: also call each built network on its example inputs, each within that many seconds.
    ``shard`` (K, N), 1 <= K <= N: only the cards of the K-th share of the code directories.
    ``worker_memory_mb``: a worker holding more after a directory is replaced (``workers.WORKER_MEMORY_MB``).
    ``preprocessing``: also read each built card's eval preprocessing and count its labels."""
    scan = catalog.scan()
    cards = [c for c in scan.cards if not pattern or matches(c.uid, pattern)]
    card_groups = groups(cards)
    if shard is not None:
        index, count = shard
        card_groups = sorted(shards(card_groups, count)[index - 1], key=lambda g: code_key(g[0]) or g[0].uid)
        chosen = {c.uid for g in card_groups for c in g}
        cards = [c for c in cards if c.uid in chosen]
    run = ForwardRun([str(r) for r in catalog.roots], run_timeout) if run_timeout is not None else None
    options = BuildOptions(pretrained_shapes, run, preprocessing)
    zoo_refs = [ref for c in cards if (ref := parse_repo_link(c.repo_link or "")) is not None
                and ref.is_model_zoo and not ref.toolkit]
    if zoo_refs:  # one sparse clone per release instead of one per directory
        laid = prefetch(zoo_refs, "the zoo code of the catalog", jobs=jobs)
        if progress and laid:
            print(f"fetched the code of {laid} zoo directories", file=sys.stderr)
    bar = tqdm(total=len(cards), unit="card", file=sys.stderr, disable=not progress, desc="loadable")
    if jobs <= 1:
        by_uid = {}
        for group in card_groups:
            for outcome in build_group(group, options):
                by_uid[outcome.uid] = outcome
                bar.update()
    else:
        by_uid = build_in_workers(catalog, card_groups, jobs, bar, options,
                                  memory_mb=worker_memory_mb or WORKER_MEMORY_MB)
    bar.close()
    report = LoadabilityReport([by_uid[c.uid] for c in cards])
    mark_same_network(report.outcomes, cards)
    if isolated:
        with ThreadPoolExecutor(max(1, jobs)) as pool:
            for outcome, alone in zip(report.outcomes, pool.map(built_alone, [o.uid for o in report.outcomes])):
                outcome.alone_ok = alone
    return report
