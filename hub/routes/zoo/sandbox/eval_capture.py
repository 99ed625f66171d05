"""What a zoo ``eval.py`` loads its checkpoint into, captured, and the script stopped before it evaluates.

An eval script builds its network(s), loads a checkpoint into each and evaluates on a dataset. While one
runs (inside ``capture.captured_exports``, so its context keys are kept and its device is not applied):

- ``load_param_into_net(net, ...)`` and ``load_checkpoint(..., net=net)`` record ``net`` and load
  nothing (a script may load several networks: DRNet's eval.py loads a predictor and a classifier);
- ``Model(net, ...)`` records ``net`` and stops the script (``NetworkReached``, which ``except
  Exception`` in the script does not catch), as does reading a row of a dataset stand-in: nothing of
  the evaluation runs;
- a dataset the script builds from a path that is not here (``ImageFolderDataset("/data/imagenet")``...)
  is a stand-in, so the script reaches its network: chaining (``map``, ``batch``...) gives the stand-in
  again, sizes (and ``len``) read as 1, iterators can be made, and reading a row raises an error naming
  the dataset; a dataset made from a stand-in (``GeneratorDataset(stand_in, ...)``) is a stand-in too.
  Each stand-in is listed on the load report. The directory's own data code that fails before the
  network gives stand-ins as well (``eval_data``).
"""
from __future__ import annotations

import importlib
import inspect
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator

from ....errors import HubError
from .capture import NothingUnloaded
from .pipeline import Pipeline

MODEL_HOMES = ("mindspore", "mindspore.train", "mindspore.train.model")
CHECKPOINT_HOMES = ("mindspore", "mindspore.train", "mindspore.train.serialization")
DATASET_HOMES = ("mindspore.dataset", "mindspore.dataset.engine", "mindspore.dataset.engine.datasets")
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
    networks: list[tuple[object, str]] = field(default_factory=list)  # (network, the call that handed it over)
    datasets: list[str] = field(default_factory=list)  # stand-ins made, as the report says them
    pipelines: list[Pipeline] = field(default_factory=list)  # the MindSpore datasets among them, with their calls
    stopped_by: str = ""  # what stopped the script before its evaluation


class MissingDataset:
    """A dataset whose files are not here: enough of a dataset to be built, batched and sized, never read.
    A MindSpore dataset's stand-in keeps its chained calls (``pipeline``): they say what the script would
    feed its network (``eval_inputs``)."""

    pipeline: Pipeline | None = None

    def __init__(self, call: str, error: BaseException, pipeline: Pipeline | None = None) -> None:
        self._call = call
        self._error = f"{type(error).__name__}: {error}"
        self.pipeline = pipeline

    def __getattr__(self, name: str):
        if name in CHAINING:
            return lambda *args, **kwargs: self._chained(name, args, kwargs)
        if name in SIZES:
            return lambda *args, **kwargs: 1
        if name.startswith("create_") and name.endswith("_iterator"):
            return lambda *args, **kwargs: _UnreadIterator(self)
        return self._read

    def _chained(self, name: str, args: tuple, kwargs: dict) -> MissingDataset:
        if self.pipeline is not None:
            self.pipeline.steps.append((name, args, kwargs))
        return self

    def _read(self, *args, **kwargs):
        raise MissingDataError(f"{self._call} has no data here ({self._error}); the hub builds the network "
                               "without it, but cannot read from it")

    def __iter__(self):
        self._read()

    def __getitem__(self, index):  # a row of a random-access dataset (the zoo's own data classes)
        self._read()

    def __len__(self) -> int:
        return 1

    def __repr__(self) -> str:
        return f"<dataset stand-in: {self._call}>"


class _UnreadIterator:
    """An iterator over a dataset stand-in: made freely, failing on its first row."""

    def __init__(self, dataset: MissingDataset) -> None:
        self._dataset = dataset

    def __iter__(self):
        return self

    def __next__(self):
        self._dataset._read()

    def __len__(self) -> int:
        return 1


def describe_call(name: str, args: tuple, kwargs: dict) -> str:
    """``name(first two arguments, first two keywords)``, each cut short, on one line (for a load report)."""
    shown = [_one_line(repr(a))[:60] for a in args[:2]]
    shown += [_one_line(f"{k}={v!r}")[:60] for k, v in list(kwargs.items())[:2]]
    return f"{name}({', '.join(shown)})"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _dataset_stand_in(name: str, real, reached: Reached):
    def build(*args, **kwargs):
        source = next((a for a in (*args, *kwargs.values()) if isinstance(a, MissingDataset)), None)
        if source is not None:  # ``GeneratorDataset(stand_in, ...)``: a dataset of the zoo's own code not here
            call = describe_call(name, args, kwargs)
            reached.datasets.append(call)
            return MissingDataset(call, MissingDataError(f"its source is a stand-in: {source._call}"))
        try:
            return real(*args, **kwargs)
        except Exception as exc:  # a missing path, or a None where a path was required: the data is not here
            call = describe_call(name, args, kwargs)
            reached.datasets.append(call)
            pipeline = Pipeline(name, dict(kwargs))
            reached.pipelines.append(pipeline)
            return MissingDataset(call, exc, pipeline)

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
        if net is not None and all(net is not seen for seen, _ in reached.networks):
            reached.networks.append((net, how))

    def load_checkpoint(*args, net=None, **kwargs):
        hand_over(net, "load_checkpoint(..., net=...)")
        return {}

    def load_param_into_net(net, *args, **kwargs):
        hand_over(net, "load_param_into_net")
        return NothingUnloaded()

    def model(network=None, *args, **kwargs):
        hand_over(network, "Model")
        reached.stopped_by = "Model(...)"
        raise NetworkReached("Model")

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
