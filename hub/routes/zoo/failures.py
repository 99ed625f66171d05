"""Why the model zoo's code could not build a card's network, said the same way by both zoo routes
(hub conf and export): each failure names the uid and the code, and carries a class for reports."""
from __future__ import annotations

import ast
import re
import traceback
from pathlib import Path

from ...cards.record import ModelCard
from ...cards.usage import load_call_lines
from ...errors import Failure, MissingDataError, RemovedApiError, ScriptOptionError, ZooBuildError
from ...weights.sizes import only_sizes
from .sandbox.argv import ABSENT_DATA_ROOT
from .sandbox.namespace import provided_names

# import name -> the name pip installs it under, where they differ
PIP_NAMES = {"cv2": "opencv-python-headless", "sklearn": "scikit-learn", "yaml": "pyyaml", "PIL": "pillow",
             "skimage": "scikit-image", "Levenshtein": "python-Levenshtein", "rouge": "rouge", "absl": "absl-py"}
# what the ``zoo`` extra installs (the packages zoo code imports most), by import name
ZOO_EXTRA = "mshub-registry[zoo]"
ZOO_EXTRA_MODULES = {"easydict", "cv2", "sklearn", "pandas", "subword_nmt", "rouge", "pycocotools", "matplotlib",
                     "sacremoses", "librosa", "h5py", "networkx", "skimage", "gensim", "gym", "hyperpyyaml",
                     "imageio", "plyfile", "absl"}


def missing_module(card: ModelCard, exc: ModuleNotFoundError, directory: Path, checkout: Path, where: str,
                   route: str) -> ZooBuildError:
    missing = exc.name or str(exc)
    top = missing.partition(".")[0]
    if top in provided_names(directory):
        return ZooBuildError(f"{card.uid}: the zoo's code at {where} imports {missing!r}, which that directory "
                             "does not have at this release (a stale import in the zoo; MindSpore Hub fails on "
                             "it too)", Failure.STALE_IMPORT, route)
    if top == "mindspore":
        return ZooBuildError(f"{card.uid}: the zoo's code at {where} imports {missing!r}, an API that MindSpore "
                             f"removed (MindSpore {_mindspore_version()} has no such module); this code needs the "
                             "MindSpore release it was written for", Failure.REMOVED_API, route)
    pip_name = PIP_NAMES.get(top, top)
    line = requirement_line(directory, checkout, {top.lower(), pip_name.lower()})
    if top in ZOO_EXTRA_MODULES:
        hint = f"pip install '{ZOO_EXTRA}' installs it with the other packages zoo code needs most"
    elif line:
        hint = f"its requirements.txt says: {line!r}"
    else:
        hint = f"try: pip install {pip_name}"
    return ZooBuildError(f"{card.uid}: the zoo's code at {where} needs the module {top!r}, which is not "
                         f"installed; {hint}", Failure.MISSING_MODULE, route)


def _mindspore_version() -> str:
    import mindspore

    return mindspore.__version__


def requirement_line(directory: Path, checkout: Path, names: set[str]) -> str | None:
    """The line naming one of ``names`` in the nearest requirements.txt from ``directory`` up to the root."""
    folder = directory
    while True:
        req = folder / "requirements.txt"
        if req.is_file():
            for line in req.read_text(errors="replace").splitlines():
                package = re.split(r"[<>=!~\[; ]", line.strip(), maxsplit=1)[0].lower()
                if package and package in names:
                    return line.strip()
        if folder == checkout or folder.parent == folder:
            return None
        folder = folder.parent


def needs_arguments(error: ZooBuildError, missing: list[str]) -> ZooBuildError:
    """``error`` (an ``arguments`` one) knowing the parameters the code asked for, and saying which of them a
    pretrained load reads from the checkpoint (``weights.sizes``)."""
    error.missing = tuple(missing)
    sizes = only_sizes(error.missing)  # (with anything else asked for, the caller gives it all)
    if sizes:
        error.args = (f"{error} (sizes: a pretrained load reads {', '.join(sizes)} from the checkpoint's shapes "
                      "where they show)",)
    return error


def usage_hint(card: ModelCard) -> str:
    calls = load_call_lines(card)
    if calls:  # the call that passes the most arguments shows what is needed
        return f"The card shows: {max(calls, key=lambda c: c.count(',') + c.count('='))}"
    return "Pass them to load() after the uid, e.g. mshub.load(uid, num_classes=10)."


def _innermost_zoo_frame(exc: BaseException, directory: Path) -> traceback.FrameSummary | None:
    """The innermost frame of the zoo's own code (a file under ``directory``) in ``exc``'s traceback."""
    root = str(directory.resolve())
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.startswith(root)]
    return frames[-1] if frames else None


def zoo_frame(exc: BaseException, directory: Path) -> str:
    """``file:line`` of the innermost frame of the zoo's own code in ``exc``'s traceback."""
    frame = _innermost_zoo_frame(exc, directory)
    if frame is None:
        return ""
    return f"{Path(frame.filename).relative_to(directory.resolve())}:{frame.lineno}"


def never_bound(exc: BaseException, directory: Path) -> str | None:
    """For a ``NameError`` raised in the zoo's own code: the file (relative to ``directory``) that uses the name
    and binds it nowhere (no import, assignment, ``def``, ``class``, argument or ``global`` of it in the whole
    file), else None. Such a file fails so under any MindSpore, whatever options it is given: pvnet's
    ``src/net_utils.py`` subclasses ``EasyDict`` and never imports it (r1.6 to r1.10)."""
    name = getattr(exc, "name", None)
    if not isinstance(exc, NameError) or isinstance(exc, UnboundLocalError) or not name:
        return None
    frame = _innermost_zoo_frame(exc, directory)
    if frame is None:
        return None
    path = Path(frame.filename)
    try:
        tree = ast.parse(path.read_text(errors="replace"))
    except (OSError, SyntaxError, ValueError):
        return None
    for node in ast.walk(tree):
        bound: list[str] = []
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            bound = [node.id]
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound = [node.name]
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            if any(alias.name == "*" for alias in node.names):
                return None  # a star import may bind it
            bound = [(alias.asname or alias.name).partition(".")[0] for alias in node.names]
        elif isinstance(node, ast.arg):
            bound = [node.arg]
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            bound = list(node.names)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound = [node.name]
        elif isinstance(node, ast.alias):
            continue
        if name in bound:
            return None
    return path.relative_to(directory.resolve()).as_posix()


def _removed_api(exc: BaseException) -> bool:
    """An attribute or name of MindSpore that zoo code uses and today's MindSpore no longer has."""
    text = str(exc)
    if isinstance(exc, RemovedApiError):  # a stand-in of a removed module, used
        return True
    return (isinstance(exc, AttributeError) and re.search(r"module 'mindspore[\w.]*' has no attribute", text)
            is not None) or (isinstance(exc, ImportError) and re.search(r"cannot import name .* from 'mindspore",
                                                                          text) is not None)


# ``super(Block).__init__()``: a super object with no instance (unbound); calling its ``__init__`` runs nothing
_UNBOUND_SUPER_INIT = re.compile(r"\bsuper\(\s*\w+\s*\)\.__init__\(")


def _cell_not_initialized(exc: BaseException, directory: Path) -> str | None:
    """When ``exc`` was raised while a zoo class's ``__init__`` built an ``nn.Cell`` whose ``nn.Cell.__init__``
    never ran (augvit's ``Block``, wave_mlp's ``PatchEmbedOverlapping``: ``super(Block).__init__()``), why: a bug
    of the zoo's code that every MindSpore refuses (1.x: "Can not assign cells before Cell.__init__() call";
    2.10: "no attribute '_auto_prefix'"), not a change of MindSpore. None otherwise."""
    from mindspore import nn

    root = str(directory.resolve())
    tb = exc.__traceback__
    while tb is not None:
        frame, tb = tb.tb_frame, tb.tb_next
        cell = frame.f_locals.get("self")
        if (frame.f_code.co_name != "__init__" or not frame.f_code.co_filename.startswith(root)
                or not isinstance(cell, nn.Cell) or "_params" in vars(cell)):
            continue
        name = type(cell).__name__
        where = f"{Path(frame.f_code.co_filename).relative_to(root)}:{frame.f_code.co_firstlineno}"
        call = _unbound_super_call(frame.f_code)
        how = (f"its `{call[1]}` (line {call[0]}) names no instance, so it runs nothing" if call
               else "it never calls it")
        return (f"{name}.__init__ ({where}) never runs nn.Cell.__init__: {how}; so the {name} it builds has none of "
                "a Cell's state, and the first cell it assigns fails. A bug in the zoo's code, which MindSpore 1.x "
                "refused too (\"Can not assign cells before Cell.__init__() call\"), not a change of MindSpore")
    return None


def _unbound_super_call(code) -> tuple[int, str] | None:
    """(line, text) of the first ``super(Name).__init__(`` in the function of ``code``, if any."""
    import linecache

    lines = linecache.getlines(code.co_filename)
    last = max((line for _, _, line in code.co_lines() if line is not None), default=code.co_firstlineno)
    for number in range(code.co_firstlineno, min(last, len(lines)) + 1):
        if _UNBOUND_SUPER_INIT.search(lines[number - 1]):
            return number, lines[number - 1].strip()
    return None


# an error that names a path it did not find (osnet's ``RuntimeError: "/cache/data/market1501" is not found``)
_PATH_NOT_FOUND = re.compile(r"""["']?(?P<path>/[^\s"']+)["']?[^/]*?\b(?:is not found|not found|does not exist|"""
                             r"""doesn't exist|not exist|no such file)""", re.I)


def _missing_path(text: str) -> str | None:
    """The absolute path an error message says is not there (and is not), if any."""
    match = _PATH_NOT_FOUND.search(text)
    if match is None or Path(match.group("path")).exists():
        return None
    return match.group("path")


def unset_option(exc: BaseException | None) -> bool:
    """Whether zoo code failed on an option left at None (``args.data_url + '/'``, ``open(None)``)."""
    return isinstance(exc, (TypeError, AttributeError)) and "NoneType" in str(exc)


def none_valued(exc: BaseException, directory: Path) -> tuple[str, str] | None:
    """(``args_opt.config``, ``export.py:34``): the attribute of the zoo's code that is None on the line of its own
    code where it failed, the innermost such line first (seq2seq's ``open(json_file)`` fails in its config module
    on a value its export script passed as ``args.config``); None when no line of it reads one. An attribute is
    read as it is stored (``inspect.getattr_static``: no property runs)."""
    root = directory.resolve()
    frames = [(frame, line) for frame, line in traceback.walk_tb(exc.__traceback__)
              if Path(frame.f_code.co_filename).resolve().is_relative_to(root)]
    for frame, line in reversed(frames):
        path = Path(frame.f_code.co_filename)
        for dotted in _attribute_chains(path, line):
            if _value_of(dotted, frame) is None:
                return dotted, f"{path.resolve().relative_to(root).as_posix()}:{line}"
    return None


def _attribute_chains(path: Path, line: int) -> list[str]:
    """The dotted names (``a.b``, ``a.b.c``) read by the statement of ``path`` that holds ``line``, in order."""
    try:
        tree = ast.parse(path.read_text(errors="replace"))
    except (OSError, SyntaxError, ValueError):
        return []
    spans = [span for node in ast.walk(tree) if isinstance(node, ast.stmt) for span in _read_on(node)
             if span[0] <= line <= span[1]]
    if not spans:
        return []
    _, _, expressions = min(spans, key=lambda span: span[1] - span[0])
    chains = []
    for node in (inner for expression in expressions for inner in ast.walk(expression)):
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
            parts, inner = [node.attr], node.value
            while isinstance(inner, ast.Attribute):
                parts.append(inner.attr)
                inner = inner.value
            if isinstance(inner, ast.Name):
                chains.append(".".join([inner.id, *reversed(parts)]))
    return sorted(set(chains), key=chains.index)


def _read_on(statement: ast.stmt) -> list[tuple[int, int, list[ast.AST]]]:
    """(first line, last line, what is read there) of a statement: a simple one whole; of a compound one its
    header only (``with open(args.config) as f:``, ``if``, ``for``), never its body."""
    headers = {ast.With: lambda n: [item.context_expr for item in n.items],
               ast.AsyncWith: lambda n: [item.context_expr for item in n.items],
               ast.If: lambda n: [n.test], ast.While: lambda n: [n.test], ast.For: lambda n: [n.iter],
               ast.AsyncFor: lambda n: [n.iter]}
    body = getattr(statement, "body", None)
    if not body:
        return [(statement.lineno, statement.end_lineno or statement.lineno, [statement])]
    header = headers.get(type(statement))
    if header is None:
        return []
    return [(statement.lineno, max(statement.lineno, body[0].lineno - 1), header(statement))]


_UNREAD = object()


def _value_of(dotted: str, frame) -> object:
    """The value of ``dotted`` in ``frame``, attributes read as stored; ``_UNREAD`` when it cannot be read so."""
    import builtins
    import inspect

    first, *rest = dotted.split(".")
    value = frame.f_locals.get(first, frame.f_globals.get(first, getattr(builtins, first, _UNREAD)))
    for name in rest:
        if value is _UNREAD:
            return _UNREAD
        try:
            value = inspect.getattr_static(value, name)
        except AttributeError:
            return _UNREAD
        if hasattr(value, "__get__") and not callable(value):  # a property or other descriptor: not run
            return _UNREAD
    return value


def failure(card: ModelCard, exc: BaseException, what: str, where: str, directory: Path, checkout: Path,
            route: str) -> ZooBuildError:
    """The error for zoo code that raised ``exc`` while ``what`` (e.g. "running export.py") ran."""
    text = str(exc) or repr(exc)
    if isinstance(exc, ZooBuildError):
        return exc
    at = zoo_frame(exc, directory)
    if at:
        what = f"{what} ({at})"
    if isinstance(exc, ModuleNotFoundError):
        return missing_module(card, exc, directory, checkout, where, route)
    if _removed_api(exc):
        line = f" ({at})" if at else ""
        return ZooBuildError(f"{card.uid}: the zoo's code at {where}{line} uses an API that MindSpore "
                             f"{_mindspore_version()} removed, with no exact equivalent here ({type(exc).__name__}: "
                             f"{text})", Failure.REMOVED_API, route)
    if isinstance(exc, ScriptOptionError):
        return ZooBuildError(f"{card.uid}: {what} of {where}: {text}", Failure.OPTIONS, route)
    if isinstance(exc, SystemExit):
        return ZooBuildError(f"{card.uid}: {what} of {where} exited (code {exc.code!r}) before building a network",
                             "script-exit", route)
    if isinstance(exc, MissingDataError):  # the script read a dataset stand-in (``eval_capture``) before its network
        return ZooBuildError(f"{card.uid}: {what} of {where} needs data that is not here: {text}", Failure.DATA_FILE,
                             route)
    if isinstance(exc, OSError) and str(exc.filename).startswith(ABSENT_DATA_ROOT + "/"):
        option = str(exc.filename)[len(ABSENT_DATA_ROOT) + 1:].partition("/")[0]
        return ZooBuildError(f"{card.uid}: {what} of {where} reads {exc.filename} from its option {option!r}, which "
                             f"has no value here: it needs that data to build its network (pass {option}=... to load)",
                             Failure.DATA_FILE, route)
    if isinstance(exc, OSError) and exc.filename:
        return ZooBuildError(f"{card.uid}: {what} of {where} reads {exc.filename}, which is not in that code "
                             f"(a data set or a file made by training): it cannot run without it "
                             f"({type(exc).__name__}: {exc.strerror or text})", Failure.DATA_FILE, route)
    missing = _missing_path(text) if isinstance(exc, (RuntimeError, ValueError, AssertionError)) else None
    if missing:
        return ZooBuildError(f"{card.uid}: {what} of {where} reads {missing}, which is not here (a data set or a "
                             f"file made by training): it cannot run without it ({type(exc).__name__}: {text})",
                             Failure.DATA_FILE, route)
    unbuilt = _cell_not_initialized(exc, directory)
    if unbuilt:
        return ZooBuildError(f"{card.uid}: {what} of {where} failed: {unbuilt} ({type(exc).__name__}: {text})",
                             Failure.ZOO_ERROR, route)
    if unset_option(exc):
        found = none_valued(exc, directory)
        if found is not None:
            dotted, at = found
            return ZooBuildError(f"{card.uid}: {what} of {where} uses {dotted} ({at}), which has no value (None) here;"
                                 f" pass {dotted.rpartition('.')[2]}=... to load() ({type(exc).__name__}: {text})",
                                 Failure.OPTIONS, route)
        return ZooBuildError(f"{card.uid}: {what} of {where} uses an option that has no value (None) here; "
                             f"pass it to load() as a keyword ({type(exc).__name__}: {text})", Failure.OPTIONS, route)
    unbound_in = never_bound(exc, directory)
    if unbound_in is not None:
        error = ZooBuildError(f"{card.uid}: {what} of {where} failed: {type(exc).__name__}: {text} ({unbound_in} "
                              f"uses {exc.name!r} and never imports or defines it: an error in the zoo's code at this "
                              "release, which fails so under any MindSpore)", Failure.ZOO_ERROR, route)
        error.unbound = (unbound_in, exc.name)
        return error
    return ZooBuildError(f"{card.uid}: {what} of {where} failed: {type(exc).__name__}: {text}", Failure.ZOO_ERROR,
                         route)
