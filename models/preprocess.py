"""Image -> network input, exactly as the published score was measured.

Decode to RGB, resize to the network's input size (640x640 for the FPN models, 300x300 for SSD300)
with bilinear interpolation (MindSpore's ``vision.Resize``, OpenCV
INTER_LINEAR semantics), normalise by the ImageNet mean/std scaled to 0..255, HWC -> CHW.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
from mindspore.dataset import vision
from PIL import Image

MEAN = (0.485 * 255, 0.456 * 255, 0.406 * 255)
STD = (0.229 * 255, 0.224 * 255, 0.225 * 255)
INPUT_SIZE = 640


def to_rgb_array(image) -> np.ndarray:
    """A path, PIL image or array (HxW grey, HxWx1, HxWx3, HxWx4) -> HxWx3 uint8 RGB."""
    if isinstance(image, (str, Path)):
        try:
            with Image.open(image) as im:
                image = im.convert("RGB")
        except OSError as exc:
            raise ValueError(f"cannot read image {image}: {exc}") from None
    if isinstance(image, Image.Image):
        image = np.asarray(image.convert("RGB"))
    array = np.asarray(image)
    if array.dtype != np.uint8:
        raise ValueError(f"image array must be uint8 (0..255), got {array.dtype}")
    if array.ndim == 2:
        array = array[:, :, None]
    if array.ndim != 3 or array.shape[2] not in (1, 3, 4) or min(array.shape[:2]) < 1:
        raise ValueError(f"image array must be HxW, HxWx1, HxWx3 or HxWx4; got shape {array.shape}")
    if array.shape[2] == 1:
        array = np.repeat(array, 3, axis=2)
    elif array.shape[2] == 4:
        array = array[:, :, :3]
    return np.ascontiguousarray(array)


class Preprocessor:
    """Callable image -> (3, size, size) float32 array; keeps the transforms built once."""

    def __init__(self, size: int = INPUT_SIZE) -> None:
        self.size = size
        self.resize = vision.Resize((size, size), vision.Inter.LINEAR)
        self.normalize = vision.Normalize(mean=MEAN, std=STD, is_hwc=True)
        self.to_chw = vision.HWC2CHW()

    def __call__(self, image) -> np.ndarray:
        rgb = to_rgb_array(image)
        return np.asarray(self.to_chw(self.normalize(self.resize(rgb))), dtype=np.float32)


def preprocess(images, size: int = INPUT_SIZE) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """One image or a list -> (batch, 3, size, size) float32 and each image's original (height, width)."""
    if not isinstance(images, (list, tuple)):
        images = [images]
    prep = Preprocessor(size)
    arrays = [to_rgb_array(im) for im in images]
    return np.stack([prep(a) for a in arrays]), [a.shape[:2] for a in arrays]
