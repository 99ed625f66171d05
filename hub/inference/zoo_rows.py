"""The rows of a ``GeneratorDataset`` over the zoo's own data class, read by that class for an image given.

A detection eval script (YOLOv3/v4/v5, YOLOX...) makes a data class of its own over a COCO annotation file and
hands it to ``GeneratorDataset``: the class opens each image by the index's ``file_name`` and gives the row
(``image``, ``img_id``...). While the hub follows the pipeline, the annotation file is an index of one stand-in
image (``routes.zoo.sandbox.annotations``); ``ZooRows``, the pipeline's first step, writes the image file it is
given where that index says its image is and reads row 0 through the zoo's class: the image column is then
exactly what the zoo's dataset would have held for that file. ``resolve`` checks that it is (two different
photos must give two different images).
"""
from __future__ import annotations

import io
import threading
from contextlib import ExitStack

import numpy as np

_LOCK = threading.Lock()  # one image in the stand-in index at a time


class ZooRows:
    """``rows(file_bytes)``: the image column of the row the zoo's data class gives for that image file."""

    def __init__(self, source: object, columns: list[str], column: str, images: list, made_by: str) -> None:
        self.source, self.columns, self.column, self.images, self.made_by = source, list(columns), column, \
            list(images), made_by
        self.index = self.columns.index(column) if column in self.columns else 0

    @property
    def hub_name(self) -> str:
        return f"{type(self.source).__name__}.__getitem__"

    def hub_settings(self) -> dict:
        return {"reads": f"image files, by {self.made_by}", "column": self.column or "the first"}

    def __call__(self, value) -> np.ndarray:
        from PIL import Image

        data = np.asarray(value, np.uint8).tobytes()
        with Image.open(io.BytesIO(data)) as opened:
            width, height = opened.size
        with _LOCK:
            for image in self.images:
                image.write(data, height, width)
            with ExitStack() as stack:
                for image in self.images:  # an image folder's stand-in: absent files are read from it again
                    if hasattr(image, "reading"):
                        stack.enter_context(image.reading())
                row = self.source[0]
        row = row if isinstance(row, (tuple, list)) else (row,)
        if self.index >= len(row):
            raise ValueError(f"{self.hub_name} gave {len(row)} columns, not the image's place {self.index + 1} of "
                             f"{self.columns}")
        return np.asarray(row[self.index])
