"""While zoo code runs, it may build a network and read files, and nothing else with side effects.

The model zoo's scripts were written for training clusters: they run shell commands (``make``,
``cp``, ``rm -rf``, ``sed -i``), write and delete files beside them, download data and exit the
process. Run inside a user's own process they must not. One process-wide runtime audit hook (PEP 578)
is installed the first time zoo code runs; it acts only in the context that runs zoo code (a context
variable, set by ``guarded``, copied into threads that code starts), so the user's own code, other
threads and the hub's own I/O (cache, git, downloads, all outside that context) are untouched:

- **commands** (``os.system``, ``os.popen``, ``subprocess``, ``os.exec*``/``spawn*``/``fork``,
  ``pty.spawn``) are refused: ``os.system`` returns a failure status (126, "cannot execute") and
  ``os.popen`` an empty output whose ``close()`` says the same, so a script can carry on; the others
  raise ``ZooActionRefused`` (a ``PermissionError``, as for a command that cannot be executed);
- **writes** (opening for writing, creating, removing, renaming, ``chmod``, links, ``shutil``'s
  copies, moves and ``rmtree``) outside the code's own directory and a scratch directory of the run
  (where ``tempfile`` points while the code runs; removed afterwards), and the folder of this process where
  numba's and matplotlib's caches go unless the user set their place, raise ``ZooActionRefused``;
  reading anything stays allowed, and so do the interpreter's own bytecode caches;
- **network** (connections, sends, binds, name lookups, ``urllib`` requests) raises
  ``ZooActionRefused`` saying that the hub fetches what a card needs itself;
- **exit and signals**: ``os._exit`` and ``os.abort`` (they raise no audit event: they are replaced
  by wrappers that pass through outside zoo code) raise ``ZooExit``, a ``SystemExit`` the routes
  already contain; ``os.kill``, ``os.killpg``, ``signal.pthread_kill`` and ``signal.raise_signal``
  raise ``ZooActionRefused``;
- **environment**: variables the code sets or removes are put back afterwards.

Every refusal is recorded (kind, what, ``file:line`` of the zoo code that did it) on the run's
``Guard`` and in every ``recorded()`` list open in that context: the routes turn them into load report
notes. This is a guard against cluster housekeeping, not a sandbox: code that means harm can go
around audit hooks (``ctypes``, C extensions).
"""
from __future__ import annotations

import _thread
import atexit
import contextvars
import errno
import functools
import io
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

COMMAND, WRITE, NETWORK, EXIT, SIGNAL, WAIT = "command", "write", "network", "exit", "signal", "wait"
KINDS = (COMMAND, WRITE, NETWORK, EXIT, SIGNAL, WAIT)
WAIT_BUDGET = 10.0  # seconds of time.sleep a run may ask for (none is slept): past it, the code waits in vain
REFUSED_STATUS = 126 << 8  # os.system's wait status for "command cannot execute" (a shell's 126)
MAX_NOTES = 10  # refusals listed one by one on a load report; the rest are counted
LIBRARY_CACHES = {"NUMBA_CACHE_DIR": "numba-cache", "MPLCONFIGDIR": "matplotlib"}  # variable -> folder of the scratch
_WHY = {COMMAND: "run commands", WRITE: "write outside its own directory and its scratch directory",
        NETWORK: "use the network (the hub downloads and verifies what a card needs itself; a script that "
                 "needs to download something cannot be run by the hub)",
        EXIT: "end the process", SIGNAL: "send signals",
        WAIT: "wait for what a cluster would provide (another rank's files, a server): nothing here will come"}
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC
_BYTECODE_WRITER = "<frozen importlib._bootstrap_external>"


class ZooActionRefused(PermissionError):
    """An action zoo code may not take while the hub runs it; ``kind`` is one of ``KINDS``."""

    def __init__(self, kind: str, detail: str, at: str) -> None:
        where = f" at {at}" if at else ""
        super().__init__(errno.EACCES, f"the hub refused {detail}{where}: zoo code may not {_WHY[kind]} "
                                       "while the hub runs it")
        self.kind, self.detail, self.at = kind, detail, at

    def __reduce__(self):
        return type(self), (self.kind, self.detail, self.at)


class ZooExit(SystemExit):
    """``os._exit``/``os.abort`` called by zoo code: unwinds the code like ``sys.exit`` instead."""

    def __init__(self, detail: str, status: int) -> None:
        super().__init__(f"the hub refused {detail}: zoo code may not end the process")
        self.code, self.detail = status, detail

    def __reduce__(self):
        return type(self), (self.detail, self.code)


@dataclass(frozen=True)
class Refusal:
    kind: str
    detail: str  # the call, e.g. "os.system('make')"
    at: str  # file:line of the zoo code that made it, relative to its directory

    def __str__(self) -> str:
        return f"refused: {self.detail}" + (f" at {self.at}" if self.at else "")


@dataclass
class Guard:
    """One run of zoo code: where it may write, what was refused, the environment to put back."""

    directory: Path
    scratch: Path
    environment: dict[str, str]
    refused: list[Refusal] = field(default_factory=list)
    env_keys: set[str] = field(default_factory=set)
    slept: float = 0.0  # seconds of time.sleep asked for

    def __post_init__(self) -> None:
        self._roots = tuple({os.path.realpath(self.directory), os.path.abspath(self.directory)})
        self._writable = (*self._roots, os.path.realpath(self.scratch), os.path.realpath(library_caches()))

    def may_write(self, path: str, entry: bool = False) -> bool:
        """``entry``: the operation is on the name itself (remove, rename, create), which must be inside."""
        if path == os.devnull:
            return True
        return any(path.startswith(root + os.sep) or (path == root and not entry) for root in self._writable)

    def record(self, kind: str, detail: str) -> Refusal:
        refusal = Refusal(kind, detail, self._zoo_frame())
        self.refused.append(refusal)
        for sink in _SINKS.get():
            sink.append(refusal)
        return refusal

    def refuse(self, kind: str, detail: str) -> None:
        refusal = self.record(kind, detail)
        raise ZooActionRefused(kind, detail, refusal.at)

    def _zoo_frame(self) -> str:
        frame = sys._getframe(1)
        innermost = ""
        while frame is not None:
            name = frame.f_code.co_filename
            root = next((r for r in self._roots if name.startswith(r + os.sep)), None)
            if root is not None:
                return f"{os.path.relpath(name, root)}:{frame.f_lineno}"
            if not innermost and name != __file__ and not name.startswith("<"):
                innermost = f"{os.path.basename(name)}:{frame.f_lineno}"
            frame = frame.f_back
        return innermost

    def restore_environment(self) -> None:
        for key in self.env_keys:
            if key in self.environment:
                os.environ[key] = self.environment[key]
            else:
                os.environ.pop(key, None)
                os.unsetenv(key)


_ACTIVE: contextvars.ContextVar[Guard | None] = contextvars.ContextVar("mshub_zoo_guard", default=None)
_SINKS: contextvars.ContextVar[tuple[list, ...]] = contextvars.ContextVar("mshub_zoo_refusals", default=())
_INSTALL_LOCK = threading.Lock()
_REAL: dict[str, Callable] = {}


def active() -> Guard | None:
    """The guard of the zoo code running in this context, if any."""
    return _ACTIVE.get()


@contextmanager
def guarded(directory: Path) -> Iterator[Guard]:
    """Run the body as zoo code of ``directory``: guarded as the module says, in this context only."""
    install()
    scratch = Path(tempfile.mkdtemp(prefix="mshub-zoo-run-"))
    guard = Guard(Path(directory), scratch, dict(os.environ))
    token = _ACTIVE.set(guard)
    _point_library_caches(guard.environment)
    try:
        yield guard
    finally:
        _ACTIVE.reset(token)
        guard.restore_environment()
        shutil.rmtree(scratch, ignore_errors=True)


_LIBRARY_CACHES: list[Path] = []  # this process's folder for the caches of libraries zoo code imports


def library_caches() -> Path:
    """One folder per process, removed when it exits, that libraries imported by zoo code keep their caches
    in (numba's compiled functions, matplotlib's font list): they fix the place when imported, during one
    run, and use it in later runs and after, so it outlives each run's scratch directory."""
    with _INSTALL_LOCK:
        if not _LIBRARY_CACHES or not _LIBRARY_CACHES[0].is_dir():
            folder = Path(tempfile.mkdtemp(prefix="mshub-library-caches-"))
            atexit.register(shutil.rmtree, str(folder), True)
            _LIBRARY_CACHES[:] = [folder]
        return _LIBRARY_CACHES[0]


def _point_library_caches(environment: dict[str, str]) -> None:
    """While zoo code runs, numba's and matplotlib's caches go to ``library_caches()`` unless the user set
    their place (in the user's home or the library's install the guard would refuse the writes, and
    librosa's cached numba functions cannot load without a cache). The environment is put back with the
    guard's; an already imported numba, which read it at import, is told directly and keeps the folder."""
    for variable, folder in LIBRARY_CACHES.items():
        if not environment.get(variable):
            os.environ[variable] = str(library_caches() / folder)
    config = sys.modules.get("numba.core.config")
    if config is not None and not environment.get("NUMBA_CACHE_DIR") and not getattr(config, "CACHE_DIR", None):
        config.CACHE_DIR = os.environ["NUMBA_CACHE_DIR"]


@contextmanager
def recorded() -> Iterator[list[Refusal]]:
    """Every refusal made in this context while the body runs (by any number of guarded runs)."""
    found: list[Refusal] = []
    token = _SINKS.set(_SINKS.get() + (found,))
    try:
        yield found
    finally:
        _SINKS.reset(token)


def refusal_notes(refusals: list[Refusal]) -> list[str]:
    """Load report notes: each distinct refusal (the first ``MAX_NOTES``), then how many more."""
    distinct = list(dict.fromkeys(refusals))
    lines = [str(r) for r in distinct[:MAX_NOTES]]
    rest = distinct[MAX_NOTES:]
    if rest:
        kinds = ", ".join(sorted({r.kind for r in rest}))
        lines.append(f"refused {len(rest)} more actions of the code ({kinds})")
    return lines


def install() -> None:
    """Add the audit hook and the wrappers, once per process."""
    with _INSTALL_LOCK:
        if _REAL:
            return
        for module, name, wrapper in ((os, "system", _system), (os, "popen", _popen), (os, "_exit", _exit),
                                      (os, "abort", _abort), (signal, "raise_signal", _raise_signal),
                                      (tempfile, "gettempdir", _gettempdir), (tempfile, "gettempdirb", _gettempdirb),
                                      (os, "mkdir", _mkdir), (time, "sleep", _sleep),
                                      (threading, "_start_new_thread", _thread_starter),
                                      (_thread, "start_new_thread", _thread_starter)):
            real = getattr(module, name, None)
            if real is not None:
                _REAL[f"{module.__name__}.{name}"] = real
                setattr(module, name, functools.wraps(real)(functools.partial(wrapper, real)))
        sys.addaudithook(_hook())


def _hook() -> Callable[[str, tuple], None]:
    """The audit hook: called for every audit event of the process, it returns at once outside zoo code
    (its lookups are bound here: at interpreter shutdown the module's globals may already be gone)."""
    handler_of, current, enter, leave = _HANDLERS.get, _ACTIVE.get, _ACTIVE.set, _ACTIVE.reset

    def hook(event: str, args: tuple) -> None:
        handler = handler_of(event)
        if handler is None:
            return
        guard = current()
        if guard is None:
            return
        token = enter(None)  # what the handler itself does is not zoo code
        try:
            handler(guard, event, args)
        finally:
            leave(token)

    return hook


# ---- the wrappers of calls that raise no audit event (or whose failure value is given instead) ----

def _system(real: Callable, command) -> int:
    guard = _ACTIVE.get()
    if guard is None:
        return real(command)
    guard.record(COMMAND, f"os.system({_text(command)})")
    return REFUSED_STATUS


class _RefusedPipe(io.StringIO):
    """What ``os.popen`` gives zoo code: no output, and ``close()`` returns a failure status."""

    def close(self) -> int:  # type: ignore[override]
        super().close()
        return REFUSED_STATUS


def _popen(real: Callable, cmd, mode: str = "r", buffering: int = -1):
    guard = _ACTIVE.get()
    if guard is None:
        return real(cmd, mode, buffering)
    guard.record(COMMAND, f"os.popen({_text(cmd)})")
    return _RefusedPipe()


def _exit(real: Callable, status: int) -> None:
    guard = _ACTIVE.get()
    if guard is None:
        real(status)
    detail = f"os._exit({status!r})"
    guard.record(EXIT, detail)
    raise ZooExit(detail, status)


def _abort(real: Callable) -> None:
    guard = _ACTIVE.get()
    if guard is None:
        real()
    guard.record(EXIT, "os.abort()")
    raise ZooExit("os.abort()", 134)


def _raise_signal(real: Callable, signum) -> None:
    guard = _ACTIVE.get()
    if guard is None:
        return real(signum)
    guard.refuse(SIGNAL, f"signal.raise_signal({_signal_name(signum)})")


def _mkdir(real: Callable, path, mode: int = 0o777, *, dir_fd=None):
    """A directory zoo code may not make is not made, and the code goes on (it would fail on what it then
    writes there, which is refused in turn): the zoo's eval scripts make ``/cache/mindrecord`` before their
    data code, which the eval route replaces with a stand-in when it fails."""
    guard = _ACTIVE.get()
    if guard is None:
        return real(path, mode, dir_fd=dir_fd)
    resolved = _resolve(path, dir_fd, follow=False)
    if guard.may_write(resolved, True) or _bytecode_cache(resolved):
        return real(path, mode, dir_fd=dir_fd)
    if os.path.lexists(resolved):  # makedirs(exist_ok=True) of what is there
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), os.fsdecode(path))
    guard.record(WRITE, f"os.mkdir({_text(path)}) (not made; the code went on)")


def _sleep(real: Callable, seconds) -> None:
    """Zoo code sleeps only to wait for another process of a cluster (``while not os.path.exists(record):
    time.sleep(5)`` in the zoo's eval scripts, for the rank that writes it): it returns at once, and once the
    run has asked for ``WAIT_BUDGET`` seconds the wait is refused, so the code stops instead of waiting forever."""
    guard = _ACTIVE.get()
    if guard is None:
        return real(seconds)
    guard.slept += float(seconds)
    if guard.slept > WAIT_BUDGET:
        guard.refuse(WAIT, f"time.sleep({seconds!r}) (after {guard.slept - float(seconds):.0f} s asked for)")
    return None


def _gettempdir(real: Callable) -> str:
    guard = _ACTIVE.get()
    return real() if guard is None else str(guard.scratch)


def _gettempdirb(real: Callable) -> bytes:
    guard = _ACTIVE.get()
    return real() if guard is None else os.fsencode(guard.scratch)


def _thread_starter(real: Callable, function, *args, **kwargs):
    """A thread zoo code starts runs guarded too (a new thread would start in an empty context)."""
    if _ACTIVE.get() is None:
        return real(function, *args, **kwargs)
    return real(functools.partial(contextvars.copy_context().run, function), *args, **kwargs)


# ---- audit events ----

def _command(guard: Guard, event: str, args: tuple) -> None:
    shown = {"os.system": lambda: _text(args[0]), "subprocess.Popen": lambda: _text(_argv(args[1])),
             "os.posix_spawn": lambda: _text(_argv(args[1])), "os.exec": lambda: _text(_argv(args[1])),
             "os.spawn": lambda: _text(_argv(args[2])), "pty.spawn": lambda: _text(_argv(args[0]))}
    guard.refuse(COMMAND, f"{event}({shown[event]() if event in shown else ''})")


def _open(guard: Guard, event: str, args: tuple) -> None:
    path, mode, flags = args
    if isinstance(path, int) or not flags & _WRITE_FLAGS:
        return  # reading, or a descriptor already open
    resolved = _resolve(path)
    if guard.may_write(resolved) or _bytecode_cache(resolved):
        return
    guard.refuse(WRITE, f"open({_text(path)}, {mode!r})" if mode else f"os.open({_text(path)}, {_flags(flags)})")


# event -> (positions of the paths it writes, whether the operation is on the name itself, dir_fd positions)
_PATHS = {
    "os.remove": ((0,), True, (1,)), "os.rmdir": ((0,), True, (1,)), "os.rename": ((0, 1), True, (2, 3)),
    "os.mkdir": ((0,), True, (2,)), "os.link": ((0, 1), True, (2, 3)), "os.symlink": ((1,), True, (2,)),
    "os.mkfifo": ((0,), True, (2,)), "os.mknod": ((0,), True, (3,)), "os.chmod": ((0,), False, (2,)),
    "os.chown": ((0,), False, (3,)), "os.chflags": ((0,), False, ()), "os.lchflags": ((0,), True, ()),
    "os.truncate": ((0,), False, ()), "os.utime": ((0,), False, (3,)), "os.setxattr": ((0,), False, ()),
    "os.removexattr": ((0,), False, ()), "shutil.rmtree": ((0,), True, (1,)), "shutil.copyfile": ((1,), False, ()),
    "shutil.copymode": ((1,), False, ()), "shutil.copystat": ((1,), False, ()),
    "shutil.copytree": ((1,), True, ()), "shutil.move": ((0, 1), True, ()), "shutil.chown": ((0,), False, ()),
    "shutil.make_archive": ((0,), True, ()), "shutil.unpack_archive": ((1,), False, ()),
}


def _path_change(guard: Guard, event: str, args: tuple) -> None:
    positions, entry, dir_fds = _PATHS[event]
    dir_fd = next((args[i] for i in dir_fds if i < len(args) and args[i] not in (None, -1)), None)
    paths = [args[i] for i in positions if i < len(args) and args[i] is not None]
    for path in paths:
        if isinstance(path, int):
            continue  # a descriptor already open
        resolved = _resolve(path, dir_fd, follow=not entry)
        if guard.may_write(resolved, entry) or _bytecode_cache(resolved):
            continue
        if event == "os.mkdir" and os.path.lexists(resolved):  # makedirs(exist_ok=True) of what is there
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), os.fsdecode(path))
        guard.refuse(WRITE, f"{event}({', '.join(_text(p) for p in paths)})")


def _network(guard: Guard, event: str, args: tuple) -> None:
    if event in ("socket.connect", "socket.sendto", "socket.bind"):
        shown = repr(args[1])
    elif event == "socket.sendmsg":
        shown = repr(args[1]) if len(args) > 1 else ""
    elif event == "urllib.Request":
        shown = repr(args[0])
    elif event == "socket.getaddrinfo":
        shown = f"{args[0]!r}, {args[1]!r}"
    elif event.endswith(("connect", "open")) and len(args) > 2:  # http.client, ftplib, smtplib...: (self, host, port)
        shown = f"{args[1]!r}, {args[2]!r}"
    else:
        shown = repr(args[0]) if args else ""
    guard.refuse(NETWORK, f"{event}({shown})")


def _signal(guard: Guard, event: str, args: tuple) -> None:
    target, signum = args[0], args[1]
    if signum == 0:
        return  # a probe: no signal is sent
    guard.refuse(SIGNAL, f"{event}({target!r}, {_signal_name(signum)})")


def _environment(guard: Guard, event: str, args: tuple) -> None:
    guard.env_keys.add(os.fsdecode(args[0]))


_HANDLERS: dict[str, Callable[[Guard, str, tuple], None]] = {
    **dict.fromkeys(("os.system", "subprocess.Popen", "os.posix_spawn", "os.exec", "os.spawn", "os.fork",
                     "os.forkpty", "pty.spawn", "os.startfile"), _command),
    "open": _open,
    **dict.fromkeys(_PATHS, _path_change),
    **dict.fromkeys(("socket.connect", "socket.sendto", "socket.sendmsg", "socket.bind", "socket.getaddrinfo",
                     "socket.gethostbyname", "socket.gethostbyaddr", "socket.getnameinfo", "urllib.Request",
                     "http.client.connect", "ftplib.connect", "smtplib.connect", "poplib.connect",
                     "imaplib.open", "nntplib.connect", "telnetlib.Telnet.open", "webbrowser.open"), _network),
    **dict.fromkeys(("os.kill", "os.killpg", "signal.pthread_kill"), _signal),
    **dict.fromkeys(("os.putenv", "os.unsetenv"), _environment),
}


# ---- helpers ----

def _resolve(path, dir_fd: int | None = None, follow: bool = True) -> str:
    """The absolute path an operation on ``path`` reaches; ``follow`` False: its last part is not resolved
    (removing or renaming a link acts on the link)."""
    text = os.fsdecode(path)
    if dir_fd is not None and not os.path.isabs(text):
        try:
            text = os.path.join(os.readlink(f"/proc/self/fd/{dir_fd}"), text)
        except OSError:
            pass
    text = os.path.abspath(text)
    if follow:
        return os.path.realpath(text)
    head, tail = os.path.split(text)
    return os.path.join(os.path.realpath(head), tail)


def _bytecode_cache(path: str) -> bool:
    """The import system writing a ``__pycache__`` entry for a module the code imports (the call
    comes straight from importlib: this helper, the event's handler and the hook are the frames between)."""
    if "__pycache__" not in (os.path.basename(os.path.dirname(path)), os.path.basename(path)):
        return False
    return sys._getframe(3).f_code.co_filename == _BYTECODE_WRITER


def _argv(args) -> str:
    if isinstance(args, (str, bytes, os.PathLike)):
        return os.fsdecode(args)
    return " ".join(os.fsdecode(a) if isinstance(a, (str, bytes, os.PathLike)) else str(a) for a in args)


def _text(value, limit: int = 120) -> str:
    """``value`` as the note shows it: quoted, bytes decoded, cut at ``limit`` characters."""
    if isinstance(value, (bytes, os.PathLike)):
        value = os.fsdecode(value)
    shown = repr(value) if isinstance(value, str) else str(value)
    return shown if len(shown) <= limit else shown[:limit - 4] + "...'"


def _flags(flags: int) -> str:
    names = [n for n in ("O_WRONLY", "O_RDWR", "O_CREAT", "O_APPEND", "O_TRUNC") if flags & getattr(os, n)]
    return "|".join(names) or str(flags)


def _signal_name(signum) -> str:
    try:
        return signal.Signals(signum).name
    except ValueError:
        return str(signum)
