"""Example inputs of a class-route network, as the directory's own code feeds that class.

A class-route card's network is one class of a directory whose scripts compose several (TPRR's ``Albert`` and
the two downstream heads, each a card with its own checkpoint): no script hands that class its inputs alone.
Their shapes are fixed by the code around it (TPRR's Albert reshapes to ``[batch_size, 512, 64, 64]``; the
reranker's head takes the encoder's output at the first position), so they are kept in
``hub/data/class_inputs.json``, per directory and class, with the files they were read from. They are used
only where the class's ``construct`` takes parameters of the names kept (a release that changed them gets
none), with a batch of the ``batch_size`` the network's cells keep (the class route makes it 1 unless the
caller gives one), else of one: token ids zeros, masks ones, states drawn from a normal distribution (seed 0).
"""
from __future__ import annotations

import inspect

from ..data import kept_table


def documented_inputs(card, net) -> tuple[tuple | None, str]:
    """(inputs, where they come from) kept for the class of ``net`` in the card's directory; (None, why) when
    none are kept or the class's parameters are not those kept."""
    import numpy as np
    from mindspore import Tensor

    from ..cards.repo_link import parse_repo_link

    ref = parse_repo_link(card.repo_link or "")
    entry = kept_table("class_inputs.json").get(ref.directory) if ref is not None else None
    name = type(net).__name__
    if not entry or ref.release not in entry["releases"] or name not in entry["classes"]:
        return None, "the class route declares no input"
    kept = entry["classes"][name]
    names = [spec["name"] for spec in kept["inputs"]]
    taken = [p for p in inspect.signature(type(net).construct).parameters if p != "self"]
    if taken != names:
        return None, (f"the inputs kept for {name} of {ref.directory} ({', '.join(names)}) are not those its "
                      f"construct takes at {ref.release} ({', '.join(taken)})")
    batch = _built_batch(net)
    rng = np.random.default_rng(0)
    inputs = []
    for spec in kept["inputs"]:
        shape, dtype = (batch, *spec["shape"]), np.dtype(spec["dtype"])
        if spec["fill"] == "normal":
            value = rng.standard_normal(shape).astype(dtype)
        else:
            value = (np.ones if spec["fill"] == "ones" else np.zeros)(shape, dtype)
        inputs.append(Tensor(value))
    shown = ", ".join(f"{s['name']} {s['dtype']}[{batch}, {', '.join(map(str, s['shape']))}]" for s in kept["inputs"])
    return tuple(inputs), f"kept for {name} of {ref.directory} ({shown}), as {kept['read_from']}"


def _built_batch(net) -> int:
    """The batch a network was built for, as its own cells keep it (TPRR's Albert: its attention's
    ``self.batch_size``, which its reshapes use); else 1."""
    from .inputs import kept_by_cells

    def batch(value) -> int | None:
        return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None

    return kept_by_cells(net, ("batch_size",), batch) or 1
