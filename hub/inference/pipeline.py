"""Following an eval script's dataset pipeline on one image, with no data here.

An eval script builds a dataset (``Cifar10Dataset(path)``, ``ImageFolderDataset(path)``...) and maps
its transforms over the image column (``Decode``, ``Resize(256)``, ``CenterCrop(224)``, ``Normalize``,
``HWC2CHW``...). With the data absent, the dataset is a stand-in that records those calls, with the line of
zoo code that made each (``routes.zoo.sandbox.eval_capture``). ``follow`` reads the record: which column holds
the images (its renames followed), the transforms applied to it in order (``Compose`` unpacked), and what a
row of that column holds before them (image file bytes, or decoded pixels of a fixed shape). A step the hub
cannot run on an image (a transform of several columns, a per-batch map over the images, rows made by the
zoo's own Python code) is a ``PreprocessError`` naming its line.

``pipeline_inputs`` runs the followed transforms, MindSpore's own, on synthetic samples: the result has exactly
the shape and dtype the script's pipeline gives its network. A pipeline whose output size depends on the
images (nothing crops or resizes to a fixed size) gives no inputs: two sample sizes are tried and must agree.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field

from ..errors import PreprocessError
from ..routes.zoo.sandbox.pipeline import Pipeline

ENCODED, DECODED = "encoded", "decoded"
# dataset class -> (its image column, what a row of it holds: ENCODED image bytes as the files hold them, or
# DECODED HWC uint8 pixels of this shape)
SOURCES: dict[str, tuple[str, str, tuple[int, ...]]] = {
    "Cifar10Dataset": ("image", DECODED, (32, 32, 3)),
    "Cifar100Dataset": ("image", DECODED, (32, 32, 3)),
    "MnistDataset": ("image", DECODED, (28, 28, 1)),
    "FashionMnistDataset": ("image", DECODED, (28, 28, 1)),
    "KMnistDataset": ("image", DECODED, (28, 28, 1)),
    "ImageFolderDataset": ("image", ENCODED, ()),
    "ManifestDataset": ("image", ENCODED, ()),
    "VOCDataset": ("image", ENCODED, ()),
    "CocoDataset": ("image", ENCODED, ()),
}
SAMPLE_SIDES = ((375, 500), (400, 400))  # (height, width) of two samples: an ImageNet-like photo and a square
BATCH = 1


@dataclass
class Step:
    """One transform the pipeline applies to the image column: the operation itself and where it was mapped.

    A transform mapped over the image and other columns together (``img_id``, ``annotation``...: detection
    pipelines resize the image and its boxes in one Python function) runs with stand-in values for the others,
    twice, with two different sets of them: the image it gives must be the same both times (it does not depend on
    them), or the step fails naming the columns. ``columns`` are its input columns, ``image_in`` and
    ``image_out`` the image's place among its inputs and outputs."""

    op: object
    at: str = ""
    columns: tuple[str, ...] = ()
    image_in: int = 0
    image_out: int = 0
    copy: bool = False  # the map copies the image into several columns; the image is followed along the first
    columns_out: tuple[str, ...] = ()

    def __call__(self, value):
        if len(self.columns) < 2:
            return self.op(value)
        try:
            return self._with_stand_ins(value, stand_in_column)
        except Exception:
            if not _is_encoded(value):
                raise
            # a record's image bytes decoded with its mask's (a segmentation MindRecord: both files' bytes)
            return self._with_stand_ins(value, encoded_stand_in_column)

    def _with_stand_ins(self, value, stand_in):
        import numpy as np

        results = []
        for variant in (0, 1):
            args = [value if i == self.image_in else stand_in(name, variant, value)
                    for i, name in enumerate(self.columns)]
            out = self.op(*args)
            out = out if isinstance(out, (tuple, list)) else (out,)
            if self.image_out >= len(out):
                raise ValueError(f"{self.name} gave {len(out)} columns, not the image's place {self.image_out + 1}")
            results.append(out[self.image_out])
        first, second = (np.asarray(r) for r in results)
        if self.copy and not (first.shape == np.asarray(value).shape and np.array_equal(first, np.asarray(value))):
            raise ValueError(f"{self.name} was taken as copying the image into {self.columns_out[self.image_out]!r}, "
                             "but what it gives there is not the image")
        if first.shape != second.shape or not np.array_equal(first, second, equal_nan=True):
            others = [c for i, c in enumerate(self.columns) if i != self.image_in]
            raise ValueError(f"{self.name} maps the image with {others} and the image it gives depends on them: "
                             "it cannot be run on an image alone")
        return results[0]

    @property
    def is_zoo_code(self) -> bool:
        """Whether the step is the zoo's own Python code rather than a MindSpore transform."""
        return _is_function(self.op) or hasattr(self.op, "hub_name")

    @property
    def together_with(self) -> list[str]:
        return [c for i, c in enumerate(self.columns) if i != self.image_in]

    @property
    def name(self) -> str:
        """The transform's class name (``Resize``), or a function's own name (the zoo's Python functions)."""
        if _is_function(self.op):
            return getattr(self.op, "__qualname__", repr(self.op))
        if hasattr(self.op, "hub_name"):  # the eval script's own function, wrapped with its config
            return self.op.hub_name
        return type(self.op).__name__


ID_WORDS, SHAPE_WORDS = ("id", "idx", "index"), ("shape", "size", "hw", "wh")
BOX_WORDS = ("anno", "box", "bbox", "gt", "label", "mask", "target", "keypoint", "kpt", "joint", "boxes", "cls")


def stand_in_column(name: str, variant: int, image) -> object:
    """A value for another column of a row, of the kind its name says (two variants that differ)."""
    import numpy as np

    words = set(name.lower().replace("-", "_").split("_"))
    lowered = name.lower()
    if words & set(SHAPE_WORDS) or "shape" in lowered:
        shape = np.asarray(image).shape[:2] if np.asarray(image).ndim >= 2 else (1, 1)
        return np.array(shape, np.int32)
    if words & set(ID_WORDS) or lowered.endswith("id"):
        return np.array([7 * variant], np.int32)
    if any(w in lowered for w in BOX_WORDS):
        # x1, y1, x2, y2, class, crowd: the R-CNN family's records keep a sixth column; the rest read five
        return np.zeros((0, 6), np.float32) if variant == 0 else np.array([[1, 1, 5, 5, 0, 0]], np.float32)
    return np.array([variant], np.int32)


def encoded_stand_in_column(name: str, variant: int, image) -> object:
    """For an image given as file bytes: a mask-like column as PNG bytes of a grayscale image of its size
    (all 0, or all 1), other columns as ``stand_in_column`` gives them."""
    import numpy as np

    lowered = name.lower()
    if not any(word in lowered for word in MASK_WORDS):
        return stand_in_column(name, variant, image)
    from PIL import Image

    with Image.open(io.BytesIO(np.asarray(image).tobytes())) as opened:
        size = opened.size
    buffer = io.BytesIO()
    Image.new("L", size, variant).save(buffer, format="PNG")
    return np.frombuffer(buffer.getvalue(), np.uint8)


MASK_WORDS = ("label", "mask", "seg", "gt", "target")


def _is_encoded(value) -> bool:
    import numpy as np

    array = np.asarray(value) if not isinstance(value, (bytes, bytearray)) else np.frombuffer(value, np.uint8)
    return array.ndim == 1 and array.dtype == np.uint8


def _is_function(op) -> bool:
    import types

    return isinstance(op, (types.FunctionType, types.BuiltinFunctionType, types.MethodType))


@dataclass
class Followed:
    """The image column of a pipeline and what is done to it."""

    pipeline: Pipeline
    column: str  # "" for the first column
    steps: list[Step] = field(default_factory=list)
    kind: str = ENCODED  # what a row holds before the steps: ENCODED bytes or DECODED pixels
    sample_shape: tuple[int, ...] = ()  # DECODED rows of a fixed shape (CIFAR-10 32x32x3); () any size
    decoded_by_code: bool = False  # ENCODED bytes whose first step is the zoo's own function, not Decode

    @property
    def operations(self) -> list:
        return [step.op for step in self.steps]

    def describe(self) -> str:
        return " -> ".join([self.pipeline.source, *(step.name for step in self.steps)])


def _map_parts(args: tuple, kwargs: dict) -> tuple[list | None, list | None, list | None]:
    """(operations, input columns, output columns) of a ``map`` call, each a list or None."""
    operations = kwargs.get("operations", args[0] if args else None)
    columns = kwargs.get("input_columns", args[1] if len(args) > 1 else None)
    outputs = kwargs.get("output_columns", args[2] if len(args) > 2 else None)
    return (_unpacked(operations) if operations is not None else None), _as_list(columns), _as_list(outputs)


def _as_list(value) -> list | None:
    return [value] if isinstance(value, str) else (list(value) if value is not None else None)


def _maps(pipeline: Pipeline) -> list[tuple[list, list | None]]:
    """Each ``map`` of the pipeline: (its operations, ``Compose`` unpacked; its input columns or None)."""
    found = []
    for name, args, kwargs in pipeline.steps:
        if name == "map":
            operations, columns, _ = _map_parts(args, kwargs)
            if operations is not None:
                found.append((operations, columns))
    return found


RECORD_SOURCES = ("MindDataset", "TFRecordDataset")
IMAGE_COLUMNS = ("image", "img", "images")


def image_column(pipeline: Pipeline) -> str | None:
    """The image column: the one the dataset class yields images in, else (a dataset of records, a
    MindRecord file) the column whose first map begins with ``Decode``: what it holds is encoded images;
    else a record column named as images whose first map is the zoo's own Python function
    (``decoded_by_code``)."""
    if pipeline.source in SOURCES:
        return SOURCES[pipeline.source][0]
    for operations, columns in _maps(pipeline):
        if operations and type(operations[0]).__name__ == "Decode":
            return columns[0] if columns else ""  # "": the first column
    return decoded_by_code(pipeline)


def decoded_by_code(pipeline: Pipeline) -> str | None:
    """A record dataset's column named as images (``image``, ``img``) whose first map is a Python function of
    the zoo (Auto-DeepLab's ``normalize`` decodes the record's bytes with ``cv2.imdecode``): the column holds the
    image file's bytes, which that function decodes. ``resolve`` checks it on image files; None when none is."""
    if pipeline.source not in RECORD_SOURCES:
        return None
    for operations, columns in _maps(pipeline):
        if not columns or columns[0] not in IMAGE_COLUMNS:
            continue
        return columns[0] if operations and _is_function(operations[0]) else None
    return None


def follow(pipeline: Pipeline, script: str = "eval.py") -> Followed:
    """The image column of ``pipeline`` and the transforms applied to it; ``PreprocessError`` (naming the line
    of zoo code) where a step cannot be run on one image."""
    made = f" (made at {pipeline.at})" if pipeline.at else ""
    if pipeline.generator and pipeline.rows is not None and pipeline.images:
        return _rows_followed(pipeline, script)
    column = image_column(pipeline)
    if pipeline.generator:
        raise PreprocessError(f"{script}'s {pipeline.source}{made} reads its rows from {pipeline.generator}, the "
                              "zoo's own Python data code, which the hub reads for an image only where that code "
                              "finds its images through a COCO annotation file or a glob of a folder (stood in for "
                              "when not here); this code found none so")
    if column is None:
        raise PreprocessError(f"{script}'s {pipeline.source}{made} has no image column the hub knows, and none of "
                              "its columns is decoded as images")
    _, kind, shape = SOURCES.get(pipeline.source, ("", ENCODED, ()))
    if pipeline.kwargs.get("decode"):
        kind, shape = DECODED, ()
    followed = Followed(pipeline, column, kind=kind, sample_shape=shape,
                        decoded_by_code=column == decoded_by_code(pipeline) and not _decodes_first(pipeline))
    return _mapped(followed, script)


def _rows_followed(pipeline: Pipeline, script: str) -> Followed:
    """A ``GeneratorDataset`` over the zoo's own data class whose images are a stand-in index's: its first step
    reads a row through that class for the image file given (``ZooRows``), then its maps are followed."""
    from .zoo_rows import ZooRows

    column = next((c for c in pipeline.columns if c in IMAGE_COLUMNS), pipeline.columns[0] if pipeline.columns else "")
    rows = ZooRows(pipeline.rows, pipeline.columns, column, pipeline.images, pipeline.generator)
    followed = Followed(pipeline, column, [Step(rows, pipeline.at)], kind=ENCODED, decoded_by_code=True)
    return _mapped(followed, script)


def _mapped(followed: Followed, script: str) -> Followed:
    """``followed`` with the maps of its pipeline over its image column appended, renames followed."""
    pipeline, column = followed.pipeline, followed.column
    for index, (name, args, kwargs) in enumerate(pipeline.steps):
        at = pipeline.step_at(index)
        where = f" at {at}" if at else ""
        if name == "map":
            operations, columns, outputs = _map_parts(args, kwargs)
            if operations is None:
                continue
            applies = column in columns if columns is not None else column in ("", _first_column(pipeline))
            if not applies:
                continue
            if columns is not None and len(columns) > 1:
                followed.steps.append(_together(operations, columns, outputs, column, at, script))
                column = (outputs or columns)[followed.steps[-1].image_out]
                continue
            followed.steps += [Step(op, at) for op in operations]
            if outputs is not None and len(outputs) == 1:
                column = outputs[0]
            elif outputs is not None and len(outputs) > 1:
                raise PreprocessError(f"{script}'s pipeline maps {_names(operations)}{where} from the image to "
                                      f"several columns {outputs}: the hub cannot tell which the network is fed")
        elif name == "rename":
            sources, targets = (kwargs.get("input_columns", args[0] if args else None),
                                kwargs.get("output_columns", args[1] if len(args) > 1 else None))
            sources, targets = _as_list(sources) or [], _as_list(targets) or []
            if column in sources and len(targets) == len(sources):
                column = targets[sources.index(column)]
        elif name in ("batch", "padded_batch") and kwargs.get("per_batch_map") is not None:
            touched = _as_list(kwargs.get("input_columns"))
            if touched is None or column in touched:
                raise PreprocessError(f"{script}'s pipeline batches its images with a per-batch map "
                                      f"({_callable_name(kwargs['per_batch_map'])}){where}: what it does to a batch "
                                      "is the zoo's own Python code, which the hub cannot run on one image")
    return followed


def _together(operations: list, columns: list, outputs: list | None, column: str, at: str, script: str) -> Step:
    """A map of one Python function over the image and other columns: a step that runs it with stand-ins."""
    where = f" at {at}" if at else ""
    if len(operations) != 1:
        raise PreprocessError(f"{script}'s pipeline maps {_names(operations)}{where} over the columns {columns} "
                              "together: several transforms of several columns, which the hub cannot run on an image")
    produced = outputs or columns
    copies = [name for name in produced if name != column and name.startswith(column) and name[len(column):].isdigit()]
    if column not in produced and len(copies) > 1:
        # SimCLR's ``copy_column``: (image, label) -> (image1, image2, label), each copy then transformed alike;
        # checked when it runs: the first copy must be the image itself
        return Step(operations[0], at, tuple(columns), columns.index(column), produced.index(copies[0]), copy=True,
                    columns_out=tuple(produced))
    if column not in produced:
        raise PreprocessError(f"{script}'s pipeline maps {_names(operations)}{where} over {columns} into {produced}: "
                              f"no output is the image column {column!r}")
    return Step(operations[0], at, tuple(columns), columns.index(column), produced.index(column))


def _decodes_first(pipeline: Pipeline) -> bool:
    return any(operations and type(operations[0]).__name__ == "Decode" for operations, _ in _maps(pipeline))


def _first_column(pipeline: Pipeline) -> str:
    if pipeline.columns:
        return pipeline.columns[0]
    return SOURCES.get(pipeline.source, ("",))[0]


def _names(operations: list) -> str:
    return ", ".join(Step(op).name for op in operations)


def _callable_name(function) -> str:
    return getattr(function, "__qualname__", type(function).__name__)


def image_operations(pipeline: Pipeline) -> list | None:
    """The transforms mapped over the image column, in order (``Compose`` unpacked); None when the
    pipeline says of no column that it holds images (or the hub cannot follow it)."""
    try:
        return follow(pipeline).operations
    except PreprocessError:
        return None


def _unpacked(operations) -> list:
    if not isinstance(operations, (list, tuple)):
        operations = [operations]
    flat: list = []
    for op in operations:
        inner = getattr(op, "transforms", None)
        if type(op).__name__ == "Compose" and isinstance(inner, (list, tuple)):
            flat += _unpacked(inner)
        else:
            flat.append(op)
    return flat


def sample(kind: str, shape: tuple[int, ...], side: tuple[int, int]):
    """A synthetic row of an image column holding ``kind``: JPEG bytes of a ``side`` photo-sized image, or
    pixels of the dataset's own ``shape`` (or of ``side``, for decoded rows of any size)."""
    import numpy as np

    rng = np.random.default_rng(0)
    if kind == DECODED:
        return rng.integers(0, 256, shape or (*side, 3), dtype=np.uint8)
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(rng.integers(0, 256, (*side, 3), dtype=np.uint8)).save(buffer, format="JPEG")
    return np.frombuffer(buffer.getvalue(), dtype=np.uint8)


def run_steps(operations: list, value):  # operations: Steps, or transforms
    """The operations applied in order, eagerly (MindSpore's transforms take a numpy array or PIL image)."""
    import numpy as np

    for op in operations:
        value = op(value)
        if isinstance(value, tuple):  # an operation that gives several columns: the image is the first
            value = value[0]
    return value if not isinstance(value, list) else np.asarray(value)


def pipeline_inputs(pipeline: Pipeline) -> tuple[tuple | None, str]:
    """(inputs, where they come from); inputs None, and why, when the pipeline does not say."""
    import numpy as np
    from mindspore import Tensor

    try:
        followed = follow(pipeline)
    except PreprocessError as exc:
        return None, str(exc)
    names = followed.describe()
    try:
        outputs = [np.asarray(run_steps(followed.steps, sample(followed.kind, followed.sample_shape, side)))
                   for side in SAMPLE_SIDES]
    except Exception as exc:  # a transform that needs what a synthetic sample is not (a PIL image, a box...)
        return None, f"eval.py's pipeline ({names}) did not run on a synthetic sample: {type(exc).__name__}: {exc}"
    first = outputs[0]
    if any(o.shape != first.shape for o in outputs[1:]):
        return None, f"eval.py's pipeline ({names}) gives images of the input's own size: no fixed input shape"
    batch = np.ascontiguousarray(np.stack([first] * BATCH))
    return (Tensor(batch),), f"eval.py's pipeline: {names}, batch of {BATCH}: {tuple(batch.shape)} {batch.dtype}"
