"""Helpers for tests that run the SSD network with the golden synthetic weights."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np


def golden_weights(shared: Path, out: Path, manifest: str = "ssd_resnet50_fpn", seed: int = 1) -> Path:
    """Rebuild the synthetic weights with the shared script, exactly as the golden READMEs say."""
    if not out.exists():
        subprocess.run([sys.executable, str(shared / "golden" / "synth_weights.py"),
                        str(shared / "reference" / f"{manifest}.params.json"), str(seed), str(out)], check=True)
    return out


def golden_image(size: int = 640, seed: int = 7) -> np.ndarray:
    return np.random.default_rng(seed).uniform(-2.1, 2.6, (1, 3, size, size)).astype(np.float32)


def assert_matches_golden(golden, boxes: np.ndarray, scores: np.ndarray, loc: np.ndarray | None = None) -> None:
    """The tolerances of shared/golden/README.md, on one image's full outputs (N, 4), (N, 81)."""
    idx = golden["index"]
    for name, got, want, max_tol, mean_tol in (
            ("scores", scores[idx], golden["scores"][0], 5e-3, 2e-4),
            ("boxes", boxes[idx], golden["boxes"][0], 5e-3, 2e-4)) + (
            (("loc", loc[idx], golden["loc"][0], 5e-2, 1e-3),) if loc is not None else ()):
        diff = np.abs(got - want)
        assert diff.max() <= max_tol and diff.mean() <= mean_tol, f"{name}: max {diff.max()}, mean {diff.mean()}"
    sums = (("scores_sum", scores, golden["scores_sum"][0]), ("boxes_sum", boxes, golden["boxes_sum"][0]))
    for name, got, want in sums:
        rel = abs(got.astype(np.float64).sum() / want - 1)
        assert rel <= 1e-4, f"{name} relative diff {rel}"


def detections_matched(golden, detections) -> float:
    """Share of golden detection rows matched by one of ours: same class, IoU >= 0.9, score within 5e-3."""
    ours = np.array([[d.class_index, d.score, d.box[1], d.box[0], d.box[3], d.box[2]] for d in detections])
    matched = 0
    for row in golden["detections"]:
        same = ours[ours[:, 0] == row[0]]
        if not len(same):
            continue
        a, b = row[2:], same[:, 2:]
        h = np.maximum(0, np.minimum(a[2], b[:, 2]) - np.maximum(a[0], b[:, 0]))
        w = np.maximum(0, np.minimum(a[3], b[:, 3]) - np.maximum(a[1], b[:, 1]))
        inter = h * w
        union = (a[2] - a[0]) * (a[3] - a[1]) + (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1]) - inter
        iou = inter / np.maximum(union, 1e-12)
        matched += bool(np.any((iou >= 0.9) & (np.abs(same[:, 1] - row[1]) <= 5e-3)))
    return matched / len(golden["detections"])
