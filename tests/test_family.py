"""The SSD family of the zoo's r1.7 ``official/cv/ssd``: each network's parameters are its checkpoint's,
its outputs the zoo's (golden data, GRAPH mode, a batch of two), and all four live in one process."""
from __future__ import annotations

import json

import mindspore as ms
import numpy as np
import pytest
from conftest import REPO, sha256_of, write_card
from http_faults import FaultServer
from netutil import assert_matches_golden, detections_matched, golden_image, golden_weights
from PIL import Image

import mindspore_hub as mshub
from hub import cli, hubconf
from hub.catalog import Catalog
from hub.models.detect import detect
from hub.models.postprocess import detections_for_image
from hub.weights import load_strict, read_checkpoint

pytestmark = pytest.mark.network

# entry, manifest, golden case, input size, anchors, parameters, share of golden detections to match
FAMILY = {
    "ssd300_coco2017": ("ssd300_mobilenetv2", "ssd300_mobilenetv2", 300, 1917, 4_445_365, 0.98),
    "ssdmobilenetv1fpn_coco2017": ("ssd_mobilenetv1_fpn", "ssd_mobilenetv1_fpn", 640, 51150, 12_579_774, 0.98),
    # saturated scores make its NMS order float noise (golden README): judged by the arrays first
    "ssdvgg16_coco2017": ("ssd_vgg16", "ssd_vgg16", 300, 7308, 24_316_853, 0.9),
}
SEED = ("ssdresnet50fpn_coco2017", "ssd_resnet50_fpn", 640)


@pytest.fixture(scope="module")
def weights_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("family-weights")


def golden_case(shared, case: str):
    return np.load(shared / "golden" / "family" / f"{case}_case1.npz")


@pytest.mark.parametrize("entry", sorted(FAMILY))
def test_parameters_are_the_manifests(shared, entry):
    manifest, _, size, anchors, count, _ = FAMILY[entry]
    net = hubconf.entries()[entry]()
    ours = {p.name: list(p.shape) for p in net.get_parameters()}
    assert ours == {p["name"]: p["shape"] for p in json.loads(
        (shared / "reference" / f"{manifest}.params.json").read_text())}
    assert sum(int(np.prod(s)) for s in ours.values()) == count
    assert net.input_size == size and net.decoder.anchor_sizes.shape == (anchors, 2)
    assert net.training is False


@pytest.mark.parametrize("entry", sorted(FAMILY))
def test_golden_batch_of_two(shared, weights_dir, entry):
    """The golden image second in a batch of two; the first, another image, must not leak into it."""
    manifest, case, size, anchors, _, share = FAMILY[entry]
    golden = golden_case(shared, case)
    net = hubconf.entries()[entry]()
    report = load_strict(net, read_checkpoint(golden_weights(shared, weights_dir / f"{manifest}.ckpt", manifest)),
                         manifest)
    assert not report.fresh
    np.testing.assert_allclose(net.network.anchors()[golden["index"]], golden["anchors"], atol=1e-6)
    ms.set_context(mode=ms.GRAPH_MODE)
    x = ms.Tensor(np.concatenate([golden_image(size, seed=8), golden_image(size)]))
    boxes, scores = (t.asnumpy() for t in net(x))
    loc = net.network(x)[0].asnumpy()
    assert boxes.shape == (2, anchors, 4) and scores.shape == (2, anchors, 81)
    assert_matches_golden(golden, boxes[1], scores[1], loc[1])
    assert np.abs(scores[0] - scores[1]).mean() > 1e-3
    detections = detections_for_image(boxes[1], scores[1], tuple(golden["image_hw"]))
    assert len(detections) == len(golden["detections"])
    assert detections_matched(golden, detections) >= share


def test_fine_tuning_resizes_every_level_predictor():
    net = hubconf.ssd300_coco2017(num_classes=21)
    assert net.resized_parameters == tuple(f"network.multi_box.multi_cls_layers.{k}.3." for k in range(6))
    shapes = {p.name: tuple(p.shape) for p in net.get_parameters()}
    assert shapes["network.multi_box.multi_cls_layers.0.3.weight"] == (3 * 21, 576, 1, 1)
    assert shapes["network.multi_box.multi_loc_layers.0.3.weight"] == (3 * 4, 576, 1, 1)


def test_create_network_names():
    assert type(hubconf.create_network("SSD300").network).__name__ == "SSD300MobileNetV2"
    assert type(hubconf.create_network("ssd_vgg16").network).__name__ == "SSDVGG16"
    assert type(hubconf.create_network("ssdmobilenetv1fpn_coco2017").network).__name__ == "SSDMobileNetV1FPN"
    with pytest.raises(TypeError, match="ssdvgg16_coco2017.. got unexpected arguments: colour"):
        hubconf.ssdvgg16_coco2017(colour="red")
    for entry in hubconf.entries().values():
        assert "num_classes" in entry.__doc__ and "pretrained" in entry.__doc__


def test_four_networks_load_side_by_side(shared, weights_dir, tmp_path, monkeypatch, capsys):
    """``mshub.load`` of all four cards through a mirror, kept in one process, each its own network;
    ``detect`` and ``python -m hub predict`` resize to each network's own input size."""
    ms.set_context(mode=ms.GRAPH_MODE)
    bundled = Catalog().scan().cards
    cases = {SEED[0]: (SEED[1], None, SEED[2])} | {e: (m, c, s) for e, (m, c, s, *_) in FAMILY.items()}
    with FaultServer(tmp_path / "served") as server:
        for entry, (manifest, _, _) in cases.items():
            card = next(c for c in bundled if c.stem == entry)
            data = golden_weights(shared, weights_dir / f"{manifest}.ckpt", manifest).read_bytes()
            path = card.ckpt.url.split("download.mindspore.cn", 1)[1]
            server.add_file(path, data)
            write_card(tmp_path / "catalog", card.uid, card.ckpt.url, sha256_of(data),
                       source=REPO / "assets" / f"{card.uid}.md")
        monkeypatch.setenv("MSHUB_ENDPOINT", server.url)
        monkeypatch.setenv("MSHUB_CATALOG", str(tmp_path / "catalog"))
        nets = {entry: mshub.load(f"mindspore/1.7/{entry}") for entry in cases}
        image = tmp_path / "grey.png"
        Image.fromarray(np.tile(np.arange(200, dtype=np.uint8), (150, 1))).save(image)  # 150x200
        assert cli.main(["predict", "mindspore/1.7/ssdvgg16_coco2017", str(image), "--json",
                         "--min-score", "0.9"]) == 0
        found = json.loads(capsys.readouterr().out)
        assert found and all(0 <= d["box"][0] <= d["box"][2] <= 200 for d in found)
    assert len({id(n) for n in nets.values()}) == 4
    for entry, (_, case, size) in cases.items():
        golden = np.load(shared / "golden" / "case1.npz") if case is None else golden_case(shared, case)
        boxes, scores = (t.asnumpy() for t in nets[entry](ms.Tensor(golden_image(size))))
        assert_matches_golden(golden, boxes[0], scores[0])
        detections = detect(nets[entry], [str(image)])[0]
        assert detections and all(0 <= d.box[1] <= d.box[3] <= 150 for d in detections), entry
