"""Small building blocks shared by the backbones, the FPN and the box heads.

Convolutions default to MindSpore's ``pad_mode='same'`` (TensorFlow-style padding, the odd extra
row/column at the bottom/right), because that is what the published checkpoints were trained with.
"""
from __future__ import annotations

from mindspore import nn


def conv2d(in_channels: int, out_channels: int, kernel_size: int, stride: int = 1,
           has_bias: bool = False, groups: int = 1) -> nn.Conv2d:
    """A 'same'-padded convolution."""
    return nn.Conv2d(in_channels, out_channels, kernel_size, stride=stride,
                     pad_mode="same", has_bias=has_bias, group=groups)


def depthwise_conv2d(channels: int, stride: int = 1) -> nn.Conv2d:
    """A 'same'-padded 3x3 depthwise convolution (one filter per channel), no bias."""
    return conv2d(channels, channels, 3, stride, groups=channels)


def batch_norm(channels: int, eps: float) -> nn.BatchNorm2d:
    """BatchNorm whose tensors are named gamma, beta, moving_mean, moving_variance."""
    return nn.BatchNorm2d(channels, eps=eps, momentum=0.997)


class ConvBNReLU6(nn.Cell):
    """conv -> BN -> ReLU6, kept in ``features`` so the parameters are ``features.0`` / ``features.1``.

    ``conv`` may be a convolution shared with other blocks (the FPN models' box head shares one per
    stage across all pyramid levels while each level keeps its own BatchNorm).
    """

    def __init__(self, conv: nn.Conv2d, eps: float) -> None:
        super().__init__()
        self.features = nn.SequentialCell([conv, batch_norm(conv.out_channels, eps), nn.ReLU6()])

    def construct(self, x):
        return self.features(x)


def conv_bn_relu6(in_channels: int, out_channels: int, stride: int, eps: float,
                  kernel_size: int = 3, groups: int = 1) -> nn.SequentialCell:
    """conv (no bias) -> BN -> ReLU6 as a plain sequence: parameters ``0.*`` and ``1.*``."""
    return nn.SequentialCell([conv2d(in_channels, out_channels, kernel_size, stride, groups=groups),
                              batch_norm(out_channels, eps), nn.ReLU6()])
