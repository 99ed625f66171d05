"""``python -m hub card new``: a model card the hub accepts, written from a checkpoint and a few facts.

The front matter is in the hub's field order and spelling; the sha256 is streamed from the checkpoint;
fields the hub requires and the caller did not give get defaults taken from what was given (the uid,
the repo-link's path) and the command says which. The card is parsed and judged as ``verify`` judges it
before it is written, and the network its code builds is made to take the checkpoint, so the Usage
section shows the call that builds the network the checkpoint was trained as (required arguments and a
class count the code's default gets wrong included). Nothing is written unless all of that holds, and an
existing card is replaced only when asked.
"""
from __future__ import annotations

import datetime
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..cards import rules as card_rules
from ..cards.parser import parse_card
from ..cards.record import ModelCard
from ..cards.repo_link import parse_repo_link
from ..cards.uid import check_uid
from ..cards.usage import format_call
from ..errors import CardError, CardWriteError
from ..fetch.assets import file_sha256
from ..fetch.diskio import write_atomically
from ..weights.checkpoint import read_checkpoint

# The hub's field order (its template and the public catalog's cards).
FIELD_ORDER = ("model-name", "backbone-name", "module-type", "fine-tunable", "model-version", "train-dataset",
               "evaluation", "author", "update-time", "repo-link", "user-id", "used-for", "train-backend",
               "mindspore-version", "asset", "license", "summary")


@dataclass
class NewCard:
    uid: str
    checkpoint: Path
    asset_link: str
    repo_link: str
    model_name: str | None = None
    backbone_name: str | None = None
    module_type: str | None = None
    dataset: str | None = None
    evaluation: str | None = None
    used_for: str = "inference"
    train_backend: str | None = None
    author: str | None = None
    user_id: str | None = None
    license: str = "Apache2.0"
    summary: str | None = None
    fine_tunable: bool = True
    model_version: str | None = None
    update_time: str | None = None
    file_format: str = "ckpt"
    arguments: dict = field(default_factory=dict)  # keywords the network needs (the Usage call's)


@dataclass
class WrittenCard:
    path: Path
    card: ModelCard
    defaults: list[str]  # "field: value (why)" for every required field the caller did not give
    call: str  # the Usage call
    load_summary: str  # what loading the checkpoint into the network did


def _fields(spec: NewCard, sha256: str) -> tuple[dict, list[str]]:
    parts = spec.uid.split("/")
    publisher, version, stem = parts[0], parts[-2], parts[-1]
    defaults: list[str] = []

    def given(name: str, value, default, why: str):
        if value not in (None, ""):
            return value
        defaults.append(f"{name}: {default} ({why})")
        return default

    model = given("model-name", spec.model_name, stem.split("_")[0], "the uid's name before its first '_'")
    ref = parse_repo_link(spec.repo_link)
    folder_type = next((p for p in (ref.directory.split("/") if ref and ref.directory else [])
                        if p in card_rules.MODULE_TYPES), None)
    module_type = given("module-type", spec.module_type, folder_type or "other",
                        "from the repo-link's path" if folder_type else "the repo-link's path names no type")
    dataset = spec.dataset
    if dataset is None and "_" in stem and stem.split("_", 1)[1] in card_rules.valid_train_datasets():
        dataset = given("train-dataset", None, stem.split("_", 1)[1], "the uid's name after its first '_'")
    fields = {
        "model-name": model,
        "backbone-name": given("backbone-name", spec.backbone_name, model, "the model name"),
        "module-type": module_type,
        "fine-tunable": spec.fine_tunable,
        "model-version": given("model-version", spec.model_version, version, "the uid's MindSpore version"),
        "train-dataset": dataset,
        "evaluation": spec.evaluation,
        "author": given("author", spec.author, publisher, "the uid's publisher"),
        "update-time": given("update-time", spec.update_time, datetime.date.today().isoformat(), "today"),
        "repo-link": f"<{spec.repo_link}>",
        "user-id": given("user-id", spec.user_id, publisher, "the uid's publisher"),
        "used-for": spec.used_for,
        "train-backend": spec.train_backend,
        "mindspore-version": version,
        "asset": [{"file-format": spec.file_format, "asset-link": f"<{spec.asset_link}>", "asset-sha256": sha256}],
        "license": spec.license,
        "summary": given("summary", spec.summary, f"{model} is used for {module_type.split('-')[0]}",
                         "the hub's usual summary"),
    }
    return {k: fields[k] for k in FIELD_ORDER if fields[k] not in (None, "")}, defaults


def render(uid: str, fields: dict, call: str) -> str:
    """The card's text: front matter in the hub's layout, Introduction and Usage."""
    lines = [f"# {fields['model-name']}", "", "---", ""]
    for key, value in fields.items():
        if key == "asset":
            lines += ["asset:", ""]
            for asset in value:
                lines += ["-"] + [f"    {k}: {v}" for k, v in asset.items()]
            lines.append("")
            continue
        lines += [f"{key}: {value}", ""]
    lines += ["---", "", "## Introduction", "",
              f"This MindSpore Hub model is {fields['model-name']} ({fields['module-type']}), built by the code at "
              f"{fields['repo-link'].strip('<>')}" + (f" and trained on {fields['train-dataset']}."
                                                        if "train-dataset" in fields else "."), "",
              "## Usage", "", "```python", "import mindspore_hub as mshub", "", f'model = "{uid}"',
              f"network = {call}", "network.set_train(False)", "```", ""]
    return "\n".join(lines)


def write_card(spec: NewCard, out: Path, overwrite: bool = False, build: bool = True,
               trust_repo: bool = False) -> WrittenCard:
    """Write ``out/<uid>.md`` (see the module docstring); ``build`` False skips the network check;
    ``trust_repo``: the repo-link may be a repository other than MindSpore's (its code runs here)."""
    from ..loader import build_and_load

    check_uid(spec.uid)
    if len(spec.uid.split("/")) < 3:
        raise CardWriteError(f"uid {spec.uid!r}: expected PUBLISHER/VERSION/NAME, e.g. mindspore/1.9/lenet_mnist")
    target = out.joinpath(*spec.uid.split("/")).with_suffix(".md")
    if target.exists() and not overwrite:
        raise CardWriteError(f"{target} exists; pass --force to replace it")
    if not spec.checkpoint.is_file():
        raise CardWriteError(f"checkpoint {spec.checkpoint} is not a file")
    if parse_repo_link(spec.repo_link) is None:
        raise CardWriteError(f"--repo-link {spec.repo_link!r} names no code directory (expected e.g. "
                             "https://gitee.com/mindspore/models/tree/r1.9/official/cv/lenet)")
    fields, defaults = _fields(spec, file_sha256(spec.checkpoint))
    kwargs = dict(spec.arguments)
    card = _parsed(spec.uid, render(spec.uid, fields, format_call((), kwargs)))
    summary = "network not built (--no-build)"
    if build:
        loaded = build_and_load(card, (), kwargs, lambda: (read_checkpoint(spec.checkpoint), str(spec.checkpoint)),
                                trust_repo=trust_repo)
        kwargs.update(loaded.built.extra_kwargs)
        report = loaded.report
        if report.fresh:
            raise CardWriteError(f"checkpoint {spec.checkpoint} does not fit the network {spec.repo_link} builds "
                                 f"({type(loaded.network).__name__}): {report.summary()}")
        summary = report.summary()
    call = format_call((), kwargs)
    text = render(spec.uid, fields, call)
    card = _parsed(spec.uid, text)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(target, text.encode("utf-8"))
    return WrittenCard(target, card, defaults, call, summary)


def _parsed(uid: str, text: str) -> ModelCard:
    """The card as the hub's checker reads it; a rejected card is an error naming the field."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder).joinpath(*uid.split("/")).with_suffix(".md")
        path.parent.mkdir(parents=True)
        path.write_text(text, encoding="utf-8")
        try:
            return parse_card(path, uid=uid, root=Path(folder))
        except CardError as exc:
            raise CardWriteError(f"the card for {uid} would be rejected: field {exc.field or '-'}: "
                                 f"{exc.message}") from None
