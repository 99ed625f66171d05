"""Entry points of the networks served by this hub (torch.hub style, and MindSpore's create_network).

Each entry is named by the stem of its card's uid: ``mindspore/1.7/ssdresnet50fpn_coco2017`` is built
by ``ssdresnet50fpn_coco2017``. ``help(hubconf.<entry>)`` documents the arguments. The four networks
are the configs of the model zoo's r1.7 ``official/cv/ssd``; every one of their cards gives the model
name ``ssd300``, so the uid stem, never the model name, chooses the network.
"""
from __future__ import annotations

dependencies = ["mindspore", "numpy", "requests", "tqdm", "yaml", "filelock", "PIL"]

RELEASE = "mindspore/1.7/"


def _build(entry: str, detector: str, pretrained: bool, num_classes: int, kwargs: dict):
    """The inference network of ``detector`` (a class of ``hub.models``), in eval mode, with the
    verified checkpoint of the card ``RELEASE + entry`` when ``pretrained``."""
    from hub import models

    force_reload = kwargs.pop("force_reload", False)
    if kwargs:
        raise TypeError(f"{entry}() got unexpected arguments: {', '.join(sorted(kwargs))}")
    if not isinstance(pretrained, bool):
        raise TypeError(f"{entry}(): pretrained must be a bool, got {pretrained!r}")
    if isinstance(num_classes, bool) or not isinstance(num_classes, int) or num_classes < 2:
        raise ValueError(f"num_classes must be an integer >= 2 (background included), got {num_classes!r}")
    if pretrained:  # the hub's loader builds this entry fresh and loads the card's verified checkpoint
        from hub.loader import load

        return load(RELEASE + entry, num_classes=num_classes, force_reload=force_reload)
    net = models.SSDInference(getattr(models, detector)(num_classes=num_classes))
    net.set_train(False)
    return net


_ARGS = """
    Args:
        pretrained: load the published COCO checkpoint through the hub's verified cache.
        num_classes: classes including background; anything but 81 gives fresh class predictors
            (for fine-tuning) while every other parameter still loads from the checkpoint.
        **kwargs: ``force_reload`` (re-download the checkpoint) when ``pretrained`` is True.
"""


def ssdresnet50fpn_coco2017(pretrained: bool = False, num_classes: int = 81, **kwargs):
    """SSD-ResNet50-FPN (RetinaNet-style) detector for COCO 2017, 640x640 input, in eval mode.

    The zoo's config ``ssd_resnet50_fpn`` (37.56 mAP): ``net(images)`` with images (batch, 3, 640, 640)
    float32, normalised as ``models.preprocess`` does, gives ``(boxes, scores)``: boxes
    (batch, 51150, 4) as (y0, x0, y1, x1) in [0, 1] and sigmoid scores (batch, 51150, num_classes),
    column 0 being background.
    """
    return _build("ssdresnet50fpn_coco2017", "SSDResNet50FPN", pretrained, num_classes, kwargs)


def ssdmobilenetv1fpn_coco2017(pretrained: bool = False, num_classes: int = 81, **kwargs):
    """SSD-MobileNetV1-FPN detector for COCO 2017, 640x640 input, in eval mode.

    The zoo's config ``ssd_mobilenet_v1_fpn``: as ``ssdresnet50fpn_coco2017`` with a MobileNetV1
    backbone; ``(boxes, scores)`` of shapes (batch, 51150, 4) and (batch, 51150, num_classes).
    """
    return _build("ssdmobilenetv1fpn_coco2017", "SSDMobileNetV1FPN", pretrained, num_classes, kwargs)


def ssdvgg16_coco2017(pretrained: bool = False, num_classes: int = 81, **kwargs):
    """SSD300-VGG16 detector for COCO 2017, 300x300 input, in eval mode.

    The zoo's config ``ssd_vgg16``: ``(boxes, scores)`` of shapes (batch, 7308, 4) and
    (batch, 7308, num_classes); images (batch, 3, 300, 300) normalised as ``models.preprocess`` does.
    """
    return _build("ssdvgg16_coco2017", "SSDVGG16", pretrained, num_classes, kwargs)


def ssd300_coco2017(pretrained: bool = False, num_classes: int = 81, **kwargs):
    """SSD300 with a MobileNetV2 backbone for COCO 2017, 300x300 input, in eval mode.

    The zoo's config ``ssd300``: ``(boxes, scores)`` of shapes (batch, 1917, 4) and
    (batch, 1917, num_classes); images (batch, 3, 300, 300) normalised as ``models.preprocess`` does.
    """
    return _build("ssd300_coco2017", "SSD300MobileNetV2", pretrained, num_classes, kwargs)


for _entry in (ssdresnet50fpn_coco2017, ssdmobilenetv1fpn_coco2017, ssdvgg16_coco2017, ssd300_coco2017):
    _entry.__doc__ += _ARGS

# The zoo's config names and the model names cards give -> entry. The cards' shared model name
# ``ssd300`` means the MobileNetV2 SSD300, as in the zoo's own create_network; the seed card's ``ssd``
# means SSD-ResNet50-FPN.
_ALIASES = {
    "ssd": ssdresnet50fpn_coco2017,
    "ssdresnet50fpn": ssdresnet50fpn_coco2017,
    "ssd_resnet50_fpn": ssdresnet50fpn_coco2017,
    "ssd_mobilenet_v1_fpn": ssdmobilenetv1fpn_coco2017,
    "ssd_vgg16": ssdvgg16_coco2017,
    "ssd300": ssd300_coco2017,
}


def entries() -> dict:
    """Entry name (uid stem) -> builder, for the hub's loader."""
    return {e.__name__: e for e in (ssdresnet50fpn_coco2017, ssdmobilenetv1fpn_coco2017,
                                    ssdvgg16_coco2017, ssd300_coco2017)}


def create_network(name: str, *args, **kwargs):
    """Build a network by name, as MindSpore's model zoo ``mindspore_hub_conf.create_network`` does.

    ``name`` (case-insensitive) is an entry name (a uid stem such as ``ssdvgg16_coco2017``), a zoo
    config name (``ssd300``, ``ssd_vgg16``, ``ssd_mobilenet_v1_fpn``, ``ssd_resnet50_fpn``) or a card's
    model name as the zoo reads it (``ssd300`` is the MobileNetV2 SSD300, ``ssd`` SSD-ResNet50-FPN).
    Further arguments go to the entry.
    """
    key = str(name).lower()
    entry = entries().get(key) or _ALIASES.get(key)
    if entry is None:
        known = sorted(set(entries()) | set(_ALIASES))
        raise ValueError(f"no network named {name!r} in hubconf; known: {', '.join(known)}")
    return entry(*args, **kwargs)
