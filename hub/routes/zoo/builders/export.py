"""Route: a model zoo card whose directory has no ``mindspore_hub_conf.py`` but an ``export.py`` (the
zoo's way to export MindIR) gets the network that script hands to ``mindspore.export``.

The script runs as ``__main__`` in the directory's own namespace, freshly imported, with its own
directory as working directory (``run``); ``capture`` takes the network instead of writing
a file, makes its checkpoint loading a no-op and keeps the user's device and context; ``script_args``
gives it the command line of an export (and the caller's ``key=value`` overrides). MindSpore Hub
cannot load these cards at all.

A directory without ``export.py`` whose export script has another name (``export_model.py`` in ADNet,
``export_mindir.py`` in siamRPN, ``midas_export.py`` in midas) is built by that script the same way.
The candidates are the directory's own ``*.py`` files, found by name and then by a text search for an
``export(`` call (nothing is run to find them), in this order: ``export_*.py``, then ``*_export.py``,
then any other name holding ``export``; within one of these, a name holding the card's model name
(case, ``_`` and ``-`` ignored) first, then by name.

A directory with no export script of its own but an ``export.py`` one folder down that calls ``export(``
(pointnet's ``src/export.py``, which its README runs as ``python src/export.py`` from the directory) has that
script tried last, after its ``eval.py`` (``nested_script``): it runs the same way, from the directory.
"""
from __future__ import annotations

import re
from pathlib import Path

from ....cards.record import ModelCard
from ....errors import ZooBuildError
from ....weights.heads import class_count_keys
from ...names import Route
from ..failures import failure, unset_option
from ..sandbox.capture import captured_exports
from ..sandbox.namespace import run_as_main
from ..sandbox.run import running_zoo_code
from ..source.code import CodeDir
from ..source.documented import documented_value, named_option, option_of_missing_file
from ..variants.selection import VARIANTS_ATTRIBUTE, selection_for
from .options import (
    ZooBuilt,
    check_options_taken,
    check_positional,
    device_note,
    devices_to_retry,
    documented_note,
    run_notes,
    run_record,
)

ROUTE = Route.EXPORT
# what the load report says when a script built once its data options with no value had paths that are not there
ABSENT_DATA_NOTE = ("data options with no value given paths that are not there (the script joins them into paths; "
                    "it built without reading them): without them it did not run")
SCRIPT = "export.py"
OTHER_SCRIPT_NOTE = "export script:"  # how the load report names a script under another name
# other names of an export script, in the order they are tried (see the module's docstring)
OTHER_NAMES = (re.compile(r"export_\w+\.py"), re.compile(r"\w+_export\.py"), re.compile(r"\w*export\w*\.py"))
# a call of mindspore.export (``export(``, ``ms.export(``, ...), not a definition of a function named export
_EXPORT_CALL = re.compile(r"(?<!def )(?<![\w])export\s*\(")


def has_script(code: CodeDir) -> bool:
    return script_of(code) is not None


def script_of(code: CodeDir, card: ModelCard | None = None) -> str | None:
    """The file name of the directory's export script: ``export.py``, else the first of
    ``other_scripts`` (the card's model name breaks ties); None when there is none."""
    if (code.path / SCRIPT).is_file():
        return SCRIPT
    others = other_scripts(code.path, _squash(card.model_name or card.backbone or "") if card else "")
    return others[0] if others else None


def other_scripts(directory: Path, name: str = "") -> list[str]:
    """Export scripts of ``directory`` under other names than export.py, in the documented order."""
    found = []
    for path in sorted(directory.glob("*.py")):
        rank = next((i for i, pattern in enumerate(OTHER_NAMES) if pattern.fullmatch(path.name.lower())), None)
        if rank is None or path.name == SCRIPT:
            continue
        try:
            if not _EXPORT_CALL.search(path.read_text(errors="replace")):
                continue
        except OSError:
            continue
        found.append((rank, not (name and name in _squash(path.stem)), path.name))
    return [file_name for *_, file_name in sorted(found)]


def nested_script(code: CodeDir) -> str | None:
    """``<folder>/export.py`` (a folder of the directory, the first by name) that calls ``export(``, for a
    directory with no export script of its own; None when there is none."""
    if script_of(code) is not None:
        return None
    for path in sorted(code.path.glob(f"*/{SCRIPT}")):
        if path.parent.name.startswith("."):
            continue
        try:
            if _EXPORT_CALL.search(path.read_text(errors="replace")):
                return path.relative_to(code.path).as_posix()
        except OSError:
            continue
    return None


def _squash(text: str) -> str:
    return re.sub(r"[_\-\s]", "", text).lower()


def _run(directory: Path, script: str, kwargs: dict, chooser, release: str = "", device: str | None = "CPU",
         given: dict[str, str] | None = None, data: bool = False):
    """Run the script once: (what its command line took, what it exported, the error it ended with). ``data``:
    its data options with no value get paths that are not there (``argv.absent_data``)."""
    error: BaseException | None = None
    with running_zoo_code(directory, kwargs, fresh=True, cwd=directory, script=True, chooser=chooser,
                          script_file=directory / script, release=release, device=device, given=given,
                          data=data) as run, \
            captured_exports() as captured:
        try:
            run_as_main(directory / script)
        except (Exception, SystemExit) as exc:  # judged by the caller: a script may fail after its export
            error = exc
    return run, captured, error


def build(card: ModelCard, code: CodeDir, where: str, args: tuple, kwargs: dict, script: str | None = None):
    """(network, notes for the load report, option keys that set a class count); ``net.example_inputs``
    holds what the script exported it with. ``script``: the directory's export script (``script_of``) unless
    given (``nested_script``)."""
    directory = code.path
    script = script or script_of(code, card) or SCRIPT
    check_positional(card, where, script, args, ROUTE)
    selection = selection_for(card, directory, kwargs, script)  # the card's own variant of the network (``variants``)
    run, captured, error = _run(directory, script, kwargs, selection.choose, code.ref.release)
    retried = ""
    for device in devices_to_retry(card, kwargs, run.options) if not captured.exports else ():
        again = _run(directory, script, kwargs, selection.choose, code.ref.release, device)
        if again[1].exports:
            retried = device_note(script, device, error)
            run, captured, error = again
    option = (named_option(error, run.options.offered) or option_of_missing_file(error, run.options.values)
              if not captured.exports else None)
    documented = documented_value(directory, option) if option and option not in {*kwargs, "device_target"} else None
    if documented is not None:  # an option it refuses to run without: the value the directory's commands give it
        again = _run(directory, script, kwargs, selection.choose, code.ref.release, given={option: documented[0]})
        if again[1].exports:
            retried = documented_note(script, option, *documented, error)
            run, captured, error = again
    if not captured.exports and unset_option(error):  # a data option it joins into paths: one that is not there
        again = _run(directory, script, kwargs, selection.choose, code.ref.release, data=True)
        if again[1].exports or not unset_option(again[2]):  # built, or says which data it reads
            retried = f"{ABSENT_DATA_NOTE} ({type(error).__name__}: {error})" if again[1].exports else ""
            run, captured, error = again
    if not captured.exports and selection.defaults_worth_trying():  # the defaults, as before
        selection.abandon(error)
        run, captured, error = _run(directory, script, kwargs, None, code.ref.release)
    if not captured.exports:
        error = selection.error_to_report(error)
        if error is None:
            raise ZooBuildError(f"{card.uid}: {where}/{script} ran to its end without calling mindspore.export",
                                "no-export", ROUTE)
        failed = failure(card, error, f"running {script}", where, directory, code.checkout, ROUTE)
        failed.variants = selection.alternatives()
        failed.card_specific |= selection.depends_on_card()  # another card may choose a file that builds (SE-Net)
        raise failed from None
    check_options_taken(card, where, script, run.options, ROUTE)
    first = captured.exports[0]
    notes = [f"the network {where}/{script} exports: {first.describe()}"]
    if "/" in script:
        notes.insert(0, f"{OTHER_SCRIPT_NOTE} {script}, the directory having none of its own")
    elif script != SCRIPT:
        others = other_scripts(directory)
        notes.insert(0, f"{OTHER_SCRIPT_NOTE} {script}, the directory having no {SCRIPT}"
                     + (f" (of {', '.join(others)}: the first in the documented order, the card's model name "
                        "breaking ties)" if len(others) > 1 else ""))
    if len(captured.exports) > 1:
        notes.append(f"{script} exports {len(captured.exports)} networks "
                     f"({', '.join(c.describe() for c in captured.exports)}); this is the first")
    if error is not None:
        notes.append(f"{script} failed after its export ({type(error).__name__}: {error}); the exported network "
                     "is returned")
    notes += ([retried] if retried else []) + selection.notes() + run_notes(kwargs, run)
    net = first.network
    object.__setattr__(net, "example_inputs", first.inputs)
    object.__setattr__(net, VARIANTS_ATTRIBUTE, selection.alternatives())
    record = run_record(f"{code.ref.directory}/{script}", kwargs, run, selection,
                        card_specific=script != SCRIPT or bool(retried))
    return ZooBuilt(net, notes, class_count_keys(sorted(run.options.offered)), record)
