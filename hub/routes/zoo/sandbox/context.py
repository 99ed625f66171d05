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

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator

import mindspore as ms
from mindspore import context as ms_context

from .patches import original, substituted

DEVICE_KEYS = ("device_target", "device_id")
# settings that make MindSpore write files (graphs, dumps, profiles, caches) wherever the process runs
FILE_KEYS = ("save_graphs", "save_graphs_path", "print_file_path", "enable_dump", "save_dump_path", "exception_dump",
             "enable_profiling", "profiling_options", "enable_compile_cache", "compile_cache_path")
SNAPSHOT_KEYS = ("mode", "save_graphs", "save_graphs_path", "print_file_path", "max_call_depth",
                 "enable_graph_kernel", "device_target", "device_id")
HOMES = (ms, ms_context)


@dataclass
class ZooContext:
    """What the code asked of the context: ``asked`` (all it set, in order), ``parallel`` (auto-parallel)."""

    asked: dict = field(default_factory=dict)
    parallel: dict = field(default_factory=dict)

    def not_applied(self) -> dict:
        return {**self.asked, **{f"auto_parallel.{k}": v for k, v in self.parallel.items()}}

    def writes_files(self) -> dict:
        return {k: v for k, v in self.asked.items() if k in FILE_KEYS and v}


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
    before = _snapshot()
    try:
        with substituted([(home, name, value) for home in HOMES for name, value in functions.items()
                          if hasattr(home, name)]):
            yield state
    finally:
        _restore(before)
