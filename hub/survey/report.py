"""The survey's report: one outcome per card, counts by route and failure class, as JSON or printed."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class CardOutcome:
    uid: str
    route: str
    ok: bool
    kind: str = ""  # failure class
    message: str = ""
    alone_ok: bool | None = None  # built alone in a fresh process (with --isolated)
    parameters: int | None = None  # of the network built
    takes_checkpoint: bool | None = None  # with --pretrained-shapes: the cached checkpoint fits whole
    head: str = ""  # with --pretrained-shapes: how the classifier differs from the checkpoint's
    notes: list[str] = field(default_factory=list)  # what the build did (see LoadReport.notes)


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
    checked = [o for o in report.outcomes if o.takes_checkpoint is not None]
    if checked:
        wrong = [o for o in checked if not o.takes_checkpoint]
        print(f"cached checkpoints: {len(checked) - len(wrong)} of {len(checked)} taken whole by the network "
              "the card's Usage builds")
        for o in wrong:
            print(f"  {o.uid}: {o.head or 'names or shapes differ beyond the classifier'}")
    if verbose:
        for o in report.outcomes:
            if not o.ok:
                print(f"{o.kind:16} {o.uid}: {o.message[:300]}")
