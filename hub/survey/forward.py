"""``hub loadable --run``: a built card's network, with MindSpore's real initial weights, called on its
example inputs in a child process (``python -m hub.survey.forward UID``), so that a forward pass that
hangs or crashes costs that card only and a time limit holds even inside an operator.

Example inputs: for an image card, a photo through its own preprocessing (``hub.inference.inputs``); then what
the export script exported the network with (``net.example_inputs``); for a hub conf
card, those of the same directory's export script when it builds a network with the same parameters, up to the
width of the classifier; for an eval script, what its own dataset pipeline gives (its MindSpore transforms run
on a synthetic sample, ``hub.inference``); for ours, the image side the network declares
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
BATCH = "batch"  # of the inputs a forward pass started on: more than one sample, or None
TRIED = "tried"  # which of the card's sets of inputs a forward pass started on (0 first), when others follow it


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
    build-failed, crashed), ``run_kind``, ``run_message``, ``forward_seconds``, ``inputs``, ``finite``.

    A forward pass over the time limit on a batch of several samples (DAM's export script declares 256 dialogues)
    is tried once more in a new child on the first sample of that batch; one over the limit on inputs that others
    follow (DBPN on the photo at its full size, where its export script declares a smaller image) is tried once
    more in a new child on the others. The result says so."""
    result = _run_child(uid, roots, timeout)
    batch, tried = result.pop(BATCH, None), result.pop(TRIED, None)  # of the inputs that timed out
    if result["run"] != "timeout":
        return result
    if batch is not None:
        again = _tried_again(uid, roots, timeout, result, dict(first_sample=True),
                             f"{result.get('inputs', 'its inputs')}: the whole batch took more than {timeout:g} s",
                             lambda _: "on the first sample of its batch")
        if again is not None:
            return again
    if tried is not None:
        again = _tried_again(uid, roots, timeout, result, dict(skip=tried + 1),
                             f"{result.get('inputs', 'its first inputs')} took more than {timeout:g} s first",
                             lambda others: f"then {others.get('inputs', 'the others')}")
        if again is not None:
            return again
    return result


def _tried_again(uid: str, roots: list[str], timeout: float, result: dict, how: dict, why: str,
                 what) -> dict | None:
    """The card run once more in a new child (``how``: ``_run_child``'s keywords): its result, saying ``why``, when
    it ran; else None, ``result`` then saying what the new child met (``what(its result)``), unless it had no
    inputs to try."""
    again = _run_child(uid, roots, timeout, **how)
    again.pop(BATCH, None)
    again.pop(TRIED, None)
    if again["run"] == "ran":
        again["run_message"] = "; ".join(filter(None, [again.get("run_message", ""), why]))
        return again
    if again["run"] != "no-inputs":  # the other inputs took too long too, or failed otherwise
        result["run_message"] += f"; {what(again)}: {again.get('run_message', again['run'])[:300]}"
    return None


def _run_child(uid: str, roots: list[str], timeout: float, first_sample: bool = False, skip: int = 0) -> dict:
    command = [sys.executable, "-m", __name__, uid, "--timeout", str(timeout), *(f"--root={r}" for r in roots),
               *(["--first-sample"] if first_sample else []), *([f"--skip={skip}"] if skip else [])]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=BUILD_TIMEOUT + timeout + 60)
    except subprocess.TimeoutExpired:
        return {"run": "timeout", "run_message": f"no result within {BUILD_TIMEOUT + timeout:.0f} s (build and run)"}
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    if lines and "run" in lines[-1]:
        return lines[-1]
    started = next((line for line in reversed(lines) if FORWARD_STARTED in line), None)
    tail = done.stderr.strip().splitlines()[-3:]
    if started is not None and re.search(r"^Timeout \(\d+:\d\d:\d\d", done.stderr, re.MULTILINE):
        # faulthandler's dump_traceback_later: the forward pass outlived its limit
        return {"run": "timeout", "run_message": f"the forward pass took more than {timeout:g} s",
                "inputs": started[FORWARD_STARTED], BATCH: started.get(BATCH), TRIED: started.get(TRIED)}
    return {"run": "crashed", "run_kind": f"exit {done.returncode}", "run_message": " | ".join(tail)[-500:]}


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


def forward(uid: str, roots: list[str], timeout: float, out, first_sample: bool = False, skip: int = 0) -> dict:
    """Build the card (real initial weights), find its example inputs and call the network on them: for an
    image card a photo through its own preprocessing first, then the inputs its scripts declare, when the first
    fail (the result says which ran, and why the others did not). ``first_sample``: each set of inputs with a
    batch of several samples cut to its first (the others are not tried); ``skip``: the first sets of inputs are
    not tried (one of them took too long in an earlier child)."""
    from ..catalog import Catalog
    from ..inference.inputs import candidates, declared_inputs
    from ..loader import build_and_load

    catalog = Catalog([Path(r) for r in roots]) if roots else Catalog()
    card = catalog.get(uid)
    try:
        built = build_and_load(card).built
        found = candidates(card, built)
    except (Exception, SystemExit) as exc:
        return {"run": "build-failed", "run_kind": getattr(exc, "kind", "other"),
                "run_message": f"{type(exc).__name__}: {exc}"[:500]}
    if first_sample:
        found = [cut for inputs, source in found if (cut := first_of_batch(inputs, source)) is not None]
    found = found[skip:]
    if not found:
        why = "no inputs with a batch of several samples" if first_sample else declared_inputs(card, built)[1]
        return {"run": "no-inputs", "run_message": why}
    net = built.network
    net.set_train(False)
    failed: list[dict] = []
    pending, retries = [(i, inputs, source) for i, (inputs, source) in enumerate(found)], list(RETRIES)
    while pending:
        index, inputs, source = pending.pop(0)
        more = None if first_sample or index == len(found) - 1 else skip + index  # others follow these
        result = _call(net, inputs, source, timeout, out, more)
        if result["run"] == "ran":
            if failed:
                result["run_message"] = "; ".join(filter(None, [result.get("run_message", ""), *(
                    f"{f['inputs']} failed first ({f['run_message'][:200]})" for f in failed)]))
            return result
        failed.append(result)
        for retry_of in retries:  # one more try, next, with the same inputs made as the error asks (once each)
            retry = retry_of(inputs, source, result)
            if retry is not None:
                pending.insert(0, (index, *retry))
                retries.remove(retry_of)
                break
    first = failed[0]
    if len(failed) > 1:  # what the other inputs met too: a reader sees every way the card was tried
        first["run_message"] = "; ".join([first["run_message"], *(
            f"then {f['inputs']}: {f.get('run_message', f['run'])[:200]}" for f in failed[1:])])
    return first


def batch_of(inputs: tuple) -> int | None:
    """The batch size the inputs share (the first axis of every tensor among them), when more than one."""
    from mindspore import Tensor

    sizes = {t.shape[0] for t in inputs if isinstance(t, Tensor) and len(t.shape) > 0}
    tensors = [t for t in inputs if isinstance(t, Tensor)]
    if len(sizes) != 1 or any(len(t.shape) == 0 for t in tensors):
        return None
    size = sizes.pop()
    return size if size > 1 else None


def first_of_batch(inputs: tuple, source: str) -> tuple[tuple, str] | None:
    """The first sample of inputs that share a batch of several (each tensor's first axis kept, of length one);
    None for inputs of one sample, or whose tensors do not share their first axis."""
    size = batch_of(inputs)
    if size is None:
        return None
    cut = tuple(t[:1] if hasattr(t, "shape") else t for t in inputs)
    return cut, f"{source}, the first sample of its batch of {size}"


# a lookup table's operator refusing an id past its rows (CPU kernels check; Ascend's give zeros)
ROWS_EXCEEDED = re.compile(r"'(?:input_)?indices' should be in the range \[0, (\d+)\)")


def _ids_within(inputs: tuple, source: str, result: dict) -> tuple[tuple, str] | None:
    """Inputs whose integer ids a lookup table refused (the export script's random token ids of gru, up to
    100,000 for 8,154 rows) taken modulo its rows, as one more try that says so; None when that is not why
    the forward failed."""
    import numpy as np
    from mindspore import Tensor

    match = ROWS_EXCEEDED.search(result.get("run_message", "")) if result["run"] == "forward-failed" else None
    if match is None:
        return None
    rows = int(match.group(1))
    arrays = [t.asnumpy() if isinstance(t, Tensor) else None for t in inputs]
    integer = [a is not None and np.issubdtype(a.dtype, np.integer) for a in arrays]
    if not any(integer):
        return None
    within = tuple(Tensor(a % rows) if i else t for t, a, i in zip(inputs, arrays, integer))
    return within, f"{source}, integer ids taken modulo the {rows:,} rows of the table that refused them"


def _float16_as_float32(inputs: tuple, source: str, result: dict) -> tuple[tuple, str] | None:
    """float16 inputs (an export script's Ascend precision: MMoE's ``Tensor(np.zeros([1, 499]), ms.float16)``)
    as float32, the type the zoo's CPU and GPU pipelines feed, as one more try that says so, when an operator
    refused to mix the two; None otherwise."""
    import mindspore as ms
    from mindspore import Tensor

    if result["run"] != "forward-failed" or result.get("run_kind") != "dtype":
        return None
    halves = [isinstance(t, Tensor) and t.dtype == ms.float16 for t in inputs]
    if not any(halves):
        return None
    widened = tuple(t.astype(ms.float32) if half else t for t, half in zip(inputs, halves))
    return widened, f"{source}, its float16 tensors as float32 (an operator refused to mix the two on this CPU)"


RETRIES = (_ids_within, _float16_as_float32)


def _call(net, inputs: tuple, source: str, timeout: float, out, tried: int | None = None) -> dict:
    from ..routes.zoo.compat.supplied import removed_names_supplied

    print(json.dumps({FORWARD_STARTED: source, BATCH: batch_of(inputs), TRIED: tried}), file=out, flush=True)
    faulthandler.dump_traceback_later(timeout, exit=True)
    start = time.perf_counter()
    try:
        with removed_names_supplied() as compat:
            output = net(*inputs)
            finite = _finite(output)  # waits for the result: PyNative runs operators asynchronously, and an
            # operator's error surfaces at the first read of a value
    except Exception as exc:
        return {"run": "forward-failed", "run_kind": classify(exc), "inputs": source,
                "run_message": f"{type(exc).__name__}: {exc}"[:500],
                "forward_seconds": round(time.perf_counter() - start, 3)}
    finally:
        faulthandler.cancel_dump_traceback_later()
    result = {"run": "ran", "inputs": source, "forward_seconds": round(time.perf_counter() - start, 3),
              "finite": finite}
    if compat:
        result["run_message"] = "equivalents applied (compat): " + ", ".join(compat)
    return result


def main(argv: list[str]) -> None:
    """The result is the last line on the original stdout; everything the code prints goes to stderr."""
    out = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    uid = argv[0]
    timeout = float(argv[argv.index("--timeout") + 1]) if "--timeout" in argv else RUN_TIMEOUT
    roots = [a.split("=", 1)[1] for a in argv if a.startswith("--root=")]
    skip = next((int(a.split("=", 1)[1]) for a in argv if a.startswith("--skip=")), 0)
    print(json.dumps(forward(uid, roots, timeout, out, first_sample="--first-sample" in argv, skip=skip)),
          file=out, flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
