"""Example inputs kept for a class-route network (``hub/data/class_inputs.json``): used only for the directory,
release and class they were read from, and only while the class takes parameters of the names kept."""
from __future__ import annotations

from types import SimpleNamespace

import mindspore.nn as nn
import numpy as np

from hub.inference.documented_inputs import documented_inputs

LINK = "https://gitee.com/mindspore/models/tree/{release}/research/nlp/tprr"


def _card(release: str = "r1.8") -> SimpleNamespace:
    return SimpleNamespace(repo_link=LINK.format(release=release), uid=f"mindspore/x/tprr_{release}")


class Rerank_Downstream(nn.Cell):  # noqa: N801 - the zoo's class name, which the table is keyed by
    def __init__(self):
        super().__init__()
        self.linear = nn.Dense(4096, 2)

    def construct(self, cls_emd):
        return self.linear(cls_emd)


class Reader_Downstream(nn.Cell):  # noqa: N801
    def construct(self, state, mask):  # not the parameters kept for the zoo's class
        return state


def test_a_class_gets_the_inputs_kept_for_it_and_runs_on_them():
    inputs, source = documented_inputs(_card(), Rerank_Downstream())
    (x,) = inputs
    assert x.asnumpy().shape == (1, 4096) and x.asnumpy().dtype == np.float32
    assert source.startswith("kept for Rerank_Downstream of research/nlp/tprr (cls_emd float32[1, 4096]), as "
                             "src/reranker.py"), source
    assert tuple(Rerank_Downstream()(*inputs).shape) == (1, 2)
    again, _ = documented_inputs(_card("r1.3"), Rerank_Downstream())  # the same draw every time
    np.testing.assert_array_equal(again[0].asnumpy(), x.asnumpy())
    built_for_three = Rerank_Downstream()
    built_for_three.linear.batch_size = 3  # kept by an inner cell, as TPRR's Albert keeps it: inputs of that batch
    (three,), source = documented_inputs(_card(), built_for_three)
    assert three.shape == (3, 4096) and "cls_emd float32[3, 4096]" in source


def test_other_parameters_another_release_or_class_get_none_and_say_why():
    inputs, why = documented_inputs(_card(), Reader_Downstream())
    assert inputs is None
    assert why == ("the inputs kept for Reader_Downstream of research/nlp/tprr (para_state, sent_state, state, "
                   "context_mask) are not those its construct takes at r1.8 (state, mask)")
    assert documented_inputs(_card("master"), Rerank_Downstream()) == (None, "the class route declares no input")
    assert documented_inputs(_card(), nn.Dense(2, 2))[0] is None
    other = SimpleNamespace(repo_link="https://gitee.com/mindspore/models/tree/r1.8/research/nlp/other", uid="x")
    assert documented_inputs(other, Rerank_Downstream())[0] is None
