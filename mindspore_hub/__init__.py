"""Drop-in ``mindspore_hub``: the MindSpore Hub API, served from this repository's catalog.

    import mindspore_hub as mshub
    net = mshub.load("mindspore/1.7/ssdresnet50fpn_coco2017")
"""
from __future__ import annotations

import hub as _hub
from hub.cache import get_hub_dir, set_hub_dir
from hub.catalog import Catalog as _Catalog

__all__ = ["load", "load_weights", "hub_list", "get_hub_dir", "set_hub_dir"]
__version__ = _hub.__version__


def _check_bool(name: str, value) -> None:
    if not isinstance(value, bool):
        raise TypeError(f"`{name}` must be a bool, got {type(value).__name__}")


def load(name, *args, source="gitee", pretrained=True, force_reload=False, **kwargs):
    """Network of ``name`` (uid, card URL, or with source='local' a card path), weights verified.

    Further keywords: ``strict`` (zoo/toolkit networks: missing or unused checkpoint entries are an
    error), ``trust_repo`` (build from a repository other than MindSpore's), the rest go to the network.
    """
    _check_bool("pretrained", pretrained)
    _check_bool("force_reload", force_reload)
    return _hub.load(name, *args, source=source, pretrained=pretrained, force_reload=force_reload, **kwargs)


def load_weights(name, source="gitee", force_reload=False):
    """The parameter dict of the card's checkpoint (downloaded and verified if not cached)."""
    _check_bool("force_reload", force_reload)
    return _hub.load_weights(name, source=source, force_reload=force_reload)


def hub_list(version=None, force_reload=False):
    """Sorted model names (uid stems) in the catalog; ``version`` ('1.7' or 'r1.7') filters by the
    uid's MindSpore version. ``force_reload`` is accepted for compatibility (the catalog is local)."""
    _check_bool("force_reload", force_reload)
    if version is not None and not isinstance(version, str):
        raise TypeError("`version` must be a str or None")
    wanted = None if version in (None, "master") else version.lstrip("r")
    names = set()
    for card_file in _Catalog().card_files():
        parts = card_file.uid.split("/")
        if wanted is None or parts[-2] == wanted:
            names.add(parts[-1])
    return sorted(names)
