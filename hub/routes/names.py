"""The names of the routes, one enumeration: reports, notes and JSON say them as plain strings."""
from __future__ import annotations

from enum import Enum


class Route(str, Enum):
    """How a card's network was (or would be) built; equal to its plain string, printed as it."""

    OURS = "ours"  # a network this project implements (hubconf entry named by the uid stem)
    TOOLKIT = "toolkit"  # a mindspore-lab toolkit's factory
    ZOO = "zoo"  # the model zoo directory's mindspore_hub_conf.py, as MindSpore Hub builds it
    EXPORT = "export"  # the network the zoo directory's export.py hands to mindspore.export
    EVAL = "eval"  # the network the zoo directory's eval.py loads its checkpoint into
    CLASS = "class"  # the zoo directory's network class named after the card (a directory with no script)
    CODE = "code"  # another repository's code (trusted by the caller)
    NONE = "none"  # no way to build it

    def __str__(self) -> str:
        return self.value
