"""The SSD300 detectors (300x300): a backbone plus extra levels, the per-level ``MultiBox`` head, and
SSD300 default boxes."""
from __future__ import annotations

import numpy as np
from mindspore import nn

from .anchors import ssd300_default_boxes
from .head import MultiBox
from .mobilenet_v2 import InvertedResidual, MobileNetV2
from .ssd import NUM_CLASSES, SingleShotDetector
from .vgg16 import VGG16

ANCHORS_PER_CELL = (3, 6, 6, 6, 6, 6)


class SSD300Detector(SingleShotDetector):
    """Shared by the SSD300 models: input size and default boxes from ``FEATURE_SIZES`` and ``STEPS``."""

    INPUT_SIZE = 300
    FEATURE_SIZES: tuple[int, ...] = ()
    STEPS: tuple[int, ...] = ()

    @classmethod
    def anchors(cls) -> np.ndarray:
        return ssd300_default_boxes(cls.FEATURE_SIZES, cls.STEPS, cls.INPUT_SIZE)


class SSD300MobileNetV2(SSD300Detector):
    """The zoo's ``ssd300``: MobileNetV2, four stride-2 inverted residuals, 1,917 boxes."""

    FEATURE_SIZES = (19, 10, 5, 3, 2, 1)
    STEPS = (16, 32, 64, 100, 150, 300)
    # (in, out, expansion ratio) of the extra levels
    EXTRA = ((1280, 512, 0.2), (512, 256, 0.25), (256, 256, 0.5), (256, 128, 0.25))
    CHANNELS = (576, 1280, 512, 256, 256, 128)

    def __init__(self, num_classes: int = NUM_CLASSES) -> None:
        super().__init__()
        self.backbone = MobileNetV2()
        self.multi_residual = nn.CellList([InvertedResidual(c_in, c_out, 2, round(c_in * ratio), final_relu=True)
                                           for c_in, c_out, ratio in self.EXTRA])
        self.multi_box = MultiBox(self.CHANNELS, ANCHORS_PER_CELL, num_classes)

    def features(self, x):
        f1, x = self.backbone(x)
        maps = (f1, x)
        for i in range(len(self.multi_residual)):
            x = self.multi_residual[i](x)
            maps += (x,)
        return maps


class SSDVGG16(SSD300Detector):
    """The zoo's ``ssd_vgg16``: VGG-16 and extra convolutions with no activation between, 7,308 boxes."""

    FEATURE_SIZES = (38, 19, 10, 5, 3, 1)
    STEPS = (8, 16, 32, 64, 100, 300)
    CHANNELS = (512, 1024, 512, 256, 256, 256)

    def __init__(self, num_classes: int = NUM_CLASSES) -> None:
        super().__init__()
        self.backbone = VGG16()
        self.b6_1 = nn.Conv2d(512, 1024, 3, pad_mode="pad", padding=6, dilation=6, has_bias=False)
        self.b7_1 = nn.Conv2d(1024, 1024, 1, has_bias=False)
        self.b8_1 = nn.Conv2d(1024, 256, 1, pad_mode="pad", padding=1, has_bias=False)
        self.b8_2 = nn.Conv2d(256, 512, 3, stride=2, pad_mode="valid", has_bias=False)
        self.b9_1 = nn.Conv2d(512, 128, 1, pad_mode="pad", padding=1, has_bias=False)
        self.b9_2 = nn.Conv2d(128, 256, 3, stride=2, pad_mode="valid", has_bias=False)
        self.b10_1 = nn.Conv2d(256, 128, 1, has_bias=False)
        self.b10_2 = nn.Conv2d(128, 256, 3, pad_mode="valid", has_bias=False)
        self.b11_1 = nn.Conv2d(256, 128, 1, has_bias=False)
        self.b11_2 = nn.Conv2d(128, 256, 3, pad_mode="valid", has_bias=False)
        self.multi_box = MultiBox(self.CHANNELS, ANCHORS_PER_CELL, num_classes)

    def features(self, x):
        f1, x = self.backbone(x)
        f2 = self.b7_1(self.b6_1(x))
        f3 = self.b8_2(self.b8_1(f2))
        f4 = self.b9_2(self.b9_1(f3))
        f5 = self.b10_2(self.b10_1(f4))
        f6 = self.b11_2(self.b11_1(f5))
        return f1, f2, f3, f4, f5, f6
