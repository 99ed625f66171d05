"""Ascend-only primitives computed, off Ascend, by MindSpore's own operators as MindSpore defines them.

``ops.DynamicRNN`` (an LSTM over a whole sequence) has a kernel on Ascend only. CTPN's BiLSTM at r1.3 and
r1.5, and on any device the code takes for Ascend, calls it in its ``construct``; on this CPU the call fails
("kernel not registered"). Its semantics are MindSpore's own: the operator's formula, and the weight layout
MindSpore's ``nn.LSTM`` hands it on Ascend (``_DynamicLSTMAscend``: ``w`` is ``[W_x; W_h]`` of shape
``(input + hidden, 4 * hidden)``, its columns the gates in the order input, cell candidate, forget, output,
and ``b`` the summed biases in the same order). The subclass computes exactly that step by step with
``MatMul``, ``Sigmoid`` and ``Tanh``, adds ``forget_bias`` to the forget gate before its sigmoid, clips the
cell at ``cell_clip`` when that is positive, and gives the operator's eight outputs (``y``, ``h``, ``c``,
``i``, ``j``, ``f``, ``o``, ``tanh(c)`` per step) in ``b``'s type. On Ascend, and for the attributes it
does not define (peepholes, a projection, dropout, a sequence length), the primitive runs as today.
"""
from __future__ import annotations

import mindspore as ms
from mindspore import ops

DYNAMIC_RNN_NOTE = ("ops.DynamicRNN -> the same LSTM step by step with MatMul/Sigmoid/Tanh (its kernel is "
                    "Ascend's only; gates i, j, f, o as MindSpore's nn.LSTM lays them out for it)")
_DYNAMIC_RNN = ops.DynamicRNN  # today's


class DynamicRNN(_DYNAMIC_RNN):
    """``ops.DynamicRNN`` whose call off Ascend is computed by other operators (see the module)."""

    substitute_name = "DynamicRNN"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from .supplied import note_used

        note_used(DYNAMIC_RNN_NOTE)  # on the load report of the network that holds it

    def __call__(self, x, w, b, seq_length=None, init_h=None, init_c=None):
        if not self._computable(seq_length) or ms.get_context("device_target") == "Ascend":
            return super().__call__(x, w, b, seq_length, init_h, init_c)
        from .supplied import note_used

        note_used(DYNAMIC_RNN_NOTE)
        return self._computed(x, w, b, init_h, init_c)

    def _computable(self, seq_length) -> bool:
        return (seq_length is None and not self.use_peephole and self.num_proj == 0 and self.keep_prob == 1.0
                and self.cell_depth == 1)

    def _computed(self, x, w, b, init_h, init_c) -> tuple:
        out_type = b.dtype
        x, w, b = (t.astype(ms.float32) for t in (x, w, b))
        steps, batch, _ = x.shape
        hidden = w.shape[1] // 4
        h = ops.zeros((batch, hidden), ms.float32) if init_h is None else init_h.astype(ms.float32)[0]
        c = ops.zeros((batch, hidden), ms.float32) if init_c is None else init_c.astype(ms.float32)[0]
        outputs: list[list] = [[] for _ in range(8)]
        for t in range(steps):
            gates = ops.matmul(ops.concat((x[t], h), axis=1), w) + b
            i, j, f, o = ops.split(gates, hidden, axis=1)
            i, j = ops.sigmoid(i), ops.tanh(j)
            f, o = ops.sigmoid(f + self.forget_bias), ops.sigmoid(o)
            c = f * c + i * j
            if self.cell_clip > 0:
                c = ops.clamp(c, -self.cell_clip, self.cell_clip)
            tanh_c = ops.tanh(c)
            h = o * tanh_c
            for kept, value in zip(outputs, (h, h, c, i, j, f, o, tanh_c)):
                kept.append(value)
        return tuple(ops.stack(kept).astype(out_type) for kept in outputs)


# primitive name -> the subclass that computes it off Ascend, in place while zoo code runs (as CALL_SEMANTICS)
ASCEND_ONLY = {"DynamicRNN": DynamicRNN}
