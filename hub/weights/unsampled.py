"""Building a network without sampling its weights: for work that needs a network's structure (its
parameters' names and shapes, its example inputs, its preprocessing), not its values."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

_DEPTH = [0]  # shapes_only contexts open now (nested ones leave the first's samplers in place)


@contextmanager
def shapes_only() -> Iterator[None]:
    """MindSpore's initializers leave parameter memory as allocated instead of sampling values: the
    survey needs a network's structure (it builds, with these shapes), not its weights, and sampling
    (a 64M-parameter Normal takes 3.5 s here, and float64 temporaries twice the size) dominated it.
    The same for SciPy's truncated normal, which the zoo's ResNet, Res2Net and SE-Net families sample their
    convolutions from themselves (zeros of the shape asked for: arguments are still checked), and numpy's
    ``normal`` and ``uniform`` drawing a whole weight table (Transformer, HyperText)."""
    import numpy as np
    from mindspore.common import initializer

    if _DEPTH[0]:  # already inside: the samplers are ours
        _DEPTH[0] += 1
        try:
            yield
        finally:
            _DEPTH[0] -= 1
        return
    _DEPTH[0] += 1
    original = initializer.Initializer.__call__
    initializer.Initializer.__call__ = lambda self, arr: None
    truncnorm = _truncnorm_class()
    own = vars(truncnorm).get("_rvs") if truncnorm is not None else None  # else it inherits rv_generic's
    if truncnorm is not None:
        truncnorm._rvs = _zeros_of_size
    samplers = {name: getattr(np.random, name) for name in NUMPY_SAMPLERS}
    for name, sampler in samplers.items():
        setattr(np.random, name, _weights_unsampled(sampler))
    try:
        yield
    finally:
        _DEPTH[0] -= 1
        initializer.Initializer.__call__ = original
        for name, sampler in samplers.items():
            setattr(np.random, name, sampler)
        if truncnorm is not None:
            if own is None:
                del truncnorm._rvs
            else:
                truncnorm._rvs = own


# numpy's global samplers zoo code draws weights from itself (Transformer's ``np.random.normal(0, d**-0.5,
# [vocab, d]).astype(np.float32)``: a float64 temporary of the whole table) -> where ``size`` is
NUMPY_SAMPLERS = {"normal": 2, "uniform": 2}
WEIGHT_SIZE = 4096  # elements from which a draw counts as weights: smaller ones are drawn as asked


def _weights_unsampled(sampler):
    """``sampler``, but a draw of at least WEIGHT_SIZE values gives float64 zeros of its shape (calloc'd:
    no memory is touched until written); smaller draws (a coin flip in zoo code) are real."""
    import numpy as np

    position = NUMPY_SAMPLERS[sampler.__name__]

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
