"""Building a network without sampling its weights: for work that needs a network's structure (its
parameters' names and shapes, its example inputs, its preprocessing), not its values."""
from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


@contextmanager
def shapes_only(scipy: bool = True) -> Iterator[None]:
    """MindSpore's initializers leave parameter memory as allocated instead of sampling values: the
    survey needs a network's structure (it builds, with these shapes), not its weights, and sampling
    (a 64M-parameter Normal takes 3.5 s here, and float64 temporaries twice the size) dominated it.
    The same for SciPy's truncated normal, which the zoo's ResNet, Res2Net and SE-Net families sample their
    convolutions from themselves (zeros of the shape asked for: arguments are still checked), and numpy's
    ``normal`` and ``uniform`` drawing a whole weight table (Transformer, HyperText). ``scipy`` False: SciPy's
    truncated normal is left as it is unless ``scipy.stats`` is imported already (importing it takes most of a
    second: a caller that knows its code never samples from it, ``names_truncnorm``, need not pay that)."""
    import numpy as np
    from mindspore.common import initializer

    from ..routes.zoo.sandbox.patches import original, substituted

    values = [(initializer.Initializer, "__call__", lambda self, arr: None)]
    truncnorm = _truncnorm_class() if scipy or "scipy.stats" in sys.modules else None
    if truncnorm is not None:
        values.append((truncnorm, "_rvs", _zeros_of_size))
    values += [(np.random, name, _weights_unsampled(original(np.random, name), name)) for name in NUMPY_SAMPLERS]
    with substituted(values):  # for the code of this context alone: other threads sample as always
        yield


# numpy's global samplers zoo code draws weights from itself (Transformer's ``np.random.normal(0, d**-0.5,
# [vocab, d]).astype(np.float32)``: a float64 temporary of the whole table) -> where ``size`` is
NUMPY_SAMPLERS = {"normal": 2, "uniform": 2}
WEIGHT_SIZE = 4096  # elements from which a draw counts as weights: smaller ones are drawn as asked


def _weights_unsampled(sampler, name: str):
    """``sampler``, but a draw of at least WEIGHT_SIZE values gives float64 zeros of its shape (calloc'd:
    no memory is touched until written); smaller draws (a coin flip in zoo code) are real."""
    import numpy as np

    position = NUMPY_SAMPLERS[name]

    def drawn(*args, **kwargs):
        size = kwargs.get("size", args[position] if len(args) > position else None)
        if size is not None and int(np.prod(size)) >= WEIGHT_SIZE:
            return np.zeros(size)
        return sampler(*args, **kwargs)

    return drawn


def _truncnorm_class():
    try:
        from scipy import stats
    except ImportError:
        return None
    return type(stats.truncnorm)


def _zeros_of_size(self, *args, size=None, random_state=None):
    import numpy as np

    return np.zeros(() if size is None else size)


def names_truncnorm(directory: Path) -> bool:
    """Whether a Python file under ``directory`` names SciPy's truncated normal (the zoo's ResNet family samples
    its convolutions from ``scipy.stats.truncnorm``): only then must ``shapes_only`` leave it unsampled."""
    for root, _, files in os.walk(directory):
        for name in files:
            if name.endswith(".py"):
                try:
                    if b"truncnorm" in (Path(root) / name).read_bytes():
                        return True
                except OSError:
                    continue
    return False
