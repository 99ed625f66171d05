"""SSD-ResNet50-FPN assembled, with the parameter names of the MindSpore model zoo checkpoint."""
from __future__ import annotations

from mindspore import nn, ops

from .anchors import default_boxes
from .box_coding import BoxDecoder
from .fpn import ResNet50FPN
from .head import WeightSharedBoxHead

NUM_CLASSES = 81  # 80 COCO classes + background at index 0


class SSDResNet50FPN(nn.Cell):
    """Image batch -> (box offsets, class scores); scores are sigmoids in eval mode, logits in training."""

    def __init__(self, num_classes: int = NUM_CLASSES) -> None:
        super().__init__()
        self.feature_extractor = ResNet50FPN()
        self.multi_box = WeightSharedBoxHead(num_classes=num_classes)
        self.sigmoid = ops.Sigmoid()

    def construct(self, x):
        loc, cls = self.multi_box(self.feature_extractor(x))
        if not self.training:
            cls = self.sigmoid(cls)
        return loc, cls


class SSDInference(nn.Cell):
    """What the model zoo evaluates: (boxes (y0, x0, y1, x1) in [0, 1], sigmoid scores).

    The detector lives under ``network`` so that parameter names start with ``network.``.
    """

    CLASS_PREDICTOR = "network.multi_box.cls_layers."

    def __init__(self, network: SSDResNet50FPN, image_size: int = 640) -> None:
        super().__init__()
        self.network = network
        self.num_classes = network.multi_box.num_classes
        self.decoder = BoxDecoder(default_boxes(image_size))

    @property
    def resized_parameters(self) -> tuple[str, ...]:
        """Prefixes of parameters a published checkpoint cannot fill (class predictor resized)."""
        return (self.CLASS_PREDICTOR,) if self.num_classes != NUM_CLASSES else ()

    def construct(self, x):
        loc, scores = self.network(x)
        return self.decoder(loc), scores
