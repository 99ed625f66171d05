"""A dataset pipeline an eval script builds, as its stand-in recorded it: the dataset class, its keywords
and the calls chained on it (``map``, ``batch``...), in order, each with the line of zoo code that made it,
and whether (and where) the script fed it to its network. ``hub.inference`` follows it on an image."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Pipeline:
    """A dataset stand-in's class, keywords and chained calls, in order."""

    source: str
    kwargs: dict = field(default_factory=dict)
    steps: list[tuple[str, tuple, dict]] = field(default_factory=list)
    at: str = ""  # file:line of the zoo code that made the dataset
    steps_at: list[str] = field(default_factory=list)  # file:line of each step's call
    consumed_at: str = ""  # what fed it to the network, and where ("Model.eval at eval.py:88"); "" if nothing did
    generator: str = ""  # a GeneratorDataset's: the zoo's own data code it reads its rows from
    rows: object = None  # that code's object, when its rows can be read for an image given (``images``)
    columns: list[str] = field(default_factory=list)  # the GeneratorDataset's column names
    images: list = field(default_factory=list)  # ``annotations.StandInImage``s its object opens its images from

    def add(self, name: str, args: tuple, kwargs: dict, at: str = "") -> None:
        self.steps.append((name, args, kwargs))
        self.steps_at.append(at)

    def step_at(self, index: int) -> str:
        return self.steps_at[index] if index < len(self.steps_at) else ""
