"""What the script routes (an export script, an eval script) share: the checks of the caller's
arguments against the script's options, and the notes a run leaves on the load report."""
from __future__ import annotations

from dataclasses import dataclass

from ....cards.record import ModelCard
from ....errors import Failure, ZooBuildError
from ...record import BuildRecord
from ..sandbox.argv import ScriptOptions
from ..sandbox.run import ZooRun
from ..variants.selection import checkpoint_device


@dataclass
class ZooBuilt:
    """What a zoo builder gives: the network, the notes for people, the keywords of the code that set a class
    count, the typed record of the build, and (set by the zoo route) the route that built it."""

    network: object
    notes: list[str]
    class_keys: list[str]
    record: BuildRecord
    route: str = ""


# a device as zoo scripts' ``--device_target`` options spell it, by the card's lower-case backend names
DEVICE_NAMES = {"ascend": "Ascend", "gpu": "GPU", "cpu": "CPU"}


def trained_device(card: ModelCard) -> str | None:
    """The device the card's checkpoint was trained on, as a script's device option names it (``checkpoint_device``:
    its ``train-backend``, else the word of its checkpoint's file name); None when neither says."""
    found = checkpoint_device(card)
    return DEVICE_NAMES.get(found) if found else None


def devices_to_retry(card: ModelCard, kwargs: dict, options: ScriptOptions) -> list[str | None]:
    """For a script run that built nothing with its device option set to the CPU (and the caller not setting it):
    the one device to run it once more for, the card's checkpoint's (``trained_device``), else the script's own
    default (None); an empty list when there is nothing else to try."""
    if not options.device_set or "device_target" in kwargs:
        return []
    device = trained_device(card)
    return [device] if device != options.device_set else []


def device_note(script: str, device: str | None, error: BaseException | None) -> str:
    """What the load report says when a script built its network for another device than the CPU."""
    why = f"{type(error).__name__}: {error}" if error is not None else "no network"
    given = (f"device_target={device!r}, the device the card's checkpoint was trained on" if device
             else "device_target: the script's own default")
    return (f"{given}: with the CPU {script} built nothing ({why}); the network is the code's for that device "
            "(never applied: it runs on this machine's)")


def documented_note(script: str, option: str, value: str, source: str, error: BaseException | None) -> str:
    """What the load report says when a script ran with an option its error named, as the directory's docs give it."""
    return (f"{option}={value!r}, as the directory's {source} gives it: without it {script} did not run "
            f"({type(error).__name__}: {error})")


def run_record(built_by: str, kwargs: dict, run: ZooRun, selection=None, **more) -> BuildRecord:
    """The ``BuildRecord`` of one run of zoo code."""
    return BuildRecord(built_by=built_by, options=dict(kwargs), supplied=list(run.compat),
                       not_applied=run.context.notes(), **(selection.facts() if selection is not None else {}),
                       **more)


def check_positional(card: ModelCard, where: str, script: str, args: tuple, route: str) -> None:
    """A script reads options by name: positional arguments have nowhere to go."""
    if args:
        raise ZooBuildError(f"{card.uid}: {where}/{script} takes its options by name; pass them as keywords "
                            f"(e.g. num_classes=10), not {len(args)} positional arguments", Failure.ARGUMENTS, route)


def check_options_taken(card: ModelCard, where: str, script: str, options: ScriptOptions, route: str) -> None:
    """Every keyword the caller gave must be an option or config key the script offered."""
    untaken = options.untaken()
    if untaken:
        offered = ", ".join(sorted(options.offered)) or "none (it reads no options)"
        raise ZooBuildError(f"{card.uid}: {where}/{script} has no option or config key {', '.join(untaken)}; "
                            f"the keys it offers: {offered}", Failure.ARGUMENTS, route)


def run_notes(kwargs: dict, run: ZooRun) -> list[str]:
    """The options the caller set, the settings of the process the code asked for and that were not applied
    (``sandbox.context``), the removed names supplied."""
    notes = []
    if kwargs:
        notes.append("options set: " + ", ".join(f"{k}={v!r}" for k, v in kwargs.items()))
    return notes + run.context.notes() + [f"removed name supplied: {n}" for n in run.compat]
