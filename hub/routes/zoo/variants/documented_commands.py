"""The eval command a zoo directory documents for each of its cards, where only its shell script ties the two.

IPT's one ``eval.py`` serves six cards: super-resolution x2, x3 and x4, deraining, and denoising at sigma 30 and
50. Its README runs ``sh scripts/run_eval.sh DATA_PATH DATA_TEST MODEL TASK_ID``, and that script gives
``eval.py``, for each TASK_ID, ``--task_id``, ``--scale`` (TASK_ID + 2 for the first three, by shell arithmetic),
``--derain`` or ``--denoise --sigma``, and ``--ext img`` (read the images, not the pickles the default writes).
The network builds the same for every task (six heads and tails); the task is the length of the index tensor
its loop makes, and the data class reads the task's files. Neither the code nor the card says which TASK_ID a
card is, so the commands are kept in ``hub/data/eval_commands.json``, per directory and card, with the script
and branch they were read from, for the releases whose script reads so (at master IPT's gives every task
``--task_id 0 --num_queries 1``, another network). The selection sets them as the card's options (the
caller's own still win), and the load report says where they came from.

Likewise the keywords a directory's eval script gives the hub conf's class for one card, where the hub conf's
default builds another network (``hub/data/conf_arguments.json``): AlexNet at r1.5 to r1.8 evaluates ImageNet
with ``AlexNet(config.num_classes, phase='test', off_load=True)``, which normalizes and transposes the uint8
HWC image its eval pipeline gives inside the network; the hub conf's ``AlexNet()`` does not, so without
``off_load=True`` neither a photo through that pipeline nor the export's inputs fit it.
"""
from __future__ import annotations

from dataclasses import dataclass

from ....cards.record import ModelCard
from ....cards.repo_link import parse_repo_link
from ....data import kept_table

DOCUMENTED_COMMAND = "options of the card's documented eval command"  # how the load report's note begins
DOCUMENTED_ARGUMENTS = "keywords of the card's network as its eval script makes it"  # the same, for a hub conf


@dataclass(frozen=True)
class DocumentedCommand:
    """The options a directory's script gives its eval script for one card."""

    options: dict
    read_from: str  # ``research/cv/IPT/scripts/run_eval.sh, TASK_ID 4``
    command: str  # how the directory's README runs that script

    def describe(self) -> str:
        return f"{self.read_from}: " + ", ".join(f"{k}={v!r}" for k, v in self.options.items())


@dataclass(frozen=True)
class DocumentedArguments:
    """The keywords a directory's script gives the hub conf's class for one card."""

    arguments: dict
    read_from: str  # ``official/cv/alexnet/eval.py, dataset_name imagenet: AlexNet(..., off_load=True)``

    def describe(self) -> str:
        return f"{self.read_from}: " + ", ".join(f"{k}={v!r}" for k, v in self.arguments.items())


def _kept_for(card: ModelCard, table: str) -> tuple[str, dict, dict] | None:
    """(directory, its entry, the card's) in ``table``: the card's directory at one of the entry's releases, the
    card named by its uid's stem without the dataset (``ipt_denoise30`` of ``ipt_denoise30_cbsd68``) or whole."""
    from .selection import stem_without_dataset

    ref = parse_repo_link(card.repo_link or "")
    entry = kept_table(table).get(ref.directory) if ref is not None else None
    if not entry or ref.release not in entry["releases"]:  # master gives IPT's eval.py other options
        return None
    names = {stem_without_dataset(card).lower(), card.stem.lower()}
    found = next((spec for name, spec in entry["cards"].items() if name in names), None)
    return None if found is None else (ref.directory, entry, found)


def documented_command(card: ModelCard) -> DocumentedCommand | None:
    """The eval command kept for ``card``; None for every other card."""
    kept = _kept_for(card, "eval_commands.json")
    if kept is None:
        return None
    directory, entry, found = kept
    return DocumentedCommand(dict(found["options"]), f"{directory}/{entry['read_from']}, {found['branch']}",
                             entry["command"])


def documented_arguments(card: ModelCard) -> DocumentedArguments | None:
    """The hub conf keywords kept for ``card``; None for every other card."""
    kept = _kept_for(card, "conf_arguments.json")
    if kept is None:
        return None
    directory, entry, found = kept
    return DocumentedArguments(dict(found["arguments"]), f"{directory}/{entry['read_from']}, {found['branch']}")
