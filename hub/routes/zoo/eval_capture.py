"""What a zoo ``eval.py`` loads its checkpoint into, captured, and the script stopped right there.

An eval script builds its network, loads a checkpoint into it and evaluates it on a dataset. While one
runs (inside ``capture.captured_exports``, so its context keys are kept and its device is not applied):

- ``load_param_into_net(net, ...)``, ``load_checkpoint(..., net=net)`` and ``Model(net, ...)`` record
  ``net`` and stop the script (``NetworkReached``, which ``except Exception`` in the script does not
  catch): nothing of the evaluation runs;
- a dataset the script builds from a path that is not here (``ImageFolderDataset("/data/imagenet")``...)
  is a stand-in, so the script reaches its network: chaining (``map``, ``batch``...) gives the stand-in
  again, sizes read as 1, and reading a row raises an error naming the dataset. Each stand-in is listed
  on the load report.
"""
from __future__ import annotations

import importlib
import inspect
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator

from ...errors import HubError

MODEL_HOMES = ("mindspore", "mindspore.train", "mindspore.train.model")
CHECKPOINT_HOMES = ("mindspore", "mindspore.train", "mindspore.train.serialization")
DATASET_HOMES = ("mindspore.dataset",)
CHAINING = {"map", "batch", "shuffle", "repeat", "project", "rename", "take", "skip", "padded_batch", "filter",
            "bucket_batch_by_length", "zip", "concat", "use_sampler", "add_sampler", "device_que", "split"}
SIZES = {"get_dataset_size", "get_batch_size", "get_repeat_count", "num_classes", "get_class_indexing"}


class NetworkReached(BaseException):
    """The eval script handed its network over: stop it there (a BaseException, so its own ``except
    Exception`` blocks do not swallow it)."""


class MissingDataError(HubError):
    """A zoo script read from a dataset whose files are not here."""


@dataclass
class Reached:
    network: object = None
    how: str = ""  # the call that handed it over
    datasets: list[str] = field(default_factory=list)  # stand-ins made, as the report says them


class MissingDataset:
    """A dataset whose files are not here: enough of a dataset to be built, batched and sized, never read."""

    def __init__(self, call: str, error: BaseException) -> None:
        self._call = call
        self._error = f"{type(error).__name__}: {error}"

    def __getattr__(self, name: str):
        if name in CHAINING:
            return lambda *args, **kwargs: self
        if name in SIZES:
            return lambda *args, **kwargs: 1
        return self._read

    def _read(self, *args, **kwargs):
        raise MissingDataError(f"{self._call} has no data here ({self._error}); the hub builds the network "
                               "without it, but cannot read from it")

    def __iter__(self):
        self._read()

    def __len__(self) -> int:
        return 1


def _describe(name: str, args: tuple, kwargs: dict) -> str:
    shown = [repr(a)[:60] for a in args[:2]] + [f"{k}={v!r}"[:60] for k, v in list(kwargs.items())[:2]]
    return f"{name}({', '.join(shown)})"


def _dataset_stand_in(name: str, real, reached: Reached):
    def build(*args, **kwargs):
        try:
            return real(*args, **kwargs)
        except Exception as exc:  # a missing path, or a None where a path was required: the data is not here
            call = _describe(name, args, kwargs)
            reached.datasets.append(call)
            return MissingDataset(call, exc)

    build.__wrapped__ = real
    return build


def _dataset_classes() -> dict[str, type]:
    import mindspore.dataset as ds

    base = getattr(ds, "Dataset", object)
    return {name: value for name, value in vars(ds).items()
            if name.endswith("Dataset") and inspect.isclass(value) and issubclass(value, base) and value is not base}


@contextmanager
def captured_evaluation() -> Iterator[Reached]:
    """Run an eval script inside this (and ``capture.captured_exports``) to get the network it evaluates."""
    reached = Reached()

    def hand_over(net, how: str):
        reached.network, reached.how = net, how
        raise NetworkReached(how)

    def load_checkpoint(*args, net=None, **kwargs):
        if net is not None:
            hand_over(net, "load_checkpoint(..., net=...)")
        return {}

    def load_param_into_net(net, *args, **kwargs):
        hand_over(net, "load_param_into_net")

    def model(network=None, *args, **kwargs):
        hand_over(network, "Model")

    replacements = [(CHECKPOINT_HOMES, "load_checkpoint", load_checkpoint),
                    (CHECKPOINT_HOMES, "load_param_into_net", load_param_into_net), (MODEL_HOMES, "Model", model)]
    replacements += [(DATASET_HOMES, name, _dataset_stand_in(name, cls, reached))
                     for name, cls in _dataset_classes().items()]
    saved = []
    try:
        for homes, name, replacement in replacements:
            for home in homes:
                module = importlib.import_module(home)
                if hasattr(module, name):
                    saved.append((module, name, getattr(module, name)))
                    setattr(module, name, replacement)
        yield reached
    finally:
        for module, name, value in reversed(saved):
            setattr(module, name, value)
