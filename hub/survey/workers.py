"""The survey's worker processes: ``jobs`` processes that build code directories' cards, each worker's stdout
sent to its stderr (whatever zoo or MindSpore code prints, even below Python). A worker is replaced when,
after a directory, it holds more than ``memory_mb`` (what zoo code leaves behind: its modules, MindSpore's
caches), or after ``DIRECTORIES_PER_WORKER`` directories; one that dies or hangs costs its directory only, and its
outcomes say how it ended (its exit status or signal, or the Python error it met outside any card). A worker that
ends before it is ready (its imports failed: no worker could build anything) stops the survey with that error.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
import traceback
from collections import deque
from multiprocessing.connection import wait
from pathlib import Path

from ..cards.record import ModelCard
from ..catalog.catalog import Catalog
from ..errors import NoRouteError, SurveyError
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
        self.ready = False  # it said so once its imports were done

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
                        kind, value, held = worker.connection.recv()
                    except (EOFError, OSError):  # it died: a crash below Python, killed, or its imports failed
                        ended = _ending(worker.process)
                        if not worker.ready:
                            raise SurveyError(f"a survey worker process {ended} before it was ready, so no worker "
                                              "can build a card: its error is on stderr above") from None
                        outcomes = _crashed(worker.group, f"the worker building its code directory {ended}")
                        replace = True
                    else:
                        if kind == READY:
                            worker.ready = True
                            continue
                        worker.built += 1
                        replace = held > memory_mb or worker.built >= DIRECTORIES_PER_WORKER
                        outcomes = value if kind == OUTCOMES else _crashed(
                            worker.group, f"the worker building its code directory failed outside any card: {value}")
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


def _ending(process) -> str:
    """How a worker process ended, as its outcomes say it: "was killed by SIGKILL", "exited with status 1"."""
    process.join(timeout=5)
    code = process.exitcode
    if code is None:
        return "closed its connection"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        why = " (the system's out-of-memory killer sends it)" if -code == signal.SIGKILL else ""
        return f"was killed by {name}{why}"
    return f"exited with status {code}"


def _crashed(group: list[ModelCard], why: str) -> list[CardOutcome]:
    return [CardOutcome(c.uid, _route_or_none(c), False, "crashed", why) for c in group]


def _route_or_none(card: ModelCard) -> str:
    try:
        return route_of(card)
    except NoRouteError:
        return Route.NONE


READY, OUTCOMES, FAILED = "ready", "outcomes", "failed"  # what a worker answers: (kind, value, MiB it holds)


def _serve(connection, roots: list[str]) -> None:
    """A worker: say it is ready, then build each directory it is sent and answer with the outcomes (or the error
    it met outside any card: a card file gone since the survey listed it) and the memory it holds after."""
    os.dup2(2, 1)  # its stdout is its stderr: whatever zoo or MindSpore code prints, even below Python
    sys.stdout = sys.stderr
    catalog = Catalog([Path(r) for r in roots])
    connection.send((READY, os.getpid(), 0))
    while True:
        try:
            task = connection.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        uids, options = task
        try:
            answer = OUTCOMES, build_group([catalog.get(uid) for uid in uids], options)
        except Exception as exc:  # every card's own error is its outcome's: this one is the worker's
            traceback.print_exc()
            answer = FAILED, f"{type(exc).__name__}: {exc}"
        connection.send((*answer, held_mb()))


def _run_limit(run: ForwardRun) -> float:
    """The longest ``--run`` child of one card: build with sampled weights, then the forward pass."""
    return BUILD_TIMEOUT + run.timeout + 60
