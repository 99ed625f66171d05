"""Everything zoo code runs inside, for both zoo routes: its own namespace (``namespace``), the names
today's MindSpore and numpy removed (``compat``), a command line that never exits
(``script_args``), its prints on stderr (so a machine-readable stdout stays clean) and, for scripts,
its own directory as the working directory, and a single-device environment (``DEVICE_ID``...).
Afterwards the user's modules, ``sys.path``, ``sys.argv``, working directory and environment are as
they were. Inside, ``guard`` refuses commands, writes outside the code's directory, network, exits and
signals, in this context only; what it refused is on ``ZooRun.guard``."""
from __future__ import annotations

import os
import sys
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from ..compat.graph_division import written_for_1x
from ..compat.supplied import removed_names_supplied
from .argv import ScriptOptions, checkpoint_options, tolerant_command_line
from .context import ZooContext, zoo_context
from .guard import Guard, guarded
from .namespace import zoo_namespace
from .patches import substituted

# The single-device environment zoo code reads (``os.getenv("DEVICE_ID")`` and the like), where unset.
DEVICE_ENV = {"DEVICE_ID": "0", "RANK_ID": "0", "RANK_SIZE": "1", "DEVICE_NUM": "1"}


@contextmanager
def _single_device_environment() -> Iterator[None]:
    added = [k for k in DEVICE_ENV if k not in os.environ]
    os.environ.update({k: DEVICE_ENV[k] for k in added})
    try:
        yield
    finally:
        for key in added:
            os.environ.pop(key, None)


class Unclosable:
    """The stream zoo code prints to: the process's stderr, which the code may wrap, replace or close as it
    likes (pcb_rpp's ``Logger`` closes the stream it wrapped when it is collected) without closing it for the
    process."""

    def __init__(self, stream) -> None:
        self._stream = stream

    def close(self) -> None:
        pass

    @property
    def closed(self) -> bool:
        return False

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


@contextmanager
def _prints_to_stderr() -> Iterator[None]:
    """While zoo code runs its prints go to stderr, so a machine-readable stdout stays clean; afterwards
    ``sys.stdout`` and ``sys.stderr`` are what they were, whatever the code set them to."""
    saved = sys.stdout, sys.stderr
    try:
        with redirect_stdout(Unclosable(sys.stderr)):
            yield
    finally:
        sys.stdout, sys.stderr = saved


@contextmanager
def _program_name(script_file: Path | None) -> Iterator[None]:
    """``sys.argv[0]`` as ``python <script>`` gives it, for a script the hub runs: the host's own (``-`` for a
    program read from stdin, ``-c``) is no name of the zoo's script, and code that reads every word of
    ``sys.argv`` as an option (NFNet's ``argv_to_vars`` strips leading hyphens from each, and fails on ``-``)
    takes it for one. Zoo code alone sees it (``patches``); a hub conf, imported as MindSpore Hub imports it,
    keeps the host's."""
    if script_file is None:
        yield
        return
    with substituted([(sys, "argv", [str(script_file), *sys.argv[1:]])]):
        yield


@dataclass
class ZooRun:
    compat: list[str]  # removed names the code used, as the load report says them
    options: ScriptOptions
    guard: Guard  # what the code tried that was refused
    context: ZooContext  # the settings of the process it asked for, none applied


@contextmanager
def running_zoo_code(directory: Path, overrides: dict | None = None, fresh: bool = False,
                     cwd: Path | None = None, script: bool = False,
                     chooser: Callable[[list], dict] | None = None,
                     script_file: Path | None = None, release: str = "", variant: str = "",
                     device: str | None = "CPU", data: bool = False,
                     given: dict[str, str] | None = None) -> Iterator[ZooRun]:
    """``script``: the code is a script run as an export (it gets an export's command line);
    ``release``: the code's release (1.x code's ``construct`` divides ints as 1.x graphs did);
    ``chooser``: sets options of the script's own (see ``script_args``); ``script_file``: the script, whose
    ``load_checkpoint(args.<option>)`` calls say which options hold a checkpoint path; ``variant``: which kept
    import of the directory the code sees (``namespace``); ``device``: what a script's device option is set to where
    it offers it, the CPU unless said otherwise (None: its own default stays; the device is never applied to the
    process either way); ``script``: also ``sys.argv[0]`` is ``script_file``, as ``python <script>`` gives it;
    ``data``: a run for the eval pipeline, whose data options with no value get paths that are not there
    (``argv.absent_data``); ``given``: option -> a word its flag gets on the script's command line."""
    loaded = checkpoint_options(script_file) if script_file is not None else frozenset()
    saved_cwd = os.getcwd()
    with zoo_namespace(directory, fresh, one_x=written_for_1x(release), variant=variant), zoo_context() as context, \
            removed_names_supplied() as compat, _program_name(script_file if script else None), \
            tolerant_command_line(overrides or {}, export=script, chooser=chooser, loaded=loaded,
                                  device=device, data=data, given=given) as options, \
            _prints_to_stderr(), _single_device_environment(), guarded(directory) as guard:
        try:
            if cwd is not None:
                os.chdir(cwd)
            yield ZooRun(compat, options, guard, context)
        finally:
            os.chdir(saved_cwd)
