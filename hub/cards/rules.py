"""The rules of the model card format, as the hub's own checker applies them (see the format document)."""
from __future__ import annotations

import re
from functools import lru_cache

from ..data import kept_table

REQUIRED_FIELDS = (
    "backbone-name", "module-type", "fine-tunable", "model-version", "author", "update-time",
    "repo-link", "user-id", "used-for", "mindspore-version", "license", "summary",
)
OPTIONAL_FIELDS = (
    "model-name", "train-dataset", "evaluation", "asset", "accuracy", "allow-cache-ckpt", "train-backend",
    "infer-backend", "featured-image", "input-shape",
)
MODULE_TYPES = ("gnn", "rl", "audio", "cv", "cvtmodel", "nlp", "recommend", "cross", "hpc", "mm", "other")
USED_FOR = ("inference", "extract-feature", "transfer-learning")
BACKENDS = ("cpu", "gpu", "ascend")
FILE_FORMATS = ("air", "ckpt", "onnx", "mindir", "mslite")
# Fields whose value may contain ':' (links and free-text results); the hub checks every other one.
COLON_ALLOWED = ("repo-link", "asset", "evaluation")
ASSET_KEYS = ("file-format", "asset-link", "asset-sha256")
# asset-sha256: the full 64-hex-digit sha256, or (MindCV/MindYOLO) a prefix of at least 8 hex digits.
SHA256_HEX_DIGITS = 64
MIN_PREFIX_HEX_DIGITS = 8
HEX = re.compile(r"^[0-9a-fA-F]+$")


@lru_cache(maxsize=1)
def valid_train_datasets() -> frozenset[str]:
    """Dataset names the hub accepts in ``train-dataset`` (case-sensitive, as the hub compares)."""
    return frozenset(kept_table("valid_train_datasets.json"))
