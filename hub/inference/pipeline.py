"""The inputs an eval script would feed its network, from its own data pipeline, with no data here.

An eval script builds a dataset (``Cifar10Dataset(path)``, ``ImageFolderDataset(path)``...) and maps
its transforms over the image column (``Decode``, ``Resize(256)``, ``CenterCrop(224)``, ``Normalize``,
``HWC2CHW``...). With the data absent, the dataset is a stand-in that records those calls
(``eval_capture.MissingDataset``); here the recorded transforms, MindSpore's own, run on one synthetic
sample of the shape the dataset class yields, so the result has exactly the shape and dtype the script's
pipeline gives its network. A pipeline whose output size depends on the images (nothing crops or
resizes to a fixed size) gives no inputs: two sample sizes are tried and must agree.
"""
from __future__ import annotations

import io

from ..routes.zoo.sandbox.pipeline import Pipeline

# dataset class -> (its image column, how a sample of it is made: "decoded" HWC uint8 of this shape, or
# "encoded" image bytes, as the files hold them)
SOURCES: dict[str, tuple[str, str, tuple[int, ...]]] = {
    "Cifar10Dataset": ("image", "decoded", (32, 32, 3)),
    "Cifar100Dataset": ("image", "decoded", (32, 32, 3)),
    "MnistDataset": ("image", "decoded", (28, 28, 1)),
    "FashionMnistDataset": ("image", "decoded", (28, 28, 1)),
    "KMnistDataset": ("image", "decoded", (28, 28, 1)),
    "ImageFolderDataset": ("image", "encoded", ()),
    "ManifestDataset": ("image", "encoded", ()),
    "VOCDataset": ("image", "encoded", ()),
    "CocoDataset": ("image", "encoded", ()),
}
SAMPLE_SIDES = ((375, 500), (400, 400))  # (height, width) of two samples: an ImageNet-like photo and a square
BATCH = 1


def _maps(pipeline: Pipeline) -> list[tuple[list, list | None]]:
    """Each ``map`` of the pipeline: (its operations, ``Compose`` unpacked; its input columns or None)."""
    found = []
    for name, args, kwargs in pipeline.steps:
        if name != "map":
            continue
        operations = kwargs.get("operations", args[0] if args else None)
        columns = kwargs.get("input_columns", args[1] if len(args) > 1 else None)
        if isinstance(columns, str):
            columns = [columns]
        if operations is not None:
            found.append((_unpacked(operations), list(columns) if columns is not None else None))
    return found


def image_column(pipeline: Pipeline) -> str | None:
    """The image column: the one the dataset class yields images in, else (a dataset of records, a
    MindRecord file) the column whose first map begins with ``Decode``: what it holds is encoded images."""
    if pipeline.source in SOURCES:
        return SOURCES[pipeline.source][0]
    for operations, columns in _maps(pipeline):
        if operations and type(operations[0]).__name__ == "Decode":
            return columns[0] if columns else ""  # "": the first column
    return None


def image_operations(pipeline: Pipeline) -> list | None:
    """The transforms mapped over the image column, in order (``Compose`` unpacked); None when the
    pipeline says of no column that it holds images."""
    column = image_column(pipeline)
    if column is None:
        return None
    return [op for operations, columns in _maps(pipeline) if columns is None or column in columns
            or (column == "" and columns is None) for op in operations]


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


def _sample(pipeline: Pipeline, side: tuple[int, int]):
    import numpy as np

    _, kind, shape = SOURCES.get(pipeline.source, ("", "encoded", ()))  # records decoded by the pipeline
    rng = np.random.default_rng(0)
    if kind == "decoded" or pipeline.kwargs.get("decode"):
        shape = shape or (*side, 3)
        return rng.integers(0, 256, shape, dtype=np.uint8)
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(rng.integers(0, 256, (*side, 3), dtype=np.uint8)).save(buffer, format="JPEG")
    return np.frombuffer(buffer.getvalue(), dtype=np.uint8)


def _through(operations: list, sample):
    import numpy as np

    for op in operations:
        sample = op(sample)
        if isinstance(sample, tuple):  # an operation that gives several columns: the image is the first
            sample = sample[0]
    return np.asarray(sample)


def pipeline_inputs(pipeline: Pipeline) -> tuple[tuple | None, str]:
    """(inputs, where they come from); inputs None, and why, when the pipeline does not say."""
    import numpy as np
    from mindspore import Tensor

    operations = image_operations(pipeline)
    if operations is None:
        return None, (f"eval.py's {pipeline.source} gives no image column the hub knows the shape of, and no "
                      "column of it is decoded as images")
    names = " -> ".join([pipeline.source, *(type(op).__name__ for op in operations)])
    try:
        outputs = [_through(operations, _sample(pipeline, side)) for side in SAMPLE_SIDES]
    except Exception as exc:  # a transform that needs what a synthetic sample is not (a PIL image, a box...)
        return None, f"eval.py's pipeline ({names}) did not run on a synthetic sample: {type(exc).__name__}: {exc}"
    first = outputs[0]
    if any(o.shape != first.shape for o in outputs[1:]):
        return None, f"eval.py's pipeline ({names}) gives images of the input's own size: no fixed input shape"
    batch = np.ascontiguousarray(np.stack([first] * BATCH))
    return (Tensor(batch),), f"eval.py's pipeline: {names}, batch of {BATCH}: {tuple(batch.shape)} {batch.dtype}"
