"""Heads shaped by the checkpoint: a card's Usage calls ``load(uid)`` with no arguments, and the code's
default class count is often not the one its published checkpoint was trained with (a 10-class head
for an ImageNet checkpoint). When the network differs from the checkpoint only in the class dimension
of its classifier, and the caller gave no class count, the network is built again with the
checkpoint's count, through the keyword the code itself takes for it (found in the code, never guessed
per card), and kept only if it then takes the checkpoint.
"""
from __future__ import annotations

import inspect
import re
from dataclasses import dataclass

from mindspore import nn

from .checkpoint import lookup_key

# A keyword that holds a class count: num_classes, class_num, num_class, n_classes, num_labels, ...
CLASS_COUNT = re.compile(r"^(?:(?:num|n|number_of)_?(?:classes|class|cls|labels?)|(?:class|classes|cls|label)_?"
                         r"(?:num|count|number)|classes)$", re.I)
MAX_HEAD_TENSORS = 6  # weight and bias of the classifier, and of an auxiliary classifier or two
# A module that holds a classifier: fc, classifier, head, logits, dense, linear, cls, end_point, ...
HEAD_MODULE = re.compile(r"^(?:fc|classifier|classif|head|heads|logits?|dense|linear|cls|end_point|last_linear|"
                         r"predictions?|top)\d*$|(?:^|_)(?:fc|head|classifier|cls|logits)\d*$", re.I)


@dataclass(frozen=True)
class HeadMismatch:
    count: int  # the checkpoint's class count
    network_count: int
    tensors: tuple[str, ...]  # the network's parameters that differ


def class_count_keys(*sources) -> list[str]:
    """Keywords that look like a class count, in the order found: in the signatures of callables and
    classes, in ``kwargs.get("...")``/``kwargs["..."]`` of source text, and in lists of option names."""
    found: list[str] = []
    for source in sources:
        names: list[str] = []
        if isinstance(source, str):
            names = re.findall(r"kwargs(?:\.get\(|\.pop\(|\[)\s*['\"](\w+)['\"]", source)
        elif isinstance(source, (list, tuple, set)):
            names = [str(n) for n in source]
        else:
            try:
                names = list(inspect.signature(source).parameters)
            except (TypeError, ValueError):
                names = []
        found += [n for n in names if CLASS_COUNT.match(n) and n not in found]
    return found


def head_mismatch(network: nn.Cell, params: dict) -> HeadMismatch | None:
    """The checkpoint's class count when the network differs from it only in the first dimension of a
    few tensors, all by the same count (a classifier of another width); otherwise None."""
    differing, counts, network_counts = [], set(), set()
    for param in network.get_parameters():
        key = lookup_key(param.name, params)
        if key is None:
            continue
        mine, theirs = tuple(param.shape), tuple(params[key].shape)
        if mine == theirs:
            continue
        if len(mine) != len(theirs) or not mine or mine[1:] != theirs[1:]:
            return None
        differing.append(param.name)
        counts.add(theirs[0])
        network_counts.add(mine[0])
    if not differing or len(differing) > MAX_HEAD_TENSORS or len(counts) != 1 or len(network_counts) != 1:
        return None
    return HeadMismatch(counts.pop(), network_counts.pop(), tuple(differing))


def takes_shapes(network: nn.Cell, params: dict) -> bool:
    """Every network parameter the checkpoint has (under either spelling) has the checkpoint's shape."""
    for param in network.get_parameters():
        key = lookup_key(param.name, params)
        if key is not None and tuple(params[key].shape) != tuple(param.shape):
            return False
    return True


def head_entries(names: list[str]) -> bool:
    """Whether checkpoint entries are a classifier head and nothing else: a few tensors, each in a module
    named like one (``fc``, ``classifier``, ``head``, ``logits``...). A network built without its top
    (``include_top=False``, a backbone) leaves exactly these of its checkpoint unused."""
    if not names or len(names) > MAX_HEAD_TENSORS:
        return False
    return all(any(HEAD_MODULE.search(part) for part in name.split(".")[:-1]) for name in names)


def caller_gave_class_count(args: tuple, kwargs: dict) -> bool:
    return bool(args) or any(CLASS_COUNT.match(k) for k in kwargs)
