"""Anchors (default boxes) of the detectors, as normalised [cy, cx, h, w] in flatten order.

Two constructions: the grid anchors of the FPN models (RetinaNet style) and SSD300's default boxes.
"""
from __future__ import annotations

import math

import numpy as np

IMAGE_SIZE = 640
STRIDES = (8, 16, 32, 64, 128)
ASPECT_RATIOS = (1.0, 2.0, 0.5)
SCALES = (1.0, 2.0 ** 0.5)
ANCHOR_SCALE = 4.0


def grid_anchors(image_size: int = IMAGE_SIZE, strides=STRIDES, aspect_ratios=ASPECT_RATIOS,
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
        levels.append(_boxes_on_grid(centres, hw))
    return (np.concatenate(levels) / image_size).astype(np.float32)


SSD300_SIZE = 300
MIN_SCALE, MAX_SCALE = 0.2, 0.95
SSD300_RATIOS = (2, 3)


def ssd300_default_boxes(feature_sizes: tuple[int, ...], steps: tuple[int, ...],
                         image_size: int = SSD300_SIZE) -> np.ndarray:
    """(N, 4) float32 SSD300 default boxes for levels of the given feature sizes and steps.

    Level i has scale s_i spread evenly from 0.2 to 0.95 (and s_L = 1). The first level has three
    boxes: (0.1, 0.1) and scale s_0 at ratio 2 both ways; the others six: s_i square, ratios 2 and 3
    both ways, and the square of side sqrt(s_i s_{i+1}). Centres sit on a grid of ``image_size / step``
    cells per side (which is not always the feature size: SSD-VGG16's steps do not divide 300).
    """
    levels_count = len(feature_sizes)
    scales = [MIN_SCALE + i * (MAX_SCALE - MIN_SCALE) / (levels_count - 1) for i in range(levels_count)]
    scales.append(1.0)
    levels = []
    for i, (size, step) in enumerate(zip(feature_sizes, steps)):
        s = scales[i]
        if i == 0:
            wh = [(0.1, 0.1)]
            ratios = (2,)
        else:
            wh = [(s, s)]
            ratios = SSD300_RATIOS
        for a in ratios:
            root = math.sqrt(a)
            wh += [(s * root, s / root), (s / root, s * root)]
        if i > 0:
            side = math.sqrt(s * scales[i + 1])
            wh.append((side, side))
        hw = np.asarray(wh, np.float64)[:, ::-1]
        centres = (np.arange(size, dtype=np.float64) + 0.5) / (image_size / step)
        levels.append(_boxes_on_grid(centres, hw))
    return np.concatenate(levels).astype(np.float32)


def _boxes_on_grid(centres: np.ndarray, hw: np.ndarray) -> np.ndarray:
    """Every (h, w) of ``hw`` at every (cy, cx) of the square grid ``centres`` x ``centres``, row-major."""
    cy, cx = np.meshgrid(centres, centres, indexing="ij")
    grid = np.stack([cy, cx], axis=-1).reshape(-1, 1, 2)
    boxes = np.concatenate([np.broadcast_to(grid, (grid.shape[0], len(hw), 2)),
                            np.broadcast_to(hw, (grid.shape[0], len(hw), 2))], axis=-1)
    return boxes.reshape(-1, 4)
