"""An annotation file that is not here, while the hub follows an eval pipeline: an index of one stand-in image.

Detection eval scripts (the YOLO family's, among others) read their images through a data class of their own,
which indexes the dataset with pycocotools' ``COCO(annotation_file)`` and opens each image by its
``file_name``; MindSpore's ``GeneratorDataset`` then reads the rows of that class. With the annotation file
absent, ``COCO`` here builds an index of one image whose ``file_name`` is an absolute path of a scratch folder
(a small placeholder JPEG until an image is given), with one box of one category, so the data class is made as
it would be on the dataset, and its rows can be read later for an image the user gives
(``hub.inference.zoo_rows``). Active only in a run for the pipeline (``captured_evaluation(stop_at_call=True)``);
each stand-in index is listed among the run's dataset stand-ins.
"""
from __future__ import annotations

import itertools
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from .guard import library_caches
from .patches import original

PLACEHOLDER_SIDE = 64
_COUNTER = itertools.count(1)
_LOCK = threading.Lock()


@dataclass
class StandInImage:
    """The one image of a stand-in index: the file its ``file_name`` names and the record itself (whose
    ``height`` and ``width`` follow the image written there)."""

    path: Path
    record: dict

    def write(self, data: bytes, height: int, width: int) -> None:
        """Put ``data`` (an image file's bytes) where the index says its image is."""
        write_whole(self.path, data)
        self.record["height"], self.record["width"] = int(height), int(width)


def write_whole(path: Path, data: bytes) -> None:
    """``data`` at ``path``, moved into place whole (a reader never sees part of it)."""
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(data)
    os.replace(partial, path)


def scratch_folder(kind: str) -> Path:
    """A new folder for one run's stand-in images, in the process's library caches (removed when it exits)."""
    with _LOCK:
        folder = library_caches() / kind / str(next(_COUNTER))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def placeholder(path: Path, image_format: str) -> None:
    """A grey ``PLACEHOLDER_SIDE`` square at ``path``, in ``image_format`` (``JPEG``, ``PNG``): the image until a
    user's is written there."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (PLACEHOLDER_SIDE, PLACEHOLDER_SIDE), (128, 128, 128)).save(buffer, format=image_format)
    path.write_bytes(buffer.getvalue())


def one_image_index() -> tuple[dict, StandInImage]:
    """A COCO-format dataset of one image (in a new scratch folder) with one box of one category."""
    path = scratch_folder("annotation-stand-ins") / "image.jpg"
    placeholder(path, "JPEG")
    side = PLACEHOLDER_SIDE
    record = {"id": 1, "file_name": str(path), "height": side, "width": side}
    box = [side / 8, side / 8, side / 2, side / 2]
    annotation = {"id": 1, "image_id": 1, "category_id": 1, "bbox": box, "area": box[2] * box[3], "iscrowd": 0,
                  "segmentation": [[box[0], box[1], box[0] + box[2], box[1], box[0] + box[2], box[1] + box[3],
                                    box[0], box[1] + box[3]]]}
    dataset = {"images": [record], "annotations": [annotation],
               "categories": [{"id": 1, "name": "person", "supercategory": "person"}]}
    return dataset, StandInImage(path, record)


def annotation_stand_ins(reached) -> list[tuple[object, str, object]]:
    """The substitution of ``pycocotools.coco.COCO.__init__`` for ``patches.substituted`` (none when pycocotools
    is not installed): an annotation file that is not there gives the one-image index, noted on ``reached``
    (``datasets``, and ``stand_in_images``, which the next ``GeneratorDataset`` takes as its rows' images)."""
    try:
        from pycocotools import coco
    except ImportError:
        return []
    real_init = original(coco.COCO, "__init__")

    def init(self, annotation_file=None, *args, **kwargs):
        if annotation_file is None or os.path.isfile(annotation_file):
            return real_init(self, annotation_file, *args, **kwargs)
        real_init(self, None)
        self.dataset, image = one_image_index()
        self.createIndex()
        reached.datasets.append(f"COCO({str(annotation_file)!r}): the annotation file is not here; an index of one "
                                "stand-in image")
        reached.stand_in_images.append(image)
        return None

    return [(coco.COCO, "__init__", init)]
