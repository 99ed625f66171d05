"""Route 1: networks this project implements (the SSD family), by the hubconf entry named by the uid stem.

Only the stem decides: model names are shared by different networks (every SSD card of the model zoo
says ``ssd300``), so an alias could silently build the wrong one.
"""
from __future__ import annotations

from ..cards.record import ModelCard


def entries() -> dict:
    from .. import hubconf

    return hubconf.entries()


def can_build(card: ModelCard) -> bool:
    return card.stem in entries()


def build(card: ModelCard, args: tuple, kwargs: dict):
    return entries()[card.stem](*args, **kwargs)
