"""ResNet-50 backbone ("v1.5": the stride sits on the 3x3 convolution of a bottleneck)."""
from __future__ import annotations

from mindspore import nn

from .layers import batch_norm, conv2d

BACKBONE_BN_EPS = 1e-3


class Bottleneck(nn.Cell):
    """1x1 reduce -> 3x3 (stride) -> 1x1 expand, plus the shortcut; output ``out_channels``."""

    expansion = 4

    def __init__(self, in_channels: int, out_channels: int, stride: int) -> None:
        super().__init__()
        mid = out_channels // self.expansion
        self.conv1 = conv2d(in_channels, mid, 1)
        self.bn1 = batch_norm(mid, BACKBONE_BN_EPS)
        self.conv2 = conv2d(mid, mid, 3, stride)
        self.bn2 = batch_norm(mid, BACKBONE_BN_EPS)
        self.conv3 = conv2d(mid, out_channels, 1)
        self.bn3 = batch_norm(out_channels, BACKBONE_BN_EPS)
        self.relu = nn.ReLU()
        self.has_down_sample = stride != 1 or in_channels != out_channels
        if self.has_down_sample:
            self.down_sample_layer = nn.SequentialCell(
                [conv2d(in_channels, out_channels, 1, stride), batch_norm(out_channels, BACKBONE_BN_EPS)])

    def construct(self, x):
        identity = x
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        if self.has_down_sample:
            identity = self.down_sample_layer(x)
        return self.relu(out + identity)


def _layer(in_channels: int, out_channels: int, blocks: int, stride: int) -> nn.SequentialCell:
    cells = [Bottleneck(in_channels, out_channels, stride)]
    cells += [Bottleneck(out_channels, out_channels, 1) for _ in range(blocks - 1)]
    return nn.SequentialCell(cells)


class ResNet50(nn.Cell):
    """Returns C3, C4, C5: the outputs of layer2, layer3 and layer4 (strides 8, 16, 32)."""

    def __init__(self) -> None:
        super().__init__()
        self.conv1 = conv2d(3, 64, 7, 2)
        self.bn1 = batch_norm(64, BACKBONE_BN_EPS)
        self.relu = nn.ReLU()
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, pad_mode="same")
        self.layer1 = _layer(64, 256, 3, 1)
        self.layer2 = _layer(256, 512, 4, 2)
        self.layer3 = _layer(512, 1024, 6, 2)
        self.layer4 = _layer(1024, 2048, 3, 2)

    def construct(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        c2 = self.layer1(x)
        c3 = self.layer2(c2)
        c4 = self.layer3(c3)
        c5 = self.layer4(c4)
        return c3, c4, c5
