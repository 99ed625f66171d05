"""Box decoding: regression offsets relative to anchors -> corner boxes in [0, 1]."""
from __future__ import annotations

import numpy as np
from mindspore import Tensor, nn, ops

CENTRE_SCALE = 0.1
SIZE_SCALE = 0.2


class BoxDecoder(nn.Cell):
    """(batch, N, 4) offsets -> (batch, N, 4) boxes (y0, x0, y1, x1), clipped to [0, 1]."""

    def __init__(self, anchors: np.ndarray, centre_scale: float = CENTRE_SCALE,
                 size_scale: float = SIZE_SCALE) -> None:
        super().__init__()
        # A constant, not a Parameter: anchors are derived from the input size and are not in checkpoints.
        self.anchor_centres = Tensor(anchors[:, :2])
        self.anchor_sizes = Tensor(anchors[:, 2:])
        self.centre_scale = centre_scale
        self.size_scale = size_scale

    def construct(self, loc):
        centres = loc[..., :2] * self.centre_scale * self.anchor_sizes + self.anchor_centres
        sizes = ops.exp(loc[..., 2:] * self.size_scale) * self.anchor_sizes
        boxes = ops.concat((centres - sizes / 2.0, centres + sizes / 2.0), axis=-1)
        return ops.clamp(boxes, 0.0, 1.0)
