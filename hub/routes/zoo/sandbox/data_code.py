"""The eval route: a zoo directory's own data code that fails before the network gives a dataset stand-in.

Many eval scripts build their dataset with their directory's own code before their network (IPT's eval.py
calls ``SRData(args, ...)`` of ``src/data/srdata.py``, which makes directories under ``/cache``; DDAG's
reads training files; pointnet's a category list), and that code fails here: the data is not here, or the
guard refuses its write (the refusal stays refused and listed). ``eval_capture`` already makes a stand-in of
``mindspore.dataset``'s classes; this does the same for the directory's data modules. While an eval script
runs (``zoo_data_stand_ins``), a class or function defined in one of them that raises when called before any
network was handed over gives a ``MissingDataset`` (chaining returns it, sizes read 1, reading a row raises
``MissingDataError`` naming the call), listed with the other stand-ins on the load report.

Data modules: those of the directory with a dotted part that holds ``data`` or ends in ``loader`` (case
ignored): a module named so, or one in a package named so (IPT's ``src/data/div2k.py``). Every such
module name in the zoo (r1.3 to r1.10) is data code: ``dataset``, ``datasets``, ``srdata``, ``haze_data``,
``data_loader``, ``dataloader_cut``, ``preprocess_data``, ``mpiidataloader``...; and so is a module of the
directory that imports ``mindspore.dataset`` (read from its text), whatever its name (pwcnet's ``src/sintel.py``
and ``src/flyingchairs.py``). The import hook looks only at imports that may find a module of the directory
(a submodule of one of its packages, a name one of its ``sys.path`` entries holds), and reads a file's text once.

What stays as it is:
- module-level code: a module is guarded after it ran; classes keep their identity, so subclasses
  (``class Benchmark(srdata.SRData)``), ``isinstance`` and ``super(SRData, self)`` work: only their
  ``__init__`` is wrapped, and when the first guarded ``__init__`` of an instance raises, that instance
  becomes the stand-in (its class changed in place, its attributes kept), which the constructor returns;
- errors in data code called by data code go to the outermost guarded call (the zoo's own ``try`` in its
  data code sees them); errors after a network was handed over (unless ``after_network``: the run is for the
  script's dataset pipeline, which YOLO's eval.py builds after its network), and errors of any other module,
  are raised;
- networks (``nn.Cell``), exceptions, classes of another metaclass, generator functions: never guarded;
- when the script ends, the modules' names and the classes' ``__init__`` are put back.
"""
from __future__ import annotations

import abc
import functools
import importlib.abc
import importlib.machinery
import inspect
import os
import re
import sys
import types
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from .eval_capture import MissingDataset, Reached, describe_call

# ``import mindspore.dataset as ds``, ``from mindspore.dataset import vision``, ``from mindspore import dataset as de``
IMPORTS_DATASETS = re.compile(r"^[ \t]*(?:import[ \t]+mindspore\.dataset\b|from[ \t]+mindspore\.dataset\b"
                              r"|from[ \t]+mindspore[ \t]+import[ \t]+\(?[ \t]*dataset\b)", re.M)


def is_data_module(name: str) -> bool:
    """Whether a module of a zoo directory is data code, by the parts of its dotted name."""
    return any("data" in part or part.endswith("loader") for part in name.lower().split("."))


def imports_datasets(file: Path) -> bool:
    """Whether a module's text imports ``mindspore.dataset``: data code whatever its name (pwcnet's
    ``src/sintel.py``). Read once per version of the file."""
    try:
        stat = file.stat()
    except OSError:
        return False
    return _imports_datasets(str(file), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=1024)
def _imports_datasets(file: str, mtime_ns: int, size: int) -> bool:
    try:
        text = Path(file).read_text(errors="replace")
    except OSError:
        return False
    return IMPORTS_DATASETS.search(text) is not None


class _Guard:
    """One eval run's guard over its directory's data code."""

    def __init__(self, directory: Path, reached: Reached, after_network: bool = False) -> None:
        self.directory = directory
        self.reached = reached
        self.after_network = after_network
        self.active = True
        self.depth = 0  # guarded calls under way: only the outermost one makes a stand-in
        self.undo: list[Callable[[], None]] = []

    def open(self) -> bool:
        """A guarded call now may make a stand-in: the script runs, no network handed over, none under way."""
        return self.active and (self.after_network or not self.reached.networks) and self.depth == 0

    def stand_in(self, where: str, name: str, args: tuple, kwargs: dict, exc: Exception) -> tuple[str, Exception]:
        call = f"{describe_call(name, args, kwargs)} of {where}"
        self.reached.datasets.append(f"{call}, which raised {type(exc).__name__}: {str(exc)[:160]}")
        return call, exc

    def module_ran(self, module: types.ModuleType) -> None:
        """Guard what ``module`` (just run) defines itself."""
        file = getattr(module, "__file__", None)
        where = Path(file).resolve().relative_to(self.directory).as_posix() if file else module.__name__
        for name, value in list(vars(module).items()):
            if getattr(value, "__module__", None) != module.__name__:
                continue
            if isinstance(value, types.FunctionType) and _plain_function(value):
                wrapper = self._function(value, where)
                setattr(module, name, wrapper)
                self.undo.append(functools.partial(_put_back, module, name, wrapper, value))
            elif isinstance(value, type) and _guardable_class(value):
                self._class(value, where)

    def _function(self, real: types.FunctionType, where: str):
        guard = self

        @functools.wraps(real)
        def guarded(*args, **kwargs):
            if not guard.open():
                return real(*args, **kwargs)
            guard.depth += 1
            try:
                return real(*args, **kwargs)
            except Exception as exc:
                return MissingDataset(*guard.stand_in(where, real.__qualname__, args, kwargs, exc), None, guard.reached,
                                      returned=True)
            finally:
                guard.depth -= 1

        return guarded

    def _class(self, cls: type, where: str) -> None:
        guard = self
        own = cls.__dict__.get("__init__")
        real = cls.__init__

        @functools.wraps(real)
        def __init__(self, *args, **kwargs):  # noqa: N807 - the class's own constructor, wrapped
            if not guard.open():
                return real(self, *args, **kwargs)
            guard.depth += 1
            try:
                real(self, *args, **kwargs)
            except Exception as exc:
                call, error = guard.stand_in(where, cls.__qualname__, args, kwargs, exc)
                if not _become_stand_in(self, call, error, guard.reached):
                    guard.reached.datasets.pop()
                    raise
            finally:
                guard.depth -= 1

        cls.__init__ = __init__
        self.undo.append(functools.partial(_put_back_init, cls, own))


def _plain_function(function: types.FunctionType) -> bool:
    return not (inspect.isgeneratorfunction(function) or inspect.iscoroutinefunction(function)
                or inspect.isasyncgenfunction(function))


def _guardable_class(cls: type) -> bool:
    if type(cls) not in (type, abc.ABCMeta) or issubclass(cls, BaseException) or cls.__init__ is object.__init__:
        return False
    cell = sys.modules.get("mindspore.nn")
    return not (cell is not None and issubclass(cls, cell.Cell))


def _become_stand_in(obj: object, call: str, error: Exception, reached: Reached) -> bool:
    """Turn a half-made instance into a dataset stand-in, in place (False where its layout does not allow it)."""
    try:
        obj.__class__ = MissingDataset
    except TypeError:
        return False
    MissingDataset.__init__(obj, call, error, None, reached)
    return True


def _put_back(module: types.ModuleType, name: str, wrapper, real) -> None:
    if vars(module).get(name) is wrapper:
        setattr(module, name, real)


def _put_back_init(cls: type, own) -> None:
    if own is None:
        del cls.__init__
    else:
        cls.__init__ = own


class _GuardingLoader(importlib.abc.Loader):
    """A data module's own loader, then the guard over what the module defines."""

    def __init__(self, loader, guard: _Guard) -> None:
        self._loader = loader
        self._guard = guard

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module) -> None:
        self._loader.exec_module(module)
        self._guard.module_ran(module)

    def __getattr__(self, name: str):  # get_source, get_filename...: the module's own loader's
        return getattr(self._loader, name)


class _DataModuleFinder(importlib.abc.MetaPathFinder):
    """Finds a module of the directory as the other finders do; a data module gets the guarding loader."""

    def __init__(self, guard: _Guard) -> None:
        self._guard = guard
        self._inside: dict[tuple[str, str], bool] = {}  # (working directory or "", a search entry) -> in the directory

    def _in_directory(self, entry) -> bool:
        """Whether a place imports search (a ``sys.path`` entry, a package's ``__path__``) is in the directory."""
        if not isinstance(entry, str):
            return False
        key = ("" if os.path.isabs(entry) else os.getcwd(), entry)
        inside = self._inside.get(key)
        if inside is None:
            inside = self._inside[key] = Path(key[0], entry).resolve().is_relative_to(self._guard.directory)
        return inside

    def _may_be_in_directory(self, fullname: str, path) -> bool:
        """Cheaply, whether the module may be found in the directory: a submodule of a package of it, or a
        top-level name one of its ``sys.path`` entries holds. Every other import is not looked at."""
        if path is not None:
            return any(self._in_directory(entry) for entry in path)
        places = [entry for entry in sys.path if self._in_directory(entry)]
        return bool(places) and importlib.machinery.PathFinder.find_spec(fullname, places) is not None

    def find_spec(self, fullname, path=None, target=None):
        if not self._may_be_in_directory(fullname, path):
            return None
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            if finder is self or find is None:
                continue
            spec = find(fullname, path, target)
            if spec is not None:
                break
        else:
            return None
        if spec.loader is None or not spec.has_location or not spec.origin or \
                not Path(spec.origin).resolve().is_relative_to(self._guard.directory):
            return spec
        if not (is_data_module(fullname) or imports_datasets(Path(spec.origin))):
            return spec
        spec.loader = _GuardingLoader(spec.loader, self._guard)
        return spec


@contextmanager
def zoo_data_stand_ins(directory: Path, reached: Reached, after_network: bool = False) -> Iterator[None]:
    """While an eval script of ``directory`` runs (inside ``captured_evaluation``, whose ``reached`` says when
    a network was handed over), its data code that fails before the network gives dataset stand-ins."""
    guard = _Guard(directory.resolve(), reached, after_network)
    finder = _DataModuleFinder(guard)
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        guard.active = False
        sys.meta_path.remove(finder)
        for undo in reversed(guard.undo):
            undo()
