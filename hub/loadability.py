"""``python -m hub loadable``: over a catalog, which cards' networks build here, by route, and why the
others do not (failure classes), optionally checked against each card built alone in a fresh process.

``jobs`` > 1 builds in that many worker processes (zoo code runs isolated, so a worker builds many
cards one after another, as one process would); cards of one code directory go to one worker, and a
worker is replaced after ``CARDS_PER_WORKER`` cards to bound its memory. Zoo code's prints go to
stderr, so a JSON report on stdout stays the only thing there.
"""
from __future__ import annotations

import gc
import json
import multiprocessing
import os
import subprocess
import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from .card import ModelCard
from .catalog import Catalog, matches
from .errors import OfflineError
from .git_cli import GitError
from .repo_link import UntrustedRepoError, parse_repo_link
from .routes import NoRouteError, build, route_of
from .routes.toolkit import ToolkitMissing

CARDS_PER_WORKER = 60
ALONE = r"""
import json, sys
from hub.catalog import Catalog
from hub.routes import build_network
try:
    build_network(Catalog().get(sys.argv[1]))
    print(json.dumps({"ok": True}))
except BaseException as exc:
    print(json.dumps({"ok": False, "error": f"{type(exc).__name__}: {exc}"[:500]}))
"""


@dataclass
class CardOutcome:
    uid: str
    route: str
    ok: bool
    kind: str = ""  # failure class
    message: str = ""
    alone_ok: bool | None = None  # built alone in a fresh process (with --isolated)
    parameters: int | None = None  # of the network built


@dataclass
class LoadabilityReport:
    outcomes: list[CardOutcome] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"cards": len(self.outcomes), "built": sum(o.ok for o in self.outcomes),
                "by_route": self.by_route(), "failures": dict(Counter(o.kind for o in self.outcomes if not o.ok)),
                "worse_than_alone": [o.uid for o in self.outcomes if o.alone_ok and not o.ok],
                "outcomes": [o.__dict__ for o in self.outcomes]}

    def by_route(self) -> dict:
        routes: dict[str, dict[str, int]] = {}
        for o in self.outcomes:
            entry = routes.setdefault(o.route, {"cards": 0, "built": 0})
            entry["cards"] += 1
            entry["built"] += o.ok
        return routes


def _classify(exc: BaseException) -> str:
    kind = getattr(exc, "kind", None)  # ZooBuildError says why the zoo's code failed
    if kind:
        return kind
    for cls, name in ((ToolkitMissing, "toolkit-missing"), (GitError, "git"), (OfflineError, "offline"),
                      (UntrustedRepoError, "untrusted"), (NoRouteError, "no-route")):
        if isinstance(exc, cls):
            return name
    return "other"


def build_one(card: ModelCard) -> CardOutcome:
    """Build one card's network (pretrained=False, no arguments) in this process."""
    try:
        route = route_of(card)
    except NoRouteError as exc:
        return CardOutcome(card.uid, "none", False, "no-route", str(exc))
    try:
        with redirect_stdout(sys.stderr):
            built = build(card)
        count = sum(int(p.size) for p in built.network.get_parameters())
        return CardOutcome(card.uid, built.route, True, parameters=count)
    except (Exception, SystemExit) as exc:
        return CardOutcome(card.uid, getattr(exc, "route", route), False, _classify(exc),
                           f"{type(exc).__name__}: {exc}")
    finally:
        gc.collect()


def _code_key(card: ModelCard) -> str:
    ref = parse_repo_link(card.repo_link or "")
    return f"{ref.clone_url} {ref.release} {ref.directory}" if ref is not None else ""


def survey(catalog: Catalog, pattern: str | None = None, isolated: bool = False, jobs: int = 1,
           progress: bool = False) -> LoadabilityReport:
    """Build every card's network: in this process (``jobs`` 1) or in ``jobs`` worker processes."""
    scan = catalog.scan()
    cards = [c for c in scan.cards if not pattern or matches(c.uid, pattern)]
    bar = tqdm(total=len(cards), unit="card", file=sys.stderr, disable=not progress, desc="loadable")
    if jobs <= 1:
        by_uid = {}
        for card in cards:
            by_uid[card.uid] = build_one(card)
            bar.update()
    else:
        by_uid = _survey_in_workers(catalog, cards, jobs, bar)
    bar.close()
    report = LoadabilityReport([by_uid[c.uid] for c in cards])
    if isolated:
        with ThreadPoolExecutor(max(1, jobs)) as pool:
            for outcome, alone in zip(report.outcomes, pool.map(_alone, [o.uid for o in report.outcomes])):
                outcome.alone_ok = alone
    return report


def _survey_in_workers(catalog: Catalog, cards: list[ModelCard], jobs: int, bar) -> dict[str, CardOutcome]:
    ordered = sorted(cards, key=lambda c: (_code_key(c), c.uid))  # one directory's cards, one after another
    roots = [str(r) for r in catalog.roots]
    context = multiprocessing.get_context("spawn")
    by_uid: dict[str, CardOutcome] = {}
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_worker_start, initargs=(roots,),
                             max_tasks_per_child=CARDS_PER_WORKER) as pool:
        for outcome in pool.map(_worker_build, [c.uid for c in ordered]):
            by_uid[outcome.uid] = outcome
            bar.update()
    return by_uid


_WORKER_CATALOG: Catalog | None = None


def _worker_start(roots: list[str]) -> None:
    """A worker's stdout is its stderr: whatever zoo or MindSpore code prints, even below Python."""
    global _WORKER_CATALOG
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    _WORKER_CATALOG = Catalog([Path(r) for r in roots])


def _worker_build(uid: str) -> CardOutcome:
    return build_one(_WORKER_CATALOG.get(uid))


def _alone(uid: str) -> bool:
    done = subprocess.run([sys.executable, "-c", ALONE, uid], capture_output=True, text=True, timeout=900)
    try:
        return bool(json.loads(done.stdout.strip().splitlines()[-1])["ok"])
    except (IndexError, ValueError, KeyError):
        return False


def print_report(report: LoadabilityReport, verbose: bool = False) -> None:
    data = report.to_dict()
    print(f"{data['built']} of {data['cards']} cards build here")
    for route, counts in sorted(data["by_route"].items()):
        print(f"  {route:8} {counts['built']:5} of {counts['cards']}")
    if data["failures"]:
        print("failures by class:")
        for kind, count in Counter(data["failures"]).most_common():
            print(f"  {kind:16} {count}")
    if any(o.alone_ok is not None for o in report.outcomes):
        print(f"built alone but not here: {len(data['worse_than_alone'])} {data['worse_than_alone'][:10]}")
    if verbose:
        for o in report.outcomes:
            if not o.ok:
                print(f"{o.kind:16} {o.uid}: {o.message[:300]}")
