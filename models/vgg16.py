"""VGG-16 backbone of SSD300-VGG16: blocks b1..b5 of plain 3x3 convs with ReLU, no BatchNorm."""
from __future__ import annotations

from mindspore import nn

from .layers import conv2d

BLOCKS = ((3, 64, 2), (64, 128, 2), (128, 256, 3), (256, 512, 3), (512, 512, 3))  # (in, out, convs)


def _block(in_channels: int, out_channels: int, convs: int) -> nn.SequentialCell:
    """conv, ReLU, conv, ReLU...: parameters ``0``, ``2``, ``4`` as the checkpoint names them."""
    layers = []
    for i in range(convs):
        layers += [conv2d(in_channels if i == 0 else out_channels, out_channels, 3), nn.ReLU()]
    return nn.SequentialCell(layers)


class VGG16(nn.Cell):
    """Returns b4's output before its pool (512 ch, 38x38 for 300x300) and the pooled b5 (512 ch, 19x19)."""

    def __init__(self) -> None:
        super().__init__()
        self.b1, self.b2, self.b3, self.b4, self.b5 = (_block(*spec) for spec in BLOCKS)
        self.pool = nn.MaxPool2d(kernel_size=2, stride=2, pad_mode="same")
        self.pool5 = nn.MaxPool2d(kernel_size=3, stride=1, pad_mode="same")

    def construct(self, x):
        x = self.pool(self.b1(x))
        x = self.pool(self.b2(x))
        x = self.pool(self.b3(x))
        c4 = self.b4(x)
        return c4, self.pool5(self.b5(self.pool(c4)))
