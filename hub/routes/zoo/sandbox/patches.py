"""One way to give code run by the hub other values for process-wide names, seen by that code alone.

Zoo code needs names changed: removed names supplied (``np.bool``, ``nn.ResizeBilinear``), 1.x call
semantics (``ops.GatherV2``), a command line that never exits (``ArgumentParser.parse_known_args``,
``sys.argv``), ``mindspore.export`` and checkpoint loading captured, datasets made stand-ins. Setting them
on the modules and classes for the time the code runs would show them to every thread of the process: a web
service loading a model in the background while serving with others would see ``np.bool`` appear and its
``sys.argv`` change. So every such name is switched once per process, and answers by context:

- a module attribute: the module's class becomes a subclass (made once per module) holding a data descriptor
  for the name; module code's own globals are untouched (only attribute access goes through it);
- a class attribute: a descriptor in the class's ``__dict__`` standing for the original.

Inside ``substituted(values)`` (a context variable: the thread that entered, and threads it starts with a copy
of its context, as the guard's thread starter does) the name answers with the value given; anywhere else, with
the original, or ``AttributeError`` where the name was absent. Assignments made inside stay inside. Nothing is
ever put back: there is nothing to put back, and no other thread can see a half-restored state.
"""
from __future__ import annotations

import threading
import types
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator

MISSING = object()
_ACTIVE: ContextVar[dict | None] = ContextVar("mshub_substituted", default=None)  # (id(owner), name) -> value
_LOCK = threading.RLock()
_SWITCHED: dict[tuple[int, str], _Switch] = {}
_MODULE_CLASSES: dict[int, type] = {}  # id(module) -> its switching class


class Computed:
    """A substituted value made when it is looked up (``supply()``): the removed names note their use so."""

    def __init__(self, supply) -> None:
        self.supply = supply


class _Switch:
    """The descriptor a switched name is: the substituted value in a context that has one, else the original."""

    def __init__(self, owner: object, name: str, original: object, is_module: bool) -> None:
        self.owner, self.name, self.original, self.is_module = owner, name, original, is_module
        self.key = (id(owner), name)

    def current(self) -> object:
        active = _ACTIVE.get()
        if active is not None:
            value = active.get(self.key, MISSING)
            if value is not MISSING:
                return value
        return self.original

    def __get__(self, obj, objtype=None):
        value = self.current()
        if isinstance(value, Computed):
            value = value.supply()
        if value is MISSING:
            raise AttributeError(f"{_owner_name(self.owner)!r} has no attribute {self.name!r}")
        if self.is_module or isinstance(value, (staticmethod, classmethod)) or not hasattr(value, "__get__"):
            return value if not isinstance(value, staticmethod) else value.__func__
        return value.__get__(obj, objtype)

    def __set__(self, obj, value) -> None:
        active = _ACTIVE.get()
        if active is not None and self.key in active:
            active[self.key] = value  # what the code sets stays in its context
        else:
            self.original = value

    def __delete__(self, obj) -> None:
        active = _ACTIVE.get()
        if active is not None and self.key in active:
            active[self.key] = MISSING
        else:
            self.original = MISSING


def _owner_name(owner: object) -> str:
    return getattr(owner, "__name__", type(owner).__name__)


def switch(owner: object, name: str) -> None:
    """Make ``owner.name`` (a module's or a class's) answer by context, once per process."""
    key = (id(owner), name)
    if key in _SWITCHED:
        return
    with _LOCK:
        if key in _SWITCHED:
            return
        if isinstance(owner, types.ModuleType):
            original = vars(owner).get(name, MISSING)
            descriptor = _Switch(owner, name, original, True)
            cls = _MODULE_CLASSES.get(id(owner))
            if cls is None:
                cls = type(f"Switched{type(owner).__name__}", (type(owner),), {})
                owner.__class__ = cls
                _MODULE_CLASSES[id(owner)] = cls
            setattr(cls, name, descriptor)
        elif isinstance(owner, type):
            original = vars(owner).get(name, MISSING)
            descriptor = _Switch(owner, name, original, False)
            if original is MISSING:  # inherited: the original is what the class resolves it to now
                descriptor.original = _inherited(owner, name)
            type.__setattr__(owner, name, descriptor)
        else:
            raise TypeError(f"only a module's or a class's names can be switched, not {type(owner).__name__}'s")
        _SWITCHED[key] = descriptor


def _inherited(cls: type, name: str) -> object:
    for base in cls.__mro__[1:]:
        if name in vars(base):
            return vars(base)[name]
    return MISSING


def original(owner: object, name: str) -> object:
    """What ``owner.name`` is outside any substitution (``MISSING`` when absent)."""
    descriptor = _SWITCHED.get((id(owner), name))
    if descriptor is not None:
        return descriptor.original
    if isinstance(owner, types.ModuleType):
        return vars(owner).get(name, MISSING)
    return getattr(owner, name, MISSING)


@contextmanager
def substituted(values: list[tuple[object, str, object]]) -> Iterator[None]:
    """While the body runs, in this context only, each ``owner.name`` is ``value`` (nested: inner wins)."""
    for owner, name, _ in values:
        switch(owner, name)
    outer = _ACTIVE.get()
    active = dict(outer or {})
    active.update({(id(owner), name): value for owner, name, value in values})
    token = _ACTIVE.set(active)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def active_value(owner: object, name: str) -> object:
    """The value ``owner.name`` has in this context (substituted or original)."""
    descriptor = _SWITCHED.get((id(owner), name))
    return descriptor.current() if descriptor is not None else original(owner, name)
