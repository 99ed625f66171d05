"""``python -m hub loadable``: over a catalog, which cards' networks build here, by route, and why the
others do not (failure classes), optionally checked against each card built alone in a fresh process.

``jobs`` > 1 builds in that many worker processes (zoo code runs isolated, so a worker builds many
cards one after another, as one process would); the cards of one code directory go to one worker
together, and a worker is replaced after ``DIRECTORIES_PER_WORKER`` directories to bound its memory.
Zoo code's prints go to stderr, so a JSON report on stdout stays the only thing there.
"""
from __future__ import annotations

import ctypes
import dataclasses
import gc
import hashlib
import json
import multiprocessing
import os
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from tqdm import tqdm

from ..cards.record import ModelCard
from ..cards.repo_link import parse_repo_link
from ..cards.usage import usage_arguments
from ..catalog.catalog import Catalog, matches
from ..errors import HubError, NoRouteError
from ..fetch.assets import cached_asset
from ..loader import build_and_load
from ..routes import route_of
from ..routes.names import Route
from ..routes.zoo import conf as zoo_conf
from ..routes.zoo.code import prefetch
from ..routes.zoo.guard import recorded
from ..routes.zoo.variants import NO_VARIANT_NAMED, VARIANT_FROM_CARD, card_names
from ..weights.checkpoint import lookup_key, read_checkpoint
from ..weights.heads import head_mismatch, takes_shapes

DIRECTORIES_PER_WORKER = 25  # a worker is replaced after building this many code directories' cards
CARD_TIMEOUT = 900  # seconds one card may take in a worker
ALONE = r"""
import json, sys
from hub.catalog import Catalog
from hub.loader import build_and_load
try:
    build_and_load(Catalog().get(sys.argv[1]))
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
    takes_checkpoint: bool | None = None  # with --pretrained-shapes: the cached checkpoint fits whole
    head: str = ""  # with --pretrained-shapes: how the classifier differs from the checkpoint's
    notes: list[str] = field(default_factory=list)  # what the build did (see LoadReport.notes)
    network: str = ""  # digest of the network's class and parameter names and shapes
    variants: int = 0  # other variants the code directory offers (see hub.routes.zoo.variants)
    same_network: str = ""  # a card of another model name in the directory that built this very network
    refused: list[str] = field(default_factory=list)  # kinds of action its code tried and was refused


@dataclass
class LoadabilityReport:
    outcomes: list[CardOutcome] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"cards": len(self.outcomes), "built": sum(o.ok for o in self.outcomes),
                "by_route": self.by_route(), "failures": dict(Counter(o.kind for o in self.outcomes if not o.ok)),
                "worse_than_alone": [o.uid for o in self.outcomes if o.alone_ok and not o.ok],
                "variant_from_card": sum(_noted(o, VARIANT_FROM_CARD) for o in self.outcomes),
                "no_variant_named": [o.uid for o in self.outcomes if _noted(o, NO_VARIANT_NAMED)],
                "same_network": {o.uid: o.same_network for o in self.outcomes if o.same_network},
                "refused": dict(Counter(kind for o in self.outcomes for kind in o.refused)),
                "outcomes": [o.__dict__ for o in self.outcomes]}

    def by_route(self) -> dict:
        routes: dict[str, dict[str, int]] = {}
        for o in self.outcomes:
            entry = routes.setdefault(o.route, {"cards": 0, "built": 0})
            entry["cards"] += 1
            entry["built"] += o.ok
        return routes


def _noted(outcome: CardOutcome, start: str) -> bool:
    return outcome.ok and any(n.startswith(start) for n in outcome.notes)


def network_digest(network) -> str:
    """Class and parameter names and shapes: equal for two builds of the same network."""
    text = type(network).__name__ + "".join(f";{p.name}{tuple(p.shape)}" for p in network.get_parameters())
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def mark_same_network(outcomes: list[CardOutcome], cards: list[ModelCard]) -> None:
    """Cards of one code directory whose names differ (model-name or uid stem without the dataset) but
    whose networks are the same (class and parameter shapes): each names a sibling in ``same_network``
    (a class of its own in the report), since at most one of them can be the network its card describes."""
    by_uid = {c.uid: c for c in cards}
    groups: dict[tuple[str, str], list[CardOutcome]] = {}
    for outcome in outcomes:
        card = by_uid.get(outcome.uid)
        if outcome.ok and outcome.network and card is not None and _code_key(card):
            groups.setdefault((_code_key(card), outcome.network), []).append(outcome)
    for members in groups.values():
        for outcome in members:
            names = card_names(by_uid[outcome.uid])
            sibling = next((o for o in members if card_names(by_uid[o.uid]) != names
                            and not _other_variants(o, outcome)), None)
            if sibling is not None:
                outcome.same_network = sibling.uid


def _other_variants(a: CardOutcome, b: CardOutcome) -> bool:
    """Both cards set their variant, to different values: networks of equal shapes that differ in what
    the options change beyond shapes (deeplabv3's output stride 8 or 16 is a dilation)."""
    def chosen(outcome: CardOutcome) -> str:
        return next((n.split("): ", 1)[-1] for n in outcome.notes if n.startswith(VARIANT_FROM_CARD)), "")
    return bool(chosen(a)) and bool(chosen(b)) and chosen(a) != chosen(b)


def _classify(exc: BaseException) -> str:
    """The failure class of a build error: the ``kind`` every hub error carries (see ``hub.errors``)."""
    return exc.kind if isinstance(exc, HubError) else "other"


@contextmanager
def shapes_only() -> Iterator[None]:
    """MindSpore's initializers leave parameter memory as allocated instead of sampling values: the
    survey needs a network's structure (it builds, with these shapes), not its weights, and sampling
    (a 64M-parameter Normal takes 3.5 s here, and float64 temporaries twice the size) dominated it."""
    from mindspore.common import initializer

    original = initializer.Initializer.__call__
    initializer.Initializer.__call__ = lambda self, arr: None
    try:
        yield
    finally:
        initializer.Initializer.__call__ = original


def build_one(card: ModelCard, pretrained_shapes: bool = False) -> CardOutcome:
    """Build one card's network (pretrained=False, no arguments, weights not sampled) in this process.
    ``pretrained_shapes``: build it as the card's Usage does and, when its checkpoint is in the cache,
    say whether it fits. The outcome names the kinds of action its code tried that the hub refused."""
    with recorded() as refused:
        outcome = _build_one(card, pretrained_shapes)
    outcome.refused = sorted({r.kind for r in refused})
    return outcome


def _build_one(card: ModelCard, pretrained_shapes: bool) -> CardOutcome:
    try:
        route = route_of(card)
    except NoRouteError as exc:
        return CardOutcome(card.uid, Route.NONE, False, "no-route", str(exc))
    try:
        args, kwargs = usage_arguments(card) if pretrained_shapes else ((), {})
        with redirect_stdout(sys.stderr), shapes_only():
            built = build_and_load(card, args, kwargs).built
        count = sum(int(p.size) for p in built.network.get_parameters())
        outcome = CardOutcome(card.uid, built.route, True, parameters=count, notes=built.notes,
                              network=network_digest(built.network), variants=len(built.variants))
        if pretrained_shapes:
            _check_shapes(card, built.network, outcome)
        return outcome
    except (Exception, SystemExit) as exc:
        return CardOutcome(card.uid, getattr(exc, "route", route), False, _classify(exc),
                           f"{type(exc).__name__}: {exc}")
    finally:
        gc.collect()
        _return_freed_memory()


def _return_freed_memory() -> None:
    """Give memory the last network freed back to the system (glibc keeps it otherwise), so a worker's
    size is that of what it holds, not the high-water mark of every network it built."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def build_group(cards: list[ModelCard], pretrained_shapes: bool = False) -> list[CardOutcome]:
    """Build cards that share one code directory. An export.py whose directory offers no variants (see
    ``hub.routes.zoo.variants``) builds the same network for every card: it runs once; where it offers
    some, each card builds (its names may select another), unless its names are those of the card built."""
    outcomes: list[CardOutcome] = []
    exported: CardOutcome | None = None  # (with --pretrained-shapes each card has its own Usage and checkpoint)
    exported_names: tuple = ()
    for card in cards:
        if exported is not None and (not exported.variants and not any(
                n.startswith((VARIANT_FROM_CARD, NO_VARIANT_NAMED)) for n in exported.notes)
                or _selection_key(card) == exported_names):
            outcomes.append(dataclasses.replace(exported, uid=card.uid))
            continue
        outcome = build_one(card, pretrained_shapes)
        if (not pretrained_shapes and outcome.route == Route.EXPORT
                and not any(n.startswith(zoo_conf.HUB_CONF) for n in outcome.notes)):
            exported, exported_names = outcome, _selection_key(card)
        outcomes.append(outcome)
    return outcomes


def _selection_key(card: ModelCard) -> tuple:
    """What a card's variant selection depends on: its names and datasets."""
    return tuple(sorted(card_names(card))), tuple(card.train_datasets)


def _groups(cards: list[ModelCard]) -> list[list[ModelCard]]:
    """Cards by code directory (repository, release, directory); cards without one, each alone."""
    groups: dict[str, list[ModelCard]] = {}
    for card in sorted(cards, key=lambda c: (_code_key(c), c.uid)):
        groups.setdefault(_code_key(card) or card.uid, []).append(card)
    return list(groups.values())


def _check_shapes(card: ModelCard, network, outcome: CardOutcome) -> None:
    path = cached_asset(card) if card.ckpt is not None else None
    if path is None:
        return
    params = read_checkpoint(path)
    names = [p.name for p in network.get_parameters()]
    outcome.takes_checkpoint = takes_shapes(network, params) and all(lookup_key(n, params) for n in names)
    mismatch = head_mismatch(network, params)
    if mismatch is not None:
        outcome.head = (f"the Usage builds {mismatch.network_count} classes, the checkpoint has {mismatch.count} "
                        f"({', '.join(mismatch.tensors)})")


def _code_key(card: ModelCard) -> str:
    ref = parse_repo_link(card.repo_link or "")
    return f"{ref.clone_url} {ref.release} {ref.directory}" if ref is not None else ""


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
        for group in _groups(cards):
            for outcome in build_group(group, pretrained_shapes):
                by_uid[outcome.uid] = outcome
                bar.update()
    else:
        by_uid = _survey_in_workers(catalog, cards, jobs, bar, pretrained_shapes)
    bar.close()
    report = LoadabilityReport([by_uid[c.uid] for c in cards])
    mark_same_network(report.outcomes, cards)
    if isolated:
        with ThreadPoolExecutor(max(1, jobs)) as pool:
            for outcome, alone in zip(report.outcomes, pool.map(_alone, [o.uid for o in report.outcomes])):
                outcome.alone_ok = alone
    return report


def _survey_in_workers(catalog: Catalog, cards: list[ModelCard], jobs: int, bar,
                       pretrained_shapes: bool) -> dict[str, CardOutcome]:
    """multiprocessing's Pool, not concurrent.futures: its ``maxtasksperchild`` replaces workers reliably
    (ProcessPoolExecutor's ``max_tasks_per_child`` can hang on 3.11), and it replaces a worker that dies;
    the card such a worker was building is reported as ``crashed`` after ``CARD_TIMEOUT`` seconds."""
    roots = [str(r) for r in catalog.roots]
    context = multiprocessing.get_context("spawn")
    by_uid: dict[str, CardOutcome] = {}
    with context.Pool(jobs, initializer=_worker_start, initargs=(roots,),
                      maxtasksperchild=DIRECTORIES_PER_WORKER) as pool:
        pending = [(group, pool.apply_async(_worker_build, ([c.uid for c in group], pretrained_shapes)))
                   for group in _groups(cards)]
        for group, result in pending:
            try:
                outcomes = result.get(timeout=CARD_TIMEOUT * len(group))
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
        return "none"


_WORKER_CATALOG: Catalog | None = None


def _worker_start(roots: list[str]) -> None:
    """A worker's stdout is its stderr: whatever zoo or MindSpore code prints, even below Python."""
    global _WORKER_CATALOG
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    _WORKER_CATALOG = Catalog([Path(r) for r in roots])


def _worker_build(uids: list[str], pretrained_shapes: bool) -> list[CardOutcome]:
    return build_group([_WORKER_CATALOG.get(uid) for uid in uids], pretrained_shapes)


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
    if verbose:
        for o in report.outcomes:
            if not o.ok:
                print(f"{o.kind:16} {o.uid}: {o.message[:300]}")
