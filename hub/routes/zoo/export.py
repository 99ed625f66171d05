"""Route: a model zoo card whose directory has no ``mindspore_hub_conf.py`` but an ``export.py`` (the
zoo's way to export MindIR) gets the network that script hands to ``mindspore.export``.

The script runs as ``__main__`` in the directory's own namespace, freshly imported, with its own
directory as working directory (``run``); ``capture`` takes the network instead of writing
a file, makes its checkpoint loading a no-op and keeps the user's device and context; ``script_args``
gives it the command line of an export (and the caller's ``key=value`` overrides). MindSpore Hub
cannot load these cards at all.
"""
from __future__ import annotations

from ...cards.record import ModelCard
from ...errors import ZooBuildError
from ...weights.heads import class_count_keys
from ..names import Route
from .capture import captured_exports
from .code import CodeDir
from .failures import failure
from .namespace import run_as_main
from .run import running_zoo_code
from .variants import VARIANTS_ATTRIBUTE, selection_for

ROUTE = Route.EXPORT
SCRIPT = "export.py"


def has_script(code: CodeDir) -> bool:
    return (code.path / SCRIPT).is_file()


def _run(directory, kwargs: dict, chooser):
    """Run the script once: (what its command line took, what it exported, the error it ended with)."""
    error: BaseException | None = None
    with running_zoo_code(directory, kwargs, fresh=True, cwd=directory, script=True, chooser=chooser) as run, \
            captured_exports() as captured:
        try:
            run_as_main(directory / SCRIPT)
        except (Exception, SystemExit) as exc:  # judged by the caller: a script may fail after its export
            error = exc
    return run, captured, error


def build(card: ModelCard, code: CodeDir, where: str, args: tuple, kwargs: dict):
    """(network, notes for the load report, option keys that set a class count); ``net.example_inputs``
    holds what the script exported it with."""
    directory = code.path
    if args:
        raise ZooBuildError(f"{card.uid}: {where}/{SCRIPT} takes its options by name; pass them as keywords "
                            f"(e.g. num_classes=10), not {len(args)} positional arguments", "arguments", ROUTE)
    selection = selection_for(card, directory, kwargs)  # the card's own variant of the network (``variants``)
    run, captured, error = _run(directory, kwargs, selection.choose)
    if not captured.exports and selection.chosen and not selection.requested:  # the defaults, as before
        selection.abandon(error)
        run, captured, error = _run(directory, kwargs, None)
    if not captured.exports:
        if error is None:
            raise ZooBuildError(f"{card.uid}: {where}/{SCRIPT} ran to its end without calling mindspore.export",
                                "no-export", ROUTE)
        raise failure(card, error, f"running {SCRIPT}", where, directory, code.checkout, ROUTE) from None
    untaken = run.options.untaken()
    if untaken:
        offered = ", ".join(sorted(run.options.offered)) or "none (it reads no options)"
        raise ZooBuildError(f"{card.uid}: {where}/{SCRIPT} has no option or config key {', '.join(untaken)}; "
                            f"the keys it offers: {offered}", "arguments", ROUTE)
    first = captured.exports[0]
    notes = [f"the network {where}/{SCRIPT} exports: {first.describe()}"]
    if len(captured.exports) > 1:
        notes.append(f"{SCRIPT} exports {len(captured.exports)} networks "
                     f"({', '.join(c.describe() for c in captured.exports)}); this is the first")
    if error is not None:
        notes.append(f"{SCRIPT} failed after its export ({type(error).__name__}: {error}); the exported network "
                     "is returned")
    notes += selection.notes()
    if kwargs:
        notes.append("options set: " + ", ".join(f"{k}={v!r}" for k, v in kwargs.items()))
    if captured.ignored_context:
        notes.append("not applied: the script's set_context("
                     + ", ".join(f"{k}={v!r}" for k, v in captured.ignored_context.items()) + ")")
    notes += [f"removed name supplied: {n}" for n in run.compat]
    net = first.network
    object.__setattr__(net, "example_inputs", first.inputs)
    object.__setattr__(net, VARIANTS_ATTRIBUTE, selection.alternatives())
    return net, notes, class_count_keys(sorted(run.options.offered))
