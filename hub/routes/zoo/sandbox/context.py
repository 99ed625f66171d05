"""The MindSpore context while zoo code runs: what the code sets is its own, never the process's.

Zoo code sets the context at import and in its scripts (openpose's ``src/openposenet.py``:
``set_context(mode=GRAPH_MODE, save_graphs=True)``); applied, it would change the user's mode and make every
later forward of the user's networks write IR files into their working directory. While zoo code runs,
``set_context`` and ``set_auto_parallel_context`` record what the code asks for and apply nothing; the code's
``get_context`` reads back what it set (the device aside: the hub never moves to another one), else the
process's value. Around the run the process's context is also read before and put back after (what MindSpore
itself changed on the code's behalf). What was asked for and not applied is on the run, for the load report.
"""
from __future__ import annotations

import importlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator

import mindspore as ms
from mindspore import context as ms_context

from .patches import MISSING, original, substituted

DEVICE_KEYS = ("device_target", "device_id")
# settings that make MindSpore write files (graphs, dumps, profiles, caches) wherever the process runs
FILE_KEYS = ("save_graphs", "save_graphs_path", "print_file_path", "enable_dump", "save_dump_path", "exception_dump",
             "enable_profiling", "profiling_options", "enable_compile_cache", "compile_cache_path")
SNAPSHOT_KEYS = ("mode", "save_graphs", "save_graphs_path", "print_file_path", "max_call_depth",
                 "enable_graph_kernel", "device_target", "device_id")
HOMES = (ms, ms_context)


@dataclass
class ZooContext:
    """What the code asked of the process's settings and was not applied: ``asked`` (``set_context``),
    ``parallel`` (``set_auto_parallel_context``), ``dataset_config`` (``mindspore.dataset.config.set_*``: the
    seed, worker counts...), ``communication`` (it called ``mindspore.communication.init()``)."""

    asked: dict = field(default_factory=dict)
    parallel: dict = field(default_factory=dict)
    dataset_config: dict = field(default_factory=dict)
    communication: bool = False

    def writes_files(self) -> dict:
        return {k: v for k, v in self.asked.items() if k in FILE_KEYS and v}

    def notes(self) -> list[str]:
        """What the load report says of it."""
        shown = []
        if self.asked:
            shown.append("set_context(" + ", ".join(f"{k}={v!r}" for k, v in self.asked.items()) + ")")
        if self.parallel:
            shown.append("set_auto_parallel_context(" + ", ".join(f"{k}={v!r}" for k, v in self.parallel.items())
                         + ")")
        shown += [f"mindspore.dataset.config.{k}({v!r})" for k, v in self.dataset_config.items()]
        if self.communication:
            shown.append("mindspore.communication.init()")
        return ["not applied: the code's " + ", ".join(shown)] if shown else []


def _real(name: str):
    value = original(ms_context, name)
    return value if callable(value) else getattr(ms_context, name)


def _snapshot() -> dict:
    getter = _real("get_context")
    found = {}
    for key in SNAPSHOT_KEYS:
        try:
            found[key] = getter(key)
        except (ValueError, RuntimeError, TypeError):
            pass
    return found


def _restore(before: dict) -> None:
    getter, setter = _real("get_context"), _real("set_context")
    for key, value in before.items():
        try:
            if getter(key) != value:
                setter(**{key: value})
        except (ValueError, RuntimeError, TypeError):
            pass


@contextmanager
def zoo_context() -> Iterator[ZooContext]:
    """Run the body with the MindSpore context as the module says."""
    state = ZooContext()
    real_get, real_get_parallel = _real("get_context"), _real("get_auto_parallel_context")

    def set_context(**kwargs):
        state.asked.update(kwargs)

    def get_context(attr_key):
        if attr_key in state.asked and attr_key not in DEVICE_KEYS:
            return state.asked[attr_key]
        return real_get(attr_key)

    def set_auto_parallel_context(**kwargs):
        state.parallel.update(kwargs)

    def get_auto_parallel_context(attr_key):
        return state.parallel[attr_key] if attr_key in state.parallel else real_get_parallel(attr_key)

    def reset_auto_parallel_context():
        state.parallel.clear()

    functions = {"set_context": set_context, "get_context": get_context,
                 "set_auto_parallel_context": set_auto_parallel_context,
                 "get_auto_parallel_context": get_auto_parallel_context,
                 "reset_auto_parallel_context": reset_auto_parallel_context}
    values = [(home, name, value) for home in HOMES for name, value in functions.items()
              if original(home, name) is not MISSING]
    dataset_config = importlib.import_module("mindspore.dataset.core.config")
    values += [(dataset_config, name, _recorded(name, state.dataset_config)) for name in vars(dataset_config)
               if name.startswith("set_") and callable(vars(dataset_config)[name])]
    values += [(module, name, value) for module in _communication_modules()
               for name, value in _single_process(state).items() if original(module, name) is not MISSING]
    before = _snapshot()
    try:
        with substituted(values):
            yield state
    finally:
        _restore(before)


def _recorded(name: str, record: dict):
    """A ``mindspore.dataset.config`` setter that records what zoo code asked for and changes nothing: the
    dataset settings are the process's (a script's ``set_num_parallel_workers(8)`` is refused above the cores
    there are, too), and building a network reads none of them."""
    def setter(*args, **kwargs):
        record[name] = args[0] if len(args) == 1 and not kwargs else (args, kwargs)

    return setter


def _communication_modules() -> list:
    return [importlib.import_module(name) for name in ("mindspore.communication", "mindspore.communication.management")]


def _single_process(state: ZooContext) -> dict:
    """``init()`` of the collective communication a script calls to train on a cluster does nothing (recorded);
    the rank is 0 of a group of 1, as a single process has."""
    def init(*args, **kwargs):
        state.communication = True

    return {"init": init, "get_rank": lambda *args, **kwargs: 0, "get_group_size": lambda *args, **kwargs: 1,
            "get_local_rank": lambda *args, **kwargs: 0, "get_local_rank_size": lambda *args, **kwargs: 1}
