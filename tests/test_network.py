"""SSD-ResNet50-FPN: the published checkpoint's parameter names and shapes, and the zoo's outputs."""
from __future__ import annotations

import json
import warnings

import mindspore as ms
import numpy as np
import pytest
from netutil import assert_matches_golden, detections_matched, golden_image, golden_weights

from hub import hubconf
from hub.errors import CheckpointError
from hub.models.anchors import grid_anchors
from hub.models.postprocess import detections_for_image
from hub.weights import load_strict, read_checkpoint

pytestmark = pytest.mark.network


@pytest.fixture(scope="session")
def golden(shared):
    return np.load(shared / "golden" / "case1.npz")


@pytest.fixture(scope="session")
def weights(shared, tmp_path_factory):
    return read_checkpoint(golden_weights(shared, tmp_path_factory.mktemp("golden") / "w1.ckpt"))


@pytest.fixture(scope="session")
def net(weights):
    network = hubconf.ssdresnet50fpn_coco2017(pretrained=False)
    load_strict(network, weights, "w1.ckpt")
    return network


def test_parameter_manifest_is_the_checkpoints(shared):
    manifest = json.loads((shared / "reference" / "ssd_resnet50_fpn.params.json").read_text())
    network = hubconf.ssdresnet50fpn_coco2017()
    ours = {p.name: list(p.shape) for p in network.get_parameters()}
    assert ours == {p["name"]: p["shape"] for p in manifest}
    assert len(ours) == 476 and sum(int(np.prod(s)) for s in ours.values()) == 33_370_814
    assert all(p.dtype == ms.float32 for p in network.get_parameters())


def test_anchors(golden):
    anchors = grid_anchors()
    assert anchors.shape == (51150, 4)
    np.testing.assert_allclose(anchors[golden["index"]], golden["anchors"], atol=1e-6)


@pytest.mark.parametrize("mode", ["graph", "pynative"])
def test_golden_batch1(net, golden, mode):
    ms.set_context(mode=ms.GRAPH_MODE if mode == "graph" else ms.PYNATIVE_MODE)
    try:
        x = ms.Tensor(golden_image())
        boxes, scores = (t.asnumpy() for t in net(x))
        loc = net.network(x)[0].asnumpy()
    finally:
        ms.set_context(mode=ms.GRAPH_MODE)
    assert boxes.shape == (1, 51150, 4) and scores.shape == (1, 51150, 81)
    assert_matches_golden(golden, boxes[0], scores[0], loc[0])
    detections = detections_for_image(boxes[0], scores[0], tuple(golden["image_hw"]))
    assert len(detections) == len(golden["detections"])
    assert detections_matched(golden, detections) >= 0.98


@pytest.mark.parametrize("mode", ["graph", "pynative"])
def test_golden_batch2(net, golden, mode):
    """Batch > 1: the golden image is one of two; the other image is different and must not leak."""
    ms.set_context(mode=ms.GRAPH_MODE if mode == "graph" else ms.PYNATIVE_MODE)
    other = np.random.default_rng(8).uniform(-2.1, 2.6, (1, 3, 640, 640)).astype(np.float32)
    try:
        boxes, scores = (t.asnumpy() for t in net(ms.Tensor(np.concatenate([other, golden_image()]))))
    finally:
        ms.set_context(mode=ms.GRAPH_MODE)
    assert scores.shape == (2, 51150, 81)
    assert_matches_golden(golden, boxes[1], scores[1])
    assert np.abs(scores[0] - scores[1]).mean() > 1e-3


def test_fine_tuning_keeps_all_but_the_class_predictor(weights):
    network = hubconf.ssdresnet50fpn_coco2017(num_classes=21)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report = load_strict(network, weights, "w1.ckpt", may_stay_fresh=network.resized_parameters)
    assert report.fresh == ["network.multi_box.cls_layers.0.weight", "network.multi_box.cls_layers.0.bias"]
    assert any("freshly initialised" in str(w.message) for w in caught)
    params = {p.name: p for p in network.get_parameters()}
    assert tuple(params["network.multi_box.cls_layers.0.weight"].shape) == (126, 256, 3, 3)
    name = "network.multi_box.loc_layers.0.weight"
    np.testing.assert_array_equal(params[name].asnumpy(), weights[name].asnumpy())


def test_missing_and_mismatched_parameters_are_listed(weights):
    partial = {k: v for k, v in weights.items() if "layer4.2" not in k}
    with pytest.raises(CheckpointError, match=r"15 parameters missing: .*layer4\.2\.conv1\.weight"):
        load_strict(hubconf.ssdresnet50fpn_coco2017(), partial, "partial.ckpt")
    with pytest.raises(CheckpointError, match=r"wrong shape: network.multi_box.cls_layers.0.weight"):
        load_strict(hubconf.ssdresnet50fpn_coco2017(num_classes=21), weights, "w1.ckpt")


def test_entry_points_are_documented():
    assert "num_classes" in hubconf.ssdresnet50fpn_coco2017.__doc__
    assert "model name" in hubconf.create_network.__doc__
    assert type(hubconf.create_network("SSD")).__name__ == "SSDInference"
    assert hubconf.create_network("ssd_resnet50_fpn").training is False
    with pytest.raises(ValueError, match="no network named 'yolo'"):
        hubconf.create_network("yolo")
