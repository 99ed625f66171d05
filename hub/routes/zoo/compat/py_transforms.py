"""MindSpore 1.x's Python transforms (``mindspore.dataset.vision.py_transforms``,
``mindspore.dataset.transforms.py_transforms``) as MindSpore 2.x's unified transforms.

2.x merged the C++ and Python transforms into ``mindspore.dataset.vision`` and ``.transforms``: each one runs
its Python implementation on a PIL image, as 1.x's ``py_transforms`` did. Most names kept their meaning; the
ones whose 1.x behaviour is a setting today are subclasses under the same name with that setting fixed:
``Decode`` gave a PIL image (``to_pil=True``), and ``Normalize``, ``NormalizePad`` and ``Cutout`` took the
channel-first arrays ``ToTensor`` gives (``is_hwc=False``). A name not listed here is not mapped: it stays a
stand-in that raises on use (``supplied``).
"""
from __future__ import annotations

from mindspore.dataset import transforms, vision


class Decode(vision.Decode):
    """1.x ``py_transforms.Decode()``: image bytes to a PIL image in RGB."""

    setting = "to_pil=True"

    def __init__(self) -> None:
        super().__init__(to_pil=True)


class Normalize(vision.Normalize):
    """1.x ``py_transforms.Normalize(mean, std)``: on the channel-first float array ``ToTensor`` gives."""

    setting = "is_hwc=False"

    def __init__(self, mean, std) -> None:
        super().__init__(mean, std, is_hwc=False)


class NormalizePad(vision.NormalizePad):
    """1.x ``py_transforms.NormalizePad(mean, std, dtype)``: channel-first, as ``Normalize``."""

    setting = "is_hwc=False"

    def __init__(self, mean, std, dtype: str = "float32") -> None:
        super().__init__(mean, std, dtype, is_hwc=False)


class Cutout(vision.CutOut):
    """1.x ``py_transforms.Cutout(length, num_patches)``: on a channel-first array (2.x's ``CutOut``)."""

    setting = "is_hwc=False"

    def __init__(self, length: int, num_patches: int = 1) -> None:
        super().__init__(length, num_patches, is_hwc=False)


# 1.x names whose 2.x transform of the same name takes the same arguments and does the same on a PIL image
_SAME_VISION = ("ToTensor", "ToType", "HWC2CHW", "ToPIL", "Resize", "CenterCrop", "RandomCrop", "RandomResizedCrop",
                "RandomHorizontalFlip", "RandomVerticalFlip", "RandomColorAdjust", "RandomRotation", "FiveCrop",
                "TenCrop", "Grayscale", "RandomGrayscale", "Pad", "RandomPerspective", "RandomErasing",
                "LinearTransformation", "RandomAffine", "MixUp", "RandomColor", "RandomSharpness", "AutoContrast",
                "Equalize", "Invert", "UniformAugment", "HsvToRgb", "RgbToHsv")
_SAME_TRANSFORMS = ("Compose", "RandomApply", "RandomChoice", "RandomOrder")


class OneHotOp(transforms.OneHot):
    """1.x ``py_transforms.OneHotOp(num_classes, smoothing_rate)``: 2.x's ``OneHot``."""

    setting = ""

    def __init__(self, num_classes: int, smoothing_rate: float = 0.0) -> None:
        super().__init__(num_classes, smoothing_rate)


VISION = "mindspore.dataset.vision.py_transforms"
TRANSFORMS = "mindspore.dataset.transforms.py_transforms"

# removed module -> {1.x name: its 2.x equivalent}
EQUIVALENTS: dict[str, dict[str, type]] = {
    VISION: {**{name: getattr(vision, name) for name in _SAME_VISION if hasattr(vision, name)},
             "Decode": Decode, "Normalize": Normalize, "NormalizePad": NormalizePad, "Cutout": Cutout},
    TRANSFORMS: {**{name: getattr(transforms, name) for name in _SAME_TRANSFORMS}, "OneHotOp": OneHotOp},
}


def equivalent(module: str, name: str) -> tuple[type, str] | None:
    """(the 2.x transform that does what 1.x's ``module.name`` did, the note the load report gives), or None."""
    found = EQUIVALENTS.get(module, {}).get(name)
    if found is None:
        return None
    today = "mindspore.dataset.vision" if module == VISION else "mindspore.dataset.transforms"
    if found.__module__ == __name__:  # one of the subclasses above: its setting is the 1.x behaviour
        return found, f"{module}.{name} -> {today}.{found.__mro__[1].__name__}({found.setting})"
    return found, f"{module}.{name} -> {today}.{name}"
