"""What a card's network predicts, and its outputs read as such: class scores (classification), a class per
pixel (semantic segmentation), boxes (detection, the SSD family of this project).

The task comes from the card: its ``module-type`` where it names one (``cv-classification``), else its
dataset (ImageNet, CIFAR, MNIST: classification; PASCAL VOC, Cityscapes, ADE20K: segmentation; COCO:
detection), and the network's output must have the shape the task gives it (the error says when not)."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..cards.record import ModelCard
from ..errors import TaskError
from .labels import Labels, dataset_of

CLASSIFICATION, SEGMENTATION, DETECTION = "classification", "segmentation", "detection"
SUBTASKS = {"classification": CLASSIFICATION, "semantic_segmentation": SEGMENTATION, "segmentation": SEGMENTATION,
            "object_detection": DETECTION, "detection": DETECTION}
BY_DATASET = {"imagenet1k": CLASSIFICATION, "cifar10": CLASSIFICATION, "cifar100": CLASSIFICATION,
              "mnist": CLASSIFICATION, "fashion_mnist": CLASSIFICATION, "voc2012": SEGMENTATION,
              "cityscapes": SEGMENTATION, "ade20k": SEGMENTATION, "coco": DETECTION}
SERVED = (CLASSIFICATION, SEGMENTATION, DETECTION)


def task_of(card: ModelCard) -> str:
    """The card's task: one of ``SERVED``, or what its module-type and dataset say (for the error)."""
    if card.module_detail:
        found = SUBTASKS.get(card.module_detail.lower().replace("-", "_"))
        if found is not None:
            return found
    dataset = dataset_of(card)
    if (card.module_type or "cv").lower() == "cv" and dataset in BY_DATASET:
        return BY_DATASET[dataset]
    kind = card.module_type + (f"-{card.module_detail}" if card.module_detail else "")
    datasets = ", ".join(card.train_datasets) or "no dataset"
    return f"{kind or 'unknown'} ({datasets})"


@dataclass
class Ranked:
    index: int
    label: str
    score: float

    def to_dict(self) -> dict:
        return {"index": self.index, "label": self.label, "score": round(self.score, 6)}


@dataclass
class SegmentedClass:
    index: int
    label: str
    pixels: int  # of the image's pixels, at its own size
    fraction: float
    color: tuple[int, int, int]

    def to_dict(self) -> dict:
        return {"index": self.index, "label": self.label, "pixels": self.pixels,
                "fraction": round(self.fraction, 6), "color": list(self.color)}


def first_output(output):
    """The network's prediction when it returns several tensors (auxiliary heads come after)."""
    while isinstance(output, (tuple, list)):
        if not output:
            raise TaskError("the network returned an empty tuple")
        output = output[0]
    return output.asnumpy() if hasattr(output, "asnumpy") else np.asarray(output)


def class_scores(output: np.ndarray, uid: str) -> tuple[np.ndarray, str]:
    """(N, K) scores from a classifier's output, and what they are (its own probabilities, or a softmax of
    its logits)."""
    scores = np.asarray(output, dtype=np.float64)
    if scores.ndim == 4 and scores.shape[2:] == (1, 1):
        scores = scores[:, :, 0, 0]
    if scores.ndim != 2:
        raise TaskError(f"{uid}: a classifier's output is (images, classes); this network gives shape "
                        f"{tuple(scores.shape)}")
    rows = scores.sum(axis=1)
    if (scores >= 0).all() and np.allclose(rows, 1.0, atol=1e-3):
        return scores, "the network's own probabilities"
    shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True), "softmax of the network's logits"


def top_k(scores: np.ndarray, labels: Labels, k: int) -> list[Ranked]:
    """The ``k`` best classes of one image's scores (outputs that are no class left out)."""
    order = [int(i) for i in np.argsort(-scores, kind="stable") if int(i) not in labels.unused]
    return [Ranked(i, labels[i], float(scores[i])) for i in order[:k]]


def class_map(output: np.ndarray, classes: int, uid: str) -> np.ndarray:
    """(N, H, W) class indices from a segmentation network's (N, C, H, W) or (N, H, W, C) scores."""
    scores = np.asarray(output)
    if scores.ndim == 3 and scores.shape[0] != classes:  # (N, H, W) indices already
        return scores.astype(np.int64)
    if scores.ndim != 4:
        raise TaskError(f"{uid}: a segmentation network's output is (images, classes, height, width); this one "
                        f"gives shape {tuple(scores.shape)}")
    if scores.shape[1] == classes:
        return scores.argmax(axis=1)
    if scores.shape[3] == classes:
        return scores.argmax(axis=3)
    raise TaskError(f"{uid}: the network's output {tuple(scores.shape)} has no axis of its {classes} classes")


@dataclass
class Mask:
    """One image's class per pixel, at the image's own size, and the classes found."""

    indices: np.ndarray  # (height, width) int
    classes: list[SegmentedClass] = field(default_factory=list)

    def colored(self, labels: Labels):
        """An RGB PIL image of the mask in the dataset's colours."""
        from PIL import Image

        palette = np.zeros((256, 3), np.uint8)
        colors = labels.colors or default_colors(len(labels))
        palette[: len(colors)] = np.asarray(colors, np.uint8)[:256]
        return Image.fromarray(palette[np.clip(self.indices, 0, 255)])


def mask_at(indices: np.ndarray, size: tuple[int, int], labels: Labels) -> Mask:
    """The network's class map resized (nearest) to the image's (height, width), with the classes found."""
    from PIL import Image

    resized = np.asarray(Image.fromarray(indices.astype(np.int32)).resize((size[1], size[0]), Image.NEAREST))
    colors = labels.colors or default_colors(len(labels))
    counts = np.bincount(resized.ravel().clip(0), minlength=len(labels))
    found = [SegmentedClass(int(i), labels[i] if i < len(labels) else f"class {i}", int(counts[i]),
                            float(counts[i] / resized.size),
                            tuple(int(c) for c in colors[i]) if i < len(colors) else (255, 255, 255))
             for i in np.argsort(-counts, kind="stable") if counts[i]]
    return Mask(resized, found)


def default_colors(count: int) -> list[tuple[int, int, int]]:
    """Distinct colours where a dataset's list has none (stable: the same index, the same colour)."""
    rng = np.random.default_rng(0)
    return [tuple(int(v) for v in rng.integers(32, 256, 3)) for _ in range(count)]
