"""Import a model zoo directory's code in a namespace of its own.

Every zoo directory ships top-level ``src`` (often ``model_utils``, some as namespace packages) and
its config modules parse ``sys.argv`` at import. While a directory's code runs, every top-level name
it provides is set aside in ``sys.modules`` (the user's own ``src`` included) and put back afterwards,
``sys.path`` and ``sys.argv`` too; the directory's modules are kept per directory and variant (the options a
card chose while its config was parsed at import, ``variants``), so the same code is imported once per
variant, and two directories (or one at two releases, or two variants) never see each other's modules.

Afterwards the directory's modules stay importable under private names (``_mshub_zoo_<hash>.src.x``),
and their classes and functions say so in ``__module__``: MindSpore's graph compiler imports a
``construct``'s module by that name, which must not find the user's ``src`` instead.
"""
from __future__ import annotations

import hashlib
import importlib
import importlib.util
import itertools
import re
import sys
import threading
import types
from contextlib import contextmanager
from contextvars import ContextVar
from importlib.machinery import ModuleSpec
from pathlib import Path
from typing import Iterator

from .. import state
from ..compat.graph_division import as_in_1x_graphs
from .patches import substituted

_LOCK = threading.RLock()
_KEPT: dict[tuple[Path, str], dict[str, types.ModuleType]] = {}  # (directory, variant) -> its modules
PRIVATE = "_mshub_zoo_"  # the prefix of every private module name zoo code is published under
_RUNS = itertools.count(1)  # fresh imports are published under a prefix of their own
_ONE_X_GRAPHS: ContextVar[bool] = ContextVar("one_x_graphs", default=False)  # code written for 1.x graphs
# directory -> (file, import line, where the line comes from): imports run in a file's namespace before its code
_PRELUDES: ContextVar[dict[Path, tuple] | None] = ContextVar("zoo_preludes", default=None)


def zoo_module_name(module_name: str) -> str:
    """A module's name as the zoo directory names it (``src.yolo``), whichever private prefix it was
    published under (each build of a directory imports its modules afresh)."""
    if module_name.startswith(PRIVATE):
        return module_name.partition(".")[2]
    return module_name


def provided_names(directory: Path) -> set[str]:
    """Top-level module names the directory provides: ``*.py`` files and folders holding Python code."""
    names = set()
    for entry in directory.iterdir():
        if entry.is_file() and entry.suffix == ".py" and entry.stem.isidentifier():
            names.add(entry.stem)
        elif entry.is_dir() and entry.name.isidentifier() and _holds_python(entry):
            names.add(entry.name)
    return names


def _holds_python(folder: Path) -> bool:
    return any(folder.glob("*.py")) or any(folder.glob("*/*.py"))


def _namespace(name: str, folder: Path) -> types.ModuleType:
    """A namespace package for ``folder`` alone (a folder without ``__init__.py`` would otherwise merge
    with, or lose to, a same-named package elsewhere on ``sys.path``)."""
    spec = ModuleSpec(name, None, is_package=True)
    spec.submodule_search_locations = [str(folder)]
    module = importlib.util.module_from_spec(spec)
    module.__path__ = [str(folder)]
    return module


@contextmanager
def zoo_namespace(directory: Path, fresh: bool = False, one_x: bool = False, variant: str = ""):
    """Run the body with ``directory``'s code importable as top-level modules, and nothing else's.

    ``fresh``: import the directory's code anew (a script whose config module parses its command line
    at import must see this run's options), and publish it under a private prefix of this run alone.
    ``one_x``: the code was written for 1.x graphs; its classes' ``construct`` divide ints as those did.
    ``variant``: which of the directory's kept imports to use ("" the defaults'; ``kept_prefix``)."""
    directory = directory.resolve()
    names = provided_names(directory)

    def owned(module_name: str) -> bool:
        return module_name.partition(".")[0] in names

    with _LOCK:
        set_aside = {k: m for k, m in sys.modules.items() if owned(k)}
        for key in set_aside:
            del sys.modules[key]
        if not fresh:
            sys.modules.update(_KEPT.get((directory, variant), {}))
        for name in names:
            folder = directory / name
            if name not in sys.modules and folder.is_dir() and not (folder / "__init__.py").exists():
                sys.modules[name] = _namespace(name, folder)
        saved_path = sys.path[:]
        one_x_token = _ONE_X_GRAPHS.set(one_x)
        sys.path.insert(0, str(directory))
        importlib.invalidate_caches()
        try:
            with substituted([(sys, "argv", sys.argv[:1] or [""])]):  # zoo code's argv alone (``patches``)
                for file, line, source in (_PRELUDES.get() or {}).get(directory, ()):
                    _import_after(directory, file, line, source)
                yield
        finally:
            ours = {k: m for k, m in sys.modules.items() if owned(k)}
            for key in ours:
                del sys.modules[key]
            sys.modules.update(set_aside)  # the user's state first: nothing below may keep it from coming back
            sys.path[:] = saved_path
            importlib.invalidate_caches()
            try:
                if fresh:
                    _publish_privately(directory, ours, f"{private_prefix(directory)}_run{next(_RUNS)}")
                else:
                    _KEPT[(directory, variant)] = ours
                    _publish_privately(directory, ours, kept_prefix(directory, variant))
            finally:
                _ONE_X_GRAPHS.reset(one_x_token)


@contextmanager
def imports_before(directory: Path, file: str, line: str, source: str) -> Iterator[None]:
    """While the body runs, the code of ``directory`` (``zoo_namespace``) has its ``file`` imported with ``line``
    (an import statement of the zoo's own, from ``source``) run in the module's namespace before its code: the
    zoo's fix for a file that uses a name it never imports (``source.fixes``). Nothing is written."""
    directory = directory.resolve()
    current = _PRELUDES.get() or {}
    token = _PRELUDES.set({**current, directory: (*current.get(directory, ()), (file, line, source))})
    try:
        yield
    finally:
        _PRELUDES.reset(token)


def _import_after(directory: Path, file: str, line: str, source: str) -> None:
    """Import ``file`` of ``directory`` as its dotted name with ``line`` run first. A failure leaves it
    unimported: the code's own import of it then fails as it would have."""
    dotted = ".".join(Path(file).with_suffix("").parts)
    if dotted in sys.modules:
        return
    parent, _, child = dotted.rpartition(".")
    try:
        package = importlib.import_module(parent) if parent else None
        spec = importlib.util.spec_from_file_location(dotted, directory / file)
        module = importlib.util.module_from_spec(spec)
        sys.modules[dotted] = module
        exec(compile(line, f"<the zoo's own import, from {source}>", "exec"), vars(module))  # noqa: S102
        spec.loader.exec_module(module)
    except Exception:
        sys.modules.pop(dotted, None)
        return
    if package is not None:
        setattr(package, child, module)


def forget_zoo_code() -> int:
    """Drop everything this process keeps of zoo code (``state``: the modules published or kept for reuse, the
    hub confs' variant choices, the cards' preprocessing); returns how many entries. For catalog-scale work (the
    survey builds a directory once, then never again): what zoo modules hold (their globals, tables, networks of
    their own) is otherwise kept until the process ends. Networks built from them stay usable; compiling one in
    GRAPH mode afterwards cannot import its module by name."""
    return state.forget_all()


def _forget_modules() -> int:
    with _LOCK:
        names = [name for name in sys.modules if name.startswith(PRIVATE)]
        for name in names:
            del sys.modules[name]
        _KEPT.clear()
    return len(names)


state.keeps("zoo modules", _forget_modules)


def private_prefix(directory: Path) -> str:
    return PRIVATE + hashlib.sha1(str(directory.resolve()).encode()).hexdigest()[:12]


def kept_prefix(directory: Path, variant: str = "") -> str:
    """The private name of a directory's kept import of one variant (the defaults' when ``variant`` is "")."""
    suffix = "_v" + hashlib.sha1(variant.encode()).hexdigest()[:8] if variant else ""
    return private_prefix(directory) + suffix


def is_kept(directory: Path, variant: str = "") -> bool:
    """Whether the directory's import of ``variant`` is kept (its modules imported, their config parsed)."""
    return (directory.resolve(), variant) in _KEPT


def keep_as_default(directory: Path, variant: str) -> None:
    """The directory's import of ``variant`` serves as its defaults' too (no card's choice changed it)."""
    with _LOCK:
        modules = _KEPT.get((directory.resolve(), variant))
        if modules is not None:
            _KEPT.setdefault((directory.resolve(), ""), modules)


def _publish_privately(directory: Path, modules: dict[str, types.ModuleType], prefix: str) -> None:
    """Register ``modules`` as ``<prefix>.<name>`` and point ``__module__`` of what they define there."""
    if prefix not in sys.modules:
        root = types.ModuleType(prefix, f"modules of the zoo directory {directory}")
        root.__path__ = []
        sys.modules[prefix] = root
    for old, module in modules.items():
        if not isinstance(module, types.ModuleType) or module.__name__.startswith(PRIVATE):
            continue
        _publish(module, f"{prefix}.{old}")


def _publish(module: types.ModuleType, new: str) -> None:
    """``module`` importable as ``new``, and what it defines saying so in ``__module__``."""
    old = module.__name__
    for value in list(vars(module).values()):
        _rename(value, old, new)
    module.__name__ = new
    sys.modules[new] = module


def _rename(obj, old: str, new: str) -> None:
    if isinstance(obj, type) and obj.__module__ == old:
        obj.__module__ = new
        if _ONE_X_GRAPHS.get():
            as_in_1x_graphs(obj)
        for member in vars(obj).values():
            target = getattr(member, "__func__", None) or getattr(member, "fget", None) or member
            if getattr(target, "__module__", None) == old:
                try:
                    target.__module__ = new
                except (AttributeError, TypeError):
                    pass
    elif isinstance(obj, types.FunctionType) and obj.__module__ == old:
        obj.__module__ = new


def load_hub_conf(directory: Path, file_name: str = "mindspore_hub_conf.py", variant: str = "",
                  fresh: bool = False) -> types.ModuleType:
    """The directory's hub conf (``file_name``: the zoo misspells it in some directories) as a module of
    a unique name per variant (call inside zoo_namespace with the same ``variant``); ``fresh``: imported anew,
    under a name of its own (inside a fresh ``zoo_namespace``)."""
    path = directory.resolve() / file_name
    prefix = f"{private_prefix(directory)}_run{next(_RUNS)}" if fresh else kept_prefix(directory, variant)
    unique = prefix + "_" + Path(file_name).stem
    if unique in sys.modules:
        return sys.modules[unique]
    spec = importlib.util.spec_from_file_location(unique, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[unique] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[unique]
        raise
    return module


def main_module(script: Path) -> types.ModuleType:
    """A fresh ``__main__`` module for ``script``, to run it in with ``run_as_main`` (the caller keeps it: its
    globals are what the script left, even when it raised)."""
    module = types.ModuleType("__main__")
    module.__file__ = str(script)
    module.__builtins__ = __builtins__
    return module


def run_as_main(script: Path, module: types.ModuleType | None = None, publish: bool = True) -> types.ModuleType:
    """Run ``script`` as ``__main__`` (call inside zoo_namespace), in ``module`` when given (``main_module``);
    afterwards ``__main__`` is the user's again and, with ``publish``, the script's module is published under a
    private name, so networks the script defines itself compile in GRAPH mode. A run whose network is not handed
    to anyone (one for a pipeline or for example inputs) is not published: its module holds the network it built
    in its globals (``net = ...``), and published it would stay in the process for good."""
    module = module if module is not None else main_module(script)
    code = compile(script.read_bytes(), str(script), "exec")
    saved_main = sys.modules.get("__main__")
    sys.modules["__main__"] = module
    try:
        exec(code, module.__dict__)  # noqa: S102 - running the zoo's script is this route's purpose
    finally:
        if saved_main is not None:
            sys.modules["__main__"] = saved_main
        if publish:
            _publish(module, f"{private_prefix(script.parent)}_main{next(_RUNS)}")
    return module


_SCRIPT_RUN = re.compile(rf"^{PRIVATE}[0-9a-f]{{12}}_(?:main|run)\d+(?:\..+)?$")


def forget_script_runs() -> int:
    """Drop the modules of every script run so far (``<prefix>_main<n>``) and of every fresh import of a
    directory's modules (``<prefix>_run<n>.*``), keeping the directories' kept imports (and the hub confs imported
    afresh, ``<prefix>_run<n>_<conf>``): for a survey, after each card, whose network it drops. What the scripts'
    globals hold (the networks they built) is then freed at the next collection."""
    with _LOCK:
        names = [name for name in sys.modules if _SCRIPT_RUN.match(name)]
        for name in names:
            del sys.modules[name]
    return len(names)
