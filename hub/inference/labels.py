"""What a card's network predicts, by name: the class names of its dataset, in the order of its outputs.

A zoo directory that ships its dataset's names (``infer/.../cifar10.names``, tinydarknet's ImageNet
``imagenet1000_clsidx_to_labels.names``, HRNet's Cityscapes names) gives them; otherwise the lists kept in this
project (``hub/data/labels``: ImageNet-1k, CIFAR-10, CIFAR-100, MNIST, Fashion-MNIST, PASCAL VOC 2012,
Cityscapes, ADE20K; COCO's are ``hub.models.coco``'s). Each list says where it came from. A network whose class
count differs from the list's is an error naming both, with one exception that is a fact of the zoo: its
ImageNet configs often say ``class_num: 1001`` while ``ImageFolderDataset`` numbers the 1000 class folders
0..999, so output 1000 is never a class; it is kept as a named placeholder, never ranked.
"""
from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..cards.record import ModelCard
from ..errors import LabelsError

# a card's train-dataset (lower case, letters and digits only) -> the list of this project that names its classes
DATASETS = {
    "imagenet2012": "imagenet1k", "imagenet": "imagenet1k", "ilsvrc2012": "imagenet1k", "imagenet1k": "imagenet1k",
    "cifar10": "cifar10", "cifar100": "cifar100", "mnist": "mnist", "fashionmnist": "fashion_mnist",
    "voc2012": "voc2012", "voc": "voc2012", "augmentedpascal": "voc2012", "vocaug": "voc2012",
    "cityscapes": "cityscapes", "cityspaces": "cityscapes", "ade20k": "ade20k",
    "coco2017": "coco", "coco2014": "coco", "mscoco": "coco", "coco": "coco",
}
# the words a label file of the card's code is named with, per list
FILE_WORDS = {"imagenet1k": ("imagenet",), "cifar10": ("cifar10",), "cifar100": ("cifar100",),
              "mnist": ("mnist", "minst"), "fashion_mnist": ("fashion",), "voc2012": ("voc",),
              "cityscapes": ("cityscapes", "city"), "ade20k": ("ade",)}
LABEL_FILE = re.compile(r".*\.(names|txt|json)$", re.I)
LABEL_WORDS = ("label", "names", "class", "clsidx", "synset")
MAX_LABEL_FILE = 256 * 1024
UNUSED_OUTPUT = "(no class: ImageFolderDataset numbers the 1000 ImageNet folders 0..999, output 1000 is unused)"


class Labels(list):
    """Class names in the order of the network's outputs; ``dataset`` (the list's name), ``source`` (where the
    names come from), ``colors`` (RGB per class, for segmentation masks; None when the source has none) and
    ``unused`` (indices that are no class)."""

    def __init__(self, names, dataset: str, source: str, colors: list[tuple[int, int, int]] | None = None,
                 unused: tuple[int, ...] = ()) -> None:
        super().__init__(names)
        self.dataset, self.source, self.colors, self.unused = dataset, source, colors, tuple(unused)

    def fitted(self, count: int, what: str) -> Labels:
        """These names for a network with ``count`` classes (``what`` names it); ``LabelsError`` naming both counts
        when they differ (ImageNet's zoo-wide 1001 aside, see the module)."""
        if count == len(self):
            return self
        if self.dataset == "imagenet1k" and len(self) == 1000 and count == 1001:
            return Labels([*self, UNUSED_OUTPUT], self.dataset, self.source, self.colors, (*self.unused, 1000))
        raise LabelsError(f"{what} has {count} classes and the {self.dataset} names ({self.source}) are {len(self)}: "
                          "the hub does not guess which name an output stands for")

    def to_dict(self) -> dict:
        return {"dataset": self.dataset, "source": self.source, "count": len(self), "names": list(self),
                "colors": [list(c) for c in self.colors] if self.colors else None, "unused": list(self.unused)}


@dataclass(frozen=True)
class _ListFile:
    names: list[str]
    colors: list[tuple[int, int, int]] | None


def dataset_of(card: ModelCard) -> str | None:
    """The label list a card's train dataset names (``imagenet1k``, ``cifar10``...), or None."""
    for dataset in card.train_datasets:
        found = DATASETS.get(re.sub(r"[^a-z0-9]", "", dataset.lower()))
        if found is not None:
            return found
    return None


def kept_labels(dataset: str) -> Labels:
    """The list this project keeps for ``dataset``."""
    if dataset == "coco":
        from ..models.coco import COCO_NAMES

        return Labels(list(COCO_NAMES), "coco", "hub/models/coco.py (this project: the 80 COCO detection "
                                                "categories)")
    path = resources.files("hub").joinpath(f"data/labels/{dataset}.txt")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LabelsError(f"this project keeps no class names for {dataset!r}") from None
    header = " ".join(line[1:].strip() for line in text.splitlines() if line.startswith("#"))
    parsed = _kept_file(text)
    return Labels(parsed.names, dataset, f"hub/data/labels/{dataset}.txt (this project: {header})", parsed.colors)


def _kept_file(text: str) -> _ListFile:
    names, colors = [], []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) == 2 and re.fullmatch(r"\d+ \d+ \d+", parts[1].strip()):
            names.append(parts[0])
            colors.append(tuple(int(v) for v in parts[1].split()))
        else:
            names.append(parts[-1])  # "wnid<TAB>name" keeps the name
    return _ListFile(names, colors if len(colors) == len(names) else None)


def card_labels(card: ModelCard, code_dir: Path | None = None) -> Labels:
    """The class names of the card's dataset: its code directory's own list of the right length when it ships
    one, else this project's; ``LabelsError`` for a dataset none names."""
    dataset = dataset_of(card)
    if dataset is None:
        shown = ", ".join(card.train_datasets) or "none"
        raise LabelsError(f"{card.uid}: the hub has no class names for its dataset ({shown}); it names those of "
                          "ImageNet-1k, CIFAR-10/100, MNIST, Fashion-MNIST, PASCAL VOC, Cityscapes, ADE20K and COCO")
    kept = kept_labels(dataset)
    if code_dir is not None and dataset in FILE_WORDS:
        shipped = _shipped(code_dir, dataset, len(kept))
        if shipped is not None:
            names, path = shipped
            return Labels(names, dataset, f"{path} (the card's code directory)", kept.colors)
    return kept


def _shipped(code_dir: Path, dataset: str, count: int) -> tuple[list[str], str] | None:
    """A list of ``count`` names for ``dataset`` that the code directory ships, and its path in it."""
    candidates = []
    for path in sorted(code_dir.rglob("*")):
        name = path.name.lower()
        if not LABEL_FILE.fullmatch(name) or not any(w in name for w in LABEL_WORDS + FILE_WORDS[dataset]):
            continue
        if not any(w in name for w in FILE_WORDS[dataset]) and not any(w in path.as_posix().lower()
                                                                        for w in FILE_WORDS[dataset]):
            continue
        try:
            if not path.is_file() or path.stat().st_size > MAX_LABEL_FILE:
                continue
            names = _parsed(path.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            continue
        if names is not None and len(names) == count:
            candidates.append((names, path.relative_to(code_dir).as_posix()))
    return candidates[0] if candidates else None


def _parsed(text: str) -> list[str] | None:
    """Names from a label file: JSON (a list, or index -> name / name -> index), a Python dict's body
    (``0: 'tench, Tinca tinca',``), or one name a line."""
    stripped = text.strip()
    if not stripped:
        return None
    for attempt in (lambda: json.loads(stripped), lambda: ast.literal_eval(stripped),
                    lambda: ast.literal_eval("{" + stripped + "}")):
        try:
            value = attempt()
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            continue
        names = _from_value(value)
        if names is not None:
            return names
    lines = [line.strip() for line in stripped.splitlines() if line.strip()]
    return lines if all(len(line) < 200 for line in lines) else None


def _from_value(value) -> list[str] | None:
    if isinstance(value, dict) and len(value) == 1 and isinstance(next(iter(value.values())), dict):
        value = next(iter(value.values()))  # {"class_to_idx": {...}}
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    if isinstance(value, dict) and value:
        if all(isinstance(k, int) for k in value) and sorted(value) == list(range(len(value))):
            return [str(value[i]) for i in range(len(value))]
        if all(isinstance(v, int) for v in value.values()) and sorted(value.values()) == list(range(len(value))):
            return [k for k, _ in sorted(value.items(), key=lambda item: item[1])]
    return None
