"""Card -> network -> verified weights: what ``hub.load`` and ``mindspore_hub.load`` do.

The card comes from the catalog, the network from the first route that applies (``routes``: ours,
a mindspore-lab toolkit, or the model zoo's code), the weights through the verified cache.
"""
from __future__ import annotations

import functools
import os
import sys
from dataclasses import dataclass
from typing import Callable

from mindspore import nn

from . import routes
from .cards.record import ModelCard
from .catalog.catalog import Catalog
from .errors import CheckpointError, HubError, ZooBuildError
from .fetch.assets import fetch_asset
from .routes.names import Route
from .routes.zoo import requested
from .weights.checkpoint import (
    LoadReport,
    fits_any,
    fits_whole,
    listing,
    load_matching,
    load_strict,
    read_checkpoint,
    unused_entries,
)
from .weights.heads import caller_gave_class_count, head_entries, head_mismatch, takes_shapes
from .weights.sizes import only_sizes, probes_for, read_sizes

SOURCES = ("gitee", "github", "local")


def resolve_card(name: str, source: str = "gitee", catalog: Catalog | None = None) -> ModelCard:
    """``source`` gitee/github: ``name`` is a uid or a card URL; local: a path to a card file."""
    if source not in SOURCES:
        raise ValueError(f"source must be one of {', '.join(SOURCES)}, got {source!r}")
    if not isinstance(name, (str, os.PathLike)) or (not isinstance(name, str) and source != "local"):
        raise TypeError(f"the model name must be a str (a uid, a card URL or, with source='local', a card "
                        f"path), got {type(name).__name__}")
    catalog = catalog or Catalog()
    if source == "local":
        return catalog.card_from_file(name)
    return catalog.resolve(name)


def load_weights(name: str, source: str = "gitee", force_reload: bool = False,
                 catalog: Catalog | None = None) -> dict:
    """The parameter dict of the card's verified checkpoint (downloaded into the cache if needed)."""
    card = resolve_card(name, source, catalog)
    return read_checkpoint(fetch_asset(card, force=force_reload))


def card_checkpoint(card: ModelCard, force_reload: bool = False) -> tuple[dict, str]:
    """The parameter dict of the card's verified checkpoint (one download, one read) and its name."""
    if card.ckpt is None:
        raise HubError(f"{card.uid}: the card publishes no ckpt asset to load weights from "
                       f"(formats: {', '.join(a.file_format for a in card.assets) or 'none'}); use pretrained=False")
    path = fetch_asset(card, force=force_reload)
    return read_checkpoint(path), f"{path} ({card.uid})"


def load_params_into(net: nn.Cell, params: dict, source: str, exact: bool = True,
                     strict: bool = False) -> LoadReport:
    """``exact``: a network of ours, whose names are the checkpoint's: everything must load. Otherwise
    what matches loads and the rest is reported (an error with ``strict``, and when nothing fits)."""
    if not exact:
        report = load_matching(net, params, source, strict=strict)
    else:
        report = load_strict(net, params, source, may_stay_fresh=tuple(getattr(net, "resized_parameters", ())))
    report.pretrained, report.source = True, source
    return report


def fit_head_to_checkpoint(card: ModelCard, built: routes.Built, params: dict, args: tuple, kwargs: dict,
                           trust_repo: bool = False) -> routes.Built:
    """``built``, or the network built again with the checkpoint's class count when the two differ only
    in the classifier's width and the caller gave no count (see ``hub.heads``)."""
    if built.route == Route.OURS or caller_gave_class_count(args, kwargs):
        return built
    mismatch = head_mismatch(built.network, params)
    if mismatch is None:
        return built
    for key in built.class_keys:
        try:
            rebuilt = routes.build(card, args, {**kwargs, key: mismatch.count}, trust_repo)
        except HubError:
            continue
        if takes_shapes(rebuilt.network, params):
            rebuilt.extra_kwargs = {key: mismatch.count}
            rebuilt.notes.insert(0, f"the code's default classifier has {mismatch.network_count} classes and the "
                                    f"checkpoint's {mismatch.count}: built again with {key}={mismatch.count}")
            return rebuilt
    keys = ", ".join(built.class_keys) or "none found"
    built.notes.insert(0, f"the checkpoint's classifier has {mismatch.count} classes and the network's "
                          f"{mismatch.network_count}; no keyword of the code ({keys}) builds it with "
                          f"{mismatch.count}, so it stays fresh")
    return built


def build_with_checkpoint_sizes(card: ModelCard, failed: ZooBuildError, weights: Weights, args: tuple,
                                kwargs: dict, trust_repo: bool = False) -> routes.Built:
    """The network whose code asked for sizes and nothing else (``failed``: an ``arguments`` error naming them)
    built with the sizes the checkpoint's shapes hold (``weights.sizes``); ``failed``, saying what was read, when a
    size shows in no shape."""
    sizes = only_sizes(failed.missing)
    probes = probes_for(sizes)
    try:
        probed = routes.build(card, args, {**kwargs, **probes}, trust_repo)
    except HubError as exc:
        failed.args = (f"{failed}; built with a probe value for each size to read them from the checkpoint, it "
                       f"did not build either ({type(exc).__name__}: {exc})",)
        raise failed from None
    read = read_sizes(probed.network, weights()[0], probes)
    del probed
    shown = ", ".join(f"{name}={value}" for name, value in read.found.items())
    if read.unread:
        failed.args = (f"{failed}; the checkpoint's shapes give {shown or 'none of them'}; no shape shows "
                       f"{', '.join(read.unread)}: pass {', '.join(f'{u}=...' for u in read.unread)}",)
        raise failed
    built = routes.build(card, args, {**kwargs, **read.found}, trust_repo)
    built.extra_kwargs = dict(read.found)
    built.notes.insert(0, f"the code takes {', '.join(sizes)} as arguments (its own runs read them from the "
                          f"data): read from the checkpoint's shapes: {shown}")
    return built


def fit_variant_to_checkpoint(card: ModelCard, built: routes.Built, params: dict, args: tuple, kwargs: dict,
                              trust_repo: bool = False) -> routes.Built:
    """``built``, or the directory's other variant (see ``hub.routes.zoo.variants.selection``) that takes the
    checkpoint whole when ``built`` does not: the checkpoint says which network it was saved from
    where the card's names could not (``yolox_coco2017`` is named only "yolox")."""
    if not built.variants or fits_whole(built.network, params):
        return built
    kwargs = {**kwargs, **built.extra_kwargs}
    tried: list[str] = []
    shapes_seen = {_shapes(built.network)}
    for variant in built.variants:
        shown = ", ".join(f"{k}={_short(v)!r}" for k, v in variant.items())
        try:
            with requested(variant):
                rebuilt = routes.build(card, args, kwargs, trust_repo)
        except HubError as exc:
            tried.append(f"{shown} (does not build: {type(exc).__name__})")
            continue
        tried.append(shown)
        shapes = _shapes(rebuilt.network)
        if shapes in shapes_seen:
            continue
        shapes_seen.add(shapes)
        if fits_whole(rebuilt.network, params):
            rebuilt.extra_kwargs = dict(built.extra_kwargs)
            rebuilt.variants, rebuilt.variants_tried = built.variants, tried
            rebuilt.notes.insert(0, f"the network first built ({type(built.network).__name__}) does not take the "
                                    f"checkpoint whole; the directory's variant {shown} does: built with it")
            return rebuilt
    built.variants_tried = tried
    return built


def _shapes(network: nn.Cell) -> tuple:
    return type(network).__name__, tuple((p.name, tuple(p.shape)) for p in network.get_parameters())


def _short(value: object) -> object:
    return os.path.basename(value) if isinstance(value, str) and os.sep in value else value


def check_whole(built: routes.Built, params: dict, source: str, strict: bool | None, kwargs: dict) -> None:
    """A pretrained load that would leave checkpoint entries unused beyond a classifier head (and
    training state) loads a network other than the one the checkpoint was saved from: an error naming
    them and the variants tried, unless the caller asked for a partial load (``include_top=False``, or
    ``strict`` given: False loads what fits, True fails in the load itself)."""
    if strict is not None or kwargs.get("include_top") is False:
        return
    unused = unused_entries(built.network, params)
    if not unused or head_entries(unused) or not fits_any(built.network, params):
        return  # (when nothing fits, the load's own error says so)
    tried = ("; ".join(built.variants_tried) if built.variants_tried
             else "none (the code offers no other, or the caller's options fix it)")
    raise CheckpointError(f"checkpoint {source} was not saved from the network built "
                          f"({type(built.network).__name__}, {built.route} route): {len(unused)} of its "
                          f"entries are unused: {listing(unused)}. Variants of the directory tried: {tried}. "
                          "For a partial load pass strict=False (or include_top=False for a network without its "
                          "classifier)")


Weights = Callable[[], "tuple[dict, str]"]  # (parameter dict, where it came from), read when needed


@dataclass
class Loaded:
    """What the pipeline made of a card: the network, how it was built, and what loaded into it."""

    built: routes.Built
    report: LoadReport

    @property
    def network(self) -> nn.Cell:
        return self.built.network


def build_and_load(card: ModelCard, args: tuple = (), kwargs: dict | None = None, weights: Weights | None = None,
                   strict: bool | None = None, trust_repo: bool = False) -> Loaded:
    """The one load pipeline (``load``, ``card check``, ``card new`` and the survey): build the card's
    network by its route, and with ``weights`` (read only once the network builds) fit its head and its
    variant to the checkpoint and load what fits, the report saying what loaded, the route and what the
    build did. ``strict`` None (not given): missing parameters are reported, unused entries beyond a
    classifier head are an error (``check_whole``); True: both are errors; False: both are reported.

    A hub error raised here carries ``stage``, ``network`` or ``checkpoint``: where the pipeline stopped."""
    kwargs = dict(kwargs or {})
    stage = "network"
    weights = functools.cache(weights) if weights is not None else None  # read once, however many ask
    try:
        try:
            built = routes.build(card, args, kwargs, trust_repo)
        except ZooBuildError as exc:
            if weights is None or not only_sizes(exc.missing):
                raise
            built = build_with_checkpoint_sizes(card, exc, weights, args, kwargs, trust_repo)
        report = LoadReport()
        if weights is not None:
            stage = "checkpoint"
            params, source = weights()
            built = fit_head_to_checkpoint(card, built, params, args, kwargs, trust_repo)
            built = fit_variant_to_checkpoint(card, built, params, args, kwargs, trust_repo)
            if built.route != Route.OURS:
                check_whole(built, params, source, strict, kwargs)
            report = load_params_into(built.network, params, source, exact=built.route == Route.OURS,
                                      strict=bool(strict))
    except HubError as exc:
        exc.stage = stage
        raise
    report.route, report.notes, report.build = built.route, built.notes, built.record
    report.head_rebuilt, report.variants_tried = dict(built.extra_kwargs), list(built.variants_tried)
    return Loaded(built, report)


def load(name: str, *args, source: str = "gitee", pretrained: bool = True, force_reload: bool = False,
         catalog: Catalog | None = None, strict: bool | None = None, trust_repo: bool = False,
         **kwargs) -> nn.Cell:
    """Build the network of a card and load its verified checkpoint; returned in eval mode.

    ``strict`` (networks built by zoo or toolkit code): True, parameters missing from the checkpoint or
    entries of it nothing used are an error; not given (None), only unused entries beyond a classifier
    head are (the network is not the checkpoint's), missing ones a warning; False, a partial load with
    warnings. ``trust_repo``: allow building from a repository other than MindSpore's own (its code
    runs in this process).
    """
    for flag_name, value in (("pretrained", pretrained), ("force_reload", force_reload), ("trust_repo", trust_repo)):
        if not isinstance(value, bool):
            raise TypeError(f"{flag_name} must be a bool")
    if strict is not None and not isinstance(strict, bool):
        raise TypeError("strict must be a bool (or None: not given)")
    card = resolve_card(name, source, catalog)
    weights = (lambda: card_checkpoint(card, force_reload)) if pretrained else None
    loaded = build_and_load(card, args, kwargs, weights, strict, trust_repo)
    net, report = loaded.network, loaded.report
    object.__setattr__(net, "load_report", report)  # a plain attribute: not a Cell, Parameter or Tensor
    if not getattr(net, "example_inputs", None):  # found on first use: they may run the card's eval script
        from .inference.inputs import LazyInputs

        object.__setattr__(net, "example_inputs", LazyInputs(card, loaded.built))
    if pretrained or report.notes:
        print(f"mshub: {card.uid}: {report.summary()}", file=sys.stderr)
    net.set_train(False)
    return net
