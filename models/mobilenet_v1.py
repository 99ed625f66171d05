"""MobileNetV1 backbone of SSD-MobileNetV1-FPN: 27 conv-BN-ReLU6 blocks, C3..C5 taken after 10, 22, 26."""
from __future__ import annotations

from mindspore import nn

from .layers import conv_bn_relu6

BN_EPS = 1e-5
# (in, out, stride of the depthwise conv) of the 13 depthwise-separable pairs after the stem.
SEPARABLE = ((32, 64, 1), (64, 128, 2), (128, 128, 1), (128, 256, 2), (256, 256, 1), (256, 512, 2),
             (512, 512, 1), (512, 512, 1), (512, 512, 1), (512, 512, 1), (512, 512, 1),
             (512, 1024, 2), (1024, 1024, 1))
OUTPUT_BLOCKS = (10, 22, 26)  # 256 ch at stride 8, 512 at 16, 1024 at 32


class MobileNetV1(nn.Cell):
    """Returns C3, C4, C5 (256, 512 and 1024 channels; strides 8, 16, 32)."""

    def __init__(self) -> None:
        super().__init__()
        blocks = [conv_bn_relu6(3, 32, 2, BN_EPS)]
        for c_in, c_out, stride in SEPARABLE:
            blocks.append(conv_bn_relu6(c_in, c_in, stride, BN_EPS, groups=c_in))
            blocks.append(conv_bn_relu6(c_in, c_out, 1, BN_EPS, kernel_size=1))
        self.network = nn.CellList(blocks)

    def construct(self, x):
        outputs = ()
        for i in range(len(self.network)):
            x = self.network[i](x)
            if i in OUTPUT_BLOCKS:
                outputs += (x,)
        return outputs
