"""Card -> network -> verified weights: what ``hub.load`` and ``mindspore_hub.load`` do.

Everything resolves locally: the card from the catalog, the network from the ``hubconf.py`` entry
named by the card's uid stem, the weights through the verified cache. Nothing is cloned.
"""
from __future__ import annotations

from mindspore import nn

from .card import ModelCard
from .catalog import Catalog
from .checkpoint import LoadReport, load_strict, read_checkpoint
from .errors import HubError, UidError
from .fetch import fetch_asset

SOURCES = ("gitee", "github", "local")


def resolve_card(name: str, source: str = "gitee", catalog: Catalog | None = None) -> ModelCard:
    """``source`` gitee/github: ``name`` is a uid or a card URL; local: a path to a card file."""
    if source not in SOURCES:
        raise ValueError(f"source must be one of {', '.join(SOURCES)}, got {source!r}")
    if not isinstance(name, str):
        raise UidError(f"model name must be a string, got {type(name).__name__}")
    catalog = catalog or Catalog()
    if source == "local":
        return catalog.card_from_file(name)
    return catalog.resolve(name)


def build_network(card: ModelCard, *args, **kwargs) -> nn.Cell:
    """Call the hubconf entry named by the card's uid stem.

    Only the stem decides: model names are shared by different networks (every SSD card of the model
    zoo says ``ssd300``), so an alias could silently build the wrong one.
    """
    from . import hubconf

    entries = hubconf.entries()
    if card.stem not in entries:
        raise HubError(f"{card.uid}: this hub has no network for it (no hubconf entry "
                       f"{card.stem!r}; entries: {', '.join(sorted(entries))})")
    net = entries[card.stem](*args, **kwargs)
    if not isinstance(net, nn.Cell):
        raise HubError(f"hubconf entry for {card.uid} returned {type(net).__name__}, not a MindSpore Cell")
    return net


def load_weights(name: str, source: str = "gitee", force_reload: bool = False,
                 catalog: Catalog | None = None) -> dict:
    """The parameter dict of the card's verified checkpoint (downloaded into the cache if needed)."""
    card = resolve_card(name, source, catalog)
    return read_checkpoint(fetch_asset(card, force=force_reload))


def load_card_weights_into(net: nn.Cell, card: ModelCard, force_reload: bool = False) -> LoadReport:
    path = fetch_asset(card, force=force_reload)
    fresh = tuple(getattr(net, "resized_parameters", ()))
    return load_strict(net, read_checkpoint(path), f"{path} ({card.uid})", may_stay_fresh=fresh)


def load_pretrained_into(net: nn.Cell, uid: str, force_reload: bool = False) -> LoadReport:
    """Load the checkpoint of ``uid`` into an already built network, strictly."""
    return load_card_weights_into(net, Catalog().get(uid), force_reload)


def load(name: str, *args, source: str = "gitee", pretrained: bool = True, force_reload: bool = False,
         catalog: Catalog | None = None, **kwargs) -> nn.Cell:
    """Build the network of a card and load its verified checkpoint; returned in eval mode."""
    if not isinstance(pretrained, bool):
        raise TypeError("pretrained must be a bool")
    if not isinstance(force_reload, bool):
        raise TypeError("force_reload must be a bool")
    card = resolve_card(name, source, catalog)
    net = build_network(card, *args, **kwargs)
    if pretrained:
        load_card_weights_into(net, card, force_reload)
    net.set_train(False)
    return net
