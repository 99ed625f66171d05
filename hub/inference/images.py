"""The images a user hands to ``hub.preprocess`` and ``hub predict``: a path, a PIL image or an HWC uint8 array,
read once and checked, with a clear error naming the file when it is not an image.

A file keeps its bytes: a pipeline that decodes (MindSpore's ``Decode``) decodes them itself, exactly as its
dataset would have. What the image is beside what a network expects (grayscale, an alpha channel, a palette)
is said in ``notes``, never silently changed.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import ImageError

MAX_IMAGE_BYTES = 256 * 1024 * 1024  # a larger file is refused before it is read
MAX_PIXELS = 200_000_000  # PIL's decompression-bomb limit, made an error here


@dataclass
class ImageInput:
    """One image: its name (path or kind), its file bytes when it came from a file, and its pixels."""

    name: str
    encoded: bytes | None  # the file's bytes (None for a PIL image or an array)
    mode: str  # what it holds: "RGB", "L" (grayscale), "RGBA", "P" (palette), "CMYK", "I;16"...
    size: tuple[int, int]  # (height, width)
    notes: list[str] = field(default_factory=list)
    _pil: object = None

    def pil(self):
        """The image as PIL gives it (decoded once, when pixels are first asked for: a pipeline that decodes the
        file's bytes itself never needs it)."""
        if self._pil is None:
            from PIL import Image

            try:
                image = Image.open(io.BytesIO(self.encoded))
                image.load()
            except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
                raise ImageError(f"{self.name}: not an image the hub can read ({type(exc).__name__}: {exc})") from None
            self._pil = image
        return self._pil

    def rgb(self) -> np.ndarray:
        """HWC uint8 RGB pixels (grayscale spread over three channels, alpha dropped)."""
        image = self.pil()
        return np.asarray(image if image.mode == "RGB" else image.convert("RGB"))

    def gray(self) -> np.ndarray:
        """HW1 uint8 grayscale pixels (ITU-R 601-2 luma, as PIL's ``convert("L")``)."""
        image = self.pil()
        return np.asarray(image if image.mode == "L" else image.convert("L"))[:, :, None]


def read_image(image, name: str | None = None) -> ImageInput:
    """``image`` (a path, PIL image or HWC/HW uint8 array) checked and read; ``ImageError`` names what is wrong."""
    from PIL import Image, UnidentifiedImageError

    if isinstance(image, (str, Path)):
        path = Path(image)
        shown = name or str(path)
        if not path.is_file():
            raise ImageError(f"{shown}: no such image file" if not path.exists() else f"{shown}: not a file")
        if path.stat().st_size > MAX_IMAGE_BYTES:
            raise ImageError(f"{shown}: {path.stat().st_size} bytes, more than an image may have here "
                             f"({MAX_IMAGE_BYTES})")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ImageError(f"{shown}: cannot be read ({exc.strerror or exc})") from None
        try:
            with Image.open(io.BytesIO(data)) as probe:
                if probe.width * probe.height > MAX_PIXELS:
                    raise ImageError(f"{shown}: {probe.width}x{probe.height} pixels, more than {MAX_PIXELS}")
                mode, size = probe.mode, (probe.height, probe.width)  # from the header: decoded where it is used
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
            raise ImageError(f"{shown}: not an image the hub can read ({type(exc).__name__}: {exc})") from None
        return _noted(ImageInput(shown, data, mode, size))
    if isinstance(image, Image.Image):
        return _noted(_from_pil(image, name or "<PIL image>"))
    if isinstance(image, np.ndarray):
        return _noted(_from_array(image, name or "<array>"))
    raise ImageError(f"an image must be a path, a PIL image or a uint8 HWC array, got {type(image).__name__}")


def _from_pil(image, name: str) -> ImageInput:
    return ImageInput(name, None, image.mode, (image.height, image.width), _pil=image)


def _from_array(array: np.ndarray, name: str) -> ImageInput:
    from PIL import Image

    if array.dtype != np.uint8:
        raise ImageError(f"{name}: an image array must be uint8 (0..255), got {array.dtype}")
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[:, :, 0]
    if array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[2] not in (3, 4)) or min(array.shape[:2]) < 1:
        raise ImageError(f"{name}: an image array must be HxW, HxWx1, HxWx3 (RGB) or HxWx4 (RGBA); got shape "
                         f"{array.shape}")
    image = Image.fromarray(np.ascontiguousarray(array))
    return ImageInput(name, None, image.mode, (image.height, image.width), _pil=image)


MODE_NOTES = {"L": "grayscale", "LA": "grayscale with alpha", "1": "black and white", "P": "palette colours",
              "RGBA": "RGB with alpha", "CMYK": "CMYK", "I;16": "16-bit grayscale", "I": "32-bit grayscale",
              "F": "floating-point grayscale", "YCbCr": "YCbCr", "PA": "palette colours with alpha"}


def _noted(image: ImageInput) -> ImageInput:
    return image


def described(image: ImageInput) -> str:
    """"photo.jpg is grayscale (L)", for a note on what was done to an image that is not plain RGB."""
    kind = MODE_NOTES.get(image.mode, image.mode)
    return f"{image.name} is {kind} ({image.mode})"
