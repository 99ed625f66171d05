"""What a zoo ``export.py`` hands to ``mindspore.export``, captured instead of exported.

While the script runs:

- ``mindspore.export``, under every name it is reachable by (``mindspore``, ``mindspore.train``,
  ``mindspore.train.serialization``), records the network and its example inputs and writes nothing;
- ``load_checkpoint`` gives an empty parameter dict and ``load_param_into_net`` loads nothing: the hub
  loads the card's verified checkpoint afterwards, through its own matcher;
- ``set_context`` ignores ``device_target`` and ``device_id`` (the script does not move the user to
  another device), and every context key the script sets, ``set_auto_parallel_context`` too, is put
  back as it was afterwards.
"""
from __future__ import annotations

import importlib
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator

import mindspore as ms

HOMES = ("mindspore", "mindspore.train", "mindspore.train.serialization")
CONTEXT_HOMES = ("mindspore", "mindspore.context")
DEVICE_KEYS = ("device_target", "device_id")
_LOCK = threading.RLock()


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
    ignored_context: dict = field(default_factory=dict)  # device keys the script asked for
    ignored_dataset_config: dict = field(default_factory=dict)  # ``mindspore.dataset.config.set_*`` calls, not made


def _patched(homes: tuple[str, ...], name: str, replacement) -> list[tuple[object, object]]:
    saved = []
    for home in homes:
        module = importlib.import_module(home)
        if hasattr(module, name):
            saved.append((module, getattr(module, name)))
            setattr(module, name, replacement)
    return saved


def _restore(saved: list[tuple[object, str, object]]) -> None:
    for module, name, value in reversed(saved):
        setattr(module, name, value)


def _remember(before: dict, changes: dict, getter) -> None:
    """The value each key in ``changes`` had before the script first set it."""
    for key in changes:
        if key not in before:
            try:
                before[key] = getter(key)
            except (ValueError, RuntimeError, TypeError):
                pass


COMMUNICATION_HOMES = ("mindspore.communication", "mindspore.communication.management")


def _single_process(captured: Captured) -> dict:
    """``init()`` of the collective communication a script calls to train on a cluster does nothing (recorded);
    the rank is 0 of a group of 1, as a single process has."""
    def init(*args, **kwargs):
        captured.ignored_dataset_config["communication.init"] = args[0] if args else "default"

    return {"init": init, "get_rank": lambda *args, **kwargs: 0, "get_group_size": lambda *args, **kwargs: 1,
            "get_local_rank": lambda *args, **kwargs: 0, "get_local_rank_size": lambda *args, **kwargs: 1}


def _dataset_config_setters() -> list[str]:
    """The setters of ``mindspore.dataset.config`` (the seed, worker counts...: settings of the whole process)."""
    config = importlib.import_module("mindspore.dataset.core.config")
    return [name for name in dir(config) if name.startswith("set_") and callable(getattr(config, name))]


def _not_applied(name: str, record: dict):
    """A ``mindspore.dataset.config`` setter that records what zoo code asked for and changes nothing: the
    dataset settings are the user's process's (a script's ``set_num_parallel_workers(8)`` is also refused
    above the cores there are), and building a network reads none of them."""
    def setter(*args, **kwargs):
        record[name] = args[0] if len(args) == 1 and not kwargs else (args, kwargs)

    return setter


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
    captured = Captured()
    context_before: dict = {}
    parallel_before: dict = {}
    real_set_context = ms.context.set_context
    real_set_parallel = ms.context.set_auto_parallel_context

    def export(net, *inputs, **_options):
        captured.exports.append(ExportCall(net, inputs))

    def load_checkpoint(*_args, **_kwargs):
        return {}

    def load_param_into_net(*_args, **_kwargs):
        return NothingUnloaded()

    def set_context(**kwargs):
        for key in DEVICE_KEYS:
            if key in kwargs:
                captured.ignored_context[key] = kwargs.pop(key)
        _remember(context_before, kwargs, ms.context.get_context)
        if kwargs:
            real_set_context(**kwargs)

    def set_auto_parallel_context(**kwargs):
        _remember(parallel_before, kwargs, ms.context.get_auto_parallel_context)
        real_set_parallel(**kwargs)

    replacements = [(("mindspore.dataset.core.config",), name, _not_applied(name, captured.ignored_dataset_config))
                    for name in _dataset_config_setters()]
    replacements += [(COMMUNICATION_HOMES, name, value) for name, value in _single_process(captured).items()]
    replacements += [(HOMES, "export", export), (HOMES, "load_checkpoint", load_checkpoint),
                    (HOMES, "load_param_into_net", load_param_into_net),
                    (CONTEXT_HOMES, "set_context", set_context),
                    (CONTEXT_HOMES, "set_auto_parallel_context", set_auto_parallel_context)]
    with _LOCK:
        saved = []
        try:
            for homes, name, replacement in replacements:
                saved += [(module, name, value) for module, value in _patched(homes, name, replacement)]
            yield captured
        finally:
            _restore(saved)
            for before, setter in ((context_before, real_set_context), (parallel_before, real_set_parallel)):
                for key, value in before.items():
                    try:
                        setter(**{key: value})
                    except (ValueError, RuntimeError, TypeError):
                        pass
