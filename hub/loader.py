"""Card -> network -> verified weights: what ``hub.load`` and ``mindspore_hub.load`` do.

The card comes from the catalog, the network from the first route that applies (``routes``: ours,
a mindspore-lab toolkit, or the model zoo's code), the weights through the verified cache.
"""
from __future__ import annotations

import os
import sys

from mindspore import nn

from . import routes
from .card import ModelCard
from .catalog import Catalog
from .checkpoint import LoadReport, load_matching, load_strict, read_checkpoint
from .errors import HubError
from .fetch import fetch_asset

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


def build_network(card: ModelCard, *args, trust_repo: bool = False, **kwargs) -> nn.Cell:
    """The card's network, by the first route that applies (see ``routes``)."""
    return routes.build_network(card, args, kwargs, trust_repo)[0]


def load_weights(name: str, source: str = "gitee", force_reload: bool = False,
                 catalog: Catalog | None = None) -> dict:
    """The parameter dict of the card's verified checkpoint (downloaded into the cache if needed)."""
    card = resolve_card(name, source, catalog)
    return read_checkpoint(fetch_asset(card, force=force_reload))


def load_card_weights_into(net: nn.Cell, card: ModelCard, force_reload: bool = False,
                           exact: bool = True, strict: bool = False) -> LoadReport:
    """``exact``: a network of ours, whose names are the checkpoint's: everything must load. Otherwise
    what matches loads and the rest is reported (an error with ``strict``)."""
    if card.ckpt is None:
        raise HubError(f"{card.uid}: the card publishes no ckpt asset to load weights from "
                       f"(formats: {', '.join(a.file_format for a in card.assets) or 'none'}); use pretrained=False")
    path = fetch_asset(card, force=force_reload)
    source = f"{path} ({card.uid})"
    if not exact:
        return load_matching(net, read_checkpoint(path), source, strict=strict)
    fresh = tuple(getattr(net, "resized_parameters", ()))
    return load_strict(net, read_checkpoint(path), source, may_stay_fresh=fresh)


def load_pretrained_into(net: nn.Cell, uid: str, force_reload: bool = False) -> LoadReport:
    """Load the checkpoint of ``uid`` into an already built network, strictly."""
    return load_card_weights_into(net, Catalog().get(uid), force_reload)


def load(name: str, *args, source: str = "gitee", pretrained: bool = True, force_reload: bool = False,
         catalog: Catalog | None = None, strict: bool = False, trust_repo: bool = False, **kwargs) -> nn.Cell:
    """Build the network of a card and load its verified checkpoint; returned in eval mode.

    ``strict`` (networks built by zoo or toolkit code): parameters missing from the checkpoint, or
    entries of it nothing used, are an error instead of a warning. ``trust_repo``: allow building from a
    repository other than MindSpore's own (its code runs in this process).
    """
    for flag_name, value in (("pretrained", pretrained), ("force_reload", force_reload), ("strict", strict),
                             ("trust_repo", trust_repo)):
        if not isinstance(value, bool):
            raise TypeError(f"{flag_name} must be a bool")
    card = resolve_card(name, source, catalog)
    built = routes.build(card, args, kwargs, trust_repo)
    net = built.network
    report = LoadReport()
    if pretrained:
        report = load_card_weights_into(net, card, force_reload, exact=built.route == "ours", strict=strict)
        report.pretrained = True
    report.route, report.notes = built.route, built.notes
    object.__setattr__(net, "load_report", report)  # a plain attribute: not a Cell, Parameter or Tensor
    if pretrained or built.notes:
        print(f"mshub: {card.uid}: {report.summary()}", file=sys.stderr)
    net.set_train(False)
    return net
