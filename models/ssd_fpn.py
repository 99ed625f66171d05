"""The FPN detectors (640x640, RetinaNet style): a backbone's C3..C5, FPN, weight-shared head, grid anchors."""
from __future__ import annotations

import numpy as np

from .anchors import grid_anchors
from .fpn import PyramidFeatures
from .head import WeightSharedBoxHead
from .mobilenet_v1 import MobileNetV1
from .resnet import ResNet50
from .ssd import NUM_CLASSES, SingleShotDetector


class ResNet50FPN(PyramidFeatures):
    def __init__(self) -> None:
        super().__init__((512, 1024, 2048))
        self.resnet = ResNet50()

    def backbone_features(self, x):
        return self.resnet(x)


class MobileNetV1FPN(PyramidFeatures):
    def __init__(self) -> None:
        super().__init__((256, 512, 1024))
        self.mobilenet_v1 = MobileNetV1()

    def backbone_features(self, x):
        return self.mobilenet_v1(x)


class SSDWithFPN(SingleShotDetector):
    """``feature_extractor`` (P3..P7) + ``multi_box`` (the weight-shared head)."""

    INPUT_SIZE = 640

    def __init__(self, feature_extractor: PyramidFeatures, num_classes: int) -> None:
        super().__init__()
        self.feature_extractor = feature_extractor
        self.multi_box = WeightSharedBoxHead(num_classes=num_classes)

    @classmethod
    def anchors(cls) -> np.ndarray:
        return grid_anchors(cls.INPUT_SIZE)

    def features(self, x):
        return self.feature_extractor(x)


class SSDResNet50FPN(SSDWithFPN):
    """The zoo's ``ssd_resnet50_fpn``: 51,150 anchors, 33,370,814 parameters."""

    def __init__(self, num_classes: int = NUM_CLASSES) -> None:
        super().__init__(ResNet50FPN(), num_classes)


class SSDMobileNetV1FPN(SSDWithFPN):
    """The zoo's ``ssd_mobilenet_v1_fpn``: 51,150 anchors, 12,579,774 parameters."""

    def __init__(self, num_classes: int = NUM_CLASSES) -> None:
        super().__init__(MobileNetV1FPN(), num_classes)
