"""``python -m hub loadable``: over a catalog, which cards' networks build here, by route, and why the
others do not (failure classes), optionally checked against each card built alone in a fresh process."""
from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from .catalog import Catalog, matches
from .errors import OfflineError
from .git_cli import GitError
from .repo_link import UntrustedRepoError
from .routes import NoRouteError, build_network, route_of
from .routes.toolkit import ToolkitMissing

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


def survey(catalog: Catalog, pattern: str | None = None, isolated: bool = False, jobs: int = 2) -> LoadabilityReport:
    """Build every card's network (pretrained=False, no arguments) in this one process."""
    report = LoadabilityReport()
    scan = catalog.scan()
    cards = [c for c in scan.cards if not pattern or matches(c.uid, pattern)]
    for card in cards:
        try:
            route = route_of(card)
        except NoRouteError as exc:
            report.outcomes.append(CardOutcome(card.uid, "none", False, "no-route", str(exc)))
            continue
        try:
            build_network(card)
            report.outcomes.append(CardOutcome(card.uid, route, True))
        except (Exception, SystemExit) as exc:
            report.outcomes.append(CardOutcome(card.uid, route, False, _classify(exc), f"{type(exc).__name__}: {exc}"))
    if isolated:
        with ThreadPoolExecutor(max(1, jobs)) as pool:
            for outcome, alone in zip(report.outcomes, pool.map(_alone, [o.uid for o in report.outcomes])):
                outcome.alone_ok = alone
    return report


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
