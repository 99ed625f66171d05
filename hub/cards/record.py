"""Typed, immutable records for model cards."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from .rules import SHA256_HEX_DIGITS

if TYPE_CHECKING:
    from .findings import Finding


@dataclass(frozen=True)
class Metric:
    """One evaluation result: ``acc37.56`` -> name 'acc', value 37.56 (value None if not of that form)."""

    name: str
    value: float | None
    text: str


@dataclass(frozen=True)
class Asset:
    """A published file of a model: its format (ckpt, mindir, ...), URL and expected sha256.

    ``sha256`` is lower-case hex: the full 64 digits, or, as MindCV and MindYOLO publish, a prefix of
    at least 8 digits (the same digits are in their file names). A prefix is checked as a prefix, as
    torch.hub does: a weaker check, which every message about it says.
    """

    file_format: str
    url: str
    sha256: str

    @property
    def file_name(self) -> str:
        """The last path segment of the URL: the name the file gets in the cache."""
        return unquote(urlsplit(self.url).path.rstrip("/").rsplit("/", 1)[-1])

    @property
    def is_prefix(self) -> bool:
        return len(self.sha256) < SHA256_HEX_DIGITS

    def matches(self, sha256: str) -> bool:
        """Whether a file whose full sha256 is ``sha256`` is this asset."""
        return sha256.lower().startswith(self.sha256) if self.is_prefix else sha256.lower() == self.sha256

    def describe_check(self) -> str:
        """How a file is checked against this asset, for progress and verification messages."""
        if self.is_prefix:
            return f"sha256 prefix {self.sha256} ({len(self.sha256)} of {SHA256_HEX_DIGITS} hex digits: a prefix check)"
        return f"sha256 {self.sha256}"


@dataclass(frozen=True)
class ModelCard:
    """What a card says, with the field names of the card format turned into Python names."""

    uid: str
    path: str
    backbone: str
    module_type: str
    module_detail: str | None
    fine_tunable: bool
    model_version: str
    author: str
    update_time: str
    repo_link: str
    user_id: str
    used_for: tuple[str, ...]
    mindspore_version: str
    license: str
    summary: str
    model_name: str | None = None
    train_datasets: tuple[str, ...] = ()
    evaluation: tuple[Metric, ...] = ()
    evaluation_text: str | None = None
    assets: tuple[Asset, ...] = ()
    accuracy: float | None = None
    allow_cache_ckpt: bool | None = None
    train_backends: tuple[str, ...] = ()
    infer_backends: tuple[str, ...] = ()
    input_shape: tuple | None = None
    featured_image: str | None = None
    language: str = "en"
    title: str | None = None
    body: str = ""
    extra: tuple[tuple[str, str], ...] = field(default=())
    warnings: tuple[Finding, ...] = field(default=(), compare=False, repr=False)

    @property
    def stem(self) -> str:
        """The uid's last part: also the name of the ``hubconf.py`` entry that builds the network."""
        return self.uid.rsplit("/", 1)[-1]

    @property
    def ckpt(self) -> Asset | None:
        """The checkpoint used for loading: the last asset whose format is ckpt, as the hub picks it."""
        for asset in reversed(self.assets):
            if asset.file_format == "ckpt":
                return asset
        return None

    @property
    def formats(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a.file_format for a in self.assets))

    def to_dict(self) -> dict:
        """A JSON-ready view (used by ``hub info --json`` and ``hub list --format json``)."""
        return {
            "uid": self.uid, "path": self.path, "model_name": self.model_name, "backbone": self.backbone,
            "module_type": self.module_type, "module_detail": self.module_detail,
            "fine_tunable": self.fine_tunable, "model_version": self.model_version,
            "mindspore_version": self.mindspore_version, "train_datasets": list(self.train_datasets),
            "evaluation": [{"name": m.name, "value": m.value, "text": m.text} for m in self.evaluation],
            "author": self.author, "update_time": self.update_time, "repo_link": self.repo_link,
            "user_id": self.user_id, "used_for": list(self.used_for), "license": self.license,
            "summary": self.summary, "accuracy": self.accuracy, "allow_cache_ckpt": self.allow_cache_ckpt,
            "train_backends": list(self.train_backends), "infer_backends": list(self.infer_backends),
            "input_shape": self.input_shape, "featured_image": self.featured_image,
            "assets": [{"file_format": a.file_format, "url": a.url, "sha256": a.sha256} for a in self.assets],
            "language": self.language,
            "warnings": [w.to_dict() for w in self.warnings],
        }
