"""``hub loadable --run``: a built card's network, with MindSpore's real initial weights, called on its
example inputs in a child process (``python -m hub.survey.forward UID``), so that a forward pass that
hangs or crashes costs that card only and a time limit holds even inside an operator.

Example inputs: what the export script exported the network with (``net.example_inputs``); for a hub conf
card, those of the same directory's export script when it builds a network with the same parameters, up to the
width of the classifier; for an eval script, what its own dataset pipeline gives (its MindSpore transforms run
on a synthetic sample, ``routes.zoo.eval_inputs``); for ours, the image side the network declares
(``input_size``); for MindCV, the model's default ``input_size`` from its config. The forward runs with the
removed names of ``compat`` supplied, as zoo code's build does: run-time drift gets the exact equivalent where
MindSpore has one, else a named class.
"""
from __future__ import annotations

import faulthandler
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

RUN_TIMEOUT = 120  # seconds a forward pass may take
BUILD_TIMEOUT = 900  # seconds the child may take to build the network with real weights
FORWARD_STARTED = "forward-started"


@dataclass
class ForwardRun:
    """What ``--run`` needs to run a card in a child process: the catalog's roots and the time limit."""

    roots: list[str]
    timeout: float = RUN_TIMEOUT

# forward failure classes, first match wins: (class, exception type names, message pattern); an entry
# with both matches when both do
FAILURE_CLASSES = (
    ("removed-api", ("AttributeError", "ImportError", "ModuleNotFoundError"), None),
    ("removed-api", (), r"removed|no longer|deprecated and removed"),
    # the network takes other inputs than the example's: e.g. a hub conf's training network (images and
    # ground truth) beside an export script's network of the same parameters fed images only
    ("signature", ("TypeError",), r"required positional argument|positional arguments? but|unexpected keyword"),
    ("operator", (), r"inputs number should be|Operator\[\w+\]|not supported|unsupported|kernel|"
                     r"is not implemented|Unsupported op"),
    ("index", (), r"type of 'index'|indices must be integers"),  # a CellList indexed by i / n (an int in 1.x graphs)
    ("dtype", (), r"dtype|data type|type of|must be (?:a )?(?:float|int|bool|tensor)|"
                  r"type.* should be|type must be|not (?:a )?valid type"),
    ("shape", (), r"shape|dimension|rank|size|\bdim\b|axis|broadcast|reshape|out of range|index"),
    ("memory", ("MemoryError",), None),
    ("memory", (), r"out of memory|memory"),
    ("value", ("ValueError",), None),
    ("type", ("TypeError",), None),
)


def classify(exc: BaseException) -> str:
    """The class of a forward failure: removed-api, signature, operator, index, dtype, shape, memory, value,
    type or other."""
    name, text = type(exc).__name__, str(exc)
    for kind, names, pattern in FAILURE_CLASSES:
        if (not names or name in names) and (not pattern or re.search(pattern, text, re.IGNORECASE)):
            return kind
    return "other"


def run_card(uid: str, roots: list[str], timeout: float = RUN_TIMEOUT) -> dict:
    """The ``--run`` fields of the card's outcome: ``run`` (ran, forward-failed, timeout, no-inputs,
    build-failed, crashed), ``run_kind``, ``run_message``, ``forward_seconds``, ``inputs``, ``finite``."""
    command = [sys.executable, "-m", __name__, uid, "--timeout", str(timeout), *(f"--root={r}" for r in roots)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=BUILD_TIMEOUT + timeout + 60)
    except subprocess.TimeoutExpired:
        return {"run": "timeout", "run_message": f"no result within {BUILD_TIMEOUT + timeout:.0f} s (build and run)"}
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    if lines and "run" in lines[-1]:
        return lines[-1]
    started = next((line for line in lines if FORWARD_STARTED in line), None)
    tail = done.stderr.strip().splitlines()[-3:]
    if started is not None and re.search(r"^Timeout \(\d+:\d\d:\d\d", done.stderr, re.MULTILINE):
        # faulthandler's dump_traceback_later: the forward pass outlived its limit
        return {"run": "timeout", "run_message": f"the forward pass took more than {timeout:g} s",
                "inputs": started[FORWARD_STARTED]}
    return {"run": "crashed", "run_kind": f"exit {done.returncode}", "run_message": " | ".join(tail)[-500:]}


def example_inputs(card, built) -> tuple[tuple | None, str]:
    """(inputs, where they come from); inputs None when the card's code declares none."""
    import numpy as np
    from mindspore import Tensor

    from ..routes.names import Route

    net = built.network
    if getattr(net, "example_inputs", None):
        return tuple(net.example_inputs), "the export script's"
    if built.route == Route.OURS and getattr(net, "input_size", None):
        side = int(net.input_size)
        return (Tensor(np.zeros((1, 3, side, side), np.float32)),), f"ours: input_size {side}"
    if built.route == Route.TOOLKIT:
        return _toolkit_inputs(card, net)
    if built.route == Route.ZOO:
        return _export_script_inputs(card, net)
    if built.route == Route.EVAL:
        return _eval_script_inputs(net)
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

    name = toolkit._registered_name(mindcv, card.model_name or card.backbone)
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
    """The image size a network was built for, as its own cells keep it (``self.image_size = (256, 256)``),
    the network's first, then its cells' in order; None when none says."""
    if net is None:
        return None
    for _, cell in net.cells_and_names():  # the network itself first
        for attribute in IMAGE_SIZE_ATTRIBUTES:
            value = vars(cell).get(attribute)
            if isinstance(value, int) and value > 0:
                return value, value
            if isinstance(value, (tuple, list)) and len(value) == 2 and all(isinstance(v, int) for v in value):
                return int(value[0]), int(value[1])
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
    from .build import shapes_only

    ref = parse_repo_link(card.repo_link)
    code = fetch_code_dir(ref, card.uid)
    if not zoo_export.has_script(code):
        return None, f"the hub conf declares no input and {ref.directory} has no {zoo_export.SCRIPT}"
    try:
        with shapes_only():
            exported, _, _ = zoo_export.build(card, code, ref.directory, (), {})
    except Exception as exc:
        return None, f"{zoo_export.SCRIPT} does not build ({type(exc).__name__}: {str(exc)[:200]})"
    if _shapes(exported) == _shapes(net):
        return tuple(exported.example_inputs), f"{zoo_export.SCRIPT}'s (same parameter shapes)"
    head = _other_head(exported, net)
    if head is None:
        return None, f"{zoo_export.SCRIPT} builds a network of other parameter shapes than the hub conf's"
    return tuple(exported.example_inputs), (f"{zoo_export.SCRIPT}'s (same parameters but the classifier: "
                                            f"{head.count} classes there, {head.network_count} here)")


def _eval_script_inputs(net) -> tuple[tuple | None, str]:
    """What the eval script's own dataset pipeline gives, the last pipeline that says first (an eval
    script builds its evaluation data last)."""
    from ..routes.zoo.builders.evaluation import PIPELINES_ATTRIBUTE
    from ..routes.zoo.sandbox.pipeline import pipeline_inputs

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


def _finite(output) -> bool | None:
    import numpy as np
    from mindspore import Tensor

    if isinstance(output, Tensor):
        values = output.asnumpy()
        return bool(np.isfinite(values).all()) if values.dtype.kind in "fc" else True
    if isinstance(output, (tuple, list)):
        checks = [c for c in (_finite(o) for o in output) if c is not None]
        return all(checks) if checks else None
    return None


def forward(uid: str, roots: list[str], timeout: float, out) -> dict:
    """Build the card (real initial weights), find its example inputs and call the network on them."""
    from ..catalog import Catalog
    from ..loader import build_and_load
    from ..routes.zoo.compat.supplied import removed_names_supplied

    catalog = Catalog([Path(r) for r in roots]) if roots else Catalog()
    card = catalog.get(uid)
    try:
        built = build_and_load(card).built
        inputs, source = example_inputs(card, built)
    except (Exception, SystemExit) as exc:
        return {"run": "build-failed", "run_kind": getattr(exc, "kind", "other"),
                "run_message": f"{type(exc).__name__}: {exc}"[:500]}
    if not inputs:
        return {"run": "no-inputs", "run_message": source}
    print(json.dumps({FORWARD_STARTED: source}), file=out, flush=True)
    net = built.network
    net.set_train(False)
    faulthandler.dump_traceback_later(timeout, exit=True)
    start = time.perf_counter()
    try:
        with removed_names_supplied() as compat:
            output = net(*inputs)
    except Exception as exc:
        return {"run": "forward-failed", "run_kind": classify(exc), "inputs": source,
                "run_message": f"{type(exc).__name__}: {exc}"[:500],
                "forward_seconds": round(time.perf_counter() - start, 3)}
    finally:
        faulthandler.cancel_dump_traceback_later()
    result = {"run": "ran", "inputs": source, "forward_seconds": round(time.perf_counter() - start, 3),
              "finite": _finite(output)}
    if compat:
        result["run_message"] = "1.x equivalents applied: " + ", ".join(compat)
    return result


def main(argv: list[str]) -> None:
    """The result is the last line on the original stdout; everything the code prints goes to stderr."""
    out = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    uid = argv[0]
    timeout = float(argv[argv.index("--timeout") + 1]) if "--timeout" in argv else RUN_TIMEOUT
    roots = [a.split("=", 1)[1] for a in argv if a.startswith("--root=")]
    print(json.dumps(forward(uid, roots, timeout, out)), file=out, flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
