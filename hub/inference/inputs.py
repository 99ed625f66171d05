"""Example inputs for a built network: what its card's own code says to feed it, by route.

For an image card (module-type ``cv``): a real photo (``hub/data/images/chelsea.jpg``) through the card's own
eval preprocessing (``hub.preprocess``), batch of one. Otherwise, or when that preprocessing is not known: the
export script's (what it hands to ``mindspore.export``, ``net.example_inputs``); for a hub conf card,
those of the same directory's export script when it builds a network with the same parameters, up to the
width of the classifier; for an eval script, what its own dataset pipeline gives (its MindSpore transforms
run on a synthetic sample, ``pipeline``); for ours, the image side the network declares (``input_size``);
for MindCV, the model's default ``input_size`` from its config; for a class of a directory's code, the inputs
kept for it (``documented_inputs``).
"""
from __future__ import annotations

import os
from collections.abc import Sequence

from ..routes.names import Route
from .documented_inputs import documented_inputs
from .eval_call import eval_call_inputs

PHOTO = "data/images/chelsea.jpg"  # of the hub package: a CC0 photograph of a cat (see its README)


def photo_path() -> str:
    from importlib import resources

    return str(resources.files("hub").joinpath(PHOTO))


def candidates(card, built) -> list[tuple[tuple, str]]:
    """Every set of example inputs the card's code gives, best first: for an image card of the eval route, what
    its eval script's own loop passes the network for a photo (``eval_call``); a photo through its own
    preprocessing (image cards), then what its scripts declare (``example_inputs``); each with where it comes
    from."""
    found = []
    if built.route == Route.EVAL and (card.module_type or "").lower() == "cv":
        own, own_source = eval_call_inputs(card, built)  # DRNet's classifier also takes the index of a side
        if own is not None:
            found.append((own, own_source))
    photo, photo_source = photo_inputs(card, built.network)
    declared, source = declared_inputs(card, built)
    if photo is not None:
        if declared is not None and len(declared) > 1 and _same_tensor_kind(photo[0], declared[0]):
            # the photo is the image the scripts declare first; the rest as they declare it (YOLO's input shape)
            photo, photo_source = (photo[0], *declared[1:]), f"{photo_source}; the other inputs {source}"
        found.append((photo, photo_source))
    if declared is not None:
        found.append((declared, source))
    return found


def _same_tensor_kind(a, b) -> bool:
    return (tuple(getattr(a, "shape", ())) == tuple(getattr(b, "shape", (None,)))
            and getattr(a, "dtype", None) == getattr(b, "dtype", None))


def photo_inputs(card, network=None) -> tuple[tuple | None, str]:
    """A photo through the card's own eval preprocessing, batch of one; None (and why) for a card that is not an
    image model, or whose preprocessing the hub cannot follow."""
    if (card.module_type or "").lower() != "cv":
        return None, f"not an image card (module-type {card.module_type})"
    from mindspore import Tensor

    from ..errors import HubError
    from .resolve import card_preprocess

    try:
        pre = card_preprocess(card, {}, network=network)
        array, _ = pre.apply(photo_path())
    except HubError as exc:
        return None, str(exc)
    return (Tensor(array[None]),), f"a photo through the card's preprocessing ({pre.describe()})"


def example_inputs(card, built) -> tuple[tuple | None, str]:
    """(inputs, where they come from), the best of ``candidates``; inputs None when the card's code declares
    none."""
    found = candidates(card, built)
    if found:
        return found[0]
    return declared_inputs(card, built)


class LazyInputs(Sequence):
    """``net.example_inputs`` of a network whose build handed it no inputs (a hub conf, an eval script, ours,
    a toolkit's): ``example_inputs`` of its card, found on first use (they may run the card's eval script)."""

    def __init__(self, card, built) -> None:
        self._card, self._built, self._value, self.source = card, built, None, ""

    def _inputs(self) -> tuple:
        if self._value is None:
            inputs, self.source = example_inputs(self._card, self._built)
            self._value = tuple(inputs or ())
        return self._value

    def __getitem__(self, index):
        return self._inputs()[index]

    def __len__(self) -> int:
        return len(self._inputs())

    def __repr__(self) -> str:
        if self._value is None:
            return f"<example inputs of {self._card.uid}, found on first use>"
        return repr(self._value)


def declared_inputs(card, built) -> tuple[tuple | None, str]:
    """(inputs, where they come from) as the card's scripts declare them; inputs None when they declare none."""
    import numpy as np
    from mindspore import Tensor

    net = built.network
    exported = getattr(net, "example_inputs", None)
    if not isinstance(exported, LazyInputs) and exported:
        return tuple(exported), "the export script's"
    if built.route == Route.OURS and getattr(net, "input_size", None):
        side = int(net.input_size)
        return (Tensor(np.zeros((1, 3, side, side), np.float32)),), f"ours: input_size {side}"
    if built.route == Route.TOOLKIT:
        return _toolkit_inputs(card, net)
    if built.route == Route.ZOO:
        inputs, source = _export_script_inputs(card, net)
        if inputs is None:  # no export script, or none that builds: what the code around the class feeds it
            kept, kept_source = documented_inputs(card, net)
            if kept is not None:
                return kept, f"{kept_source} ({source})"
        return inputs, source
    if built.route == Route.EVAL:
        return _eval_script_inputs(net)
    if built.route == Route.CLASS:
        inputs, source = documented_inputs(card, net)
        return inputs, source or "the class route declares no input"
    return None, f"the {built.route} route declares no input"


def _toolkit_inputs(card, net=None) -> tuple[tuple | None, str]:
    import numpy as np
    from mindspore import Tensor

    from ..cards.repo_link import parse_repo_link
    from ..routes import toolkit

    ref = parse_repo_link(card.repo_link or "")
    if ref is None or ref.toolkit != "mindcv":
        return None, f"{ref.toolkit if ref else 'the toolkit'} declares no input size here"
    import mindcv
    from mindcv.models.registry import get_pretrained_cfg_value

    name = toolkit.registered_name(mindcv, card.model_name or card.backbone)
    size = get_pretrained_cfg_value(name, "input_size")
    source = f"mindcv {name}: input_size {tuple(size or ())}"
    declared = _declared_image_size(net) if not size else None
    if declared is not None:  # the model's config names none, its network does (SwinV2's image_size=256)
        size, source = (3, *declared), f"mindcv {name}: no input_size in its config; its network's {declared}"
    elif not size:  # neither: MindCV's own default image size, as its transforms use
        side = _mindcv_default_side()
        size, source = (3, side, side), f"mindcv {name}: no input_size in its config; mindcv's default {side}"
    return (Tensor(np.random.default_rng(0).standard_normal((1, *size)).astype(np.float32)),), source


IMAGE_SIZE_ATTRIBUTES = ("image_size", "img_size", "input_size")


def _declared_image_size(net) -> tuple[int, int] | None:
    """The image size a network was built for, as its own cells keep it (``self.image_size = (256, 256)``);
    None when none says."""

    def size(value) -> tuple[int, int] | None:
        if isinstance(value, int) and value > 0:
            return value, value
        if isinstance(value, (tuple, list)) and len(value) == 2 and all(isinstance(v, int) for v in value):
            return int(value[0]), int(value[1])
        return None

    return kept_by_cells(net, IMAGE_SIZE_ATTRIBUTES, size)


def kept_by_cells(net, attributes: tuple[str, ...], read):
    """The first value a network's cells keep under one of ``attributes`` that ``read`` makes something of (not
    None), the network's own first, then its cells' in order; None when none does."""
    if net is None:
        return None
    for _, cell in net.cells_and_names():  # the network itself first
        for attribute in attributes:
            value = read(vars(cell).get(attribute))
            if value is not None:
                return value
    return None


def _mindcv_default_side() -> int:
    """The default ``image_resize`` of ``mindcv.data.create_transforms``: the image side MindCV feeds a
    model whose config does not say."""
    import inspect

    from mindcv.data import create_transforms

    return int(inspect.signature(create_transforms).parameters["image_resize"].default)


def _export_script_inputs(card, net) -> tuple[tuple | None, str]:
    """The inputs of the same directory's export script, when its network has the hub conf's shapes."""
    from ..cards.repo_link import parse_repo_link
    from ..routes.zoo.builders import export as zoo_export
    from ..routes.zoo.source.code import fetch_code_dir
    from .wrapped_call import wrapped_call

    ref = parse_repo_link(card.repo_link)
    code = fetch_code_dir(ref, card.uid)
    if not zoo_export.has_script(code):
        return None, f"the hub conf declares no input and {ref.directory} has no {zoo_export.SCRIPT}"
    exported, variant = _exported_network(card, code, ref.directory)
    if exported is None:
        return None, variant
    inputs = tuple(exported.example_inputs)
    call = wrapped_call(exported, net, code.path)
    if call is not None:  # the export wraps the hub conf's network: its inputs, passed on as the wrapper does
        inputs, passed = call.inputs(inputs), f", {call.describe()}"
    else:
        passed = ""
    if _shapes(exported) == _shapes(net) or (call is not None and _shapes(call.child(exported)) == _shapes(net)):
        return inputs, f"{zoo_export.SCRIPT}'s{variant} (same parameter shapes{passed})"
    head = _other_head(exported, net)
    if head is None:
        return None, f"{zoo_export.SCRIPT} builds a network of other parameter shapes than the hub conf's"
    return inputs, (f"{zoo_export.SCRIPT}'s (same parameters but the classifier: "
                    f"{head.count} classes there, {head.network_count} here{passed})")


def _exported_network(card, code, directory: str):
    """(the network the directory's export script exports, how it was run), or (why none, "") when it does not
    build. A script whose default variant fails (BERT's export takes no downstream task from its pretraining
    config) is run with each other variant the directory offers, until one builds: any of them shows how the
    zoo feeds the network its hub conf builds."""
    from ..routes.zoo.builders import export as zoo_export
    from ..routes.zoo.variants.selection import requested
    from ..weights.unsampled import shapes_only

    try:
        with shapes_only():
            return zoo_export.build(card, code, directory, (), {}).network, ""
    except Exception as exc:
        first = exc
    for variant in getattr(first, "variants", []):
        try:
            with shapes_only(), requested(variant):
                built = zoo_export.build(card, code, directory, (), {}).network
        except Exception:
            continue
        shown = ", ".join(f"{k}={os.path.basename(v) if isinstance(v, str) else v}" for k, v in variant.items())
        why = str(first).rpartition(" failed: ")[2] or str(first)  # the zoo's own error, without where it ran
        return built, f" with {shown} (its default does not build: {why[:160]})"
    return None, f"{zoo_export.SCRIPT} does not build ({type(first).__name__}: {str(first)[:200]})"


def _eval_script_inputs(net) -> tuple[tuple | None, str]:
    """What the eval script's own dataset pipeline gives, the last pipeline that says first (an eval
    script builds its evaluation data last)."""
    from ..routes.zoo.builders.evaluation import PIPELINES_ATTRIBUTE
    from .pipeline import pipeline_inputs

    pipelines = getattr(net, PIPELINES_ATTRIBUTE, None) or []
    why = "eval.py builds no MindSpore dataset the hub could follow"
    for pipeline in reversed(pipelines):
        inputs, why = pipeline_inputs(pipeline)
        if inputs is not None:
            return inputs, why
    return None, why


def _shapes(net) -> list[tuple]:
    return [tuple(p.shape) for p in net.get_parameters()]


def _other_head(exported, net):
    """How the two networks differ when they have the same parameters and differ only in the width of their
    classifier (a hub conf's default class count beside an export script's): the inputs fit both."""
    from ..weights.heads import head_mismatch

    theirs = {p.name: p for p in exported.get_parameters()}
    if sorted(theirs) != sorted(p.name for p in net.get_parameters()):
        return None
    return head_mismatch(net, theirs)
