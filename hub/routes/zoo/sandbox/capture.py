"""What a zoo ``export.py`` hands to ``mindspore.export``, captured instead of exported.

While the script runs:

- ``mindspore.export``, under every name it is reachable by (``mindspore``, ``mindspore.train``,
  ``mindspore.train.serialization``), records the network and its example inputs and writes nothing;
- ``load_checkpoint`` gives the parameters of the networks the script holds at that point (its own fresh
  ones: a script may look an entry up by name, as transformer's export reads its embedding table) and
  ``load_param_into_net`` loads nothing: the hub loads the card's verified checkpoint afterwards, through its
  own matcher;
- (the MindSpore context the script sets is its own: ``context``).

Each is so for the code of this context alone (``patches``): another thread exporting meanwhile exports.
"""
from __future__ import annotations

import importlib
import os
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from .patches import MISSING, original, substituted

HOMES = ("mindspore", "mindspore.train", "mindspore.train.serialization")
_HUB_DIR = str(Path(__file__).resolve().parents[3]) + os.sep  # frames of the hub's own code start with it


@dataclass
class ExportCall:
    network: object
    inputs: tuple

    def describe(self) -> str:
        shapes = ", ".join(f"{getattr(t, 'dtype', type(t).__name__)}{list(getattr(t, 'shape', ()))}"
                           for t in self.inputs)
        return f"{type(self.network).__name__}({shapes})"


@dataclass
class Captured:
    exports: list[ExportCall] = field(default_factory=list)


class NothingUnloaded(tuple):
    """What ``load_param_into_net`` gives while the hub loads the checkpoint itself: 2.x's pair (parameters
    not loaded, checkpoint entries not loaded), both empty, and falsy as 1.x's empty list of parameters not
    loaded was (GENet's export.py raises ``if not_load_param:``)."""

    def __new__(cls) -> NothingUnloaded:
        return super().__new__(cls, ([], []))

    def __bool__(self) -> bool:
        return False


@contextmanager
def captured_exports() -> Iterator[Captured]:
    """``mindspore.export`` and checkpoint loading as the module says, for the code of this context alone."""
    captured = Captured()

    def export(net, *inputs, **_options):
        captured.exports.append(ExportCall(net, inputs))

    def load_checkpoint(*_args, **_kwargs):
        return held_parameters(sys._getframe(1))

    def load_param_into_net(*_args, **_kwargs):
        return NothingUnloaded()

    replacements = [(HOMES, "export", export), (HOMES, "load_checkpoint", load_checkpoint),
                    (HOMES, "load_param_into_net", load_param_into_net)]
    with substituted(in_homes(replacements)):
        yield captured


def held_parameters(frame) -> dict:
    """``{name: parameter}`` of every network the zoo code's frames from ``frame`` outwards hold in a local
    name (the hub's own frames, and what called the zoo code, are not looked at)."""
    from mindspore import nn

    found: dict = {}
    while frame is not None and frame.f_code.co_filename.startswith(_HUB_DIR):  # the substitution's own
        frame = frame.f_back
    while frame is not None and not frame.f_code.co_filename.startswith(_HUB_DIR):
        for value in list(frame.f_locals.values()):
            if isinstance(value, nn.Cell):
                for name, parameter in value.parameters_and_names():  # names as a checkpoint of it has them
                    found.setdefault(name, parameter)
        frame = frame.f_back
    return found


def in_homes(replacements: list[tuple[tuple[str, ...], str, object]]) -> list[tuple[object, str, object]]:
    """``(module, name, value)`` for each home module (imported) that has the name."""
    found = []
    for homes, name, value in replacements:
        for home in homes:
            module = importlib.import_module(home)
            if original(module, name) is not MISSING:
                found.append((module, name, value))
    return found
