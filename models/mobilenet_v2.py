"""MobileNetV2 backbone of SSD300, split as the model zoo splits it, and its inverted residual block."""
from __future__ import annotations

from mindspore import nn

from .layers import ConvBNReLU6, batch_norm, conv2d, depthwise_conv2d

BN_EPS = 1e-3
# (expansion t, output channels c, repeats n, stride of the first repeat s), width 1.0.
SETTINGS = ((1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2),
            (6, 320, 1, 1))
SPLIT_AFTER_BLOCK = 12  # features_1 ends here (96 ch, stride 16); features_2 holds the rest
LAST_CHANNELS = 1280


def conv_bn_relu6(in_channels: int, out_channels: int, kernel_size: int = 1, stride: int = 1) -> ConvBNReLU6:
    return ConvBNReLU6(conv2d(in_channels, out_channels, kernel_size, stride), BN_EPS)


class InvertedResidual(nn.Cell):
    """[1x1 expand ->] 3x3 depthwise (stride) -> 1x1 project -> BN [-> ReLU6], plus the input when the
    shapes allow. ``hidden`` is the expanded width; no expansion layer when it equals the input width
    (MobileNetV2's t = 1). SSD300's extra levels end with a ReLU6 (``final_relu``)."""

    def __init__(self, in_channels: int, out_channels: int, stride: int, hidden: int,
                 final_relu: bool = False) -> None:
        super().__init__()
        layers = [] if hidden == in_channels else [conv_bn_relu6(in_channels, hidden)]
        layers += [ConvBNReLU6(depthwise_conv2d(hidden, stride), BN_EPS),
                   conv2d(hidden, out_channels, 1), batch_norm(out_channels, BN_EPS)]
        if final_relu:
            layers.append(nn.ReLU6())
        self.conv = nn.SequentialCell(layers)
        self.use_shortcut = stride == 1 and in_channels == out_channels

    def construct(self, x):
        if self.use_shortcut:
            return x + self.conv(x)
        return self.conv(x)


def _blocks() -> list[InvertedResidual]:
    blocks, c_in = [], 32
    for t, c, n, s in SETTINGS:
        for i in range(n):
            blocks.append(InvertedResidual(c_in, c, s if i == 0 else 1, c_in * t))
            c_in = c
    return blocks


class MobileNetV2(nn.Cell):
    """Returns SSD300's first two feature levels: 576 ch at stride 16 and 1280 ch at stride 32.

    The first is a separate 1x1 expansion (``expand_layer_conv_13``, its own weights) of the output of
    ``features_1``; the second is ``features_2`` applied to that same output.
    """

    def __init__(self) -> None:
        super().__init__()
        blocks = _blocks()
        split = SPLIT_AFTER_BLOCK + 1
        self.features_1 = nn.SequentialCell([conv_bn_relu6(3, 32, 3, 2)] + blocks[:split])
        self.features_2 = nn.SequentialCell(blocks[split:] + [conv_bn_relu6(SETTINGS[-1][1], LAST_CHANNELS)])
        middle = SETTINGS[4][1]
        self.expand_layer_conv_13 = conv_bn_relu6(middle, middle * 6)

    def construct(self, x):
        x = self.features_1(x)
        return self.expand_layer_conv_13(x), self.features_2(x)
