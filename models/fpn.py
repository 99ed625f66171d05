"""Feature pyramid on a backbone's C3..C5 plus two bottom-up levels: P3..P7, 256 channels each."""
from __future__ import annotations

from mindspore import nn, ops

from .layers import conv2d, conv_bn_relu6

FPN_BN_EPS = 1e-5
FPN_CHANNELS = 256


class FeaturePyramid(nn.Cell):
    """Top-down FPN over C3, C4, C5.

    Upsampling is bilinear with the legacy coordinate rule (no half-pixel centres), which is what the
    checkpoint was trained with; ``ops.interpolate`` would give visibly different scores.
    """

    def __init__(self, in_channels: tuple[int, ...], out_channels: int = FPN_CHANNELS) -> None:
        super().__init__()
        self.lateral_convs_list = nn.CellList(
            [conv2d(c, out_channels, 1, has_bias=True) for c in in_channels])
        self.fpn_convs_list = nn.CellList(
            [conv_bn_relu6(out_channels, out_channels, 1, FPN_BN_EPS) for _ in in_channels])
        self.resize = ops.ResizeBilinearV2(align_corners=False, half_pixel_centers=False)

    def _upsample_add(self, top, lateral):
        return self.resize(top, lateral.shape[2:]) + lateral

    def construct(self, c3, c4, c5):
        t5 = self.lateral_convs_list[2](c5)
        t4 = self._upsample_add(t5, self.lateral_convs_list[1](c4))
        t3 = self._upsample_add(t4, self.lateral_convs_list[0](c3))
        return self.fpn_convs_list[0](t3), self.fpn_convs_list[1](t4), self.fpn_convs_list[2](t5)


class BottomUp(nn.Cell):
    """P6 and P7: stride-2 conv blocks applied to P5, then to P6."""

    def __init__(self, levels: int = 2, channels: int = FPN_CHANNELS) -> None:
        super().__init__()
        self.blocks = nn.CellList([conv_bn_relu6(channels, channels, 2, FPN_BN_EPS) for _ in range(levels)])

    def construct(self, p5):
        p6 = self.blocks[0](p5)
        p7 = self.blocks[1](p6)
        return p6, p7


class PyramidFeatures(nn.Cell):
    """Backbone + FPN + extra levels: returns (P3, P4, P5, P6, P7).

    A subclass adds its backbone under the attribute name its checkpoint uses and returns C3, C4, C5
    from ``backbone_features``; ``in_channels`` are those maps' channels.
    """

    def __init__(self, in_channels: tuple[int, int, int]) -> None:
        super().__init__()
        self.fpn = FeaturePyramid(in_channels)
        self.bottom_up = BottomUp()

    def backbone_features(self, x):
        raise NotImplementedError

    def construct(self, x):
        c3, c4, c5 = self.backbone_features(x)
        p3, p4, p5 = self.fpn(c3, c4, c5)
        p6, p7 = self.bottom_up(p5)
        return p3, p4, p5, p6, p7
