"""Drop-in ``mindspore_hub``: the MindSpore Hub API, served from this repository's catalog.

    import mindspore_hub as mshub
    net = mshub.load("mindspore/1.7/ssdresnet50fpn_coco2017")
"""
from __future__ import annotations

import hub as _hub
from hub.catalog import HUB_BRANCHES as _HUB_BRANCHES
from hub.catalog import branch_catalog as _branch_catalog
from hub.catalog import branch_model_names as _branch_model_names
from hub.fetch import get_hub_dir, set_hub_dir

__all__ = ["load", "load_weights", "hub_list", "get_hub_dir", "set_hub_dir"]
__version__ = _hub.__version__


def _check_bool(name: str, value) -> None:
    if not isinstance(value, bool):
        raise TypeError(f"`{name}` must be a bool, got {type(value).__name__}")


def load(name, *args, source="gitee", pretrained=True, force_reload=False, **kwargs):
    """Network of ``name`` (uid, card URL, or with source='local' a card path), weights verified.

    Further keywords: ``strict`` (zoo/toolkit networks: True, missing or unused checkpoint entries are
    an error; False, a partial load with warnings; not given, only entries unused beyond a classifier
    head are: the network is not the checkpoint's), ``trust_repo`` (build from a repository other than
    MindSpore's), the rest go to the network.
    """
    _check_bool("pretrained", pretrained)
    _check_bool("force_reload", force_reload)
    return _hub.load(name, *args, source=source, pretrained=pretrained, force_reload=force_reload, **kwargs)


def load_weights(name, source="gitee", force_reload=False):
    """The parameter dict of the card's checkpoint (downloaded and verified if not cached)."""
    _check_bool("force_reload", force_reload)
    return _hub.load_weights(name, source=source, force_reload=force_reload)


def hub_list(version=None, force_reload=False):
    """Model names of the hub's catalog as MindSpore Hub lists them: ``version`` is a branch of the hub's
    repository (None: master; 'r1.8', ...), fetched on first use or with ``force_reload`` (sparse git,
    cached per branch; offline, the cached one). For a filter by MindSpore version over the local
    catalog, see ``hub.list_models(version=...)`` and ``python -m hub list --version``."""
    if version is None:
        version = "master"
    if not isinstance(version, str):
        raise TypeError(f"`version` must be a str or None, got {type(version).__name__}")
    _check_bool("force_reload", force_reload)
    if version not in _HUB_BRANCHES:
        raise ValueError(f"`version` must be a branch of the hub: {', '.join(_HUB_BRANCHES)}; got {version!r}")
    return _branch_model_names(_branch_catalog(version, force_reload), version)
