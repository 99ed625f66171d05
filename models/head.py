"""Box heads: per level, box offsets and class logits, flattened into one row per anchor.

Two kinds, sharing the flatten: the FPN models' weight-shared head (one tower of convolutions used by
every level) and SSD300's ``MultiBox`` (its own small predictor per level).
"""
from __future__ import annotations

from mindspore import nn, ops

from .layers import ConvBNReLU6, batch_norm, conv2d, depthwise_conv2d

HEAD_BN_EPS = 1e-3


def flatten_levels(maps, width: int):
    """Per-level NCHW prediction maps -> (batch, anchors, width).

    Each map is moved to NHWC and flattened, the levels are concatenated in order, so anchors are
    ordered level, row, column, anchor-within-cell: the order of ``anchors``.
    """
    batch = maps[0].shape[0]
    flat = ()
    for m in maps:
        flat += (ops.transpose(m, (0, 2, 3, 1)).reshape(batch, -1),)
    return ops.concat(flat, axis=1).reshape(batch, -1, width)


def _tower(levels: int, stages: int, channels: int) -> nn.CellList:
    """``levels`` x ``stages`` conv-BN-ReLU6 blocks; stage k's convolution is one cell shared by every
    level (so the checkpoint stores it once, under level 0), each level has its own BatchNorm."""
    shared = [conv2d(channels, channels, 3, has_bias=True) for _ in range(stages)]
    return nn.CellList([
        nn.SequentialCell([ConvBNReLU6(shared[k], HEAD_BN_EPS) for k in range(stages)])
        for _ in range(levels)])


class WeightSharedBoxHead(nn.Cell):
    """The FPN models' head: (batch, anchors, 4) box offsets and (batch, anchors, num_classes) logits."""

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

    @property
    def class_predictors(self) -> tuple[str, ...]:
        """Parameter prefixes (below this head) whose shapes follow ``num_classes``."""
        return ("cls_layers.",)

    def construct(self, features):
        locs = ()
        logits = ()
        for i in range(self.levels):
            locs += (self.loc_layers[0](self.addition_layer_loc[i](features[i])),)
            logits += (self.cls_layers[0](self.addition_layer_cls[i](features[i])),)
        return flatten_levels(locs, 4), flatten_levels(logits, self.num_classes)


def _predictor(channels: int, outputs: int) -> nn.SequentialCell:
    """3x3 depthwise conv -> BN -> ReLU6 -> 1x1 conv with bias: parameters ``0``, ``1``, ``3``."""
    return nn.SequentialCell([depthwise_conv2d(channels), batch_norm(channels, HEAD_BN_EPS), nn.ReLU6(),
                              conv2d(channels, outputs, 1, has_bias=True)])


class MultiBox(nn.Cell):
    """SSD300's head: one box and one class predictor per level, nothing shared between levels."""

    def __init__(self, channels: tuple[int, ...], anchors_per_cell: tuple[int, ...],
                 num_classes: int = 81) -> None:
        super().__init__()
        self.num_classes = num_classes
        self.levels = len(channels)
        self.multi_loc_layers = nn.CellList([_predictor(c, n * 4) for c, n in zip(channels, anchors_per_cell)])
        self.multi_cls_layers = nn.CellList(
            [_predictor(c, n * num_classes) for c, n in zip(channels, anchors_per_cell)])

    @property
    def class_predictors(self) -> tuple[str, ...]:
        return tuple(f"multi_cls_layers.{k}.3." for k in range(self.levels))

    def construct(self, features):
        locs = ()
        logits = ()
        for i in range(self.levels):
            locs += (self.multi_loc_layers[i](features[i]),)
            logits += (self.multi_cls_layers[i](features[i]),)
        return flatten_levels(locs, 4), flatten_levels(logits, self.num_classes)
