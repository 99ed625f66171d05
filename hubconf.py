"""Entry points of the networks served by this hub (torch.hub style, and MindSpore's create_network).

Each entry is named by the stem of its card's uid: ``mindspore/1.7/ssdresnet50fpn_coco2017`` is built
by ``ssdresnet50fpn_coco2017``. ``help(hubconf.ssdresnet50fpn_coco2017)`` documents the arguments.
"""
from __future__ import annotations

dependencies = ["mindspore", "numpy", "requests", "tqdm", "yaml", "filelock", "PIL"]

SSD_UID = "mindspore/1.7/ssdresnet50fpn_coco2017"


def ssdresnet50fpn_coco2017(pretrained: bool = False, num_classes: int = 81, **kwargs):
    """SSD-ResNet50-FPN (RetinaNet-style) detector for COCO 2017, 640x640 input, in eval mode.

    Returns the inference network of the MindSpore model zoo (r1.7 ``official/cv/ssd``, config
    ``ssd_resnet50_fpn``): ``net(images)`` with images (batch, 3, 640, 640) float32, normalised as
    ``models.preprocess`` does, gives ``(boxes, scores)``: boxes (batch, 51150, 4) as (y0, x0, y1, x1)
    in [0, 1] and sigmoid scores (batch, 51150, num_classes), column 0 being background.

    Args:
        pretrained: load the published COCO checkpoint (37.56 mAP) through the hub's verified cache.
        num_classes: classes including background; anything but 81 gives a fresh class predictor
            (for fine-tuning) while every other parameter still loads from the checkpoint.
        **kwargs: ``force_reload`` (re-download the checkpoint) when ``pretrained`` is True.
    """
    from hub.models import SSDInference, SSDResNet50FPN

    force_reload = kwargs.pop("force_reload", False)
    if kwargs:
        raise TypeError(f"ssdresnet50fpn_coco2017() got unexpected arguments: {', '.join(sorted(kwargs))}")
    if not isinstance(num_classes, int) or num_classes < 2:
        raise ValueError(f"num_classes must be an integer >= 2 (background included), got {num_classes!r}")
    net = SSDInference(SSDResNet50FPN(num_classes=num_classes))
    net.set_train(False)
    if pretrained:
        from hub.loader import load_pretrained_into

        load_pretrained_into(net, SSD_UID, force_reload=force_reload)
    return net


# Names a card may give in model-name / backbone-name, or the zoo's config name, -> entry.
_ALIASES = {
    "ssdresnet50fpn_coco2017": ssdresnet50fpn_coco2017,
    "ssd": ssdresnet50fpn_coco2017,
    "ssd_resnet50_fpn": ssdresnet50fpn_coco2017,
    "ssdresnet50fpn": ssdresnet50fpn_coco2017,
}


def create_network(name: str, *args, **kwargs):
    """Build a network by name, as MindSpore's model zoo ``mindspore_hub_conf.create_network`` does.

    ``name`` is an entry name or a card's model name (case-insensitive): ``ssd``, ``ssd_resnet50_fpn``
    or ``ssdresnet50fpn_coco2017``. Further arguments go to the entry.
    """
    entry = _ALIASES.get(str(name).lower())
    if entry is None:
        raise ValueError(f"no network named {name!r} in hubconf; known: {', '.join(sorted(_ALIASES))}")
    return entry(*args, **kwargs)


def entries() -> dict:
    """Entry name -> builder, for the hub's loader."""
    return {"ssdresnet50fpn_coco2017": ssdresnet50fpn_coco2017}
