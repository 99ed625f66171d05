"""Sizes read from the checkpoint: zoo code that takes its sizes as arguments (skipgram's ``vocab_size`` and
``emb_dimension``, textcnn's ``vocab_len``, a hub conf reading ``kwargs["num_classes"]``) gets them, in its own
training, from the data, which is not here. A pretrained load has the checkpoint, whose shapes hold the same
numbers: the network is built once with a distinct probe value for each size, and each probe value found in a
parameter's shape stands where the checkpoint's entry of that name has the size it was trained with. A size no
shape shows (a sequence length that shapes no parameter) stays the caller's to give, and the error says so.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from mindspore import nn

from .checkpoint import lookup_key

# A parameter that holds a size: vocab_size, emb_dimension, vocab_len, num_classes, hidden_size, node_count...
SIZE = re.compile(r"vocab|size|len|dim|num|count|class|node|feature|channel|width|unit|hidden|emb|label", re.I)
NOT_A_SIZE = re.compile(r"batch|rate|ratio|prob|seed|step|epoch|path|file|dir", re.I)  # no parameter's shape
# Probe values: primes no zoo default uses, far enough apart that none is another's multiple or sum
PROBES = (1009, 1013, 1019, 1021, 1031, 1033, 1039, 1049, 1051, 1061, 1063, 1069)


@dataclass(frozen=True)
class SizesRead:
    found: dict[str, int]  # size -> the checkpoint's value
    unread: tuple[str, ...]  # sizes no parameter's shape shows


def sizes_among(missing: tuple[str, ...]) -> tuple[str, ...]:
    """The parameters among ``missing`` (what the code's constructor asked for) that name a size."""
    return tuple(m for m in missing if SIZE.search(m) and not NOT_A_SIZE.search(m))


def only_sizes(missing: tuple[str, ...]) -> tuple[str, ...]:
    """``missing`` when every parameter in it names a size (what a checkpoint can answer alone), else ()."""
    sizes = sizes_among(missing)
    return sizes if sizes and len(sizes) == len(missing) else ()


def probes_for(sizes: tuple[str, ...]) -> dict[str, int]:
    """A distinct probe value per size (at most ``len(PROBES)`` sizes)."""
    return dict(zip(sizes, PROBES))


def read_sizes(probed: nn.Cell, params: dict, probes: dict[str, int]) -> SizesRead:
    """What the checkpoint says each probed size is: where a parameter of ``probed`` has a probe value in a
    dimension, the checkpoint's entry of that name (its rank the same) has the size there. A size read two
    ways that disagree is not read."""
    by_value = {value: name for name, value in probes.items()}
    seen: dict[str, set[int]] = {}
    for param in probed.get_parameters():
        key = lookup_key(param.name, params)
        if key is None or len(params[key].shape) != len(param.shape):
            continue
        for dim, checkpoint_dim in zip(param.shape, params[key].shape):
            if dim in by_value:
                seen.setdefault(by_value[dim], set()).add(int(checkpoint_dim))
    found = {name: values.pop() for name, values in seen.items() if len(values) == 1}
    return SizesRead(found, tuple(name for name in probes if name not in found))
