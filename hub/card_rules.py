"""The rules of the model card format, as the hub's own checker applies them."""
from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

REQUIRED_FIELDS = (
    "backbone-name", "module-type", "fine-tunable", "model-version", "author", "update-time",
    "repo-link", "user-id", "used-for", "mindspore-version", "license", "summary",
)
MODULE_TYPES = ("gnn", "rl", "audio", "cv", "cvtmodel", "nlp", "recommend", "cross", "hpc", "mm", "other")
USED_FOR = ("inference", "extract-feature", "transfer-learning")
BACKENDS = ("cpu", "gpu", "ascend")
FILE_FORMATS = ("air", "ckpt", "onnx", "mindir", "mslite")
BOOLEAN_FIELDS = ("fine-tunable", "allow-cache-ckpt")
# Only these scalar fields may contain ':' (URLs and free-text results).
COLON_ALLOWED = ("repo-link", "asset", "evaluation")
ASSET_KEYS = ("file-format", "asset-link", "asset-sha256")
SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")
NO_EVALUATION = "-"


@lru_cache(maxsize=1)
def valid_train_datasets() -> frozenset[str]:
    """Dataset names the hub accepts in ``train-dataset`` (case-sensitive, as the hub compares)."""
    text = resources.files("hub").joinpath("data/valid_train_datasets.json").read_text(encoding="utf-8")
    return frozenset(json.loads(text))
