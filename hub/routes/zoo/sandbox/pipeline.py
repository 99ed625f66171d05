"""A dataset pipeline an eval script builds, as its stand-in recorded it: the dataset class, its keywords
and the calls chained on it (``map``, ``batch``...), in order. ``hub.inference`` reads it."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Pipeline:
    """A dataset stand-in's class, keywords and chained calls, in order."""

    source: str
    kwargs: dict = field(default_factory=dict)
    steps: list[tuple[str, tuple, dict]] = field(default_factory=list)
