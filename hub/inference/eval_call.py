"""The inputs an eval script's own loop passes the card's network, for a photo.

An eval script does not always hand its network what its dataset gives: DRNet's resizes each batch to three
sides and calls its classifier with the image and the index of the side (``classifier_net(new_images, j)``),
after a predictor network has scored the batch. Such a call is only known by running the loop. So the script
runs once more (``routes.zoo.builders.evaluation.own_call``) with its data absent as at build time, but the first
row it reads from its dataset is the photo through that dataset's own pipeline (its image column) beside zero
labels, batch of one; the script's first call of the card's network is recorded and stops it. Anything else the
loop calls before (the predictor, a resize) runs as the script runs it. Only the datasets whose columns are known
are fed (``COLUMNS``), and a ``MindDataset`` whose columns the directory's own writer declares (``record_schema``:
zero rows of those types and shapes, batched as the pipeline batches them, since such a network may be built for
its batch, as PredRNN++'s is); a loop that reads other data, or never calls the network, gives no inputs.
"""
from __future__ import annotations

from ..cards.record import ModelCard

# dataset class -> its columns, in order (the image first): what a row of it holds for the script
COLUMNS: dict[str, tuple[str, ...]] = {
    "ImageFolderDataset": ("image", "label"),
    "ManifestDataset": ("image", "label"),
    "Cifar10Dataset": ("image", "label"),
    "Cifar100Dataset": ("image", "coarse_label", "fine_label"),
    "MnistDataset": ("image", "label"),
    "FashionMnistDataset": ("image", "label"),
    "KMnistDataset": ("image", "label"),
}


def eval_call_inputs(card: ModelCard, built) -> tuple[tuple | None, str]:
    """(the inputs the card's eval script passes its network for the photo, where they come from); inputs None,
    and why, when the script's loop could not be followed to that call."""
    import numpy as np

    from ..cards.repo_link import parse_repo_link
    from ..errors import HubError, PreprocessError
    from ..routes.zoo.builders import evaluation
    from ..routes.zoo.source.code import fetch_code_dir
    from .images import read_image
    from .inputs import photo_path
    from .pipeline import follow
    from .preprocess import Preprocess, Source
    from .record_schema import declared_columns

    ref = parse_repo_link(card.repo_link or "")
    code = fetch_code_dir(ref, card.uid)
    picture = read_image(photo_path())
    fed: list[str] = []

    def feed(pipeline) -> dict | None:
        columns = COLUMNS.get(pipeline.source)
        if columns is None and pipeline.generator and pipeline.rows is not None and pipeline.images:
            columns = tuple(pipeline.columns)  # the zoo's data class, over stand-in images: its row for the photo
        if columns is None:
            return record_rows(pipeline)
        try:
            followed = follow(pipeline, evaluation.SCRIPT)
            pre = Preprocess(card.uid, followed.steps, followed.kind, followed.sample_shape,
                             Source(str(built.route), evaluation.SCRIPT, pipeline.source, pipeline.at),
                             followed.decoded_by_code)
            image, _ = pre.apply(picture)
        except (HubError, PreprocessError):
            return None
        names = renamed(pipeline, list(columns))
        column = followed.column or (names[0] if names else "")
        if column not in names:
            return None
        fed.append(f"a photo through {pipeline.source} of {pipeline.at or evaluation.SCRIPT}: {pre.describe()}, "
                   "batch of 1")
        return {name: (np.ascontiguousarray(image[None]) if name == column else np.zeros((1,), np.int32))
                for name in names}

    def record_rows(pipeline) -> dict | None:
        names = _names(pipeline.kwargs.get("columns_list"))
        if pipeline.source != "MindDataset" or not names:
            return None
        declared = declared_columns(code.path, names)
        if not declared:
            return None
        batch = batch_size(pipeline)
        shown = "; ".join(column.describe() for column in declared.values())
        fed.append(f"zero rows of the MindRecord columns its code declares ({shown}) through MindDataset of "
                   f"{pipeline.at or evaluation.SCRIPT}, " + (f"batch of {batch}" if batch else "unbatched"))
        rows = {name: column.zeros(batch) for name, column in declared.items()}
        return {name: rows[name] for name in renamed(pipeline, names)}

    try:
        call = evaluation.own_call(card, code, {}, feed)
    except Exception as exc:  # the script failed otherwise than the first time: said, not raised
        return None, f"{evaluation.SCRIPT}'s loop could not be followed ({type(exc).__name__}: {str(exc)[:200]})"
    if call is None or not fed:
        why = "reads no dataset whose rows the hub can make" if not fed else "does not call the network"
        return None, f"{evaluation.SCRIPT}'s loop {why} before it stops"
    args, kwargs, where = call
    if kwargs:
        return None, f"{evaluation.SCRIPT} calls the network with keywords ({', '.join(kwargs)}) at {where}"
    return tuple(args), f"{evaluation.SCRIPT}'s own call at {where}, fed {fed[0]}"


def batch_size(pipeline) -> int | None:
    """The rows the pipeline's ``batch`` call puts in one batch; None when it batches none (or by a function)."""
    from .record_schema import is_count

    for name, args, kwargs in pipeline.steps:
        if name == "batch":
            size = kwargs.get("batch_size", args[0] if args else None)
            return size if is_count(size) else None
    return None


def renamed(pipeline, columns: list[str]) -> list[str]:
    """The dataset's columns after the pipeline's ``rename`` and ``project`` calls, in order."""
    for name, args, kwargs in pipeline.steps:
        if name == "rename":
            old = _names(kwargs.get("input_columns", args[0] if args else None))
            new = _names(kwargs.get("output_columns", args[1] if len(args) > 1 else None))
            mapping = dict(zip(old, new))
            columns = [mapping.get(c, c) for c in columns]
        elif name == "project":
            kept = _names(kwargs.get("columns", args[0] if args else None))
            columns = [c for c in kept if c in columns]
    return columns


def _names(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else []
