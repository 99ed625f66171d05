"""What the script routes (an export script, an eval script) share: the checks of the caller's
arguments against the script's options, and the notes a run leaves on the load report."""
from __future__ import annotations

from ....cards.record import ModelCard
from ....errors import ZooBuildError
from ..sandbox.argv import ScriptOptions


def check_positional(card: ModelCard, where: str, script: str, args: tuple, route: str) -> None:
    """A script reads options by name: positional arguments have nowhere to go."""
    if args:
        raise ZooBuildError(f"{card.uid}: {where}/{script} takes its options by name; pass them as keywords "
                            f"(e.g. num_classes=10), not {len(args)} positional arguments", "arguments", route)


def check_options_taken(card: ModelCard, where: str, script: str, options: ScriptOptions, route: str) -> None:
    """Every keyword the caller gave must be an option or config key the script offered."""
    untaken = options.untaken()
    if untaken:
        offered = ", ".join(sorted(options.offered)) or "none (it reads no options)"
        raise ZooBuildError(f"{card.uid}: {where}/{script} has no option or config key {', '.join(untaken)}; "
                            f"the keys it offers: {offered}", "arguments", route)


def run_notes(kwargs: dict, ignored_context: dict, compat: list[str], dataset_config: dict | None = None) -> list[str]:
    """The options the caller set, the script's device and dataset settings not applied, the removed names
    supplied."""
    notes = []
    if kwargs:
        notes.append("options set: " + ", ".join(f"{k}={v!r}" for k, v in kwargs.items()))
    if ignored_context:
        notes.append("not applied: the script's set_context("
                     + ", ".join(f"{k}={v!r}" for k, v in ignored_context.items()) + ")")
    if dataset_config:
        notes.append("not applied: the script's " + ", ".join(
            "mindspore.communication.init()" if k == "communication.init" else f"mindspore.dataset.config.{k}({v!r})"
            for k, v in dataset_config.items()))
    return notes + [f"removed name supplied: {n}" for n in compat]
