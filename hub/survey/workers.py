"""The survey's worker processes: ``jobs`` processes that build code directories' cards, each worker's stdout
sent to its stderr (whatever zoo or MindSpore code prints, even below Python). A worker is replaced when,
after a directory, it holds more than ``memory_mb`` (what zoo code leaves behind: its modules, MindSpore's
caches), or after ``DIRECTORIES_PER_WORKER`` directories; one that dies or hangs costs its directory only."""
from __future__ import annotations

import multiprocessing
import os
import sys
import time
from collections import deque
from multiprocessing.connection import wait
from pathlib import Path

from ..cards.record import ModelCard
from ..catalog.catalog import Catalog
from ..errors import NoRouteError
from ..routes import route_of
from ..routes.names import Route
from .build import BuildOptions, build_group, held_mb
from .forward import BUILD_TIMEOUT, ForwardRun
from .report import CardOutcome

WORKER_MEMORY_MB = 1280  # a worker holding more than this after a directory is replaced
DIRECTORIES_PER_WORKER = 200  # and after this many directories in any case
CARD_TIMEOUT = 900  # seconds one card may take in a worker


class _Worker:
    """One worker process and the code directory it is building."""

    def __init__(self, context, roots: list[str]) -> None:
        self.connection, theirs = context.Pipe()
        self.process = context.Process(target=_serve, args=(theirs, roots), daemon=True)
        self.process.start()
        theirs.close()
        self.group: list[ModelCard] | None = None
        self.deadline = 0.0
        self.built = 0  # directories

    def assign(self, group: list[ModelCard], options: BuildOptions) -> None:
        self.group = group
        run = options.run
        self.deadline = time.monotonic() + (CARD_TIMEOUT + (_run_limit(run) if run else 0)) * len(group)
        self.connection.send(([c.uid for c in group], options))

    def stop(self, kill: bool = False) -> None:
        if kill or not self.process.is_alive():
            self.process.kill()
        else:
            try:
                self.connection.send(None)
            except OSError:
                self.process.kill()
        self.process.join(timeout=30)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.connection.close()


def build_in_workers(catalog: Catalog, card_groups: list[list[ModelCard]], jobs: int, bar,
                     options: BuildOptions, memory_mb: int = WORKER_MEMORY_MB) -> dict[str, CardOutcome]:
    """Each code directory's cards in one of ``jobs`` workers; a directory whose worker died or outlived its
    time limit (``CARD_TIMEOUT`` per card) is reported ``crashed`` and the worker replaced."""
    roots = [str(r) for r in catalog.roots]
    context = multiprocessing.get_context("spawn")
    pending = deque(card_groups)
    by_uid: dict[str, CardOutcome] = {}
    workers = [_Worker(context, roots) for _ in range(max(1, min(jobs, len(pending))))]
    try:
        while pending or any(w.group is not None for w in workers):
            for worker in workers:
                if worker.group is None and pending:
                    worker.assign(pending.popleft(), options)
            busy = {w.connection: w for w in workers if w.group is not None}
            ready = wait(list(busy), timeout=1.0)
            for index, worker in enumerate(workers):
                if worker.group is None:
                    continue
                outcomes, replace = None, False
                if worker.connection in ready:
                    try:
                        outcomes, held = worker.connection.recv()
                        worker.built += 1
                        replace = held > memory_mb or worker.built >= DIRECTORIES_PER_WORKER
                    except (EOFError, OSError):  # it died: a crash below Python, or killed
                        outcomes, replace = _crashed(worker.group, "the worker building its code directory died"), True
                elif time.monotonic() > worker.deadline:
                    outcomes, replace = _crashed(worker.group, "no result in time: the worker building its code "
                                                               "directory hung"), True
                if outcomes is None:
                    continue
                for outcome in outcomes:
                    by_uid[outcome.uid] = outcome
                    bar.update()
                worker.group = None
                if replace:
                    worker.stop(kill=worker.process.is_alive() and time.monotonic() > worker.deadline)
                    workers[index] = _Worker(context, roots)
    finally:
        for worker in workers:
            worker.stop(kill=worker.group is not None)
    return by_uid


def _crashed(group: list[ModelCard], why: str) -> list[CardOutcome]:
    return [CardOutcome(c.uid, _route_or_none(c), False, "crashed", why) for c in group]


def _route_or_none(card: ModelCard) -> str:
    try:
        return route_of(card)
    except NoRouteError:
        return Route.NONE


def _serve(connection, roots: list[str]) -> None:
    """A worker: build each directory it is sent, answer with the outcomes and the memory it holds after."""
    os.dup2(2, 1)  # its stdout is its stderr: whatever zoo or MindSpore code prints, even below Python
    sys.stdout = sys.stderr
    catalog = Catalog([Path(r) for r in roots])
    while True:
        try:
            task = connection.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        uids, options = task
        outcomes = build_group([catalog.get(uid) for uid in uids], options)
        connection.send((outcomes, held_mb()))


def _run_limit(run: ForwardRun) -> float:
    """The longest ``--run`` child of one card: build with sampled weights, then the forward pass."""
    return BUILD_TIMEOUT + run.timeout + 60
