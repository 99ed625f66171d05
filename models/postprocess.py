"""Network outputs -> detections: per-class score threshold, greedy NMS, at most N per class.

Defaults are the COCO evaluation settings the published score used: score > 0.1, IoU 0.6 with the
"+1" pixel area convention, 100 boxes per class. ``batched_nms`` runs all classes at once and gives
exactly what the per-class greedy loop gives.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .coco import category

SCORE_THRESHOLD = 0.1
IOU_THRESHOLD = 0.6
MAX_PER_CLASS = 100


@dataclass(frozen=True)
class Detection:
    """One detected object; box is (x0, y0, x1, y1) in pixels of the original image."""

    category_id: int
    category_name: str
    score: float
    box: tuple[float, float, float, float]
    class_index: int

    def to_dict(self) -> dict:
        return {"category_id": self.category_id, "category_name": self.category_name,
                "score": round(self.score, 6), "box": [round(v, 2) for v in self.box]}


def _iou_plus_one(box: np.ndarray, others: np.ndarray) -> np.ndarray:
    """IoU of one (y0, x0, y1, x1) box against many, areas counted with +1 pixels."""
    h = np.maximum(0.0, np.minimum(box[2], others[:, 2]) - np.maximum(box[0], others[:, 0]) + 1)
    w = np.maximum(0.0, np.minimum(box[3], others[:, 3]) - np.maximum(box[1], others[:, 1]) + 1)
    inter = h * w
    area = (box[2] - box[0] + 1) * (box[3] - box[1] + 1)
    areas = (others[:, 2] - others[:, 0] + 1) * (others[:, 3] - others[:, 1] + 1)
    return inter / (area + areas - inter)


def greedy_nms(boxes: np.ndarray, scores: np.ndarray, iou_threshold: float = IOU_THRESHOLD,
               max_keep: int = MAX_PER_CLASS) -> np.ndarray:
    """The classic one-class greedy loop (reference and baseline); returns kept indices."""
    order = np.argsort(-scores, kind="stable")
    keep = []
    while order.size and len(keep) < max_keep:
        best = order[0]
        keep.append(best)
        rest = order[1:]
        order = rest[_iou_plus_one(boxes[best], boxes[rest]) <= iou_threshold]
    return np.asarray(keep, dtype=np.int64)


def _pairwise_iou_plus_one(boxes: np.ndarray) -> np.ndarray:
    """(C, M, 4) -> (C, M, M) IoU within each class."""
    y0, x0, y1, x1 = (boxes[..., k] for k in range(4))
    h = np.minimum(y1[:, :, None], y1[:, None, :]) - np.maximum(y0[:, :, None], y0[:, None, :]) + 1
    w = np.minimum(x1[:, :, None], x1[:, None, :]) - np.maximum(x0[:, :, None], x0[:, None, :]) + 1
    inter = np.maximum(h, 0) * np.maximum(w, 0)
    area = (y1 - y0 + 1) * (x1 - x0 + 1)
    return inter / (area[:, :, None] + area[:, None, :] - inter)


def batched_nms(boxes: np.ndarray, scores: np.ndarray, score_threshold: float = SCORE_THRESHOLD,
                iou_threshold: float = IOU_THRESHOLD, max_per_class: int = MAX_PER_CLASS,
                window: int = 2 * MAX_PER_CLASS) -> list[tuple[int, np.ndarray]]:
    """Greedy NMS for every class column of ``scores`` (N, C) at once over shared ``boxes`` (N, 4).

    Each class's candidates are ranked; greedy NMS only ever looks at the best ones, so it runs on a
    window of the top ``window`` per class, vectorised across classes. A class whose window ran out
    before it kept ``max_per_class`` boxes is redone with a window twice as large, so the result is
    exactly the per-class greedy loop's. Returns [(class column, kept row indices in score order)].
    """
    n, classes = scores.shape
    results: dict[int, np.ndarray] = {}
    pending = [c for c in range(classes) if np.any(scores[:, c] > score_threshold)]
    while pending:
        m = min(window, n)
        cols = np.asarray(pending)
        sub = scores[:, cols].T  # (C, N)
        masked = np.where(sub > score_threshold, sub, -np.inf)
        if m < n:
            top = np.argpartition(-masked, m - 1, axis=1)[:, :m]
        else:
            top = np.broadcast_to(np.arange(n), (len(cols), n))
        top_scores = np.take_along_axis(masked, top, axis=1)
        order = np.lexsort((top, -top_scores), axis=1)  # score desc, then index asc (stable)
        idx = np.take_along_axis(top, order, axis=1)
        valid = np.take_along_axis(top_scores, order, axis=1) > -np.inf
        iou = _pairwise_iou_plus_one(boxes[idx])
        over = iou > iou_threshold
        keep = valid.copy()
        kept = np.zeros(len(cols), dtype=np.int64)
        for i in range(m):
            active = keep[:, i] & (kept < max_per_class)
            keep[:, i] = active
            kept += active
            if not active.any():
                continue
            keep[:, i + 1:] &= ~(over[:, i, i + 1:] & active[:, None])
        retry = []
        for row, c in enumerate(cols):
            enough = kept[row] >= max_per_class or valid[row].sum() < m or m == n
            if enough:
                results[int(c)] = idx[row][keep[row]][:max_per_class]
            else:
                retry.append(int(c))
        pending, window = retry, window * 2
    return sorted(results.items())


def detections_for_image(boxes: np.ndarray, scores: np.ndarray, image_hw: tuple[int, int],
                         score_threshold: float = SCORE_THRESHOLD, iou_threshold: float = IOU_THRESHOLD,
                         max_per_class: int = MAX_PER_CLASS) -> list[Detection]:
    """One image's (N, 4) normalised boxes and (N, classes) scores -> detections, best first."""
    height, width = image_hw
    pixels = boxes.astype(np.float64) * np.array([height, width, height, width], dtype=np.float64)
    found = []
    kept = batched_nms(pixels, scores[:, 1:], score_threshold, iou_threshold, max_per_class)
    for column, rows in kept:
        class_index = column + 1
        cat_id, name = category(class_index)
        for r in rows:
            y0, x0, y1, x1 = pixels[r]
            found.append(Detection(cat_id, name, float(scores[r, class_index]),
                                   (float(x0), float(y0), float(x1), float(y1)), class_index))
    found.sort(key=lambda d: -d.score)
    return found


def postprocess(boxes: np.ndarray, scores: np.ndarray, image_sizes: list[tuple[int, int]],
                **settings) -> list[list[Detection]]:
    """Batch outputs (B, N, 4), (B, N, classes) -> a list of detections per image."""
    return [detections_for_image(boxes[b], scores[b], image_sizes[b], **settings)
            for b in range(boxes.shape[0])]
