"""Heads shaped by the checkpoint and the load report: a card's Usage (``load(uid)``, no arguments) gets
the classifier its checkpoint was trained with; every pretrained load says what it loaded. The zoo
stand-in is ``export_repos`` (our own code), checkpoints are served from a local server."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings

import pytest
from conftest import REPO
from export_repos import export_card, uid_of
from http_faults import checkpoints_published

import mindspore_hub as mshub
from hub.errors import CheckpointError, HubError

pytestmark = pytest.mark.network  # builds MindSpore networks


@pytest.fixture
def served(export_env, monkeypatch, tmp_path):
    """``publish(directory, network)``: the card of ``directory`` now publishes ``network``'s checkpoint."""
    def card(directory: str, sha256: str) -> tuple[str, str]:
        return f"{directory}_x.md", export_card(directory).replace("a" * 64, sha256)

    with checkpoints_published(tmp_path, monkeypatch, "r1.9", card, 0.25) as publish:
        yield publish


def classes(net) -> int:
    return int(net.fc.weight.shape[0])


def equal_to(net, expected: dict) -> int:
    return sum(1 for p in net.get_parameters() if p.name in expected and (p.asnumpy() == expected[p.name]).all())


def test_a_default_head_narrower_than_the_checkpoint_is_rebuilt(served, capfd):
    expected = served("narrowhead", mshub.load(uid_of("narrowhead"), pretrained=False, num_classes=12))
    net = mshub.load(uid_of("narrowhead"))  # the card's Usage: no arguments (the code's default is 10)
    assert classes(net) == 12 and equal_to(net, expected) == len(expected) == 3
    report = net.load_report
    assert len(report.loaded) == 3 and not report.fresh
    assert "built again with num_classes=12" in report.notes[0] and "default classifier has 10" in report.notes[0]
    line = [x for x in capfd.readouterr().err.splitlines() if x.startswith("mshub: ")]
    assert len(line) == 1 and "loaded 3 of 3 parameters" in line[0] and "num_classes=12" in line[0]


def test_a_default_head_wider_than_the_checkpoint_through_class_num(served):
    expected = served("widehead", mshub.load(uid_of("widehead"), pretrained=False, class_num=7))
    net = mshub.load(uid_of("widehead"))  # the code's default is 20, through the keyword class_num
    assert classes(net) == 7 and equal_to(net, expected) == 3
    assert "built again with class_num=7" in net.load_report.notes[0]


def test_a_count_the_caller_gives_keeps_a_fresh_head_and_says_so(served):
    served("narrowhead", mshub.load(uid_of("narrowhead"), pretrained=False, num_classes=12))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        net = mshub.load(uid_of("narrowhead"), num_classes=4)
    assert classes(net) == 4
    assert sorted(net.load_report.fresh) == ["fc.bias", "fc.weight"] and len(net.load_report.loaded) == 1
    assert any("fc.weight (network (4, 4), file (12, 4))" in str(w.message) for w in caught)
    assert "checkpoint (12, 4)" in net.load_report.summary()


def test_the_include_top_false_backbone_takes_its_part(served):
    expected = served("narrowhead", mshub.load(uid_of("narrowhead"), pretrained=False, num_classes=12))
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        backbone = mshub.load(uid_of("narrowhead"), include_top=False)
    report = backbone.load_report
    assert len(report.loaded) == 1 and not report.fresh and sorted(report.unused) == ["fc.bias", "fc.weight"]
    assert report.prefix_mapped == 0
    assert (backbone.weight.asnumpy() == expected["conv.weight"]).all()


def test_a_checkpoint_that_matches_nothing_is_an_error(served):
    import mindspore as ms

    served("widehead", ms.nn.Dense(3, 2))
    with pytest.raises(CheckpointError, match=r"not one of its 3 parameters.*not the network the checkpoint"):
        mshub.load(uid_of("widehead"))


def test_loaded_through_the_network_prefix_is_reported(served):
    import mindspore as ms

    inner = mshub.load(uid_of("widehead"), pretrained=False, class_num=20)

    class Wrapper(ms.nn.Cell):
        def __init__(self, network):
            super().__init__()
            self.network = network

    wrapped = Wrapper(inner)  # training wrappers save names with a network. prefix
    expected = served("widehead", wrapped)
    net = mshub.load(uid_of("widehead"))
    assert net.load_report.prefix_mapped == 3 and len(net.load_report.loaded) == 3
    assert sorted(p.asnumpy().sum() for p in net.get_parameters()) == sorted(v.sum() for v in expected.values())


def test_loadable_pretrained_shapes_shows_cards_whose_usage_is_wrong(served, tmp_path):
    served("narrowhead", mshub.load(uid_of("narrowhead"), pretrained=False, num_classes=12))
    served("widehead", mshub.load(uid_of("widehead"), pretrained=False, class_num=7))
    mshub.load(uid_of("narrowhead"))  # both checkpoints into the cache
    mshub.load(uid_of("widehead"))
    card = tmp_path / "catalog" / "mindspore" / "1.9" / "widehead_x.md"
    card.write_text(card.read_text() + "\n```python\nnetwork = mshub.load(model, class_num=7)\n```\n")
    run = subprocess.run([sys.executable, "-m", "hub", "loadable", "--catalog", str(tmp_path / "catalog"),
                          "--pretrained-shapes", "--json", "--quiet"], env={**os.environ, "PYTHONPATH": str(REPO)},
                         cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    outcomes = {o["uid"]: o for o in json.loads(run.stdout)["outcomes"]}
    narrow, wide = outcomes[uid_of("narrowhead")], outcomes[uid_of("widehead")]
    assert narrow["takes_checkpoint"] is False
    assert narrow["head"] == "the Usage builds 10 classes, the checkpoint has 12 (fc.weight, fc.bias)"
    assert wide["takes_checkpoint"] is True and wide["head"] == ""


def test_the_load_report_carries_fields_and_round_trips_through_to_dict(served):
    from hub.weights.checkpoint import LoadReport

    served("narrowhead", mshub.load(uid_of("narrowhead"), pretrained=False, num_classes=12))
    report = mshub.load(uid_of("narrowhead")).load_report
    assert report.head_rebuilt == {"num_classes": 12} and report.route == "zoo" and report.pretrained
    assert report.build.built_by == "official/cv/narrowhead/mindspore_hub_conf.py" and report.build.card_specific
    data = json.loads(json.dumps(report.to_dict()))  # JSON through and through
    again = LoadReport.from_dict(data)
    assert again.to_dict() == data and again.build == report.build and again.loaded == report.loaded


def test_sizes_the_code_asks_for_are_read_from_the_checkpoints_shapes(served):
    with pytest.raises(HubError, match=r"sized_x.*needs arguments.*'vocab_size', 'emb_dimension', and 'seq_len'.*"
                                       r"a pretrained load reads vocab_size, emb_dimension, seq_len from the "
                                       r"checkpoint's shapes") as caught:
        mshub.load(uid_of("sized"), pretrained=False)  # no checkpoint: the error names each size
    assert caught.value.kind == "arguments"
    expected = served("sized", mshub.load(uid_of("sized"), pretrained=False, vocab_size=11, emb_dimension=6,
                                          seq_len=4))
    with pytest.raises(HubError, match=r"the checkpoint's shapes give vocab_size=11, emb_dimension=6; no shape "
                                       r"shows seq_len: pass seq_len=\.\.\."):
        mshub.load(uid_of("sized"))
    net = mshub.load(uid_of("sized"), seq_len=4)
    assert net.u_embeddings.embedding_table.shape == (11, 6) and equal_to(net, expected) == len(expected) == 3
    assert net.load_report.notes[0] == ("the code takes vocab_size, emb_dimension as arguments (its own runs read "
                                        "them from the data): read from the checkpoint's shapes: vocab_size=11, "
                                        "emb_dimension=6")
    assert net.load_report.head_rebuilt == {"vocab_size": 11, "emb_dimension": 6}


def test_a_class_count_a_hub_conf_reads_from_its_keywords_is_read_from_the_checkpoint(served):
    expected = served("keyarg", mshub.load(uid_of("keyarg"), pretrained=False, num_classes=6))
    net = mshub.load(uid_of("keyarg"))
    assert classes(net) == 6 and equal_to(net, expected) == len(expected)
    assert "read from the checkpoint's shapes: num_classes=6" in net.load_report.notes[0]
