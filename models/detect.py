"""Run the detector on images end to end, and draw what it found."""
from __future__ import annotations

import numpy as np
from mindspore import Tensor
from PIL import Image, ImageDraw

from .postprocess import Detection, postprocess
from .preprocess import INPUT_SIZE, preprocess, to_rgb_array


def detect(net, images, **settings) -> list[list[Detection]]:
    """Images (paths, PIL images or uint8 arrays, any size) -> detections per image, best first.

    Images are resized to the network's ``input_size`` (640 for the FPN models, 300 for SSD300).
    ``settings`` override the COCO evaluation defaults: score_threshold, iou_threshold, max_per_class.
    """
    batch, sizes = preprocess(images, size=getattr(net, "input_size", INPUT_SIZE))
    boxes, scores = net(Tensor(batch))
    return postprocess(boxes.asnumpy(), scores.asnumpy(), sizes, **settings)


def draw_detections(image, detections: list[Detection], min_score: float = 0.0) -> Image.Image:
    """A copy of the image with a box and 'name score' label for each detection above ``min_score``."""
    canvas = Image.fromarray(to_rgb_array(image))
    pen = ImageDraw.Draw(canvas)
    palette = np.random.default_rng(0).integers(64, 256, size=(91, 3))
    for det in detections:
        if det.score < min_score:
            continue
        colour = tuple(int(v) for v in palette[det.category_id])
        x0, y0, x1, y1 = det.box
        pen.rectangle([x0, y0, x1, y1], outline=colour, width=2)
        label = f"{det.category_name} {det.score:.2f}"
        left, top, right, bottom = pen.textbbox((x0, y0), label)
        pen.rectangle([left, top, right + 2, bottom], fill=colour)
        pen.text((x0 + 1, y0), label, fill=(0, 0, 0))
    return canvas
