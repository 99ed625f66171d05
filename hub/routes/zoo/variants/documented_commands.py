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
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ....cards.record import ModelCard
from ....cards.repo_link import parse_repo_link

DOCUMENTED_COMMAND = "options of the card's documented eval command"  # how the load report's note begins


@dataclass(frozen=True)
class DocumentedCommand:
    """The options a directory's script gives its eval script for one card."""

    options: dict
    read_from: str  # ``research/cv/IPT/scripts/run_eval.sh, TASK_ID 4``
    command: str  # how the directory's README runs that script

    def describe(self) -> str:
        return f"{self.read_from}: " + ", ".join(f"{k}={v!r}" for k, v in self.options.items())


@lru_cache(maxsize=1)
def _table() -> dict:
    return json.loads(resources.files("hub.data").joinpath("eval_commands.json").read_text())


def documented_command(card: ModelCard) -> DocumentedCommand | None:
    """The command kept for ``card``: its directory's entry, the card named by its uid's stem without the
    dataset (``ipt_denoise30`` of ``ipt_denoise30_cbsd68``); None for every other card."""
    from .selection import stem_without_dataset

    ref = parse_repo_link(card.repo_link or "")
    entry = _table().get(ref.directory) if ref is not None else None
    if not entry or ref.release not in entry["releases"]:  # master gives IPT's eval.py other options
        return None
    names = {stem_without_dataset(card).lower(), card.stem.lower()}
    found = next((spec for name, spec in entry["cards"].items() if name in names), None)
    if found is None:
        return None
    return DocumentedCommand(dict(found["options"]), f"{ref.directory}/{entry['read_from']}, {found['branch']}",
                             entry["command"])
