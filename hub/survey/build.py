"""Building the survey's cards through the loader's pipeline (``hub.loader.build_and_load``), weights
not sampled: one card, or the cards of one code directory together."""
from __future__ import annotations

import dataclasses
import gc
import hashlib
import os
import resource
import sys
import time
from contextlib import redirect_stdout
from dataclasses import dataclass
from pathlib import Path

from ..cards.record import ModelCard
from ..cards.repo_link import parse_repo_link
from ..cards.usage import usage_arguments
from ..errors import HubError, NoRouteError
from ..fetch.assets import cached_asset
from ..loader import build_and_load
from ..routes import route_of
from ..routes.names import Route
from ..routes.zoo.sandbox.guard import recorded
from ..routes.zoo.sandbox.namespace import forget_script_runs, forget_zoo_code
from ..routes.zoo.state import release_freed_memory
from ..routes.zoo.variants.selection import selection_key
from ..weights.checkpoint import lookup_key, read_checkpoint
from ..weights.heads import head_mismatch, takes_shapes
from ..weights.unsampled import shapes_only
from .forward import ForwardRun, run_card
from .report import CardOutcome

COLLECT_ABOVE_MB = 512  # what one card's build may leave held before it is collected (``build_group``)


def _classify(exc: BaseException) -> str:
    """The failure class of a build error: the ``kind`` every hub error carries (see ``hub.errors``)."""
    return exc.kind if isinstance(exc, HubError) else "other"


@dataclass(frozen=True)
class BuildOptions:
    """What the survey does with each card beside building it.

    ``pretrained_shapes``: build it as the card's Usage does and, when its checkpoint is in the cache, say whether
    it fits; ``run``: call it on its example inputs in a child process (``forward``); ``preprocessing``: read the
    card's eval preprocessing (``hub.preprocess``) and count its labels."""

    pretrained_shapes: bool = False
    run: ForwardRun | None = None
    preprocessing: bool = False


def build_one(card: ModelCard, options: BuildOptions | None = None) -> CardOutcome:
    """Build one card's network (pretrained=False, no arguments, weights not sampled) in this process, and do
    what ``options`` ask. The outcome names the kinds of action its code tried that the hub refused."""
    options = options or BuildOptions()
    start, peak_before = time.perf_counter(), peak_rss_mb()
    with recorded() as refused:
        outcome = _build_one(card, options)
    outcome.refused = sorted({r.kind for r in refused})
    outcome.seconds = round(time.perf_counter() - start, 2)
    peak = peak_rss_mb()
    outcome.peak_rss_mb = peak if peak > peak_before else None  # this card raised its process's peak
    if options.run is not None and outcome.ok:
        outcome = dataclasses.replace(outcome, **run_card(card.uid, options.run.roots, options.run.timeout))
    return outcome


def _build_one(card: ModelCard, options: BuildOptions) -> CardOutcome:
    try:
        route = route_of(card)
    except NoRouteError as exc:
        return CardOutcome(card.uid, Route.NONE, False, "no-route", str(exc))
    try:
        args, kwargs = usage_arguments(card) if options.pretrained_shapes else ((), {})
        with redirect_stdout(sys.stderr), shapes_only():
            built = build_and_load(card, args, kwargs).built
        count = sum(int(p.size) for p in built.network.get_parameters())
        record = built.record
        outcome = CardOutcome(card.uid, built.route, True, parameters=count, notes=built.notes,
                              network=network_digest(built.network), variants=len(built.variants),
                              variant=dict(record.variant), no_variant_named=dict(record.no_variant_named),
                              card_specific=record.card_specific, rebuilt_with=dict(built.extra_kwargs))
        if options.pretrained_shapes:
            _check_shapes(card, built.network, outcome)
        if options.preprocessing:
            with redirect_stdout(sys.stderr), shapes_only():
                _read_preprocessing(card, built.network, outcome)
    except (Exception, SystemExit) as exc:
        return CardOutcome(card.uid, getattr(exc, "route", route), False, _classify(exc),
                           f"{type(exc).__name__}: {exc}", notes=list(getattr(exc, "notes", [])),
                           card_specific=bool(getattr(exc, "card_specific", False)))
    return outcome


def _read_preprocessing(card: ModelCard, network, outcome: CardOutcome) -> None:
    """The card's eval preprocessing, summed up on the outcome, or why it is not known; its label count."""
    from ..inference.labels import dataset_of
    from ..inference.resolve import card_preprocess

    outcome.dataset = dataset_of(card) or ",".join(card.train_datasets)
    try:
        config = card_preprocess(card, {}, network=network).config
    except (Exception, SystemExit) as exc:
        outcome.preprocessing_error = f"{type(exc).__name__}: {exc}"[:500]
    else:
        outcome.preprocessing = {key: config.get(key) for key in PREPROCESSING_FIELDS if config.get(key) is not None}
    _count_labels(card, outcome)


def _count_labels(card: ModelCard, outcome: CardOutcome) -> None:
    from ..inference.labels import card_labels, dataset_of
    from ..inference.predict import _code_dir

    if dataset_of(card) is None:
        return
    try:
        labels = card_labels(card, _code_dir(card))
    except HubError:
        return
    outcome.labels, outcome.labels_source = len(labels), labels.source


# what a survey keeps of a card's preprocessing (``Preprocess.config``): what the catalog site shows
PREPROCESSING_FIELDS = ("read_from", "dataset", "input_size", "resize", "crop", "interpolation", "mean", "std",
                        "rescale", "layout", "dtype", "fed_by")


def held_mb() -> int:
    """The memory this process holds now (resident), in MiB; its peak where /proc is not there."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") // (1024 * 1024)
    except (OSError, ValueError, IndexError):
        return peak_rss_mb()


def peak_rss_mb() -> int:
    """This process's peak resident memory so far, in MiB (Linux reports kibibytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def network_digest(network) -> str:
    """Class and parameter names and shapes: equal for two builds of the same network."""
    text = type(network).__name__ + "".join(f";{p.name}{tuple(p.shape)}" for p in network.get_parameters())
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def build_group(cards: list[ModelCard], options: BuildOptions | None = None) -> list[CardOutcome]:
    """Build cards that share one code directory, then drop the zoo modules the process keeps (a survey
    builds each directory once: otherwise a process grows by what every directory's modules hold).
    An export.py whose directory offers no variants (see ``hub.routes.zoo.variants.selection``) builds the same
    network for every card: it runs once (and with ``run``, so does its forward pass: the same network on
    the same inputs); where it offers some, each card builds (its names may select another), unless its
    names are those of the card built.
    A card whose build left more than ``COLLECT_ABOVE_MB`` held is collected at once: a network is a web of
    reference cycles, freed only by a full collection, and the next card's build must not come on top of
    it (two failed Transformer builds of one directory: 2.9 GB, 2.1 GB collected between them)."""
    options = options or BuildOptions()
    outcomes: list[CardOutcome] = []
    release_freed_memory()  # else a card's build reuses memory freed before, still resident, and looks like none
    held_before = held_mb()
    exported: CardOutcome | None = None  # (with --pretrained-shapes each card has its own Usage and checkpoint)
    exported_names: tuple = ()
    for card in cards:
        if exported is not None and (not exported.variants and not exported.variant and not exported.no_variant_named
                                     or selection_key(card) == exported_names):
            reused = dataclasses.replace(exported, uid=card.uid, seconds=None, peak_rss_mb=None)  # not built
            if options.preprocessing:
                reused.labels, reused.labels_source = None, ""
                _count_labels(card, reused)
            outcomes.append(reused)
            continue
        outcome = build_one(card, options)
        forget_script_runs()  # the card's network is dropped: so are the script modules that hold it in their globals
        if held_mb() - held_before > COLLECT_ABOVE_MB:
            gc.collect()
            release_freed_memory()
        if not options.pretrained_shapes and outcome.route == Route.EXPORT and not outcome.card_specific:
            exported, exported_names = outcome, selection_key(card)
        outcomes.append(outcome)
    forget_zoo_code()  # the survey is done with this directory: what its modules hold is freed
    gc.collect()  # once per directory, not per card: a full collection costs ~0.13 s of CPU in a worker
    release_freed_memory()
    return outcomes


def code_key(card: ModelCard) -> str:
    """The card's code directory (repository, release, directory); empty when it names none."""
    ref = parse_repo_link(card.repo_link or "")
    return f"{ref.clone_url} {ref.release} {ref.directory}" if ref is not None else ""


def groups(cards: list[ModelCard]) -> list[list[ModelCard]]:
    """Cards by code directory; cards without one, each alone."""
    by_key: dict[str, list[ModelCard]] = {}
    for card in sorted(cards, key=lambda c: (code_key(c), c.uid)):
        by_key.setdefault(code_key(card) or card.uid, []).append(card)
    return list(by_key.values())


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
