"""Example inputs kept for a network no script feeds alone (``hub/data/class_inputs.json``): used only for the
directory, release and class they were read from, and only while the class takes parameters of the names kept; a
size kept as a name is the one the network's cells keep. A hub conf's network gets them when its directory's
export script gives none. The zoo stand-in is of our own writing."""
from __future__ import annotations

from types import SimpleNamespace

import mindspore.nn as nn
import numpy as np
import pytest
from zoo_repos import build_repos, stand_in_card

import hub
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
    assert documented_inputs(_card("master"), Rerank_Downstream()) == (None, "")  # nothing kept: the route says
    assert documented_inputs(_card(), nn.Dense(2, 2))[0] is None
    other = SimpleNamespace(repo_link="https://gitee.com/mindspore/models/tree/r1.8/research/nlp/other", uid="x")
    assert documented_inputs(other, Rerank_Downstream())[0] is None


TINYBERT = "official/nlp/tinybert"


NET = '''
import mindspore.nn as nn


class Embedding(nn.Cell):
    def __init__(self, seq_length):
        super().__init__()
        self.seq_length = seq_length  # kept by an inner cell, as TinyBERT's embeddings keep it
        self.table = nn.Embedding(10, 4)

    def construct(self, input_ids, token_type_ids, input_mask):
        return self.table(input_ids + token_type_ids) * input_mask.reshape((-1, self.seq_length, 1))


class TinyBertModel(nn.Cell):
    def __init__(self, seq_length):
        super().__init__()
        self.embedding = Embedding(seq_length)

    def construct(self, input_ids, token_type_ids, input_mask):
        return self.embedding(input_ids, token_type_ids, input_mask)
'''
STAND_IN: dict = {}
exec(NET, STAND_IN)  # the stand-in zoo's module, run here too: the unit test's class is the hub conf's
TinyBertModel = STAND_IN["TinyBertModel"]


def test_a_size_kept_as_a_name_is_the_one_the_networks_cells_keep():
    card = SimpleNamespace(repo_link=f"https://gitee.com/mindspore/models/tree/r1.8/{TINYBERT}", uid="x")
    inputs, source = documented_inputs(card, TinyBertModel(24))
    assert [tuple(t.shape) for t in inputs] == [(1, 24)] * 3
    assert [t.asnumpy().max() for t in inputs] == [0, 0, 1]  # ids zeros, the mask ones
    assert source.startswith(f"kept for TinyBertModel of {TINYBERT} (input_ids int32[1, 24], token_type_ids "
                             "int32[1, 24], input_mask int32[1, 24]), as run_task_distill.py"), source
    assert tuple(TinyBertModel(24)(*inputs).shape) == (1, 24, 4)

    unsized = type("TinyBertModel", (nn.Cell,), {"construct": TinyBertModel.construct})()  # keeps no seq_length
    assert documented_inputs(card, unsized) == (None, (
        f"the inputs kept for TinyBertModel of {TINYBERT} take input_ids's size from the network's seq_length, "
        "which none of its cells keeps"))


CONF = '''
from src.tinybert_model import TinyBertModel


def create_network(name, *args, **kwargs):
    return TinyBertModel(kwargs.get("seq_length", 16))
'''
# as TinyBERT's at r1.7 and r1.8: it imports a config its default config file does not define
EXPORT = '''
from src.config import td_student_net_cfg
'''


@pytest.fixture(scope="module")
def tinybert_git_config(tmp_path_factory):
    files = {f"{TINYBERT}/mindspore_hub_conf.py": CONF, f"{TINYBERT}/src/tinybert_model.py": NET,
             f"{TINYBERT}/src/config.py": "gd_student_net_cfg = {}\n", f"{TINYBERT}/export.py": EXPORT}
    catalog = {f"mshub_res/assets/mindspore/{v}/tinybert_sst2.md": stand_in_card("tinybert", f"r{v}", TINYBERT,
                                                                              "tinybert_sst2.ckpt", "sst2")
               for v in ("1.8", "1.9")}
    return build_repos(tmp_path_factory.mktemp("tinybert-repos"),
                       {"r1.8": {"README.md": "zoo stand-in\n", **files}, "r1.9": {"README.md": "zoo r1.9\n"}},
                       catalog)


@pytest.fixture
def tinybert_env(tinybert_git_config, monkeypatch, hub_env, tmp_path):
    from export_repos import use_repos

    return use_repos(tinybert_git_config, monkeypatch, tmp_path)


def test_a_hub_confs_network_gets_the_kept_inputs_when_its_export_script_gives_none(tinybert_env):
    net = hub.load("mindspore/1.8/tinybert_sst2", pretrained=False, seq_length=12)
    ids, types, mask = net.example_inputs
    assert tuple(ids.shape) == tuple(types.shape) == tuple(mask.shape) == (1, 12)  # the hub conf's seq_length
    source = net.example_inputs.source
    assert source.startswith(f"kept for TinyBertModel of {TINYBERT} (input_ids int32[1, 12]"), source
    assert source.endswith(")") and "(export.py does not build (ZooBuildError: mindspore/1.8/tinybert_sst2: " in source
    assert "ImportError: cannot import name 'td_student_net_cfg' from 'src.config'" in source
    assert tuple(net(*net.example_inputs).shape) == (1, 12, 4)
