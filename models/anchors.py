"""Default boxes (anchors) of the detector, as normalised [cy, cx, h, w]."""
from __future__ import annotations

import numpy as np

IMAGE_SIZE = 640
STRIDES = (8, 16, 32, 64, 128)
ASPECT_RATIOS = (1.0, 2.0, 0.5)
SCALES = (1.0, 2.0 ** 0.5)
ANCHOR_SCALE = 4.0


def default_boxes(image_size: int = IMAGE_SIZE, strides=STRIDES, aspect_ratios=ASPECT_RATIOS,
                  scales=SCALES, anchor_scale: float = ANCHOR_SCALE) -> np.ndarray:
    """(N, 4) float32 anchors; order level, row, column, then aspect ratio (outer) and scale (inner).

    For a level of stride s the base size is ``anchor_scale * s``; a box of ratio a and scale t has
    h = t / sqrt(a) * base and w = t * sqrt(a) * base; everything is divided by the image size.
    """
    levels = []
    for stride in strides:
        cells = image_size // stride
        base = anchor_scale * stride
        ratios = np.repeat(np.asarray(aspect_ratios, np.float64), len(scales))
        mults = np.tile(np.asarray(scales, np.float64), len(aspect_ratios))
        hw = np.stack([mults / np.sqrt(ratios) * base, mults * np.sqrt(ratios) * base], axis=1)
        centres = (np.arange(cells, dtype=np.float64) + 0.5) * stride
        cy, cx = np.meshgrid(centres, centres, indexing="ij")
        grid = np.stack([cy, cx], axis=-1).reshape(-1, 1, 2)
        boxes = np.concatenate([np.broadcast_to(grid, (grid.shape[0], len(hw), 2)),
                                np.broadcast_to(hw, (grid.shape[0], len(hw), 2))], axis=-1)
        levels.append(boxes.reshape(-1, 4))
    return (np.concatenate(levels) / image_size).astype(np.float32)
