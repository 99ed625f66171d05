"""``mshub.load(uid)`` end to end: catalog card -> local mirror -> verified cache -> strict load -> golden."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from contextlib import contextmanager

import mindspore as ms
import numpy as np
import pytest
from conftest import REPO, SSD_UID, sha256_of, write_card
from http_faults import FaultServer
from netutil import assert_matches_golden, golden_image, golden_weights
from PIL import Image

import hub
import mindspore_hub as mshub
from hub.errors import CheckpointError, ChecksumError, OfflineError, UidError
from hub.weights import load_strict, read_checkpoint

pytestmark = pytest.mark.network
URL = "https://download.mindspore.cn/models/r1.7/ssdresnet50fpn_ascend_v170_coco2017_official_cv_acc37.56.ckpt"
URL_PATH = URL.split("download.mindspore.cn", 1)[1]


@pytest.fixture(scope="session")
def training_checkpoint(shared, tmp_path_factory) -> bytes:
    """The golden weights saved as a training run saves them: plus momentum, step and learning rate."""
    folder = tmp_path_factory.mktemp("train")
    params = read_checkpoint(golden_weights(shared, folder / "w1.ckpt"))
    entries = [{"name": k, "data": v} for k, v in params.items()]
    entries += [{"name": "moments." + k, "data": ms.Tensor(np.zeros(v.shape, np.float32))} for k, v in params.items()]
    entries += [{"name": "global_step", "data": ms.Tensor(np.array([1234], np.int32))},
                {"name": "learning_rate", "data": ms.Tensor(np.array([0.01], np.float32))}]
    path = folder / "train.ckpt"
    ms.save_checkpoint(entries, str(path))
    return path.read_bytes()


@contextmanager
def serving(tmp_path, monkeypatch, checkpoint: bytes):
    """A local server with ``checkpoint``, and a user catalog whose card overrides the bundled uid."""
    with FaultServer(tmp_path / "served") as server:
        server.add_file(URL_PATH, checkpoint)
        write_card(tmp_path / "catalog", SSD_UID, URL, sha256_of(checkpoint))
        monkeypatch.setenv("MSHUB_ENDPOINT", server.url)
        monkeypatch.setenv("MSHUB_CATALOG", str(tmp_path / "catalog"))
        yield server


@pytest.fixture
def mirror(tmp_path, monkeypatch, training_checkpoint):
    with serving(tmp_path, monkeypatch, training_checkpoint) as server:
        yield server


def test_load_equals_golden_and_second_load_uses_cache(mirror, shared):
    golden = np.load(shared / "golden" / "case1.npz")
    ms.set_context(mode=ms.GRAPH_MODE)  # as the seed card's usage sets it
    net = mshub.load(SSD_UID)
    assert net.training is False
    boxes, scores = (t.asnumpy() for t in net(ms.Tensor(golden_image())))
    assert_matches_golden(golden, boxes[0], scores[0])
    assert len(mirror.gets(URL_PATH)) == 1
    mshub.load(SSD_UID)
    assert len(mirror.gets(URL_PATH)) == 1  # verified cache, no second download
    weights = mshub.load_weights(SSD_UID)
    assert "global_step" in weights and "network.feature_extractor.resnet.conv1.weight" in weights


def test_keys_without_network_prefix_load(training_checkpoint, tmp_path):
    path = tmp_path / "t.ckpt"
    path.write_bytes(training_checkpoint)
    params = read_checkpoint(path)
    stripped = {k[len("network."):] if k.startswith("network.") else k: v for k, v in params.items()}
    from hub import hubconf

    report = load_strict(hubconf.ssdresnet50fpn_coco2017(), stripped, "stripped")
    assert len(report.loaded) == 476 and "global_step" in report.ignored


def test_wrong_checksum(mirror, tmp_path, hub_env):
    write_card(tmp_path / "catalog", SSD_UID, URL, "0" * 64)
    with pytest.raises(ChecksumError, match="sha256 mismatch.*expected sha256 0000"):
        mshub.load(SSD_UID)
    assert not any(p.suffix == ".ckpt" for p in hub_env.rglob("*"))


def test_missing_parameters(tmp_path, monkeypatch, shared):
    params = read_checkpoint(golden_weights(shared, tmp_path / "w1.ckpt"))
    path = tmp_path / "partial.ckpt"
    ms.save_checkpoint([{"name": k, "data": v} for k, v in params.items() if "bottom_up" not in k], str(path))
    with serving(tmp_path, monkeypatch, path.read_bytes()):
        with pytest.raises(CheckpointError, match=r"10 parameters missing: network.feature_extractor.bottom_up"):
            mshub.load(SSD_UID)


def test_bad_uid_and_offline_without_cache(monkeypatch):
    with pytest.raises(UidError, match="no model card for uid 'mindspore/1.7/nope'"):
        mshub.load("mindspore/1.7/nope")
    with pytest.raises(UidError):
        mshub.load("mindspore/../../etc/passwd")
    monkeypatch.setenv("MSHUB_OFFLINE", "1")
    with pytest.raises(OfflineError, match="not in the cache"):
        mshub.load(SSD_UID)
    with pytest.raises(TypeError):
        mshub.load(SSD_UID, pretrained="yes")


def test_version_filter_and_hub_dir(tmp_path):
    family = ["ssd300_coco2017", "ssdmobilenetv1fpn_coco2017", "ssdresnet50fpn_coco2017", "ssdvgg16_coco2017"]
    assert [c.stem for c in hub.list_models(version="r1.7")] == family
    assert [c.stem for c in hub.list_models(version="1.7")] == family and hub.list_models(version="1.9") == []
    mshub.set_hub_dir(tmp_path / "elsewhere")
    assert mshub.get_hub_dir() == str(tmp_path / "elsewhere")


def test_predict_command(mirror, tmp_path):
    image = tmp_path / "grey.png"
    Image.fromarray(np.tile(np.arange(200, dtype=np.uint8), (150, 1))).save(image)  # grey, 150x200
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run([sys.executable, "-m", "hub", "predict", SSD_UID, str(image), "--json",
                             "--min-score", "0.9", "--out", str(tmp_path / "out.png")],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found and all(d["score"] >= 0.9 for d in found)
    assert all(0 <= d["box"][0] <= d["box"][2] <= 200 and 0 <= d["box"][1] <= d["box"][3] <= 150 for d in found)
    assert Image.open(tmp_path / "out.png").size == (200, 150)


def test_hubconf_pretrained_and_fine_tuning_through_load(mirror, training_checkpoint):
    from hub import hubconf

    net = hubconf.ssdresnet50fpn_coco2017(pretrained=True)
    params = {p.name: p for p in net.get_parameters()}
    assert float(params["network.feature_extractor.resnet.bn1.gamma"].asnumpy()[0]) != 1.0  # loaded, not init
    with pytest.warns(UserWarning, match="2 parameters left freshly initialised"):
        tuned = mshub.load(SSD_UID, num_classes=21)
    shapes = {p.name: tuple(p.shape) for p in tuned.get_parameters()}
    assert shapes["network.multi_box.cls_layers.0.weight"] == (126, 256, 3, 3)
    assert tuned.training is False
