"""From images to labelled answers with one card: read and check the images, load the network (verified
weights, as ``load``), preprocess each image as the card's eval pipeline does, run them as one batch, and read
the outputs as the card's task: top-k labels and scores, a class per pixel, or boxes.

Nothing is fetched before the images are read and the task is known to be served: a file that is not an image,
or a card whose task ``predict`` does not serve, fails before any download.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..cards.record import ModelCard
from ..errors import TaskError
from .images import ImageInput, read_image
from .labels import Labels
from .tasks import CLASSIFICATION, DETECTION, SEGMENTATION, SERVED, Mask, Ranked, task_of

TOP = 5
LOAD_ONLY = ("trust_repo", "strict", "source", "pretrained", "force_reload")  # keywords of load, not of the code


@dataclass
class Prediction:
    """What the network says of one image."""

    image: str
    task: str
    top: list[Ranked] = field(default_factory=list)  # classification: best first
    mask: Mask | None = None  # segmentation
    detections: list = field(default_factory=list)  # detection (``hub.models.postprocess.Detection``)
    notes: list[str] = field(default_factory=list)
    mask_path: str = ""  # segmentation: where its colour mask was written, if it was

    def to_dict(self) -> dict:
        found: dict = {"image": self.image, "task": self.task}
        if self.task == CLASSIFICATION:
            found["top"] = [r.to_dict() for r in self.top]
        elif self.task == SEGMENTATION and self.mask is not None:
            found["size"] = list(self.mask.indices.shape)
            found["classes"] = [c.to_dict() for c in self.mask.classes]
            if self.mask_path:
                found["mask"] = self.mask_path
        elif self.task == DETECTION:
            found["detections"] = [d.to_dict() for d in self.detections]
        if self.notes:
            found["notes"] = list(self.notes)
        return found


@dataclass
class Predictions:
    """The predictions for several images, and how they were made."""

    uid: str
    task: str
    items: list[Prediction]
    labels: Labels | None
    preprocessing: str
    scores: str = ""  # what the classification scores are
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"uid": self.uid, "task": self.task, "preprocessing": self.preprocessing,
                "labels": {"dataset": self.labels.dataset, "source": self.labels.source, "count": len(self.labels)}
                if self.labels is not None else None,
                "scores": self.scores or None, "notes": list(self.notes),
                "predictions": [p.to_dict() for p in self.items]}


def served_task(card: ModelCard) -> str:
    """The card's task when ``predict`` serves it; ``TaskError`` naming it otherwise."""
    task = task_of(card)
    if task not in SERVED:
        raise TaskError(f"{card.uid}: its task is {task}; hub predict serves image classification, semantic "
                        "segmentation (PASCAL VOC, Cityscapes, ADE20K) and the SSD family's detection")
    return task


def predict(name: str, images, top: int = TOP, catalog=None, **kwargs) -> Predictions:
    """Predictions of the card ``name`` for ``images`` (paths, PIL images or uint8 arrays; one or a list);
    ``kwargs`` go to ``load`` (and choose the preprocessing as they choose the network)."""
    from ..loader import load, resolve_card
    from ..routes import route_of
    from ..routes.names import Route

    if not isinstance(images, (list, tuple)):
        images = [images]
    pictures = [read_image(image) for image in images]
    for picture in pictures:  # decoded: a bad or truncated image fails before anything is fetched
        picture.pil()
    card = resolve_card(name, catalog=catalog)
    task = served_task(card)
    if task == DETECTION and route_of(card) is not Route.OURS:
        raise TaskError(f"{card.uid}: its task is object detection; hub predict draws the boxes of the SSD family "
                        "this project implements (its box decoding is known), and this card's network is built by "
                        "the model zoo's code, whose outputs are its own")
    net = load(name, catalog=catalog, **kwargs)
    if task == DETECTION:
        return _detections(card, net, pictures)
    options = {k: v for k, v in kwargs.items() if k not in LOAD_ONLY}
    return _predict(card, task, net, pictures, top, options, bool(kwargs.get("trust_repo")))


def _predict(card: ModelCard, task: str, net, pictures: list[ImageInput], top: int, kwargs: dict,
             trust_repo: bool) -> Predictions:
    from .labels import card_labels
    from .resolve import card_preprocess
    from .tasks import class_map, class_scores, mask_at, top_k

    preprocess = card_preprocess(card, kwargs, network=net, trust_repo=trust_repo)
    labels = card_labels(card, _code_dir(card))
    inputs, notes = [], []
    for picture in pictures:
        array, said = preprocess.apply(picture)
        inputs.append(array)
        notes.append(said)
    outputs, how = _forward(net, inputs)
    run_notes = [how] if how else []
    items = []
    if task == CLASSIFICATION:
        scores, meaning = class_scores(outputs, card.uid)
        labels = labels.fitted(scores.shape[1], f"{card.uid}'s network")
        for picture, said, row in zip(pictures, notes, scores):
            items.append(Prediction(picture.name, task, top=top_k(row, labels, top), notes=said))
        return Predictions(card.uid, task, items, labels, preprocess.describe(), meaning, run_notes)
    indices = class_map(outputs, len(labels), card.uid)
    for picture, said, plane, array in zip(pictures, notes, indices, inputs):
        plane = _content(plane, preprocess.extent(picture), array.shape[-2:])
        items.append(Prediction(picture.name, task, mask=mask_at(plane, picture.size, labels), notes=said))
    return Predictions(card.uid, task, items, labels, preprocess.describe(), notes=run_notes)


def _content(plane: np.ndarray, extent: tuple[int, int] | None, input_size) -> np.ndarray:
    """The part of a class map that covers the image, when its preprocessing padded it (``extent`` in the
    network's input of ``input_size``; the map may be smaller than the input by a stride)."""
    if extent is None:
        return plane
    rows = max(1, round(extent[0] * plane.shape[0] / input_size[0]))
    cols = max(1, round(extent[1] * plane.shape[1] / input_size[1]))
    return plane[:rows, :cols]


def _forward(net, inputs: list[np.ndarray]) -> tuple[np.ndarray, str]:
    """The first output for the images as one batch; one at a time when the network takes no batch of them."""
    from mindspore import Tensor

    from .tasks import first_output

    if len({a.shape for a in inputs}) == 1:
        try:
            return first_output(net(Tensor(np.stack(inputs)))), ""
        except Exception as exc:
            if len(inputs) == 1:
                raise
            failed = f"{type(exc).__name__}: {str(exc)[:160]}"
        how = f"run one image at a time: the network took no batch of {len(inputs)} ({failed})"
    else:
        how = "run one image at a time: the preprocessing gives each image its own size"
    outputs = [first_output(net(Tensor(a[None]))) for a in inputs]
    return np.concatenate(outputs), how


def _code_dir(card: ModelCard):
    """The card's code directory when it has one in the cache (its labels may be there)."""
    from ..cards.repo_link import parse_repo_link
    from ..routes.zoo import fetch_code_dir

    ref = parse_repo_link(card.repo_link or "")
    if ref is None or not ref.is_model_zoo:
        return None
    return fetch_code_dir(ref, card.uid).path


def _detections(card: ModelCard, net, pictures: list[ImageInput]) -> Predictions:
    from ..models.detect import detect

    found = detect(net, [p.rgb() for p in pictures])
    items = [Prediction(p.name, DETECTION, detections=d, notes=list(p.notes)) for p, d in zip(pictures, found)]
    from .labels import kept_labels

    return Predictions(card.uid, DETECTION, items, kept_labels("coco"), "hub/models/preprocess.py")
