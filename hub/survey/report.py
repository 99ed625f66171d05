"""The survey's report: one outcome per card, counts by route and failure class, as JSON or printed."""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field, fields
from pathlib import Path
from statistics import median

from ..errors import NoImageInputError


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
    network: str = ""  # digest of the network's class and parameter names and shapes
    variants: int = 0  # other variants the code directory offers (see hub.routes.zoo.variants.selection)
    same_network: str = ""  # a card of another model name in the directory that built this very network
    variant: dict = field(default_factory=dict)  # options the card's names chose (``BuildRecord.variant``)
    no_variant_named: dict = field(default_factory=dict)  # selector options whose default stayed: none is the card's
    card_specific: bool = False  # another card of the directory may build otherwise (``BuildRecord.card_specific``)
    rebuilt_with: dict = field(default_factory=dict)  # keyword -> class count a load built the network again with
    refused: list[str] = field(default_factory=list)  # kinds of action its code tried and was refused
    # with --run (see ``forward``): ran, forward-failed, timeout, no-inputs, build-failed or crashed
    run: str = ""
    run_kind: str = ""  # the class of a forward failure (shape, operator, dtype, removed-api...)
    run_message: str = ""
    forward_seconds: float | None = None
    inputs: str = ""  # where the example inputs came from
    finite: bool | None = None  # every output finite
    # with --preprocessing: the card's eval preprocessing, summed up (``build.PREPROCESSING_FIELDS``), or why not
    preprocessing: dict | None = None
    preprocessing_error: str = ""
    labels: int | None = None  # class names the hub has for the card's dataset (``hub.labels``)
    labels_source: str = ""
    dataset: str = ""  # the card's dataset as the hub's label lists name it (``imagenet1k``...), else its own
    seconds: float | None = None  # the build took (a card that reused its directory's build: None)
    peak_rss_mb: int | None = None  # the building process's peak resident memory, when this card raised it


@dataclass
class LoadabilityReport:
    outcomes: list[CardOutcome] = field(default_factory=list)

    def to_dict(self) -> dict:
        data = {"cards": len(self.outcomes), "built": sum(o.ok for o in self.outcomes),
                "by_route": self.by_route(), "failures": dict(Counter(o.kind for o in self.outcomes if not o.ok)),
                "worse_than_alone": [o.uid for o in self.outcomes if o.alone_ok and not o.ok],
                "variant_from_card": sum(o.ok and bool(o.variant) for o in self.outcomes),
                "no_variant_named": [o.uid for o in self.outcomes if o.ok and o.no_variant_named],
                "same_network": {o.uid: o.same_network for o in self.outcomes if o.same_network},
                "refused": dict(Counter(kind for o in self.outcomes for kind in o.refused))}
        if any(o.run for o in self.outcomes):
            data["runs"] = self.runs()
        if any(o.preprocessing or o.preprocessing_error for o in self.outcomes):
            data["preprocessing"] = self.preprocessing_counts()
        data["cost"] = self.cost()
        data["outcomes"] = [o.__dict__ for o in self.outcomes]
        return data

    def runs(self) -> dict:
        """With ``--run``: per route, built cards by run result and forward time; forward failures by class."""
        by_route: dict[str, dict] = {}
        for o in self.outcomes:
            if o.ok and o.run:
                entry = by_route.setdefault(o.route, {"built": 0, "ran": 0})
                entry["built"] += 1
                entry[o.run] = entry.get(o.run, 0) + 1
        for route, entry in by_route.items():
            seconds = [o.forward_seconds for o in self.outcomes
                       if o.route == route and o.run == "ran" and o.forward_seconds is not None]
            entry["median_forward_seconds"] = round(median(seconds), 3) if seconds else None
        tried = [o for o in self.outcomes if o.ok and o.run]
        return {"built": len(tried), "ran": sum(o.run == "ran" for o in tried), "by_route": by_route,
                "results": dict(Counter(o.run for o in tried)),
                "forward_failures": dict(Counter(o.run_kind for o in tried if o.run == "forward-failed"))}

    def preprocessing_counts(self) -> dict:
        """With ``--preprocessing``: built cards whose eval preprocessing was read, by route and by dataset."""
        tried = [o for o in self.outcomes if o.ok and (o.preprocessing or o.preprocessing_error)]
        no_image = [o for o in tried if o.preprocessing_error.startswith(NoImageInputError.__name__)]
        tried = [o for o in tried if o not in no_image]
        by_route: dict[str, dict] = {}
        by_dataset: dict[str, dict] = {}
        for o in tried:
            for key, table in ((o.route, by_route), (o.dataset or "other", by_dataset)):
                entry = table.setdefault(key, {"built": 0, "captured": 0})
                entry["built"] += 1
                entry["captured"] += bool(o.preprocessing)
        return {"built": len(tried), "captured": sum(bool(o.preprocessing) for o in tried),
                "takes_no_image": len(no_image), "by_route": by_route, "by_dataset": by_dataset,
                "labels": sum(o.labels is not None for o in tried)}

    def cost(self, top: int = 10) -> dict:
        """Where the survey's time and memory went: build seconds in all, the slowest cards, and the card whose
        build raised a process to the largest peak (the one to look at when a process outgrows its budget)."""
        timed = [o for o in self.outcomes if o.seconds is not None]
        sized = [o for o in self.outcomes if o.peak_rss_mb is not None]
        largest = max(sized, key=lambda o: o.peak_rss_mb, default=None)
        return {"build_seconds": round(sum(o.seconds for o in timed), 1),
                "slowest": {o.uid: o.seconds for o in sorted(timed, key=lambda o: -o.seconds)[:top]},
                "peak_rss_mb": largest.peak_rss_mb if largest else None,
                "peak_after": largest.uid if largest else None}

    @classmethod
    def from_dict(cls, data: dict) -> LoadabilityReport:
        """A report from its JSON document (``to_dict``); keys a card outcome does not have are left out."""
        names = {f.name for f in fields(CardOutcome)}
        return cls([CardOutcome(**{k: v for k, v in o.items() if k in names}) for o in data["outcomes"]])


    def by_route(self) -> dict:
        routes: dict[str, dict[str, int]] = {}
        for o in self.outcomes:
            entry = routes.setdefault(o.route, {"cards": 0, "built": 0})
            entry["cards"] += 1
            entry["built"] += o.ok
        return routes


def merge_reports(paths: list[Path]) -> LoadabilityReport:
    """One report from the JSON reports of several runs (``--shard`` K/N): their cards in uid order. A card
    in two of them is an error: the shards of one survey do not overlap."""
    outcomes: dict[str, CardOutcome] = {}
    for path in paths:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            report = LoadabilityReport.from_dict(data)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}: not a hub loadable --json report ({type(exc).__name__}: {exc})") from None
        for outcome in report.outcomes:
            if outcome.uid in outcomes:
                raise ValueError(f"{path}: card {outcome.uid} is in another of the merged reports too")
            outcomes[outcome.uid] = outcome
    return LoadabilityReport([outcomes[uid] for uid in sorted(outcomes)])

def print_report(report: LoadabilityReport, verbose: bool = False) -> None:
    data = report.to_dict()
    print(f"{data['built']} of {data['cards']} cards build here")
    for route, counts in sorted(data["by_route"].items()):
        print(f"  {route:8} {counts['built']:5} of {counts['cards']}")
    if data["failures"]:
        print("failures by class:")
        for kind, count in Counter(data["failures"]).most_common():
            print(f"  {kind:16} {count}")
    print(f"variant set from the card: {data['variant_from_card']} cards; named after no variant of their "
          f"directory (its default kept): {len(data['no_variant_named'])}")
    if data["same_network"]:
        print(f"same-network: {len(data['same_network'])} cards built the network of a card of another model name "
              "in their directory")
        for uid, sibling in sorted(data["same_network"].items()):
            print(f"  {uid}: same network as {sibling}")
    if data["refused"]:
        print("cards whose code tried what the hub refused: "
              + ", ".join(f"{kind} {count}" for kind, count in sorted(data["refused"].items())))
    if any(o.alone_ok is not None for o in report.outcomes):
        print(f"built alone but not here: {len(data['worse_than_alone'])} {data['worse_than_alone'][:10]}")
    checked = [o for o in report.outcomes if o.takes_checkpoint is not None]
    if checked:
        wrong = [o for o in checked if not o.takes_checkpoint]
        print(f"cached checkpoints: {len(checked) - len(wrong)} of {len(checked)} taken whole by the network "
              "the card's Usage builds")
        for o in wrong:
            print(f"  {o.uid}: {o.head or 'names or shapes differ beyond the classifier'}")
    if "runs" in data:
        _print_runs(data["runs"])
    if "preprocessing" in data:
        _print_preprocessing(data["preprocessing"])
    cost = data["cost"]
    if cost["peak_rss_mb"] is not None:
        slowest = ", ".join(f"{uid} {seconds:.0f} s" for uid, seconds in list(cost["slowest"].items())[:3])
        print(f"building took {cost['build_seconds']:.0f} s of process time (slowest: {slowest}); the largest "
              f"building process reached {cost['peak_rss_mb']} MiB, raised there by {cost['peak_after']}")
    if verbose:
        for o in report.outcomes:
            if not o.ok:
                print(f"{o.kind:16} {o.uid}: {o.message[:300]}")
            elif o.run and o.run != "ran":
                print(f"{o.run + ' ' + o.run_kind:16} {o.uid}: {o.run_message[:300]}")


def _print_preprocessing(counts: dict) -> None:
    print(f"eval preprocessing read for {counts['captured']} of {counts['built']} built cards that take images "
          f"({counts['labels']} with class names; {counts.get('takes_no_image', 0)} more take no image)")
    for title, table in (("route", counts["by_route"]), ("dataset", counts["by_dataset"])):
        shown = ", ".join(f"{key} {entry['captured']}/{entry['built']}" for key, entry in sorted(table.items()))
        print(f"  by {title}: {shown}")


def _print_runs(runs: dict) -> None:
    print(f"{runs['ran']} of {runs['built']} built networks run on their example inputs")
    for route, entry in sorted(runs["by_route"].items()):
        others = ", ".join(f"{k} {v}" for k, v in sorted(entry.items())
                           if k not in ("built", "ran", "median_forward_seconds"))
        seconds = entry["median_forward_seconds"]
        print(f"  {route:8} {entry['ran']:5} of {entry['built']}" + (f" ({others})" if others else "")
              + (f", median forward {seconds:.2f} s" if seconds is not None else ""))
    if runs["forward_failures"]:
        print("forward failures by class:")
        for kind, count in Counter(runs["forward_failures"]).most_common():
            print(f"  {kind:16} {count}")
