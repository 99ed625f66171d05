"""The survey's worker pool: ``jobs`` processes that build code directories' cards, each worker's stdout
sent to its stderr (whatever zoo or MindSpore code prints, even below Python), a worker replaced after
``DIRECTORIES_PER_WORKER`` directories to bound its memory."""
from __future__ import annotations

import multiprocessing
import os
import sys
from pathlib import Path

from ..cards.record import ModelCard
from ..catalog.catalog import Catalog
from ..errors import NoRouteError
from ..routes import route_of
from ..routes.names import Route
from .build import build_group
from .forward import BUILD_TIMEOUT, ForwardRun
from .report import CardOutcome

DIRECTORIES_PER_WORKER = 25  # a worker is replaced after building this many code directories' cards
CARD_TIMEOUT = 900  # seconds one card may take in a worker


def build_in_workers(catalog: Catalog, card_groups: list[list[ModelCard]], jobs: int, bar,
                     pretrained_shapes: bool, run: ForwardRun | None = None) -> dict[str, CardOutcome]:
    """multiprocessing's Pool, not concurrent.futures: its ``maxtasksperchild`` replaces workers reliably
    (ProcessPoolExecutor's ``max_tasks_per_child`` can hang on 3.11), and it replaces a worker that dies;
    the card such a worker was building is reported as ``crashed`` after ``CARD_TIMEOUT`` seconds."""
    roots = [str(r) for r in catalog.roots]
    context = multiprocessing.get_context("spawn")
    by_uid: dict[str, CardOutcome] = {}
    with context.Pool(jobs, initializer=_worker_start, initargs=(roots,),
                      maxtasksperchild=DIRECTORIES_PER_WORKER) as pool:
        pending = [(group, pool.apply_async(_worker_build, ([c.uid for c in group], pretrained_shapes, run)))
                   for group in card_groups]
        for group, result in pending:
            try:
                outcomes = result.get(timeout=(CARD_TIMEOUT + (_run_limit(run) if run else 0)) * len(group))
            except multiprocessing.TimeoutError:
                outcomes = [CardOutcome(c.uid, _route_or_none(c), False, "crashed", "no result in time: the worker "
                                        "building its code directory died or hung") for c in group]
            for outcome in outcomes:
                by_uid[outcome.uid] = outcome
                bar.update()
        pool.terminate()
    return by_uid


def _route_or_none(card: ModelCard) -> str:
    try:
        return route_of(card)
    except NoRouteError:
        return Route.NONE


_WORKER_CATALOG: Catalog | None = None


def _worker_start(roots: list[str]) -> None:
    """A worker's stdout is its stderr: whatever zoo or MindSpore code prints, even below Python."""
    global _WORKER_CATALOG
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    _WORKER_CATALOG = Catalog([Path(r) for r in roots])


def _worker_build(uids: list[str], pretrained_shapes: bool, run: ForwardRun | None) -> list[CardOutcome]:
    return build_group([_WORKER_CATALOG.get(uid) for uid in uids], pretrained_shapes, run)


def _run_limit(run: ForwardRun) -> float:
    """The longest ``--run`` child of one card: build with sampled weights, then the forward pass."""
    return BUILD_TIMEOUT + run.timeout + 60
