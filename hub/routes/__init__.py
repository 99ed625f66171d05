"""One resolver over the ways to build a card's network, tried in this order:

1. ``ours``: a network this project implements and tests (hubconf entry named by the uid stem);
2. ``toolkit``: a mindspore-lab toolkit card (MindCV, MindYOLO, MindOCR) through that toolkit;
3. ``zoo``: a model zoo card, by the zoo directory its repo-link names, as MindSpore Hub builds it.
"""
from __future__ import annotations

from mindspore import nn

from ..card import ModelCard
from ..errors import HubError
from ..repo_link import check_code_trusted, parse_repo_link
from . import ours, toolkit, zoo_conf


class NoRouteError(HubError):
    """No way to build a card's network: no entry of ours and no code directory in its repo-link."""


def route_of(card: ModelCard) -> str:
    """'ours', 'toolkit', 'zoo' or 'code' (another repository's hub conf); HubError when none applies."""
    if ours.can_build(card):
        return "ours"
    ref = parse_repo_link(card.repo_link or "")
    if ref is not None and ref.toolkit:
        return "toolkit"
    if ref is not None:
        return "zoo" if ref.is_model_zoo else "code"
    entries = ", ".join(sorted(ours.entries()))
    raise NoRouteError(f"{card.uid}: this hub has no network for it (no hubconf entry {card.stem!r}; entries: "
                   f"{entries}) and its repo-link {card.repo_link!r} names no code directory to build it from")


def build_network(card: ModelCard, args: tuple = (), kwargs: dict | None = None,
                  trust_repo: bool = False) -> tuple[nn.Cell, str]:
    """The card's network and the route that built it."""
    kwargs = dict(kwargs or {})
    route = route_of(card)
    if route == "ours":
        net = ours.build(card, args, kwargs)
    else:
        ref = parse_repo_link(card.repo_link)
        if route == "toolkit":
            net = toolkit.build(card, ref.toolkit, args, kwargs)
        else:
            check_code_trusted(ref, card.uid, trust_repo)
            net = zoo_conf.build(card, ref, args, kwargs)
    if not isinstance(net, nn.Cell):
        raise HubError(f"{card.uid}: the {route} route returned {type(net).__name__}, not a MindSpore Cell")
    return net, route
