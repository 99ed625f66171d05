"""A MindCV card's preprocessing: MindCV's own eval transforms (``mindcv.data.create_transforms``, as its
``validate.py`` calls it) with the settings of the card's config file, the YAML of the card's model in the
directory its repo-link names (``configs/hrnet`` at ``v0.4.0``: ``image_resize``, ``crop_pct``,
``interpolation``, ``mean``, ``std``; MindCV's defaults for a key the file leaves out, as validate.py's)."""
from __future__ import annotations

import inspect
from pathlib import Path

import yaml

from ..cards.record import ModelCard
from ..cards.repo_link import parse_repo_link
from ..errors import HubError, PreprocessError
from .pipeline import ENCODED, Step
from .preprocess import Preprocess, Source

EVAL_KEYS = ("image_resize", "crop_pct", "interpolation", "mean", "std")


def mindcv_preprocess(card: ModelCard) -> Preprocess:
    ref = parse_repo_link(card.repo_link or "")
    if ref is None or ref.toolkit != "mindcv":
        raise PreprocessError(f"{card.uid}: the hub reads the preprocessing of MindCV cards only (repo-link "
                              f"{card.repo_link!r})")
    from ..routes.zoo import fetch_code_dir

    try:
        code = fetch_code_dir(ref, card.uid)
    except HubError as exc:
        raise PreprocessError(f"{card.uid}: its config directory {ref} could not be fetched, and its settings say "
                              f"how MindCV evaluates the model ({exc})") from None
    config, settings = _config_of(card, code.path)
    dataset = str(settings.pop("dataset", "imagenet") or "imagenet")
    try:
        from mindcv.data import create_transforms
    except ImportError as exc:
        raise PreprocessError(f"{card.uid} is a MindCV model and mindcv is not installed ({exc}); "
                              "pip install 'mshub-registry[mindcv]'") from None
    chosen = {k: settings[k] for k in EVAL_KEYS if settings.get(k) is not None}
    operations = create_transforms(dataset_name=dataset, is_training=False, **chosen)
    where = f"{ref.directory}/{config.name}"
    factory = f"mindcv.data.create_transforms ({inspect.getsourcefile(create_transforms)})"
    return Preprocess(card.uid, [Step(op, where) for op in operations], ENCODED, (),
                      Source("toolkit", factory, dataset, where, "mindcv validate.py",
                             [f"{k}={v!r}" for k, v in chosen.items()]))


def _config_of(card: ModelCard, directory: Path) -> tuple[Path, dict]:
    """The directory's YAML whose ``model`` is the card's (case and ``_`` aside), and its settings."""
    wanted = _folded(card.model_name or card.backbone or card.stem)
    found = []
    for path in sorted(directory.glob("*.y*ml")):
        try:
            settings = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError):
            continue
        if isinstance(settings, dict) and _folded(str(settings.get("model", ""))) == wanted:
            found.append((path, settings))
    if not found:
        names = ", ".join(p.name for p in sorted(directory.glob("*.y*ml"))) or "none"
        raise PreprocessError(f"{card.uid}: no config file of {directory.name} is the model {card.model_name!r}'s "
                              f"(files: {names}); its eval settings are not known here")
    found.sort(key=lambda item: ("ascend" not in item[0].name, item[0].name))  # MindCV's published runs: Ascend
    return found[0]


def _folded(name: str) -> str:
    return name.lower().replace("_", "").replace("-", "")
