"""A card's own eval preprocessing as a callable: an image in, exactly what its eval pipeline feeds the network
for that image out (one sample, no batch axis), by MindSpore's own transforms in the pipeline's order.

An image file keeps its bytes when the pipeline decodes them itself (``Decode``), so the result is what the
zoo's dataset would have given for that file; a PIL image or an array enters after ``Decode``. A dataset whose
rows are decoded pixels of one shape (CIFAR-10's 32x32 RGB, MNIST's 28x28 grayscale) gets an image of that
shape as it is; any other is first brought to it (centre square, area resize, the dataset's colour mode),
which the zoo's pipeline does not do, and ``notes`` say so. ``config`` says what the transforms are, with the
line of the card's code that mapped each.
"""
from __future__ import annotations

import enum
import io
import warnings
from dataclasses import dataclass, field

import numpy as np

from ..errors import ImageError, PreprocessError
from .images import ImageInput, described, read_image
from .pipeline import DECODED, ENCODED, SAMPLE_SIDES, Step, sample

INTERNAL_SETTINGS = {"transforms", "output_type", "implementation", "device_target", "random", "c_size",
                     "callable_op_"}


@dataclass
class Source:
    """Where a card's preprocessing was read: the route, the file that builds the pipeline, the dataset class
    and the line that made it, what fed it to the network, and the choices (variant, options) it was built with."""

    route: str
    script: str  # "eval.py", "hub/models/preprocess.py", "mindcv.data.create_transforms"...
    dataset: str = ""
    at: str = ""
    fed_by: str = ""
    chosen: list[str] = field(default_factory=list)


class Preprocess:
    """``pre(image)``: the array the card's eval pipeline gives its network for ``image``; ``pre.config``: what
    it does. ``pre.apply(image)`` also returns the notes on the image (converted, resized to the dataset's)."""

    def __init__(self, uid: str, steps: list[Step], kind: str, sample_shape: tuple[int, ...], source: Source,
                 decoded_by_code: bool = False):
        self.uid, self.steps, self.kind, self.sample_shape, self.source = uid, list(steps), kind, sample_shape, source
        self._decodes = bool(steps) and type(steps[0].op).__name__ == "Decode"
        self._to_pil = self._decodes and bool(getattr(steps[0].op, "to_pil", False))
        self.decoded_by_code = decoded_by_code  # the file's bytes go to the zoo's own function (checked by resolve)
        self._reads_rows = bool(steps) and type(steps[0].op).__name__ == "ZooRows"  # the zoo's data class reads it
        self._output: tuple[tuple[int, ...] | None, str] | None = None
        self._sample_shape: tuple[int, ...] | None = None  # of the first synthetic image (``output``)
        if kind == ENCODED and not self._decodes and not decoded_by_code:
            raise PreprocessError(f"{uid}: {source.script}'s pipeline reads image files ({source.dataset}) but its "
                                  "first transform is not Decode: the hub cannot tell what a row holds")

    def __call__(self, image) -> np.ndarray:
        array, notes = self.apply(image)
        for note in notes:
            warnings.warn(f"{self.uid}: {note}", stacklevel=2)
        return array

    def apply(self, image) -> tuple[np.ndarray, list[str]]:
        """(the network's input for ``image``, notes on what was done to the image beyond the pipeline)."""
        picture = image if isinstance(image, ImageInput) else read_image(image)
        value, notes, steps = self._first_value(picture)
        try:
            result = self._run(steps, value)
        except Exception as exc:
            step = getattr(exc, "_hub_step", None)
            at = f" (mapped at {step.at})" if step is not None and step.at else ""
            name = step.name if step is not None else "its pipeline"
            raise ImageError(f"{picture.name}: {self.uid}'s {name}{at} failed on it: {type(exc).__name__}: "
                             f"{_short(exc)}") from None
        return np.asarray(result), notes

    def extent(self, image) -> tuple[int, int] | None:
        """(height, width) of the image's content in the network's input, when the card's code says it (an eval
        script's own function that pads after resizing); None otherwise: the whole input is the image."""
        if not self.steps or not hasattr(self.steps[-1].op, "extent"):
            return None
        picture = image if isinstance(image, ImageInput) else read_image(image)
        value, _, steps = self._first_value(picture)
        return self.steps[-1].op.extent(self._run(steps[:-1], value))

    def _first_value(self, picture: ImageInput):
        """The value the first step takes (bytes, pixels or a PIL image), notes, and the steps to run."""
        notes = list(picture.notes)
        if self.kind == ENCODED and self.decoded_by_code:
            if picture.encoded is not None and _decodable(picture.encoded):
                return np.frombuffer(picture.encoded, np.uint8), notes, self.steps
            notes.append(f"{picture.name}: given to the pipeline as a PNG of its pixels (the record holds an image "
                         "file's bytes)")
            return _png_bytes(picture), notes, self.steps
        if self.kind == ENCODED:
            if picture.encoded is not None:
                if picture.mode == "L":
                    notes.append(f"{described(picture)}: the pipeline's Decode gives it three equal channels (RGB), "
                                 "as the dataset's would")
                elif picture.mode != "RGB":
                    notes.append(f"{described(picture)}: the pipeline's Decode gives it as RGB, as the dataset's would")
                if _decodable(picture.encoded):
                    return np.frombuffer(picture.encoded, np.uint8), notes, self.steps
                notes.append(f"{picture.name}: its format is one MindSpore's Decode cannot read: given to the "
                             "pipeline as a PNG of the same pixels")
                return _png_bytes(picture), notes, self.steps
            if picture.mode != "RGB":
                notes.append(f"{described(picture)}: converted to RGB, as the pipeline's Decode would have")
            rgb = picture.rgb()
            if self._to_pil:
                from PIL import Image

                return Image.fromarray(rgb), notes, self.steps[1:]
            return rgb, notes, self.steps[1:]
        return self._adapted(picture, notes), notes, self.steps

    def _adapted(self, picture: ImageInput, notes: list[str]) -> np.ndarray:
        """Decoded rows: the image in the dataset's colour mode, and its shape when the dataset has one."""
        channels = self.sample_shape[2] if len(self.sample_shape) == 3 else 3
        if channels == 1:
            if picture.mode != "L":
                notes.append(f"{described(picture)}: converted to grayscale, as the dataset's images are")
            pixels = picture.gray()
        else:
            if picture.mode != "RGB":
                notes.append(f"{described(picture)}: converted to RGB, as the dataset's images are")
            pixels = picture.rgb()
        if not self.sample_shape or pixels.shape == tuple(self.sample_shape):
            return pixels
        from mindspore.dataset import vision

        height, width = self.sample_shape[:2]
        side = min(pixels.shape[:2])
        square = vision.CenterCrop(side)(pixels)
        resized = vision.Resize((height, width), vision.Inter.AREA)(square)
        if resized.ndim == 2:
            resized = resized[:, :, None]
        notes.append(f"{picture.name}: brought to the dataset's {height}x{width} images (centre square of "
                     f"{side}x{side}, area resize): not a step of the zoo's pipeline, whose dataset holds images of "
                     "that size")
        return resized

    def steps_applied(self, value):
        """The steps run on a row of the pipeline's image column (no conversion of the value)."""
        return self._run(self.steps, value)

    @staticmethod
    def _run(steps: list[Step], value):
        from contextlib import nullcontext

        from ..routes.zoo.compat.supplied import removed_names_supplied

        # the zoo's own functions run with the names MindSpore and NumPy removed since (np.bool), as at build
        with removed_names_supplied() if any(step.is_zoo_code for step in steps) else nullcontext():
            for step in steps:
                try:
                    value = step(value)
                except Exception as exc:
                    exc._hub_step = step
                    raise
                if isinstance(value, tuple):  # an operation that gives several columns: the image is the first
                    value = value[0]
        return value

    # -- what it does ------------------------------------------------------------------------------

    def output(self) -> tuple[tuple[int, ...] | None, str]:
        """(the shape one image gives when it does not depend on the image, else None; its dtype), from two
        synthetic images of other sizes through the steps."""
        if self._output is None:
            shapes, dtype = [], ""
            for side in SAMPLE_SIDES:
                value = np.asarray(self._run(self.steps, sample(self.kind, self.sample_shape, side)))
                shapes.append(value.shape)
                dtype = str(value.dtype)
            self._output = (shapes[0] if all(s == shapes[0] for s in shapes) else None), dtype
            self._sample_shape = shapes[0]
        return self._output

    @property
    def config(self) -> dict:
        """What the preprocessing does, read from the card's code: input size, resize and crop, mean and std,
        interpolation, layout, dtype, each step with its settings and the line that mapped it."""
        steps = [{"op": step.name, **_settings(step.op), **({"at": step.at} if step.at else {}),
                  **({"with_columns": step.together_with,
                      "checked": "the image it gives is the same for two different stand-ins of those columns"}
                     if step.together_with else {})}
                 for step in self.steps]
        try:
            shape, dtype = self.output()
        except Exception as exc:  # a step that needs a real image: said, not raised
            shape, dtype = None, f"unknown ({type(exc).__name__})"
        config = {"uid": self.uid, "route": self.source.route, "read_from": self.source.script,
                  "dataset": self.source.dataset, "dataset_at": self.source.at, "fed_by": self.source.fed_by,
                  "input": (f"decoded {'x'.join(map(str, self.sample_shape))} uint8 images" if self.kind == DECODED
                            and self.sample_shape else "decoded uint8 images" if self.kind == DECODED
                            else "image files, read by the zoo's own data class (checked on JPEG files)"
                            if self._reads_rows else "image file bytes, decoded by the zoo's own first step (checked "
                            "on JPEG files)" if self.decoded_by_code else "image file bytes, decoded by the pipeline"),
                  "input_size": _input_size(shape),
                  "layout": _layout(self.steps, shape or self._sample_shape), "dtype": dtype,
                  "output_shape": list(shape) if shape is not None else None, "steps": steps}
        config.update(_summary(self.steps))
        if self.source.chosen:
            config["chosen"] = list(self.source.chosen)
        return config

    def describe(self) -> str:
        """One line: the steps, in order, with their main settings."""
        parts = []
        for step in self.steps:
            settings = {k: v for k, v in _settings(step.op).items() if k in ("size", "mean", "std", "interpolation",
                                                                              "rescale", "shift", "to_pil")}
            shown = ", ".join(f"{k}={v}" for k, v in settings.items())
            parts.append(f"{step.name}({shown})" if shown else step.name)
        return " -> ".join(parts)

    def __repr__(self) -> str:
        shape, _ = self.output() if self.steps else (None, "")
        return (f"<Preprocess {self.uid}: {self.describe()}; one image -> "
                f"{list(shape) if shape else 'its own size'}; read from {self.source.script}>")


def _png_bytes(picture: ImageInput) -> np.ndarray:
    """The image's RGB pixels as the bytes of a PNG file, for a pipeline that takes file bytes."""
    buffer = io.BytesIO()
    picture.pil().convert("RGB").save(buffer, format="PNG")
    return np.frombuffer(buffer.getvalue(), np.uint8)


def _decodable(data: bytes) -> bool:
    """MindSpore's Decode reads JPEG, PNG, BMP and TIFF (not GIF or WebP)."""
    return data[:3] == b"\xff\xd8\xff" or data[:8] == b"\x89PNG\r\n\x1a\n" or data[:2] == b"BM" or \
        data[:4] in (b"II*\x00", b"MM\x00*")


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:300]


def _plain(value):
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, (int, str, bool)) or value is None:
        return value
    return type(value).__name__


def _settings(op) -> dict:
    """A transform's own settings (MindSpore keeps its arguments as attributes)."""
    if hasattr(op, "hub_settings"):
        return op.hub_settings()
    try:
        values = vars(op)
    except TypeError:
        return {}
    settings = {}
    for key, value in values.items():
        if key.startswith("_") or key in INTERNAL_SETTINGS:
            continue
        settings["size" if key == "py_size" else key] = _plain(value)
    return settings


def _summary(steps: list[Step]) -> dict:
    """The usual fields of an image preprocessing, where a step says them."""
    found: dict = {}
    for step in steps:
        settings = _settings(step.op)
        if step.name == "Resize" and "resize" not in found:
            found["resize"], found["interpolation"] = settings.get("size"), settings.get("interpolation")
        elif step.name in ("CenterCrop", "Crop") and "crop" not in found:
            found["crop"] = settings.get("size")
        elif step.name == "Normalize" or ("mean" in settings and "mean" not in found):
            found["mean"], found["std"] = settings.get("mean"), settings.get("std")
        elif step.name == "Rescale":
            found["rescale"] = [settings.get("rescale"), settings.get("shift")]
        elif step.name == "ToTensor":
            found["rescale"] = [round(1 / 255, 6), 0]
    return found


def _layout(steps: list[Step], shape) -> str:
    names = [step.name for step in steps]
    if "HWC2CHW" in names or "ToTensor" in names or (
            shape is not None and len(shape) == 3 and shape[0] in (1, 3) and shape[2] not in (1, 3)):
        return "CHW"
    return "HWC" if shape is not None and len(shape) == 3 else ("HW" if shape is not None and len(shape) == 2
                                                                  else "unknown")


def _input_size(shape) -> list[int] | None:
    if shape is None or len(shape) < 2:
        return None
    if len(shape) == 3 and shape[0] in (1, 3) and shape[2] not in (1, 3):
        return [int(shape[1]), int(shape[2])]
    return [int(shape[0]), int(shape[1])]
