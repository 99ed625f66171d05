"""What a zoo ``eval.py`` loads its checkpoint into, captured, and the script stopped before it evaluates.

An eval script builds its network(s), loads a checkpoint into each and evaluates on a dataset. While one
runs (inside ``capture.captured_exports``, so its context keys are kept and its device is not applied):

- ``load_param_into_net(net, ...)`` and ``load_checkpoint(..., net=net)`` record ``net`` and load
  nothing (a script may load several networks: DRNet's eval.py loads a predictor and a classifier);
- ``Model(net, ...)`` records ``net`` and gives a stand-in whose first use (``eval``, ``predict``...) stops the
  script (``NetworkReached``, which ``except Exception`` in the script does not catch), as does reading a row of
  a dataset stand-in once a network was handed over: nothing of the evaluation runs. The dataset the model was
  handed, or the one read, is the pipeline the script feeds its network (``Reached.consumed``);
- a dataset the script builds from a path that is not here (``ImageFolderDataset("/data/imagenet")``...)
  is a stand-in, so the script reaches its network: chaining (``map``, ``batch``...) gives the stand-in
  again, sizes (and ``len``) read as 1, iterators can be made, and reading a row raises an error naming
  the dataset; a dataset made from a stand-in (``GeneratorDataset(stand_in, ...)``) is a stand-in too.
  Each stand-in is listed on the load report. The directory's own data code that fails before the
  network gives stand-ins as well (``data_code``), and what such a function gave, unpacked into N names
  (``dataset, size = create_dataset(...)``), gives N parts (``MissingPart``): a dataset stand-in each, never a
  number;
- in a run for the pipeline only (``stop_at_call``), a COCO annotation file that is not here is an index of one
  stand-in image (``annotations``), and a ``GeneratorDataset`` over the zoo's own class made from it keeps that
  object (``Pipeline.rows``), whose rows ``hub.inference.zoo_rows`` reads for an image given.
"""
from __future__ import annotations

import dis
import inspect
import os
import sys
import types
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from ....errors import MissingDataError
from .annotations import annotation_stand_ins
from .capture import NothingUnloaded, in_homes
from .image_folders import folder_stand_ins
from .patches import original, substituted
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


@dataclass
class Reached:
    networks: list[tuple[object, str]] = field(default_factory=list)  # (network, the call that handed it over)
    datasets: list[str] = field(default_factory=list)  # stand-ins made, as the report says them
    pipelines: list[Pipeline] = field(default_factory=list)  # the MindSpore datasets among them, with their calls
    stopped_by: str = ""  # what stopped the script before its evaluation
    directory: Path | None = None  # the zoo code's directory: lines are said relative to it
    consumed: Pipeline | None = None  # the pipeline the script fed (or was about to feed) its network
    # the stand-in images made so far (``annotations.StandInImage``, ``image_folders.FolderImage``)
    stand_in_images: list = field(default_factory=list)
    bound_to: dict[int, list[str]] = field(default_factory=dict)  # id(network) -> the zoo code's names for it
    # a run that feeds the script one row (``feed``: a pipeline -> its row as {column: batch}, or None) and records
    # the script's own call of its network (``is_target``) in ``call``: (args, kwargs, file:line)
    feed: Callable[[Pipeline], dict | None] | None = None
    is_target: Callable[[object], bool] | None = None
    call: tuple | None = None
    fed: bool = False
    values: list[str] = field(default_factory=list)  # attributes of stand-ins read before a network (``MissingValue``)

    def hand_over(self, net, how: str) -> None:
        """``net`` was handed a checkpoint or a ``Model`` (``how``): kept once, with the names the calling zoo
        code binds it to (``classifier_net``), which say which of several networks of one class is which."""
        if net is None or any(net is seen for seen, _ in self.networks):
            return
        self.networks.append((net, how))
        self.bound_to[id(net)] = bound_names(net, self.directory)

    def where(self) -> str:
        """``file:line`` of the innermost frame of the zoo code calling now ("" when none is)."""
        return zoo_line(self.directory) if self.directory is not None else ""

    def consume(self, pipeline: Pipeline | None, how: str) -> None:
        """The script feeds ``pipeline`` to its network (``how``, e.g. "Model.eval"): the first such is kept."""
        if pipeline is not None and self.consumed is None:
            at = self.where()
            pipeline.consumed_at = f"{how} at {at}" if at else how
            self.consumed = pipeline


def zoo_line(directory: Path) -> str:
    """``file:line`` (relative to ``directory``) of the innermost frame running code of ``directory``."""
    root = os.path.realpath(directory) + os.sep
    frame = sys._getframe(1)
    while frame is not None:
        name = frame.f_code.co_filename
        if name.startswith(root):
            return f"{name[len(root):]}:{frame.f_lineno}"
        frame = frame.f_back
    return ""


def bound_names(value, directory: Path | None) -> list[str]:
    """The local and global names the innermost frame of zoo code in ``directory`` binds ``value`` to."""
    if directory is None:
        return []
    root = os.path.realpath(directory) + os.sep
    frame = sys._getframe(1)
    while frame is not None and not frame.f_code.co_filename.startswith(root):
        frame = frame.f_back
    if frame is None:
        return []
    names = [n for n, v in frame.f_locals.items() if v is value]
    return names + [n for n, v in frame.f_globals.items() if v is value and n not in names]


class MissingDataset:
    """A dataset whose files are not here: enough of a dataset to be built, batched and sized, never read.
    A MindSpore dataset's stand-in keeps its chained calls (``pipeline``): they say what the script would
    feed its network (``eval_inputs``)."""

    pipeline: Pipeline | None = None
    returned: bool = False  # what a function gave, which may be a tuple the script unpacks (``MissingPart``)

    def __init__(self, call: str, error: BaseException, pipeline: Pipeline | None = None,
                 reached: Reached | None = None, returned: bool = False) -> None:
        self._call = call
        self._error = f"{type(error).__name__}: {error}"
        self.pipeline = pipeline
        self._reached = reached
        self.returned = returned

    def __getattr__(self, name: str):
        if name in CHAINING:
            return lambda *args, **kwargs: self._chained(name, args, kwargs)
        if name in SIZES:
            return lambda *args, **kwargs: 1
        if name.startswith("create_") and name.endswith("_iterator"):
            return lambda *args, **kwargs: _UnreadIterator(self, name, kwargs)
        if name.startswith("__") and name.endswith("__"):  # a protocol probed (``__array__``, ``__deepcopy__``...)
            raise AttributeError(name)
        return MissingValue(self, name)

    def _chained(self, name: str, args: tuple, kwargs: dict) -> MissingDataset:
        if self.pipeline is not None:
            self.pipeline.add(name, args, kwargs, self._reached.where() if self._reached is not None else "")
        return self

    def _fed(self, iterator: str, kwargs: dict):
        """The one row a feeding run gives the script (``Reached.feed``), as the iterator would give it; None when
        this run feeds nothing or the pipeline's row cannot be made."""
        reached = self._reached
        if reached is None or reached.feed is None or not reached.networks or self.pipeline is None:
            return None
        if reached.fed:  # the script read a second row before calling its network: nothing more is fed
            reached.stopped_by = f"reading a second row of {self._call}"
            raise NetworkReached(reached.stopped_by)
        row = reached.feed(self.pipeline)
        if row is None:
            return None
        reached.fed = True
        reached.consume(self.pipeline, "reading its rows")
        if kwargs.get("output_numpy", False) is False:
            from mindspore import Tensor

            row = {column: Tensor(value) for column, value in row.items()}
        return row if iterator == "create_dict_iterator" else list(row.values())

    def _read(self, *args, what: str = "", value: bool = False, **kwargs):
        """Reading the data (a row, ``what``: an attribute the data would give, or ``value``: the stand-in itself
        as a value): once a network was handed over the script stops here, before it, a ``MissingDataError``
        says what has no data."""
        reached = self._reached
        read = f"{what} of {self._call}" if what else self._call
        if reached is not None:
            reached.consume(self.pipeline, "reading its rows")
            if reached.networks:  # the script has its network and now evaluates it: stop here
                reached.stopped_by = f"reading {read}"
                raise NetworkReached(reached.stopped_by)
        if what or value:
            raise MissingDataError(f"{read} has no data here ({self._error}); the script reads it before it has "
                                   "a network, so no network is built without that data")
        raise MissingDataError(f"{read} has no data here ({self._error}); the hub builds the network "
                               "without it, but cannot read from it")

    def __add__(self, other):  # ``stand_in + PaddedDataset(...)``: a concatenation, a step of its pipeline
        return self._chained("concat", (type(other).__name__,), {})

    __radd__ = __add__

    def __iter__(self):
        count = unpacked_into(sys._getframe(1)) if self.returned else None
        if count is not None:  # ``dataset, size = create_dataset(...)``: its parts, not its rows
            return iter([MissingPart(self, index, count) for index in range(count)])
        return _UnreadIterator(self, "create_tuple_iterator", {})

    def __getitem__(self, index):  # a row of a random-access dataset (the zoo's own data classes)
        self._read()

    def __len__(self) -> int:
        return 1

    def __repr__(self) -> str:
        return f"<dataset stand-in: {self._call}>"


class MissingPart(MissingDataset):
    """One of the N names a stand-in of a function of the zoo's data code is unpacked into (pwcnet's
    ``dataset, size = create_dataset(...)``; which is which cannot be told): a dataset stand-in when used as one,
    the data read when used as a number (``nn.Dense(size, ...)``, ``size * 2``, ``int(size)``), so no width the
    network takes is made up."""

    def __init__(self, whole: MissingDataset, index: int, count: int) -> None:
        self._call = f"value {index + 1} of {count} of {whole._call}"
        self._error = whole._error
        self.pipeline = None
        self._reached = reached = whole._reached
        self.returned = True  # a part may be a tuple too: ``(images, labels), size = load(...)``
        if reached is not None and not reached.networks and self._call not in reached.values:
            reached.values.append(self._call)

    def _number(self, *args, **kwargs):
        self._read(value=True)

    __int__ = __float__ = __index__ = __complex__ = __round__ = __trunc__ = __floor__ = __ceil__ = _number
    __neg__ = __pos__ = __abs__ = __invert__ = __lt__ = __le__ = __gt__ = __ge__ = __array__ = _number


def unpacked_into(frame: types.FrameType | None) -> int | None:
    """N when ``frame`` runs ``UNPACK_SEQUENCE`` N (``a, b = value``) now, as CPython 3.8 to 3.13 unpack a
    value that is not a tuple: by calling its ``__iter__``, from the instruction at ``f_lasti``. None at any
    other instruction (``for``, ``list(...)``, ``a, *b = value``) or where that cannot be told."""
    try:
        at = frame.f_lasti
        for instruction in dis.get_instructions(frame.f_code):
            if instruction.offset >= at:
                return instruction.arg if instruction.offset == at and instruction.opname == "UNPACK_SEQUENCE" \
                    else None
    except Exception:  # no frame, or a Python whose frames or instructions are other
        return None
    return None


class MissingValue:
    """What a dataset stand-in gives for an attribute it does not know (``trainset.train_color_label``, DDAG's;
    ``dataset.num_seg_classes``, pointnet's): a value its data would have given. Called (a method of the dataset,
    ``output_shapes()``), or used as data (iterated, indexed, counted, computed with, turned into a number or an
    array), it reads the dataset: ``MissingDataError`` naming the attribute before the network, the script stopped
    after it. It is never a number or an array of its own, so no width the network takes is made up."""

    def __init__(self, dataset: MissingDataset, name: str) -> None:
        self._dataset, self._name = dataset, name
        reached = dataset._reached
        said = f"{name} of {dataset._call}"
        if reached is not None and not reached.networks and said not in reached.values:
            reached.values.append(said)

    @staticmethod
    def checked(error: BaseException, reached: Reached) -> BaseException:
        """``error``, or, when it is a check of the code's refusing a value of this class or a ``MissingPart``
        (MindSpore's ``For 'Dense', the 'out_channels' must be int, but got 'MissingValue'``) before any network, a
        ``MissingDataError`` naming the values read from data that is not here (the same traceback)."""
        if reached.networks or not reached.values or isinstance(error, MissingDataError) \
                or not any(kind.__name__ in str(error) for kind in (MissingValue, MissingPart)):
            return error
        said = MissingDataError(f"{type(error).__name__}: {error}; it was given what the script read from data that "
                                f"is not here ({', '.join(reached.values)}), so no network is built without that data")
        return said.with_traceback(error.__traceback__)

    def _read(self, *args, **kwargs):
        self._dataset._read(what=self._name)

    __call__ = __iter__ = __len__ = __getitem__ = __contains__ = __array__ = _read
    __int__ = __float__ = __index__ = __complex__ = __round__ = __trunc__ = __floor__ = __ceil__ = _read
    __neg__ = __pos__ = __abs__ = __invert__ = __lt__ = __le__ = __gt__ = __ge__ = _read

    def __getattr__(self, name: str):  # ``label.shape``: an attribute of the value, read as the value is
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return MissingValue(self._dataset, f"{self._name}.{name}")

    def __format__(self, spec: str) -> str:
        if spec:  # ``f"{n:.3f}"`` formats the number the data would give
            self._read()
        return repr(self)

    def __repr__(self) -> str:
        return f"<no data here: {self._name} of {self._dataset._call}>"


for _operator in ("add", "sub", "mul", "matmul", "truediv", "floordiv", "mod", "divmod", "pow", "lshift", "rshift",
                  "and", "xor", "or"):  # computed with, on either side: read as the data
    setattr(MissingValue, f"__{_operator}__", MissingValue._read)
    setattr(MissingValue, f"__r{_operator}__", MissingValue._read)
    setattr(MissingPart, f"__{_operator}__", MissingPart._number)
    setattr(MissingPart, f"__r{_operator}__", MissingPart._number)
del _operator


class _UnreadIterator:
    """An iterator over a dataset stand-in: made freely, failing on its first row (in a feeding run, giving one
    row first)."""

    def __init__(self, dataset: MissingDataset, kind: str = "create_tuple_iterator", kwargs: dict | None = None):
        self._dataset, self._kind, self._kwargs = dataset, kind, dict(kwargs or {})

    def __iter__(self):
        return self

    def __next__(self):
        row = self._dataset._fed(self._kind, self._kwargs)
        if row is not None:
            return row
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
            made_by = source._call if name == "GeneratorDataset" else ""  # else a path the zoo's data code made
            pipeline = Pipeline(name, dict(kwargs), at=reached.where(), generator=made_by)
            reached.pipelines.append(pipeline)
            return MissingDataset(call, MissingDataError(f"its source is a stand-in: {source._call}"), pipeline,
                                  reached)
        own = _zoo_source(name, args, kwargs, reached.directory)
        if own:  # ``GeneratorDataset(ZooData(...))``: rows made by the zoo's own Python code, never read here
            call = describe_call(name, args, kwargs)
            reached.datasets.append(call)
            pipeline = Pipeline(name, dict(kwargs), at=reached.where(), generator=own)
            if reached.stand_in_images:  # its images are the stand-in index's: its rows can be read for one given
                pipeline.rows = kwargs.get("source", args[0] if args else None)
                pipeline.columns = _as_names(kwargs.get("column_names", args[1] if len(args) > 1 else None))
                pipeline.images = list(reached.stand_in_images)
            reached.pipelines.append(pipeline)
            return MissingDataset(call, MissingDataError(f"its rows come from {own}"), pipeline, reached)
        try:
            return real(*args, **kwargs)
        except Exception as exc:  # a missing path, or a None where a path was required: the data is not here
            call = describe_call(name, args, kwargs)
            reached.datasets.append(call)
            pipeline = Pipeline(name, dict(kwargs), at=reached.where())
            reached.pipelines.append(pipeline)
            return MissingDataset(call, exc, pipeline, reached)

    build.__wrapped__ = real
    return build


def _concat_with_stand_ins() -> list[tuple[object, str, object]]:
    """``Dataset.concat`` (and ``+``) of a real dataset with a stand-in gives the stand-in, the concatenation a step
    of its pipeline: ViT's eval data is a ``PaddedDataset`` of white images (to fill its last batch) before its
    ``ImageFolderDataset``, and the transforms it maps after are the image files' (the padding's rows are the
    script's own, never a user's image). A concatenation of real datasets only is MindSpore's."""
    import mindspore.dataset as ds

    base = ds.Dataset
    concat = original(base, "concat")

    def concat_with(self, datasets):
        others = datasets if isinstance(datasets, list) else [datasets]
        stand_in = next((d for d in (self, *others) if isinstance(d, MissingDataset)), None)
        if stand_in is None:
            return concat(self, datasets)
        real = [type(d).__name__ for d in (self, *others) if d is not stand_in]
        return stand_in._chained("concat", tuple(real), {})

    return [(base, "concat", concat_with), (base, "__add__", lambda self, other: concat_with(self, other))]


def _as_names(columns) -> list[str]:
    if isinstance(columns, str):
        return [columns]
    return [str(c) for c in columns] if isinstance(columns, (list, tuple)) else []


def _zoo_source(name: str, args: tuple, kwargs: dict, directory: Path | None) -> str:
    """``GeneratorDataset``'s source when the zoo's own code defines it: "Class of src/dataset.py:12"."""
    if name != "GeneratorDataset" or directory is None:
        return ""
    source = kwargs.get("source", args[0] if args else None)
    defined = source if inspect.isclass(source) or inspect.isfunction(source) or inspect.ismethod(source) \
        else type(source)
    try:
        file, line = inspect.getsourcefile(defined), inspect.getsourcelines(defined)[1]
    except (TypeError, OSError):
        return ""
    root = os.path.realpath(directory) + os.sep
    if not file or not os.path.realpath(file).startswith(root):
        return ""
    return f"{getattr(defined, '__qualname__', type(defined).__name__)} of {os.path.realpath(file)[len(root):]}:{line}"


def _dataset_classes() -> dict[str, type]:
    import mindspore.dataset as ds

    base = getattr(ds, "Dataset", object)
    return {name: value for name, value in vars(ds).items()
            if name.endswith("Dataset") and inspect.isclass(value) and issubclass(value, base) and value is not base}


class ModelStandIn:
    """What ``Model(net, ...)`` gives an eval script: its first use (``eval``, ``predict``, ``train``...) stops the
    script, the dataset stand-in it was handed kept as the pipeline the network is fed."""

    def __init__(self, reached: Reached) -> None:
        self._reached = reached

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)

        def use(*args, **kwargs):
            data = next((a for a in (*args, *kwargs.values()) if isinstance(a, MissingDataset)), None)
            if data is not None:
                self._reached.consume(data.pipeline, f"Model.{name}")
            self._reached.stopped_by = f"Model(...).{name}"
            raise NetworkReached(self._reached.stopped_by)

        return use


@contextmanager
def captured_evaluation(directory: Path | None = None, stop_at_call: bool = False,
                        feed: Callable[[Pipeline], dict | None] | None = None,
                        is_target: Callable[[Reached, object], bool] | None = None) -> Iterator[Reached]:
    """Run an eval script of ``directory`` inside this (and ``capture.captured_exports``) to get the network it
    evaluates and the dataset pipeline it feeds it. ``stop_at_call``: once a network was handed over, calling any
    network stops the script (a run for the pipeline only: a script that feeds its network other data than a
    dataset's, a GAN's generated samples, must not go on to evaluate it). ``feed``: once a network was handed
    over, the first row read from a dataset stand-in is ``feed(pipeline)``, and the script's first call of the
    network ``is_target(reached, cell)`` names is recorded (``Reached.call``) and stops it: what its own loop
    passes its network."""
    reached = Reached(directory=directory, feed=feed)
    if is_target is not None:
        reached.is_target = lambda cell: bool(reached.networks) and is_target(reached, cell)

    hand_over = reached.hand_over

    def load_checkpoint(*args, net=None, **kwargs):
        hand_over(net, "load_checkpoint(..., net=...)")
        return {}

    def load_param_into_net(net, *args, **kwargs):
        hand_over(net, "load_param_into_net")
        return NothingUnloaded()

    def model(network=None, *args, **kwargs):
        hand_over(network, "Model")
        return ModelStandIn(reached)

    replacements = [(CHECKPOINT_HOMES, "load_checkpoint", load_checkpoint),
                    (CHECKPOINT_HOMES, "load_param_into_net", load_param_into_net), (MODEL_HOMES, "Model", model)]
    replacements += [(DATASET_HOMES, name, _dataset_stand_in(name, cls, reached))
                     for name, cls in _dataset_classes().items()]
    values = in_homes(replacements) + _concat_with_stand_ins()
    if stop_at_call:
        from mindspore import nn

        call = original(nn.Cell, "__call__")

        def cell_call(self, *args, **kwargs):
            if reached.networks:
                reached.stopped_by = f"calling {type(self).__name__}"
                raise NetworkReached(reached.stopped_by)
            return call(self, *args, **kwargs)

        values.append((nn.Cell, "__call__", cell_call))
    elif reached.is_target is not None:
        from mindspore import nn

        call = original(nn.Cell, "__call__")

        def recorded_call(self, *args, **kwargs):
            if reached.is_target(self):
                reached.call = (args, kwargs, reached.where())
                reached.stopped_by = f"calling {type(self).__name__}"
                raise NetworkReached(reached.stopped_by)
            return call(self, *args, **kwargs)

        values.append((nn.Cell, "__call__", recorded_call))
    if stop_at_call or reached.is_target is not None:  # a run for the pipeline, or fed a row of it
        values += annotation_stand_ins(reached) + folder_stand_ins(reached)  # COCO indexes, image folders not here
    with substituted(values):  # for the code of this context alone (``patches``)
        yield reached
