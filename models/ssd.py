"""What every single-shot detector of the family shares: the output convention and the inference wrapper."""
from __future__ import annotations

import numpy as np
from mindspore import nn, ops

from .box_coding import BoxDecoder

NUM_CLASSES = 81  # 80 COCO classes + background at index 0


class SingleShotDetector(nn.Cell):
    """Image batch -> (box offsets, class scores); scores are sigmoids in eval mode, logits in training.

    A subclass builds its layers under the names its checkpoint uses, a ``multi_box`` head, and
    ``features`` (the maps the head reads); it states its ``INPUT_SIZE`` and its ``anchors()``.
    """

    INPUT_SIZE: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.sigmoid = ops.Sigmoid()

    @classmethod
    def anchors(cls) -> np.ndarray:
        """(anchors, 4) normalised [cy, cx, h, w] in the head's flatten order."""
        raise NotImplementedError

    def features(self, x):
        raise NotImplementedError

    def construct(self, x):
        loc, cls = self.multi_box(self.features(x))
        if not self.training:
            cls = self.sigmoid(cls)
        return loc, cls


class SSDInference(nn.Cell):
    """What the model zoo evaluates: (boxes (y0, x0, y1, x1) in [0, 1], sigmoid scores).

    The detector lives under ``network`` so that parameter names start with ``network.``.
    ``input_size`` is the square image side the network expects (pre-processing reads it).
    """

    def __init__(self, network: SingleShotDetector) -> None:
        super().__init__()
        self.network = network
        self.num_classes = network.multi_box.num_classes
        self.input_size = network.INPUT_SIZE
        self.decoder = BoxDecoder(network.anchors())

    @property
    def resized_parameters(self) -> tuple[str, ...]:
        """Prefixes of parameters a published checkpoint cannot fill (class predictor resized)."""
        if self.num_classes == NUM_CLASSES:
            return ()
        return tuple(f"network.multi_box.{p}" for p in self.network.multi_box.class_predictors)

    def construct(self, x):
        loc, scores = self.network(x)
        return self.decoder(loc), scores
