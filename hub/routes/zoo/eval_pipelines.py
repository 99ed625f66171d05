"""The dataset pipelines a zoo card's eval script builds, for the card's preprocessing (``hub.inference``):
its directory's eval script, run as the eval route runs it (the card's own variant, config file and dataset
chosen; the caller's options by keyword; stopped before it evaluates), whatever route builds the network.

A script that reads its images itself builds no dataset: the deeplab family's and FCN-8s's ``eval.py`` read
each file (``cv2.imread``, or PIL) and give it to their own ``pre_process(config, image, crop_size)``. Such a
function, with the config the script ran with, is the card's preprocessing (``ImageFunction``).
"""
from __future__ import annotations

import inspect
import re
import types
from dataclasses import dataclass, field
from pathlib import Path

from ...cards.record import ModelCard
from ...cards.repo_link import RepoRef
from ...errors import PreprocessError
from ...trust import check_code_trusted
from ...weights.unsampled import names_truncnorm, shapes_only
from ..names import Route
from .builders import evaluation
from .failures import zoo_frame
from .sandbox.guard import recorded
from .sandbox.pipeline import Pipeline
from .source.code import fetch_code_dir, network_subdir


@dataclass
class Found:
    """The pipelines a script built (in order), the script, the options chosen for the card, the error the
    script ended with (if any) and the route the card's network is built by."""

    pipelines: list[Pipeline]
    script: str
    chosen: list[str]
    error: BaseException | None
    route: str
    directory: Path | None = None
    function: ImageFunction | None = None  # when the script builds no pipeline but preprocesses images itself

    def failed_at(self) -> str:
        """``file:line`` of the card's code where the script's error was raised ("" when none)."""
        return zoo_frame(self.error, self.directory) if self.error is not None and self.directory else ""


def capture(card: ModelCard, ref: RepoRef, kwargs: dict, trust_repo: bool = False) -> Found:
    """Run the card's eval script for its pipelines (shapes only: the network it builds is dropped).
    ``PreprocessError`` when the directory has no eval script."""
    if ref is None:
        raise PreprocessError(f"{card.uid}: its repo-link {card.repo_link!r} names no code directory")
    check_code_trusted(ref, card.uid, trust_repo)
    code = fetch_code_dir(ref, card.uid)
    code = network_subdir(code, [card.model_name or "", card.backbone or ""])
    script = evaluation.any_script(code)
    if script is None:
        raise PreprocessError(f"{card.uid}: {ref.directory or 'the repository root'} has no eval script (eval.py, "
                              "eval_*.py, *_eval.py, test.py), whose dataset pipeline says how its network is fed")
    with recorded(), shapes_only(scipy=names_truncnorm(code.path)):  # the network it builds is dropped
        found, run = evaluation.pipelines(card, code, kwargs, script)
        cpu = True
        if not found:  # data code that refuses the CPU (``Unsupported device_target``): the script's own device
            found, run = evaluation.pipelines(card, code, kwargs, script, device=None)
            cpu = False
    chosen = [f"{k}={_short(v)}" for k, v in run.run.options.from_card.items()]
    if not cpu and found:
        chosen.append("device_target: the script's own default (with the CPU its data code built no pipeline)")
    chosen += [f"{k}={v!r}" for k, v in kwargs.items()]
    function = image_function(run.module, code.path / script, run.error) \
        if not found and run.module is not None else None
    return Found(found, script, chosen, run.error, str(Route.ZOO), code.path, function)


IMAGE_FUNCTIONS = ("pre_process", "preprocess")  # an eval script's own function of (config, image, ...)
CONFIG_GLOBALS = ("config", "cfg", "configs", "args")  # the script's config object, as a module global
READERS = {"BGR": re.compile(r"\bcv2\.imread\("), "RGB": re.compile(r"\bImage\.open\(")}


@dataclass
class ImageFunction:
    """An eval script's own preprocessing function, called as the script calls it: ``function(config, image,
    **keywords)`` on the pixels its reader gives (``reads``: "BGR" from ``cv2.imread``, "RGB" from PIL), the
    first value it returns (the others are sizes for the script's own postprocessing), as float32 (the
    script's batch array)."""

    function: types.FunctionType
    config: object
    config_name: str
    reads: str
    at: str  # file:line of the function
    read_at: str  # file:line of the script's image reader
    keywords: dict = field(default_factory=dict)

    @property
    def hub_name(self) -> str:
        return self.function.__name__

    def hub_settings(self) -> dict:
        reader = "cv2.imread" if self.reads == "BGR" else "PIL"
        settings = {"function": f"{self.function.__name__}({self.config_name}, image"
                                + "".join(f", {k}={self.config_name}.{k}" for k in self.keywords) + ")",
                    "reads": f"{self.reads} pixels ({reader} at {self.read_at})",
                    **self.keywords}
        for key, name in (("image_mean", "mean"), ("image_std", "std")):
            value = getattr(self.config, key, None)
            if isinstance(value, (list, tuple)):
                settings[name] = [round(float(v), 6) for v in value]
        return settings

    def __call__(self, image):
        import numpy as np

        out = self.function(self.config, np.asarray(image), **self.keywords)
        return np.asarray(out[0] if isinstance(out, tuple) else out, np.float32)

    def extent(self, image) -> tuple[int, int] | None:
        """(height, width) of the image inside what the function gives, when it says so (its padding follows:
        the deeplab family's ``pre_process`` returns the resized size with the padded array); else None."""
        import numpy as np

        out = self.function(self.config, np.asarray(image), **self.keywords)
        if isinstance(out, tuple) and len(out) >= 3 and all(isinstance(v, (int, np.integer)) for v in out[1:3]):
            return int(out[1]), int(out[2])
        return None


def image_function(module: types.ModuleType, script: Path, error: BaseException | None = None) -> ImageFunction | None:
    """The script's own ``pre_process(config, image[, crop_size])`` with its config object (a global of the
    script, else a local of its function that stopped with ``error``: ``args = parse_args()``), when the script
    reads its images with one reader (``cv2.imread`` or PIL's ``Image.open``, not both); else None."""
    try:
        source = script.read_text(errors="replace")
    except OSError:
        return None
    readers = {mode: pattern.search(source) for mode, pattern in READERS.items()}
    readers = {mode: found for mode, found in readers.items() if found}
    if len(readers) != 1:
        return None
    (reads, read), = readers.items()
    found = _config_of(module, script, error)
    if found is None:
        return None
    config_name, config = found
    for name in IMAGE_FUNCTIONS:
        function = getattr(module, name, None)
        if not isinstance(function, types.FunctionType) or function.__code__.co_filename != str(script):
            continue
        parameters = list(inspect.signature(function).parameters)
        if len(parameters) < 2:
            continue
        keywords = {k: getattr(config, k) for k in parameters[2:] if isinstance(getattr(config, k, None), int)}
        return ImageFunction(function, config, config_name, reads, f"{script.name}:{function.__code__.co_firstlineno}",
                             f"{script.name}:{source.count(chr(10), 0, read.start()) + 1}", keywords)
    return None


def _config_of(module: types.ModuleType, script: Path, error: BaseException | None) -> tuple[str, object] | None:
    for name in CONFIG_GLOBALS:
        if _is_config(getattr(module, name, None)):
            return name, getattr(module, name)
    trace = error.__traceback__ if error is not None else None
    while trace is not None:  # outermost first: the script's main function
        frame = trace.tb_frame
        if frame.f_code.co_filename == str(script):
            for name in CONFIG_GLOBALS:
                if _is_config(frame.f_locals.get(name)):
                    return name, frame.f_locals[name]
        trace = trace.tb_next
    return None


def _is_config(value: object) -> bool:
    return value is not None and not isinstance(value, (types.ModuleType, types.FunctionType, type)) and \
        hasattr(value, "__dict__")


def _short(value: object) -> str:
    import os

    return repr(os.path.basename(value) if isinstance(value, str) and os.sep in value else value)
