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

import re
import types
from dataclasses import dataclass
from pathlib import Path

from ....cards.record import ModelCard
from ....errors import Failure, ZooBuildError
from ....weights.heads import class_count_keys
from ...names import Route
from ..failures import failure
from ..sandbox.capture import captured_exports
from ..sandbox.data_code import zoo_data_stand_ins
from ..sandbox.eval_capture import MissingDataError, MissingValue, NetworkReached, Reached, captured_evaluation
from ..sandbox.namespace import main_module, run_as_main
from ..sandbox.pipeline import Pipeline
from ..sandbox.run import ZooRun, running_zoo_code
from ..source.code import CodeDir
from ..source.shell_cwd import shell_working_directory, working_place
from ..variants.selection import VARIANTS_ATTRIBUTE, Selection, selection_for
from .options import (
    ZooBuilt,
    check_options_taken,
    check_positional,
    device_note,
    devices_to_retry,
    run_notes,
    run_record,
)

ROUTE = Route.EVAL
SCRIPT = "eval.py"
PIPELINES_ATTRIBUTE = "zoo_eval_pipelines"  # on the network: the script's dataset pipelines (``hub.inference``)


def has_script(code: CodeDir) -> bool:
    return (code.path / SCRIPT).is_file()


@dataclass
class EvalRun:
    """One run of an eval script: what its command line took (and the settings it asked for), what it reached
    (networks, datasets, the pipeline it feeds its network) and the error it ended with, if any."""

    run: ZooRun
    reached: Reached
    error: BaseException | None
    module: types.ModuleType | None = None  # the script's ``__main__``: the globals it left
    ran_from: str = ""  # the folder the directory's shell script runs it from, when the run was from there


def run_script(code: CodeDir, kwargs: dict, chooser, script: str = SCRIPT, device: str | None = "CPU",
               for_pipeline: bool = False, feed=None, is_target=None, cwd: Path | None = None) -> EvalRun:
    """Run the directory's eval script once, stopped before it evaluates (see ``eval_capture``);
    ``for_pipeline``: the run is for its dataset pipeline, so its data code gives stand-ins after its network too;
    ``feed`` and ``is_target``: the run feeds the script one row and records its call of its network."""
    directory = code.path
    error: BaseException | None = None
    module = main_module(directory / script)
    feeding = feed is not None
    with running_zoo_code(directory, kwargs, fresh=True, cwd=cwd or directory, script=True, chooser=chooser,
                          script_file=directory / script, release=code.ref.release, device=device,
                          data=for_pipeline or feeding) as run, \
            captured_exports(), captured_evaluation(directory, stop_at_call=for_pipeline and not feeding, feed=feed,
                                                    is_target=is_target) as reached, \
            zoo_data_stand_ins(directory, reached, after_network=for_pipeline or feeding):
        try:
            run_as_main(directory / script, module, publish=not (for_pipeline or feeding))  # else the network's dropped
        except NetworkReached:
            pass
        except MissingDataError as exc:
            reached.stopped_by, error = f"reading a dataset stand-in ({exc})", exc
        except (Exception, SystemExit) as exc:
            error = MissingValue.checked(exc, reached)
    return EvalRun(run, reached, error, module)


def _run_for(card: ModelCard, code: CodeDir, kwargs: dict, reached_enough,
             script: str = SCRIPT, device: str | None = "CPU", for_pipeline: bool = False, feed=None,
             is_target=None) -> tuple[EvalRun, Selection]:
    """The script run with the card's own variant, then with its defaults when that reached nothing."""
    selection = selection_for(card, code.path, kwargs, script)  # the card's own variant of the network (``variants``)
    for chooser in (selection.choose, None):  # the script's defaults when the card's choice reaches no network
        done = run_script(code, kwargs, chooser, script, device, for_pipeline, feed, is_target)
        if not reached_enough(done.reached):
            done = _from_shell_place(code, done, reached_enough, script, lambda cwd, chooser=chooser: run_script(
                code, kwargs, chooser, script, device, for_pipeline, feed, is_target, cwd))
        if reached_enough(done.reached) or chooser is None or not selection.defaults_worth_trying():
            break
        selection.abandon(done.error)
    return done, selection


def _from_shell_place(code: CodeDir, done: EvalRun, reached_enough, script: str, run) -> EvalRun:
    """The run again from where the directory's shell script runs the script, when it stopped on a file it reads
    by a relative path that is there from that place (ISyNet's ``../../json/IsyNet-N0.json`` from
    ``scripts/eval/``); else ``done`` as it was."""
    missing = relative_file_missing(done.error)
    found = shell_working_directory(code.path, script) if missing else None
    if found is None:
        return done
    place, shell = found
    if not (code.path.joinpath(*Path(place).parts) / missing).resolve().is_relative_to(code.path.resolve()):
        return done
    with working_place(code.path, place) as cwd:
        if not (cwd / missing).exists():
            return done
        again = run(cwd)
    if not reached_enough(again.reached):
        return done
    again.ran_from = f"run from {place}/, as {shell} runs it ({missing} is read from there)"
    return again


def relative_file_missing(error: BaseException | None) -> str | None:
    """The relative path of a file an error says is not there (``FileNotFoundError``), else None."""
    name = getattr(error, "filename", None) if isinstance(error, FileNotFoundError) else None
    if not isinstance(name, str) or not name or Path(name).is_absolute():
        return None
    return name


def build(card: ModelCard, code: CodeDir, where: str, args: tuple, kwargs: dict):
    """(network, notes for the load report, option keys that set a class count)."""
    directory = code.path
    check_positional(card, where, SCRIPT, args, ROUTE)
    done, selection = _run_for(card, code, kwargs, lambda reached: bool(reached.networks))
    on_device = ""
    for device in devices_to_retry(card, kwargs, done.run.options) if not done.reached.networks else ():
        again = _run_for(card, code, kwargs, lambda reached: bool(reached.networks), device=device)
        if again[0].reached.networks:
            on_device = device_note(SCRIPT, device, done.error)
            done, selection = again
    run, reached, error = done.run, done.reached, done.error
    if not reached.networks:
        error = selection.error_to_report(error)
        if error is None:
            raise ZooBuildError(f"{card.uid}: {where}/{SCRIPT} ran to its end without loading a checkpoint into "
                                "a network", Failure.NO_NETWORK, ROUTE)
        raise failure(card, error, f"running {SCRIPT}", where, directory, code.checkout, ROUTE) from None
    check_options_taken(card, where, SCRIPT, run.options, ROUTE)
    network, how, which = named_like_the_card(card, reached)
    notes = [f"the network {where}/{SCRIPT} evaluates: {type(network).__name__}, handed to {how}"]
    if len(reached.networks) > 1:
        names = ", ".join(type(n).__name__ for n, _ in reached.networks)
        notes.append(f"{SCRIPT} loads {len(reached.networks)} networks ({names}); {which}")
    if error is not None and not isinstance(error, MissingDataError):
        notes.append(f"{SCRIPT} failed after loading its network ({type(error).__name__}: {error})")
    if done.ran_from:
        notes.append(f"{SCRIPT} {done.ran_from}")
    if on_device:
        notes.append(on_device)
    notes += [f"dataset stand-in (its data is not here): {call}" for call in reached.datasets]
    notes += selection.notes() + run_notes(kwargs, run)
    object.__setattr__(network, VARIANTS_ATTRIBUTE, selection.alternatives())
    object.__setattr__(network, PIPELINES_ATTRIBUTE, list(reached.pipelines))
    record = run_record(f"{code.ref.directory}/{SCRIPT}", kwargs, run, selection, stand_ins=list(reached.datasets),
                        card_specific=bool(on_device))
    return ZooBuilt(network, notes, class_count_keys(sorted(run.options.offered)), record)


def _folded(text: str) -> str:
    return text.lower().replace("_", "").replace("-", "")


GENERIC_WORDS = {"net", "network", "model", "eval", "infer", "test", "main", "backbone"}
MIN_BOUND_WORD = 4  # characters of a word of the name the code binds a network to that may match the card's


def _without_generic_words(name: str) -> str:
    """A class name folded, without its generic words (``style_transfer_model``: ``styletransfer``)."""
    words = re.split(r"[_\-]+|(?<=[a-z0-9])(?=[A-Z])", name)
    return "".join(w.lower() for w in words if w and w.lower() not in GENERIC_WORDS)


def named_like_the_card(card: ModelCard, reached) -> tuple[object, str, str]:
    """(the network, how it was handed over, why this one): of several, the one whose class is named like the
    card (its name, or its name without generic words: ArbitraryStyleTransfer's ``style_transfer_model`` beside
    the ``InceptionV3`` that extracts its style features), else the one the code binds to a name with a word of
    the card's (DRNet's ``classifier_net`` for ``drnet_classifier``, where both networks are a ``ResNet``), else
    the first."""
    networks = reached.networks
    names = {_folded(n) for n in (card.model_name, card.stem) if n}
    for network, how in networks:
        cls = _folded(type(network).__name__)
        if any(cls in name for name in names):
            return network, how, "this one is named like the card"
    for network, how in networks:
        core = _without_generic_words(type(network).__name__)
        if len(core) >= MIN_BOUND_WORD and any(core in name for name in names):
            return network, how, "this one is named like the card"
    words = {w for n in (card.model_name, card.stem) if n for w in re.split(r"[_\-.\s]+", n.lower())}
    for network, how in networks:
        for bound in reached.bound_to.get(id(network), []):
            shared = [w for w in bound.lower().split("_") if len(w) >= MIN_BOUND_WORD and w not in GENERIC_WORDS
                      and w in words]
            if shared:
                return network, how, f"this one, which the script names {bound!r}, is named like the card"
    network, how = networks[0]
    return network, how, "none is named like the card: the first"


def pipelines(card: ModelCard, code: CodeDir, kwargs: dict, script: str = SCRIPT,
              device: str | None = "CPU") -> tuple[list[Pipeline], EvalRun]:
    """The dataset pipelines the directory's eval script builds for this card (its variant, as ``build``
    chooses it; the network it builds is not kept: call under ``shapes_only``), and the run."""
    done, _ = _run_for(card, code, kwargs, lambda reached: bool(reached.pipelines), script, device, True)
    return list(done.reached.pipelines), done


def own_call(card: ModelCard, code: CodeDir, kwargs: dict, feed) -> tuple[tuple, dict, str] | None:
    """(args, kwargs, file:line) of the eval script's own first call of the card's network, the script fed one row
    by ``feed`` (a pipeline -> {column: batch}, or None); None when it made no such call before it stopped."""
    def is_target(reached, cell) -> bool:
        return cell is named_like_the_card(card, reached)[0]

    done, _ = _run_for(card, code, kwargs, lambda reached: reached.call is not None, feed=feed, is_target=is_target)
    return done.reached.call


OTHER_EVAL_NAMES = (re.compile(r"eval_\w+\.py"), re.compile(r"\w+_eval\.py"), re.compile(r"test\.py"))


def any_script(code: CodeDir) -> str | None:
    """The directory's eval script for its pipeline: ``eval.py``, else one named ``eval_*.py`` or ``*_eval.py``
    (``linear_eval.py``, ``eval_quant.py``; by name), else ``test.py``; None when there is none."""
    if has_script(code):
        return SCRIPT
    names = sorted(p.name for p in code.path.glob("*.py"))
    for pattern in OTHER_EVAL_NAMES:
        found = [n for n in names if pattern.fullmatch(n) and "onnx" not in n]
        if found:
            return found[0]
    return None
