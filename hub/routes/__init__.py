"""One resolver over the ways to build a card's network, tried in this order:

1. ``ours``: a network this project implements and tests (hubconf entry named by the uid stem);
2. ``toolkit``: a mindspore-lab toolkit card (MindCV, MindYOLO, MindOCR) through that toolkit;
3. ``zoo``: a model zoo card, by the zoo directory its repo-link names: its ``mindspore_hub_conf.py``
   as MindSpore Hub builds it, else ``export``: the network its ``export.py`` exports.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from mindspore import nn

from ..cards.record import ModelCard
from ..cards.repo_link import parse_repo_link
from ..errors import HubError, NoRouteError
from ..trust import check_code_trusted
from . import ours, toolkit, zoo
from .names import Route
from .record import BuildRecord
from .zoo import VARIANTS_ATTRIBUTE


@dataclass
class Built:
    network: nn.Cell
    route: Route
    notes: list[str] = field(default_factory=list)  # what the load report says of the build
    class_keys: list[str] = field(default_factory=list)  # keywords the code takes for a class count
    extra_kwargs: dict = field(default_factory=dict)  # keywords added to the caller's (a class count)
    variants: list[dict] = field(default_factory=list)  # the directory's other variants (see zoo.variants)
    variants_tried: list[str] = field(default_factory=list)  # those built to find the checkpoint's
    record: BuildRecord = field(default_factory=BuildRecord)  # what the build did, as fields


def route_of(card: ModelCard) -> Route:
    """OURS, TOOLKIT, ZOO or CODE (another repository's code); HubError when none applies. A zoo card
    may turn out to build by its export.py (EXPORT): only its code says."""
    if ours.can_build(card):
        return Route.OURS
    ref = parse_repo_link(card.repo_link or "")
    if ref is not None and ref.toolkit:
        return Route.TOOLKIT
    if ref is not None:
        return Route.ZOO if ref.is_model_zoo else Route.CODE
    entries = ", ".join(sorted(ours.entries()))
    raise NoRouteError(f"{card.uid}: this hub has no network for it (no hubconf entry {card.stem!r}; entries: "
                       f"{entries}) and its repo-link {card.repo_link!r} names no code directory to build it from")


def build(card: ModelCard, args: tuple = (), kwargs: dict | None = None, trust_repo: bool = False) -> Built:
    """The card's network, the route that built it and what to say of the build."""
    kwargs = dict(kwargs or {})
    route = route_of(card)
    notes: list[str] = []
    keys: list[str] = []
    record = BuildRecord(options=dict(kwargs))
    if route is Route.OURS:
        net = ours.build(card, args, kwargs)
        record.built_by = f"hub.hubconf.{card.stem}"
    else:
        ref = parse_repo_link(card.repo_link)
        if route is Route.TOOLKIT:
            net, keys, notes = toolkit.build(card, ref.toolkit, args, kwargs)
            record.built_by, record.supplied = f"{ref.toolkit} ({card.model_name or card.backbone})", list(notes)
        else:
            check_code_trusted(ref, card.uid, trust_repo)
            built = zoo.build(card, ref, args, kwargs)
            net, notes, keys, record = built.network, built.notes, built.class_keys, built.record
            route = Route(built.route) if route is Route.ZOO else route
    if not isinstance(net, nn.Cell):
        raise HubError(f"{card.uid}: the {route} route returned {type(net).__name__}, not a MindSpore Cell")
    return Built(net, route, notes, keys, variants=list(getattr(net, VARIANTS_ATTRIBUTE, None) or []), record=record)
