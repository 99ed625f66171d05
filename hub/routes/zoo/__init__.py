"""The model zoo route: a card's network built by the code of the zoo directory its repo-link names.

Other stages use what is named here: ``build`` (the route), ``prefetch`` and ``fetch_code_dir`` (the code),
``eval_pipelines`` (the eval script's dataset pipelines, for ``hub.inference``), ``requested`` and
``VARIANTS_ATTRIBUTE`` (the variants the loader tries for a checkpoint), ``recorded`` (what the guard refused),
``removed_names_supplied`` and ``lazy_tensors_computed`` (today's MindSpore as the code expects it),
``forget_zoo_code`` (the per-process state dropped) and ``ZooBuilt`` (what a build gives). The folders show
the parts: ``source`` (fetching), ``builders`` (hub conf, export script, eval script), ``sandbox`` (what the code
runs inside), ``compat`` (removed names, 1.x semantics), ``variants`` (the card's own variant).
"""
from __future__ import annotations

from ...errors import ZooBuildError
from . import eval_pipelines
from .build import build
from .builders.options import ZooBuilt
from .compat.supplied import lazy_tensors_computed, removed_names_supplied
from .sandbox.guard import recorded
from .sandbox.namespace import forget_zoo_code
from .source.code import fetch_code_dir, prefetch
from .variants.selection import VARIANTS_ATTRIBUTE, requested

__all__ = ["VARIANTS_ATTRIBUTE", "ZooBuildError", "ZooBuilt", "build", "eval_pipelines", "fetch_code_dir",
           "forget_zoo_code", "lazy_tensors_computed", "prefetch", "recorded", "removed_names_supplied", "requested"]
