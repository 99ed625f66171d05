"""Route: a model zoo card whose directory has neither a hub conf nor an export script, but an
``eval.py``, gets the network that script loads its checkpoint into (``eval_capture``), the script
stopped before any evaluation, its datasets (``mindspore.dataset``'s and its own data code's, ``eval_data``)
stand-ins where their data is not here. A script that loads several networks gives the one named like the card
(its class name matched to the card's model name or uid, case, ``_`` and ``-`` ignored), else the first.

The script runs as the export route runs its script: as ``__main__`` in the directory's own namespace,
freshly imported, with its directory as working directory, an export's command line (a placeholder
checkpoint, the CPU where offered, the caller's options by keyword), the user's context kept, and every
guarantee of ``run`` (what zoo code may not do included).
"""
from __future__ import annotations

from ....cards.record import ModelCard
from ....errors import ZooBuildError
from ....weights.heads import class_count_keys
from ...names import Route
from ..failures import failure
from ..sandbox.capture import captured_exports
from ..sandbox.data_code import zoo_data_stand_ins
from ..sandbox.eval_capture import MissingDataError, NetworkReached, captured_evaluation
from ..sandbox.namespace import run_as_main
from ..sandbox.run import running_zoo_code
from ..source.code import CodeDir
from ..variants.selection import VARIANTS_ATTRIBUTE, selection_for
from .options import check_options_taken, check_positional, run_notes

ROUTE = Route.EVAL
SCRIPT = "eval.py"
PIPELINES_ATTRIBUTE = "zoo_eval_pipelines"  # on the network: the script's dataset pipelines (``eval_inputs``)


def has_script(code: CodeDir) -> bool:
    return (code.path / SCRIPT).is_file()


def build(card: ModelCard, code: CodeDir, where: str, args: tuple, kwargs: dict):
    """(network, notes for the load report, option keys that set a class count)."""
    directory = code.path
    check_positional(card, where, SCRIPT, args, ROUTE)
    selection = selection_for(card, directory, kwargs)  # the card's own variant of the network (``variants``)
    for chooser in (selection.choose, None):  # the script's defaults when the card's choice reaches no network
        error: BaseException | None = None
        with running_zoo_code(directory, kwargs, fresh=True, cwd=directory, script=True, chooser=chooser,
                              script_file=directory / SCRIPT, release=code.ref.release) as run, \
                captured_exports() as context, captured_evaluation() as reached, \
                zoo_data_stand_ins(directory, reached):
            try:
                run_as_main(directory / SCRIPT)
            except NetworkReached:
                pass
            except MissingDataError as exc:
                reached.stopped_by, error = f"reading a dataset stand-in ({exc})", exc
            except (Exception, SystemExit) as exc:
                error = exc
        if reached.networks or chooser is None or not selection.defaults_worth_trying():
            break
        selection.abandon(error)
    if not reached.networks:
        error = selection.error_to_report(error)
        if error is None:
            raise ZooBuildError(f"{card.uid}: {where}/{SCRIPT} ran to its end without loading a checkpoint into "
                                "a network", "no-network", ROUTE)
        raise failure(card, error, f"running {SCRIPT}", where, directory, code.checkout, ROUTE) from None
    check_options_taken(card, where, SCRIPT, run.options, ROUTE)
    network, how = _named_like_the_card(card, reached.networks)
    notes = [f"the network {where}/{SCRIPT} evaluates: {type(network).__name__}, handed to {how}"]
    if len(reached.networks) > 1:
        which = "this one is named like the card" if network is not reached.networks[0][0] else \
            "none is named like the card: the first"
        names = ", ".join(type(n).__name__ for n, _ in reached.networks)
        notes.append(f"{SCRIPT} loads {len(reached.networks)} networks ({names}); {which}")
    if error is not None and not isinstance(error, MissingDataError):
        notes.append(f"{SCRIPT} failed after loading its network ({type(error).__name__}: {error})")
    notes += [f"dataset stand-in (its data is not here): {call}" for call in reached.datasets]
    notes += selection.notes() + run_notes(kwargs, context.ignored_context, run.compat)
    object.__setattr__(network, VARIANTS_ATTRIBUTE, selection.alternatives())
    object.__setattr__(network, PIPELINES_ATTRIBUTE, list(reached.pipelines))
    return network, notes, class_count_keys(sorted(run.options.offered))


def _folded(text: str) -> str:
    return text.lower().replace("_", "").replace("-", "")


def _named_like_the_card(card: ModelCard, networks: list[tuple[object, str]]) -> tuple[object, str]:
    names = {_folded(n) for n in (card.model_name, card.stem) if n}
    for network, how in networks:
        cls = _folded(type(network).__name__)
        if any(cls in name for name in names):
            return network, how
    return networks[0]
