"""Batched NMS equals the per-class greedy loop; pre-processing accepts what users pass."""
import numpy as np
import pytest
from PIL import Image

from hub.models.coco import category
from hub.models.postprocess import batched_nms, detections_for_image, greedy_nms
from hub.models.preprocess import preprocess, to_rgb_array


def random_case(seed: int, n: int = 3000, classes: int = 6, spread: float = 400.0):
    rng = np.random.default_rng(seed)
    y0, x0 = rng.uniform(0, spread, (2, n))
    h, w = rng.uniform(5, 120, (2, n))
    boxes = np.stack([y0, x0, y0 + h, x0 + w], axis=1)
    scores = rng.uniform(0, 1, (n, classes)).astype(np.float32)
    return boxes, scores


@pytest.mark.parametrize("seed,spread", [(0, 400.0), (1, 60.0), (2, 2000.0)])
def test_batched_equals_greedy(seed, spread):
    boxes, scores = random_case(seed, spread=spread)
    got = dict(batched_nms(boxes, scores, 0.1, 0.6, 100, window=16))
    for c in range(scores.shape[1]):
        idx = np.nonzero(scores[:, c] > 0.1)[0]
        want = idx[greedy_nms(boxes[idx], scores[idx, c], 0.6, 100)]
        np.testing.assert_array_equal(got[c], want)


def test_no_candidates_and_categories():
    boxes, scores = random_case(3, n=50)
    assert batched_nms(boxes, scores * 0.0) == []
    assert category(1) == (1, "person") and category(80) == (90, "toothbrush") and category(12) == (13, "stop sign")
    with pytest.raises(ValueError):
        category(0)


def test_detections_scale_to_pixels():
    boxes = np.array([[0.1, 0.2, 0.5, 0.6]], np.float32)
    scores = np.zeros((1, 81), np.float32)
    scores[0, 3] = 0.9
    [det] = detections_for_image(boxes, scores, (480, 640))
    assert (det.category_id, det.category_name) == (3, "car")
    np.testing.assert_allclose(det.box, (128, 48, 384, 240), rtol=1e-6)


def test_preprocess_accepts_paths_pil_grey_and_rgba(tmp_path):
    grey = np.full((100, 50), 128, np.uint8)
    rgba = np.zeros((30, 40, 4), np.uint8)
    path = tmp_path / "x.png"
    Image.fromarray(grey).save(path)
    batch, sizes = preprocess([grey, rgba, Image.fromarray(rgba[:, :, :3]), str(path)])
    assert batch.shape == (4, 3, 640, 640) and batch.dtype == np.float32
    assert sizes == [(100, 50), (30, 40), (30, 40), (100, 50)]
    np.testing.assert_allclose(batch[0, :, 0, 0], (np.array([128.0] * 3) - [123.675, 116.28, 103.53])
                               / [58.395, 57.12, 57.375], rtol=1e-5)
    with pytest.raises(ValueError, match="uint8"):
        to_rgb_array(np.zeros((4, 4, 3), np.float32))
    with pytest.raises(ValueError, match="cannot read image"):
        to_rgb_array(tmp_path / "missing.png")
