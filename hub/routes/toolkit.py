"""Route 2: mindspore-lab toolkit cards (MindCV, MindYOLO, MindOCR) through the installed toolkit's own
model factory, with the card's model name. MindSpore Hub cannot load these cards at all."""
from __future__ import annotations

import importlib

from ..cards.record import ModelCard
from ..errors import HubError, ToolkitMissing
from ..weights.heads import class_count_keys
from .zoo import lazy_tensors_computed

# toolkit -> (module holding the factory, factory name)
FACTORIES = {"mindcv": ("mindcv", "create_model"), "mindyolo": ("mindyolo.models", "create_model"),
             "mindocr": ("mindocr", "build_model")}


def build(card: ModelCard, toolkit: str, args: tuple, kwargs: dict):
    """(network, the factory's keywords for a class count, notes for the load report: what of today's
    MindSpore the toolkit's code needed made as it was, see ``zoo.compat.lazy_tensors_computed``)."""
    module_name, factory_name = FACTORIES[toolkit]
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ToolkitMissing(f"{card.uid} is a {toolkit} model and {toolkit} is not installed ({exc}); "
                             f"pip install 'mshub-registry[{toolkit}]' (or pip install {toolkit})") from None
    factory = getattr(module, factory_name, None)
    if factory is None:
        raise HubError(f"{card.uid}: the installed {toolkit} has no {module_name}.{factory_name}")
    name = registered_name(module, card.model_name or card.backbone)
    kwargs.setdefault("pretrained", False)  # weights come from the card's verified asset, not the toolkit
    used: list[str] = []
    try:
        with lazy_tensors_computed(used):
            net = factory(name, *args, **kwargs)
        return net, class_count_keys(factory), used
    except Exception as exc:
        raise HubError(f"{card.uid}: {toolkit}.{factory_name}({name!r}) failed: {type(exc).__name__}: {exc}") from None


def registered_name(module, name: str) -> str:
    """The toolkit's spelling of a card's model name: the same up to case (cards write ``bit_resnet50``,
    MindCV registers ``BiT_resnet50``), else up to underscores when that is unambiguous (``vit_b32_224``
    is MindCV's ``vit_b_32_224``)."""
    lister = getattr(module, "list_models", None)
    if lister is None:
        return name
    try:
        registered = list(lister())
    except Exception:  # a toolkit whose registry cannot be listed: use the card's spelling
        return name
    if name in registered:
        return name
    by_case = {n.lower(): n for n in registered}
    if name.lower() in by_case:
        return by_case[name.lower()]
    loose = [n for n in registered if _squash(n) == _squash(name)]
    return loose[0] if len(loose) == 1 else name


def _squash(name: str) -> str:
    return name.lower().replace("_", "").replace("-", "")
