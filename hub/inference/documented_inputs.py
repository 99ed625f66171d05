"""Example inputs of a network no script of its directory feeds alone, as the code around it feeds that class.

A class-route card's network is one class of a directory whose scripts compose several (TPRR's ``Albert`` and
the two downstream heads, each a card with its own checkpoint): no script hands that class its inputs alone.
A hub conf's network can be in the same place: BERT-THOR's directory has no export script, and TinyBERT's
export script does not run at r1.7 and r1.8 (it imports a config its default config file lacks). Their inputs
are fixed by the code around the class (TPRR's Albert reshapes to ``[batch_size, 512, 64, 64]``; TinyBERT's
task data has the columns ``input_ids``, ``input_mask`` and ``segment_ids`` of the network's ``seq_length``),
so they are kept in ``hub/data/class_inputs.json``, per directory and class, with the files they were read
from. A dimension kept as a name is the value the network's cells keep under that name (the hub conf's
``seq_length``). They are used only where the class's ``construct`` takes parameters of the names kept (a
release that changed them gets none), with a batch of the ``batch_size`` the network's cells keep (the class
route makes it 1 unless the caller gives one), else of one: ids zeros, masks and weights ones, states drawn
from a normal distribution (seed 0).
"""
from __future__ import annotations

import inspect

from ..data import kept_table


def documented_inputs(card, net) -> tuple[tuple | None, str]:
    """(inputs, where they come from) kept for the class of ``net`` in the card's directory; (None, why) when
    the class's parameters or the network's cells are not those kept, (None, "") when none are kept."""
    import numpy as np
    from mindspore import Tensor

    from ..cards.repo_link import parse_repo_link

    ref = parse_repo_link(card.repo_link or "")
    entry = kept_table("class_inputs.json").get(ref.directory) if ref is not None else None
    name = type(net).__name__
    if not entry or ref.release not in entry["releases"] or name not in entry["classes"]:
        return None, ""
    kept = entry["classes"][name]
    names = [spec["name"] for spec in kept["inputs"]]
    taken = [p for p in inspect.signature(type(net).construct).parameters if p != "self"]
    if taken != names:
        return None, (f"the inputs kept for {name} of {ref.directory} ({', '.join(names)}) are not those its "
                      f"construct takes at {ref.release} ({', '.join(taken)})")
    batch = _kept_size(net, "batch_size") or 1
    named = {size for spec in kept["inputs"] for size in spec["shape"] if isinstance(size, str)}
    sizes = {size: _kept_size(net, size) for size in named}  # each read from the cells once
    for spec in kept["inputs"]:
        missing = next((size for size in spec["shape"] if isinstance(size, str) and sizes[size] is None), None)
        if missing is not None:
            return None, (f"the inputs kept for {name} of {ref.directory} take {spec['name']}'s size from the "
                          f"network's {missing}, which none of its cells keeps")
    shapes = [(batch, *(sizes[size] if isinstance(size, str) else size for size in spec["shape"]))
              for spec in kept["inputs"]]
    rng = np.random.default_rng(0)
    inputs = []
    for spec, shape in zip(kept["inputs"], shapes):
        dtype = np.dtype(spec["dtype"])
        if spec["fill"] == "normal":
            value = rng.standard_normal(shape).astype(dtype)
        else:
            value = (np.ones if spec["fill"] == "ones" else np.zeros)(shape, dtype)
        inputs.append(Tensor(value))
    shown = ", ".join(f"{s['name']} {s['dtype']}[{', '.join(map(str, shape))}]"
                      for s, shape in zip(kept["inputs"], shapes))
    return tuple(inputs), f"kept for {name} of {ref.directory} ({shown}), as {kept['read_from']}"


def _positive_int(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _kept_size(net, attribute: str) -> int | None:
    """A size the network's cells keep: TinyBERT's ``seq_length``, as the hub conf's config set it; the batch it
    was built for (TPRR's Albert: its attention's ``self.batch_size``, which its reshapes use)."""
    from .inputs import kept_by_cells

    return kept_by_cells(net, (attribute,), _positive_int)
