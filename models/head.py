"""The weight-shared box head: one tower for box offsets, one for class logits, shared by all levels."""
from __future__ import annotations

from mindspore import nn, ops

from .layers import ConvBNReLU6, conv2d

HEAD_BN_EPS = 1e-3


def _tower(levels: int, stages: int, channels: int) -> nn.CellList:
    """``levels`` x ``stages`` conv-BN-ReLU6 blocks; stage k's convolution is one cell shared by every
    level (so the checkpoint stores it once, under level 0), each level has its own BatchNorm."""
    shared = [conv2d(channels, channels, 3, has_bias=True) for _ in range(stages)]
    return nn.CellList([
        nn.SequentialCell([ConvBNReLU6(shared[k], channels, HEAD_BN_EPS) for k in range(stages)])
        for _ in range(levels)])


class WeightSharedBoxHead(nn.Cell):
    """Predicts (batch, anchors, 4) box offsets and (batch, anchors, num_classes) class logits.

    Rows are ordered level, row, column, anchor, matching ``anchors.default_boxes``.
    """

    def __init__(self, num_classes: int = 81, anchors_per_location: int = 6, levels: int = 5,
                 stages: int = 4, channels: int = 256) -> None:
        super().__init__()
        self.num_classes = num_classes
        self.levels = levels
        self.addition_layer_loc = _tower(levels, stages, channels)
        self.addition_layer_cls = _tower(levels, stages, channels)
        self.loc_layers = nn.CellList([conv2d(channels, anchors_per_location * 4, 3, has_bias=True)])
        self.cls_layers = nn.CellList(
            [conv2d(channels, anchors_per_location * num_classes, 3, has_bias=True)])

    @staticmethod
    def _flatten(x):
        """NCHW -> (batch, H*W*C) in NHWC order."""
        return ops.transpose(x, (0, 2, 3, 1)).reshape(x.shape[0], -1)

    def construct(self, features):
        locs = ()
        logits = ()
        for i in range(self.levels):
            locs += (self._flatten(self.loc_layers[0](self.addition_layer_loc[i](features[i]))),)
            logits += (self._flatten(self.cls_layers[0](self.addition_layer_cls[i](features[i]))),)
        batch = features[0].shape[0]
        loc = ops.concat(locs, axis=1).reshape(batch, -1, 4)
        cls = ops.concat(logits, axis=1).reshape(batch, -1, self.num_classes)
        return loc, cls
