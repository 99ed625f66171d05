"""Model card file -> ``ModelCard``, with the hub's verdict: an error exactly where the hub's own checker
rejects the card, and warnings for what else a maintainer should know.

Errors (``CardError``) follow the rules of the format document in the hub's order, on the values the
hub's YAML loading gives. Beyond them one rule is ours and is also an error: an ``asset-sha256`` that is
not 8 to 64 hex digits, since such an asset cannot be verified at all. Warnings (``Finding``) never
reject a card: a digest that is only a prefix, ``http://`` or malformed links, asset hosts the fetcher
will refuse, repeated or empty fields, and so on.

YAML is read with safe loading only: a tag such as ``!!python/object`` is an error, never constructed.
A ``*_cn.md`` card (a Chinese twin) is judged by its English card, as the hub judges it.
"""
from __future__ import annotations

import dataclasses
import numbers
import re
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from .. import settings, trust
from ..errors import CardError
from . import rules
from .file import check_card_file, read_card_text
from .findings import Finding
from .front_matter import FrontMatter, Sections, split_card, split_lines
from .record import Asset, Metric, ModelCard

_METRIC = re.compile(r"^(?P<name>.*?[^\d.\-+\s])\s*(?P<value>[-+]?\d+(?:\.\d+)?)\s*%?$")
TWIN_SUFFIX = "_cn"
_KNOWN = set(rules.REQUIRED_FIELDS) | set(rules.OPTIONAL_FIELDS)


def uid_from_path(path: Path) -> str:
    """The uid a card file outside any catalog gets: its last three path parts, without ``.md``."""
    parts = list(path.parts[-3:])
    parts[-1] = card_stem(path)
    return "/".join(parts)


def card_stem(path: Path) -> str:
    """File name without ``.md`` and without the ``_cn`` of a Chinese twin."""
    stem = path.name[:-3] if path.name.endswith(".md") else path.stem
    return stem[: -len(TWIN_SUFFIX)] if stem.endswith(TWIN_SUFFIX) else stem


def is_twin(path: Path) -> bool:
    return path.name.endswith(TWIN_SUFFIX + ".md")


def english_card_of(twin: Path) -> Path:
    """``x_cn.md`` -> ``x.md`` in the same directory."""
    return twin.with_name(twin.name[: -len(TWIN_SUFFIX + ".md")] + ".md")


def parse_evaluation(text: str) -> tuple[Metric, ...]:
    """``top1acc82.2 | top5acc95.74`` -> two metrics; parts not of the form name+number keep value None."""
    text = text.strip()
    if not text or text == "-":
        return ()
    metrics = []
    for part in (p.strip() for p in text.split("|")):
        if not part:
            continue
        match = _METRIC.match(part)
        metrics.append(Metric(match["name"].strip(), float(match["value"]), part) if match else
                       Metric(part, None, part))
    return tuple(metrics)


def parse_card(path: str | Path, uid: str | None = None, text: str | None = None,
               root: Path | None = None) -> ModelCard:
    """Read and check one card; raises ``CardError`` (file, field, line, rule) if the hub rejects it.

    ``root`` is the catalog directory the card was found in: the card must resolve inside it.
    """
    path = Path(path)
    if is_twin(path):
        return _parse_twin(path, uid, root)
    if text is None:
        text = read_card_text(path, root)
    sections = split_card(path, text)
    return _CardBuilder(FrontMatter(path, sections), sections, uid or uid_from_path(path)).build()


def _parse_twin(twin: Path, uid: str | None, root: Path | None) -> ModelCard:
    """A Chinese twin has the verdict and record of its English card, and its own prose."""
    english = english_card_of(twin)
    check_card_file(twin, root)
    if not english.exists():
        raise CardError(twin, None, f"Chinese twin without its English card: {english} does not exist "
                        "(the hub judges x_cn.md by x.md)", rule="twin")
    try:
        card = parse_card(english, uid, root=root)
    except CardError as exc:
        raise CardError(twin, exc.field, f"judged by its English card, which is rejected: {exc}",
                        rule="twin") from None
    lines = split_lines(read_card_text(twin, root))
    fences = [i for i, line in enumerate(lines) if line.startswith("---")]
    body = "".join(lines[fences[1] + 1:] if len(fences) >= 2 else lines).strip()
    return dataclasses.replace(card, path=str(twin), language="zh", body=body, warnings=())


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value).strip()


class _CardBuilder:
    """Applies the rules to one front matter: raises the first error, collects every warning."""

    def __init__(self, fm: FrontMatter, sections: Sections, uid: str) -> None:
        self.fm = fm
        self.data: dict = fm.data
        self.sections = sections
        self.uid = uid
        self.warnings: list[Finding] = []

    # -- helpers -------------------------------------------------------------------------------------
    def warn(self, rule: str, key: str | None, message: str, node: yaml.Node | None = None) -> None:
        line = self.fm.line_of(node) if node is not None else (self.fm.line(key) if key else None)
        self.warnings.append(Finding.warning(rule, self.fm.path, key, message, line))

    def text(self, key: str) -> str:
        """A field as written when it is a scalar (``1.10`` stays ``1.10``), else the loaded value as text."""
        raw = self.fm.raw(key)
        if raw is not None and self.data.get(key) is not None:
            return raw
        return _text(self.data.get(key))

    def choices(self, key: str, allowed: tuple[str, ...], rule: str) -> tuple[str, ...]:
        """``/``-separated values, compared lower-cased and unstripped, as the hub compares them."""
        value = self.data.get(key)
        if not isinstance(value, str):
            raise self.fm.error(key, f"must be '/'-separated values from {', '.join(allowed)}, got {value!r}", rule)
        items = tuple(item.lower() for item in value.split("/"))
        for item in items:
            if item not in allowed:
                raise self.fm.error(key, f"'{item}' is not one of {', '.join(allowed)} ('/'-separated)", rule)
        return items

    # -- the hub's rules, in its order ----------------------------------------------------------------
    def build(self) -> ModelCard:
        module_type, module_detail = self.module_type()
        for key in rules.REQUIRED_FIELDS:
            if key not in self.data:
                raise CardError(self.fm.path, key, "required field is missing", rule="required-field")
        fine_tunable = self.boolean("fine-tunable")
        repo_link = self.link("repo-link", self.data.get("repo-link"))
        train_datasets = self.train_datasets()
        used_for = self.choices("used-for", rules.USED_FOR, "used-for")
        if module_type not in rules.MODULE_TYPES:
            raise self.fm.error("module-type", f"'{module_type}' is not one of {', '.join(rules.MODULE_TYPES)} "
                                "(the part before the first '-')", "module-type")
        assets = self.assets()
        accuracy = self.accuracy()
        allow_cache_ckpt = self.boolean("allow-cache-ckpt") if "allow-cache-ckpt" in self.data else None
        train_backends = (self.choices("train-backend", rules.BACKENDS, "train-backend")
                          if "train-backend" in self.data else ())
        self.no_extra_colons()
        self.check_beyond_the_hub()
        return ModelCard(
            uid=self.uid, path=str(self.fm.path), backbone=self.text("backbone-name"), module_type=module_type,
            module_detail=module_detail, fine_tunable=fine_tunable, model_version=self.text("model-version"),
            author=self.text("author"), update_time=self.text("update-time"), repo_link=repo_link,
            user_id=self.text("user-id"), used_for=used_for, mindspore_version=self.text("mindspore-version"),
            license=self.text("license"), summary=self.text("summary"),
            model_name=self.text("model-name") or None, train_datasets=train_datasets,
            evaluation=self.evaluation(), evaluation_text=self.evaluation_text(), assets=assets,
            accuracy=accuracy, allow_cache_ckpt=allow_cache_ckpt, train_backends=train_backends,
            infer_backends=self.infer_backends(), input_shape=self.input_shape(),
            featured_image=self.text("featured-image") or None, title=self.sections.title, body=self.sections.body,
            extra=tuple((str(k), _text(v)) for k, v in self.data.items() if k not in _KNOWN),
            warnings=tuple(self.warnings))

    def module_type(self) -> tuple[str, str | None]:
        """Split once on the first '-': ``cv-super-resolution`` is type cv, detail super-resolution."""
        if "module-type" not in self.data:
            raise CardError(self.fm.path, "module-type", "required field is missing", rule="required-field")
        value = self.data["module-type"]
        if not isinstance(value, str):
            raise self.fm.error("module-type", f"must be text such as cv or cv-detection, got {value!r}",
                                "module-type")
        kind, _, detail = value.partition("-")
        return kind.lower(), (detail if "-" in value else None)

    def boolean(self, key: str) -> bool:
        value = self.data.get(key)
        if not isinstance(value, bool):
            raise self.fm.error(key, f"must be a boolean (True or False), got {self.fm.raw(key) or value!r}",
                                "boolean")
        return value

    def link(self, key: str, value, node: yaml.Node | None = None) -> str:
        """A link as the hub reads it (``<...>`` stripped); only its type is the hub's rule."""
        if value is None:
            return ""
        if not isinstance(value, str):
            raise self.fm.error(key, f"must be a link such as <https://...>, got {value!r}", "link", node)
        url = value.strip().strip("<>").strip()
        if not url:
            return ""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            self.warn("link", key, f"{value!r} is not an http(s) URL", node)
        elif parts.scheme == "http":
            self.warn("http-link", key, f"{url} is plain http: use https", node)
        return url

    def train_datasets(self) -> tuple[str, ...]:
        value = self.data.get("train-dataset")
        if not value:
            return ()
        if not isinstance(value, str):
            raise self.fm.error("train-dataset", f"must be text such as coco2017, got {value!r}", "train-dataset")
        names = tuple(value.split("_"))
        valid = rules.valid_train_datasets()
        for name in names:
            if name not in valid:
                raise self.fm.error("train-dataset", f"unknown dataset '{name}' in '{value}' (names are "
                                    "'_'-separated and must be in the hub's list of valid train datasets)",
                                    "train-dataset")
        return names

    def assets(self) -> tuple[Asset, ...]:
        value = self.data.get("asset")
        if not value:
            return ()
        node = self.fm.nodes.get("asset")
        if not isinstance(value, list):
            raise self.fm.error("asset", "must be a list of entries with file-format, asset-link and asset-sha256",
                                "asset")
        entry_nodes = node.value
        assets = []
        for entry, entry_node in zip(value, entry_nodes):
            if not isinstance(entry, dict):
                raise self.fm.error("asset", "each entry must be a mapping with file-format, asset-link and "
                                    "asset-sha256", "asset", entry_node)
            for key in rules.ASSET_KEYS:
                if key not in entry:
                    raise self.fm.error(f"asset.{key}", "required in every asset entry", "asset", entry_node)
            url = self.link("asset.asset-link", entry["asset-link"], entry_node)
            file_format = entry["file-format"]
            if not isinstance(file_format, str) or file_format.lower() not in rules.FILE_FORMATS:
                raise self.fm.error("asset.file-format", f"{file_format!r} is not one of "
                                    f"{', '.join(rules.FILE_FORMATS)}", "asset", entry_node)
            assets.append(Asset(file_format.lower(), url, self.digest(entry_node)))
        self.check_assets(assets, entry_nodes)
        return tuple(assets)

    def digest(self, entry_node: yaml.Node) -> str:
        """The digest as written (all-digit prefixes must not become ints): 8 to 64 hex digits, or an error."""
        raw = None
        for key_node, value_node in entry_node.value:  # the last one counts, as in the loaded mapping
            if key_node.value == "asset-sha256":
                raw = value_node.value.strip() if isinstance(value_node, yaml.ScalarNode) else None
        if not raw or not rules.HEX.match(raw) or not \
                rules.MIN_PREFIX_HEX_DIGITS <= len(raw) <= rules.SHA256_HEX_DIGITS:
            raise self.fm.error("asset.asset-sha256", f"{raw!r} is neither a sha256 (64 hex digits) nor a prefix of "
                                f"at least {rules.MIN_PREFIX_HEX_DIGITS} hex digits: the asset cannot be verified",
                                "asset-sha256", entry_node)
        if len(raw) < rules.SHA256_HEX_DIGITS:
            self.warn("weak-checksum", "asset.asset-sha256", f"weak checksum, {len(raw)} of "
                      f"{rules.SHA256_HEX_DIGITS} hex digits ({raw}): verified as a prefix", entry_node)
        return raw.lower()

    def accuracy(self) -> float | None:
        if "accuracy" not in self.data:
            return None
        value = self.data["accuracy"]
        if not isinstance(value, numbers.Number):
            raise self.fm.error("accuracy", f"must be a number, got {self.fm.raw('accuracy') or value!r}", "number")
        if isinstance(value, bool):
            self.warn("accuracy", "accuracy", f"is the boolean {value}, not a score")
            return None
        return float(value)

    def no_extra_colons(self) -> None:
        """Every field but repo-link, asset and evaluation: no ':' in the value as the hub prints it."""
        for key, value in self.data.items():
            if key in rules.COLON_ALLOWED:
                continue
            shown = str(value)
            if ":" in shown:
                raise self.fm.error(str(key), f"value {shown!r} contains ':'; only {', '.join(rules.COLON_ALLOWED)} "
                                    "may (quote-free YAML misreads it)", "colon")

    # -- what the hub does not check: warnings only ---------------------------------------------------
    def check_beyond_the_hub(self) -> None:
        for key, key_node in self.fm.repeated:
            self.warn("duplicate-field", key, f"given more than once; the last value (line "
                      f"{self.fm.line(key)}) counts", key_node)
        for key in rules.REQUIRED_FIELDS:
            if self.data.get(key) in (None, ""):
                hint = ": no model zoo code to build the network from" if key == "repo-link" else ""
                self.warn("empty-field", key, f"required field is empty{hint}")

    def check_assets(self, assets: list[Asset], nodes: list[yaml.Node]) -> None:
        seen: dict[str, str] = {}
        for asset, node in zip(assets, nodes):
            if not asset.url:
                self.warn("link", "asset.asset-link", "asset has no link: it cannot be downloaded", node)
                continue
            if not trust.is_trusted(asset.url, endpoint=""):
                self.warn("untrusted-host", "asset.asset-link", f"{asset.url}: the fetcher refuses this host "
                          f"unless {settings.TRUSTED_HOSTS_ENV} or {settings.ENDPOINT_ENV} allows it", node)
            name = asset.file_name
            if not name or name.startswith("."):
                self.warn("asset-file-name", "asset.asset-link", f"{asset.url} has no usable file name", node)
            elif name in seen:
                self.warn("asset-file-name", "asset.asset-link", f"{asset.url} has the same file name as "
                          f"{seen[name]}: their cache files would clash", node)
            seen.setdefault(name, asset.url)

    def infer_backends(self) -> tuple[str, ...]:
        value = self.data.get("infer-backend")
        if value is None:
            return ()
        items = tuple(item.strip().lower() for item in str(value).split("/"))
        bad = [item for item in items if item not in rules.BACKENDS]
        if bad:
            self.warn("infer-backend", "infer-backend", f"{', '.join(map(repr, bad))} not one of "
                      f"{', '.join(rules.BACKENDS)}")
        return items

    def input_shape(self) -> tuple | None:
        value = self.data.get("input-shape")
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, (int, list)) and not isinstance(v, bool)
                                                  for v in value):
            self.warn("input-shape", "input-shape", f"{value!r} is not a list of sizes such as [3, 224, 224]")
            return None
        return tuple(value)

    def evaluation_text(self) -> str | None:
        value = self.data.get("evaluation")
        if value is None or value is False:  # 'evaluation: -' reads as 'evaluation: no'
            return None
        return self.text("evaluation") or None

    def evaluation(self) -> tuple[Metric, ...]:
        value = self.data.get("evaluation")
        if isinstance(value, dict):
            return tuple(Metric(str(k), float(v) if isinstance(v, (int, float)) and not isinstance(v, bool)
                                else None, f"{k} {v}") for k, v in value.items())
        return parse_evaluation(self.evaluation_text() or "")
