"""Zoo code on today's MindSpore and numpy: names that MindSpore 2.x or numpy removed, supplied while
zoo code runs, each by its exact current equivalent.

Chosen by how often the public catalog's zoo code needs them (``np.bool`` and the other numpy aliases,
``ms_function``, ``_checkparam.Validator``/``Rel``, ``nn.ResizeBilinear``, ``ops.ResizeBilinear``,
``Tensor.to_tensor``, ``EmbeddingLookup(vocab_cache_size=...)``, the ``c_transforms`` modules, an int
``dropout`` of the recurrent layers), and
names 2.x kept with another meaning (``ops.GatherV2``, whose kernel takes a fourth input now;
``ops.ScalarCast``, which refuses the narrow types 1.x cast constants to), and ``ops.DynamicRNN``, whose kernel
is Ascend's only, computed off Ascend by other operators (``ascend_only``). They
are looked up through a module ``__getattr__`` (PEP 562) or an import hook, so each one zoo code really
uses is recorded; afterwards every module is as
it was, and none of these names is visible outside zoo code.

Two removed modules are imported by data pipelines only (cct, DDRNet, AVA, MVD, pwcnet import them beside
networks that never use them): ``mindspore.dataset.vision.py_transforms`` and
``mindspore.dataset.transforms.py_transforms`` import as modules (``STAND_INS``) whose 1.x names are 2.x's
unified transforms that do the same (``py_transforms``: ``Decode`` gives a PIL image, ``Normalize`` takes
channel-first arrays), and whose any other name, once called or looked into, raises ``RemovedApiError`` naming
the removed API: never a silent substitute.
"""
from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import logging
import numbers
import sys
import threading
import types
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from typing import Callable, Iterator

import mindspore as ms
import numpy as np
from mindspore import nn, ops
from mindspore.common import dtype as mstype

from ....errors import RemovedApiError
from ..sandbox.patches import MISSING, Computed, original, substituted
from . import py_transforms
from .ascend_only import ASCEND_ONLY

_LOCK = threading.RLock()


class ResizeBilinear(nn.Cell):
    """MindSpore 1.x ``nn.ResizeBilinear(half_pixel_centers)``: ``construct(x, size, scale_factor,
    align_corners)`` resizes to ``size``, or by ``scale_factor``, with today's ``ResizeBilinearV2``."""

    def __init__(self, half_pixel_centers: bool = False) -> None:
        super().__init__()
        self.half_pixel_centers = half_pixel_centers

    def construct(self, x, size=None, scale_factor=None, align_corners=False):
        if size is None:
            size = (x.shape[2] * scale_factor, x.shape[3] * scale_factor)
        return ops.ResizeBilinearV2(align_corners, self.half_pixel_centers)(x, size)


class ResizeBilinearOp(nn.Cell):
    """MindSpore 1.x ``ops.ResizeBilinear(size, align_corners, half_pixel_centers)``: the size is fixed
    when it is made, as it was; the resize is today's ``ResizeBilinearV2``."""

    def __init__(self, size, align_corners: bool = False, half_pixel_centers: bool = False) -> None:
        super().__init__()
        self.size = tuple(size)
        self.resize = ops.ResizeBilinearV2(align_corners, half_pixel_centers)

    def construct(self, x):
        return self.resize(x, self.size)


def _rel() -> types.SimpleNamespace:
    """1.x ``_checkparam.Rel``: its relations are module constants of ``_checkparam`` today."""
    checkparam = importlib.import_module("mindspore._checkparam")
    names = ("EQ", "NE", "LT", "LE", "GT", "GE", "INC_NEITHER", "INC_LEFT", "INC_RIGHT", "INC_BOTH", "IN",
             "NOT_IN")
    return types.SimpleNamespace(**{n: getattr(checkparam, n) for n in names if hasattr(checkparam, n)})


# module -> {removed name: (what supplies it, what the load report says)}
MODULE_NAMES: dict[str, dict[str, tuple[Callable[[], object], str]]] = {
    "numpy": {
        "bool": (lambda: bool, "np.bool -> bool"),
        "int": (lambda: int, "np.int -> int"),
        "float": (lambda: float, "np.float -> float"),
        "complex": (lambda: complex, "np.complex -> complex"),
        "object": (lambda: object, "np.object -> object"),
        "str": (lambda: str, "np.str -> str"),
        "long": (lambda: int, "np.long -> int"),
        "unicode": (lambda: str, "np.unicode -> str"),
    },
    "mindspore": {"ms_function": (lambda: ms.jit, "mindspore.ms_function -> mindspore.jit")},
    # 1.x's submodules reached as attributes (``import mindspore.dataset.vision as C; C.c_transforms.Decode()``):
    # the modules themselves, as MODULE_ALIASES gives them to an import
    **{parent: {"c_transforms": (lambda parent=parent: importlib.import_module(parent),
                                 f"{parent}.c_transforms -> {parent}")}
       for parent in ("mindspore.dataset.vision", "mindspore.dataset.transforms")},
    "mindspore.common.api": {"ms_function": (lambda: ms.jit, "mindspore.common.api.ms_function -> mindspore.jit")},
    "mindspore._checkparam": {
        "Validator": (lambda: importlib.import_module("mindspore._checkparam"),
                      "mindspore._checkparam.Validator -> the mindspore._checkparam module (the same checks)"),
        "Rel": (_rel, "mindspore._checkparam.Rel -> mindspore._checkparam's relation constants"),
    },
    "mindspore.nn": {"ResizeBilinear": (lambda: ResizeBilinear,
                                        "nn.ResizeBilinear -> ops.ResizeBilinearV2 (same arguments)")},
    "mindspore.ops": {"ResizeBilinear": (lambda: ResizeBilinearOp,
                                         "ops.ResizeBilinear -> ops.ResizeBilinearV2 (same arguments)")},
    "mindspore.ops.operations": {"ResizeBilinear": (lambda: ResizeBilinearOp,
                                                    "ops.ResizeBilinear -> ops.ResizeBilinearV2 (same arguments)")},
}

# removed module -> the module that holds the same operations today (1.x's C++ ``c_transforms`` became
# the modules themselves in 2.x, with the same class names; MindSpore 1.0 moved 0.x's
# ``mindspore.dataset.transforms.vision`` package, ``Inter`` and ``Border`` and its two transform modules, to
# ``mindspore.dataset.vision``, where ghostnet_quant's data code still looks for ``Inter`` up to r1.10)
MODULE_ALIASES = {
    "mindspore.dataset.transforms.c_transforms": "mindspore.dataset.transforms",
    "mindspore.dataset.vision.c_transforms": "mindspore.dataset.vision",
    "mindspore.dataset.transforms.vision": "mindspore.dataset.vision",
    "mindspore.dataset.transforms.vision.c_transforms": "mindspore.dataset.vision",
    "mindspore.dataset.transforms.vision.py_transforms": "mindspore.dataset.vision.py_transforms",
    # 1.x's module of ``Profiler``, which ``mindspore.profiler`` re-exported: ViT's eval.py imports it from there
    "mindspore.profiler.profiling": "mindspore.profiler",
}

# removed functions with no exact equivalent that zoo code imports beside a network that never calls them
# -> what they did. The name imports as a stand-in that raises ``RemovedApiError`` when called: never a
# substitute. MVD's ``vib.py`` imports ``random_normal`` for an initializer its network never applies
# (its ``weights_init_kaiming`` is handed a ``SequentialCell``, which none of its branches matches).
REMOVED_FUNCTIONS: dict[str, dict[str, str]] = {
    "mindspore.common.initializer": {
        "random_normal": "1.x's random_normal(shape, seed, seed2, output_tensor) filled a tensor in place with "
                         "standard normal samples of a Philox generator seeded by (seed, seed2); 2.x's "
                         "initializers draw from another generator, through a private function of another "
                         "signature",
    },
}


def _removed_function(module: str, name: str, about: str) -> Callable[..., object]:
    """A stand-in for ``module.name``, a removed function with no exact equivalent: calling it raises."""
    def removed(*args, **kwargs):
        raise RemovedApiError(f"{module}.{name} is a removed MindSpore API ({about}; MindSpore {ms.__version__} has "
                              "no exact equivalent): the hub imported a stand-in so that the zoo code could build "
                              "its network, and the stand-in cannot do what it is asked")

    removed.__name__ = removed.__qualname__ = name
    removed.__module__ = module
    return removed


_MISSING = object()


def _gather_v2() -> ops.Gather:
    """1.x ``ops.GatherV2()``: a deprecated alias of ``ops.Gather()`` there. 2.x keeps the name as a
    primitive of its own whose kernel now takes ``batch_dims`` as a fourth input, so a network calling
    it with the three inputs it always took fails when it runs ("the inputs number should be 4 but got
    3"); ``ops.Gather()`` (``batch_dims=0``) is the operation it named."""
    return ops.Gather()


_SCALAR_CAST = ops.ScalarCast  # today's (taken when this module is imported, before any replacement)
SCALAR_CAST_NOTE = "ops.ScalarCast(x, a narrow type) -> int(x) / float(x), what 1.x's ScalarCast gave"
# MindSpore dtypes 2.x's ScalarCast refuses that 1.x's took -> the Python type 1.x's infer made of the value
# (its ``dtype_to_pytype``); int64, float64 and bool are taken by today's ScalarCast as they are
NARROW_SCALAR_TYPES: dict[object, type] = {
    **{t: int for t in (ms.int8, ms.int16, ms.int32, ms.uint8, ms.uint16, ms.uint32, ms.uint64)},
    **{t: float for t in (ms.float16, ms.float32, ms.bfloat16)},
}
_USED: ContextVar[list[str] | None] = ContextVar("mshub_compat_used", default=None)  # the innermost context's


def note_used(note: str) -> None:
    """Record ``note`` among the notes of the innermost ``removed_names_supplied`` context of this context, if
    any: for drift met while the code runs (an exact 1.x equivalent applied), not when a name is looked up."""
    used = _USED.get()
    if used is not None and note not in used:
        used.append(note)


class ScalarCast(_SCALAR_CAST):
    """1.x ``ops.ScalarCast()(x, mindspore.int32)``: 1.x's infer computed ``int(x)`` (``float(x)`` for a
    float type) and a call outside a compiled graph returned that constant; 2.10 takes int64, float64 and
    bool only and raises for the rest. A subclass of today's primitive under its name, so a compiled graph
    sees the primitive it sees today (this ``__call__`` is not used there)."""

    substitute_name = "ScalarCast"

    def __call__(self, input_x, input_y):
        to = input_y.element_type() if isinstance(input_y, mstype.TensorType) else input_y
        pytype = NARROW_SCALAR_TYPES.get(to)
        if pytype is None or not isinstance(input_x, (bool, numbers.Number)):
            return super().__call__(input_x, input_y)
        note_used(SCALAR_CAST_NOTE)
        return pytype(input_x)


_CAST = ops.Cast  # today's
CAST_NONE_NOTE = "ops.Cast()(None, t) -> None: a 1.x graph dropped a cast whose result nothing used"


class Cast(_CAST):
    """1.x ``ops.Cast()(None, t)`` in a network's ``construct``: a graph never computed a value nothing used,
    so Faster R-CNN's inference ``cast(gt_labels, int32)`` of its absent ground truth cost nothing there. Called
    outside a graph, 2.10 raises on the None; this gives None back (a later use of it fails as it would have
    in 1.x). Any other value is cast as today. A subclass under today's name: a compiled graph sees ``Cast``."""

    substitute_name = "Cast"

    def __call__(self, input_x, dtype):
        if input_x is None:
            note_used(CAST_NONE_NOTE)
            return None
        return super().__call__(input_x, dtype)


# primitives whose 1.x calls outside a graph the subclasses above keep: while zoo code runs (building a
# network creates its primitives, which keep their class), the name in these modules is the subclass
CALL_SEMANTICS = {"ScalarCast": ScalarCast, "Cast": Cast}


def _attributes_set(values: list[tuple[object, str, object]]) -> AbstractContextManager[None]:
    """Each ``(owner, name, value)`` while the body runs, in this context only (``sandbox.patches``)."""
    return substituted(values)


def _call_semantics() -> AbstractContextManager[None]:
    """``ops.ScalarCast`` and ``ops.Cast`` (and ``ops.operations.*``) as 1.x called them, while zoo code runs."""
    modules = [ops, _quietly_import("mindspore.ops.operations")]
    substitutes = {**CALL_SEMANTICS, **ASCEND_ONLY}  # and the Ascend-only primitives computed elsewhere
    return _attributes_set([(m, name, substitute) for m in modules for name, substitute in substitutes.items()])


class _ScalarToArray:
    """1.x ``ops.ScalarToArray()(x)``: a 0-D tensor of ``x``, int32 for an int, float32 for a float (its
    ``infer_value``). 2.10 keeps the name as a deprecated primitive that has no infer and fails when called."""

    def __call__(self, x):
        if isinstance(x, bool) or not isinstance(x, (int, float)):
            raise TypeError(f"For 'ScalarToArray', the input must be an int or a float, but got {type(x).__name__}")
        return ms.Tensor(np.array(x, np.int32 if isinstance(x, int) else np.float32))


_GATHER_V2_NOTE = "ops.GatherV2 -> ops.Gather (batch_dims=0)"
_SCALAR_TO_ARRAY_NOTE = "ops.ScalarToArray -> a 0-D int32/float32 tensor of the scalar, as 1.x's gave"
# names that still exist but no longer do what 1.x code means by them -> (their exact equivalent, note)
REPLACED_NAMES: dict[str, dict[str, tuple[Callable[[], object], str]]] = {
    module: {"GatherV2": (lambda: _gather_v2, _GATHER_V2_NOTE),
             "ScalarToArray": (lambda: _ScalarToArray, _SCALAR_TO_ARRAY_NOTE)}
    for module in ("mindspore.ops", "mindspore.ops.operations")
}


class _AliasFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports a removed module of ``MODULE_ALIASES`` as the module that replaced it, for zoo code only (in a
    context where ``removed_names_supplied`` is open; elsewhere it finds nothing)."""

    def __init__(self) -> None:
        self.specs: dict[int, object] = {}  # the replacement's own spec, put back after import sets ours

    def find_spec(self, fullname, path=None, target=None):
        if fullname not in MODULE_ALIASES or _USED.get() is None:
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec):
        note_used(f"{spec.name} -> {MODULE_ALIASES[spec.name]}")
        module = importlib.import_module(MODULE_ALIASES[spec.name])
        self.specs[id(module)] = module.__spec__
        return module

    def exec_module(self, module) -> None:
        module.__spec__ = self.specs.pop(id(module), module.__spec__)


@contextmanager
def _module_aliases() -> Iterator[None]:
    try:
        yield
    finally:
        for name in MODULE_ALIASES:  # imported under the old name: that name goes with the zoo code
            sys.modules.pop(name, None)


# removed modules with no equivalent, which zoo code imports for its data pipelines only
STAND_INS = {
    "mindspore.dataset.vision.py_transforms": "the Python vision transforms of MindSpore 1.x (the same names, "
                                              "without py_transforms, in mindspore.dataset.vision)",
    "mindspore.dataset.transforms.py_transforms": "the Python transforms of MindSpore 1.x (Compose and the "
                                                  "others, in mindspore.dataset.transforms)",
}


# packages with no equivalent here that zoo code imports beside networks that never use them -> what they are
STAND_IN_PACKAGES = {
    "moxing": "Huawei ModelArts' cloud storage SDK, which zoo scripts import to copy data and checkpoints to and from "
              "OBS when they run on ModelArts; it is not on the package index, and the hub fetches what a card needs "
              "itself",
}


def _stand_in_about(name: str) -> str | None:
    return STAND_INS.get(name) or STAND_IN_PACKAGES.get(name.partition(".")[0])


class _RemovedMeta(type):
    """Every stand-in name is a class of this type: importing it works, so code that imports it only for a
    data pipeline still builds its network, but calling it (or a subclass) or looking into it raises."""

    def __call__(cls, *args, **kwargs):
        raise RemovedApiError(cls._removed_message())

    def __getattr__(cls, name: str):
        if name.startswith("_"):  # introspection (inspect, copy, pickle) looks for private names
            raise AttributeError(f"{name!r}: {cls._removed_api} is a stand-in of a removed MindSpore API")
        raise RemovedApiError(cls._removed_message(f".{name}"))

    def _removed_message(cls, member: str = "") -> str:
        if cls._removed_api.partition(".")[0] in STAND_IN_PACKAGES:
            return (f"{cls._removed_api}{member} is not available here ({cls._removed_about}): the hub imported a "
                    "stand-in so that the zoo code could build its network, and the stand-in cannot do what it "
                    "is asked")
        mapped = (" (the hub gives 1.x's Python transforms as the 2.x transforms that do the same; this name has "
                  "none)") if cls._removed_api.rpartition(".")[0] in py_transforms.EQUIVALENTS else ""
        return (f"{cls._removed_api}{member} is a removed MindSpore API ({cls._removed_about}; MindSpore "
                f"{ms.__version__} has no such module){mapped}: the hub imported a stand-in so that the zoo code "
                "could build its network, and the stand-in cannot run a data pipeline")


def _stand_in_module(name: str) -> types.ModuleType:
    about = ("1.x's names as the 2.x transforms that do the same, any other name raises on use"
             if name in py_transforms.EQUIVALENTS else "every name raises on use")
    module = types.ModuleType(name, f"stand-in for the removed {name}: {about}")
    if name in STAND_IN_PACKAGES:
        module.__path__ = []  # a package: ``import moxing.framework`` finds its stand-in too
    made: dict[str, type] = {}

    def __getattr__(attr: str):
        if attr.startswith("__"):
            raise AttributeError(f"module {name!r} has no attribute {attr!r}")
        mapped = py_transforms.equivalent(name, attr)
        if mapped is not None:  # a 1.x Python transform: 2.x's unified transform that does the same
            note_used(mapped[1])
            return mapped[0]
        if attr not in made:
            made[attr] = _RemovedMeta(attr, (), {"_removed_api": f"{name}.{attr}",
                                                 "_removed_about": _stand_in_about(name), "__module__": name})
        return made[attr]

    module.__getattr__ = __getattr__
    return module


class _StandInFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports a module of ``STAND_INS`` as a stand-in whose names raise ``RemovedApiError`` on use, for zoo code
    only (in a context where ``removed_names_supplied`` is open)."""

    def find_spec(self, fullname, path=None, target=None):
        if _stand_in_about(fullname) is None or _USED.get() is None:
            return None
        if fullname not in STAND_INS and _installed(fullname.partition(".")[0]):
            return None  # the real package is there: it is used
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec):
        if spec.name in py_transforms.EQUIVALENTS:
            note_used(f"{spec.name} -> MindSpore {ms.__version__}'s unified transforms where 1.x's names have an "
                      "equivalent, a stand-in that raises on use for any other name")
        else:
            why = "removed; imported for a data pipeline" if spec.name in STAND_INS else "not available here"
            note_used(f"{spec.name} -> a stand-in that raises on use ({why})")
        return _stand_in_module(spec.name)

    def exec_module(self, module) -> None:
        pass


_FINDERS: list = []  # the alias and stand-in finders, on sys.meta_path once per process


def _install_finders() -> None:
    with _LOCK:
        if not _FINDERS:
            _FINDERS[:] = [_AliasFinder(), _StandInFinder()]
            sys.meta_path[:0] = _FINDERS


@contextmanager
def _stand_ins() -> Iterator[None]:
    finder = _FINDERS[1]
    try:
        yield
    finally:
        packages = [n for n in sys.modules if n.partition(".")[0] in STAND_IN_PACKAGES
                    and isinstance(sys.modules[n], types.ModuleType) and sys.modules[n].__spec__ is not None
                    and sys.modules[n].__spec__.loader is finder]
        for name in [*STAND_INS, *packages]:  # the stand-in goes with the zoo code, from its package too
            module = sys.modules.pop(name, None)
            parent, _, child = name.rpartition(".")
            if module is not None and vars(sys.modules.get(parent, object)).get(child) is module:
                delattr(sys.modules[parent], child)


def _installed(package: str) -> bool:
    """Whether ``package`` is installed for real (a finder other than ours finds it)."""
    for finder in sys.meta_path:
        if isinstance(finder, _StandInFinder) or not hasattr(finder, "find_spec"):
            continue
        try:
            if finder.find_spec(package, None) is not None:
                return True
        except (ImportError, ValueError):
            continue
    return False


def _looked_up(supply: Callable[[], object], note: str) -> Computed:
    """A removed name's value, noted as used when zoo code looks it up."""
    def made():
        note_used(note)
        return supply()

    return Computed(made)


def _tensor_to_tensor() -> AbstractContextManager[None]:
    """1.x ``Tensor.to_tensor(...)``: deprecated there in favour of ``init_data(...)``, its exact twin."""
    note = "Tensor.to_tensor -> Tensor.init_data"
    if original(ms.Tensor, "to_tensor") is not MISSING:  # a MindSpore that has it
        return _attributes_set([])

    def to_tensor(self, slice_index=None, shape=None, opt_shard_group=None):
        note_used(note)
        return self.init_data(slice_index, shape, opt_shard_group)

    return _attributes_set([(ms.Tensor, "to_tensor", to_tensor)])


def _parameter_set_parameter_data() -> AbstractContextManager[None]:
    """0.x ``Parameter.set_parameter_data(data, slice_shape=False)``: MindSpore 1.0 renamed it ``set_data``, same
    arguments and the same behaviour (ghostnet_quant's ``_initialize_weights`` still calls it up to r1.10)."""
    note = "Parameter.set_parameter_data -> Parameter.set_data"
    if original(ms.Parameter, "set_parameter_data") is not MISSING:  # a MindSpore that has it
        return _attributes_set([])

    def set_parameter_data(self, data, slice_shape=False):
        note_used(note)
        return self.set_data(data, slice_shape)

    return _attributes_set([(ms.Parameter, "set_parameter_data", set_parameter_data)])


def _replaced_names() -> AbstractContextManager[None]:
    """``REPLACED_NAMES`` while zoo code runs; each noted when zoo code calls it."""
    return _attributes_set([(_quietly_import(module_name), name, _noting(supply(), note))
                            for module_name, names in REPLACED_NAMES.items()
                            for name, (supply, note) in names.items()])


def _noting(make: Callable, note: str) -> Callable:
    def noted(*args, **kwargs):
        note_used(note)
        return make(*args, **kwargs)

    return noted


def lazy_tensors_computed(used: list[str] | None) -> AbstractContextManager[None]:
    """``initializer(...)`` gives a tensor whose values are computed on first use. Up to 2.3 a
    ``reshape`` of it computed them first; 2.10 reshapes the empty tensor and the result fails on first
    use ("... is uninitialized": MindCV 0.3's rexnet reshapes a fresh bias so while it builds). The
    values ``init_data()`` computes are the initializer's own, so ``reshape`` computes them first."""
    note = "Tensor.reshape of an initializer's tensor -> computes its values first (init_data), as up to 2.3"
    reshape_of = original(ms.Tensor, "reshape")

    def reshape(self, *shape, **kwargs):
        if self.has_init:
            note_used(note)
            if used is not None and note not in used:
                used.append(note)
            self = self.init_data()
        return reshape_of(self, *shape, **kwargs)

    return _attributes_set([(ms.Tensor, "reshape", reshape)])


def _embedding_cache_size() -> AbstractContextManager[None]:
    """``nn.EmbeddingLookup(..., vocab_cache_size=N)``: 2.x dropped the keyword; it only sized a device
    cache of the table for parameter-server training, so the lookup computes the same without it."""
    note = "nn.EmbeddingLookup(vocab_cache_size=...) -> dropped (a device cache only: same values)"
    init_of = original(nn.EmbeddingLookup, "__init__")

    def __init__(self, *args, vocab_cache_size=_MISSING, **kwargs):
        if vocab_cache_size is not _MISSING:
            note_used(note)
        init_of(self, *args, **kwargs)

    return _attributes_set([(nn.EmbeddingLookup, "__init__", __init__)])


DOT_NOTE = "ops.dot(x1=..., x2=...) -> ops.dot(input, other) (1.x's names of the same two operands)"
DOT_HOMES = ("mindspore.ops", "mindspore.ops.function", "mindspore.ops.function.math_func")


def _dot_keywords() -> AbstractContextManager[None]:
    """1.x ``ops.dot(x1, x2)``: 2.x renamed the operands ``input`` and ``other``; the product is the same,
    so a call by the old names (MMoE's ``P.dot(x1=x, x2=kernel)``) is the call by the new ones."""
    dot_of = original(ops, "dot")

    def dot(*args, x1=_MISSING, x2=_MISSING, **kwargs):
        if x1 is not _MISSING or x2 is not _MISSING:
            note_used(DOT_NOTE)
            args = (*args, *(v for v in (x1, x2) if v is not _MISSING))
        return dot_of(*args, **kwargs)

    homes = [m for m in (sys.modules.get(h) for h in DOT_HOMES) if m is not None and original(m, "dot") is dot_of]
    return _attributes_set([(module, "dot", dot) for module in homes])


RNN_DROPOUT_NOTE = "nn.LSTM/nn.GRU/nn.RNN(dropout=0) -> dropout=0.0 (1.x took the probability as an int too)"


def _rnn_integer_dropout() -> AbstractContextManager[None]:
    """1.x's ``nn.LSTM``, ``nn.GRU`` and ``nn.RNN`` took ``dropout`` as an int (one 1.x release had ``0`` as its
    own default); 2.x's take a float only, so GNMT v2's ``nn.LSTM(..., dropout=0)`` off Ascend and
    crnn_seq2seq_ocr's ``nn.GRU(..., dropout=0)`` fail. The same probability as a float is the same layer."""
    import inspect

    from mindspore.nn.layer import rnns

    init_of = original(rnns._RNNBase, "__init__")
    place = list(inspect.signature(init_of).parameters).index("dropout") - 1  # among the arguments after self

    def __init__(self, *args, **kwargs):
        if _integral(kwargs.get("dropout")):
            note_used(RNN_DROPOUT_NOTE)
            kwargs["dropout"] = float(kwargs["dropout"])
        elif len(args) > place and _integral(args[place]):
            note_used(RNN_DROPOUT_NOTE)
            args = (*args[:place], float(args[place]), *args[place + 1:])
        init_of(self, *args, **kwargs)

    return _attributes_set([(rnns._RNNBase, "__init__", __init__)])


def _integral(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


YAML_LOAD_NOTE = ("yaml.load(stream) without a Loader (PyYAML < 6 took one by default) -> the safe loader: a "
                  "config with Python tags fails, naming its tag")


def _yaml_default_loader() -> AbstractContextManager[None]:
    """PyYAML before 6 gave ``yaml.load(stream)`` a loader of its own (the zoo's configs of that time call it so:
    ICNet's export.py); 6 made the loader required. Zoo code's call without one gets the safe loader, which
    reads a plain config as that call did and never runs a Python tag."""
    import yaml

    load_of = original(yaml, "load")

    def load(stream, Loader=None):  # noqa: N803 - PyYAML's own keyword
        if Loader is None:
            note_used(YAML_LOAD_NOTE)
            Loader = yaml.SafeLoader  # noqa: N806
        return load_of(stream, Loader)

    return _attributes_set([(yaml, "load", load)])


def _quietly_import(name: str) -> types.ModuleType:
    """Import without MindSpore's own deprecation notice (``mindspore.common.api`` logs one on first
    import: the zoo code that uses it will see it, not everyone who loads a zoo network)."""
    if name in sys.modules:
        return sys.modules[name]
    from mindspore import log

    logger = log._get_logger()  # MindSpore's own logger (a per-process name under "mindspore")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        return importlib.import_module(name)
    finally:
        logger.setLevel(level)


@contextmanager
def removed_names_supplied() -> Iterator[list[str]]:
    """While the body runs, in this context only (``sandbox.patches``), the removed names above resolve; yields
    the notes of those used. Inside another such context (a zoo function of a pipeline run while the zoo's
    eval script is being followed) the names are supplied already: only the notes are this body's, and
    leaving it takes nothing away from the outer one (its aliased and stand-in modules stay imported)."""
    used: list[str] = []
    if _USED.get() is not None:
        token = _USED.set(used)
        try:
            yield used
        finally:
            _USED.reset(token)
        return
    _install_finders()
    names = [(_quietly_import(module_name), name, _looked_up(supply, note))
             for module_name, entries in MODULE_NAMES.items() for name, (supply, note) in entries.items()]
    names += [(_quietly_import(module_name), name,
               _looked_up(lambda m=module_name, n=name, a=about: _removed_function(m, n, a),
                          f"{module_name}.{name} -> a stand-in that raises on use (removed, no exact equivalent)"))
              for module_name, entries in REMOVED_FUNCTIONS.items() for name, about in entries.items()]
    token = _USED.set(used)
    try:
        with _attributes_set(names), _tensor_to_tensor(), _parameter_set_parameter_data(), _embedding_cache_size(), \
                _module_aliases(), _replaced_names(), _call_semantics(), _dot_keywords(), lazy_tensors_computed(None), \
                _stand_ins(), _yaml_default_loader(), _rnn_integer_dropout():
            yield used
    finally:
        _USED.reset(token)
