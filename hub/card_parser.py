"""Model card file -> ``ModelCard``, validated by the rules of the card format.

YAML is read with safe loading only: a tag such as ``!!python/object`` is reported as an error and
never constructed. Every error names the file, the field and, where there is one, the line.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from . import card_rules as rules
from .card import Asset, Metric, ModelCard
from .errors import CardError

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~15x faster
_METRIC = re.compile(r"^(?P<name>.*?[^\d.\-+\s])\s*(?P<value>[-+]?\d+(?:\.\d+)?)\s*%?$")
_HEADING = re.compile(r"^#{1,6}\s+(?P<title>.+?)\s*#*\s*$")
TWIN_SUFFIX = "_cn"


def uid_from_path(path: Path) -> str:
    """The uid a card file outside any catalog gets: its last three path parts, without ``.md``."""
    parts = list(path.parts[-3:])
    parts[-1] = card_stem(path)
    return "/".join(parts)


def card_stem(path: Path) -> str:
    """File name without ``.md`` and without the ``_cn`` of a Chinese twin."""
    stem = path.name[:-3] if path.name.endswith(".md") else path.stem
    return stem[: -len(TWIN_SUFFIX)] if stem.endswith(TWIN_SUFFIX) else stem


def parse_evaluation(text: str) -> tuple[Metric, ...]:
    """``top1acc82.2 | top5acc95.74`` -> two metrics; parts not of the form name+number keep value None."""
    text = text.strip()
    if not text or text == rules.NO_EVALUATION:
        return ()
    metrics = []
    for part in (p.strip() for p in text.split("|")):
        if not part:
            continue
        match = _METRIC.match(part)
        if match:
            metrics.append(Metric(match["name"].strip(), float(match["value"]), part))
        else:
            metrics.append(Metric(part, None, part))
    return tuple(metrics)


def _strip_link(value: str) -> str:
    value = value.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1].strip()
    return value


def _split_front_matter(path: Path, text: str) -> tuple[str, int, str | None, str]:
    """(YAML text, file line of its first line, title, prose body)."""
    lines = text.splitlines(keepends=True)
    fences = [i for i, line in enumerate(lines) if line.startswith("---")]
    if not fences:
        raise CardError(path, None, "no front matter: expected YAML between two lines starting with '---'")
    if len(fences) < 2:
        raise CardError(path, None, "front matter is not closed: only one line starts with '---'",
                        fences[0] + 1)
    start, end = fences[0], fences[1]
    title = None
    for line in lines[:start]:
        match = _HEADING.match(line.strip())
        if match:
            title = match["title"]
            break
    body = "".join(lines[:start] + lines[end + 1:]).strip()
    return "".join(lines[start + 1:end]), start + 2, title, body


_TOP_KEY = re.compile(r"^([A-Za-z][\w-]*)\s*:")


def _field_at(yaml_text: str, line: int) -> str | None:
    """The top-level field whose lines include ``line`` (0-based) of the front matter."""
    for text in reversed(yaml_text.splitlines()[: line + 1]):
        match = _TOP_KEY.match(text)
        if match:
            return match[1]
    return None


class _Fields:
    """The front matter's top-level fields as YAML nodes, with helpers that report file and line."""

    def __init__(self, path: Path, text: str, first_line: int) -> None:
        self.path = path
        self.first_line = first_line
        self.loader = _Loader(text)
        try:
            root = self.loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = first_line + mark.line if mark else None
            problem = exc.problem or exc.context or "syntax error"
            field = _field_at(text, mark.line) if mark else None
            raise CardError(path, field, f"invalid YAML in front matter: {problem}", line) from None
        except yaml.YAMLError as exc:
            raise CardError(path, None, f"invalid YAML in front matter: {exc}") from None
        if root is None:
            raise CardError(path, None, "front matter is empty", first_line)
        if not isinstance(root, yaml.MappingNode):
            raise CardError(path, None, "front matter must be a mapping of 'field: value' lines",
                            self.line_of(root))
        self.nodes: dict[str, yaml.Node] = {}
        for key_node, value_node in root.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise CardError(path, None, "field names must be plain text", self.line_of(key_node))
            key = key_node.value
            if key in self.nodes:
                raise CardError(path, key, f"appears twice (first on line {self.line_of(self.nodes[key])})",
                                self.line_of(key_node))
            self.nodes[key] = value_node
        self.values = {key: self._construct(key, node) for key, node in self.nodes.items()}

    def line_of(self, node: yaml.Node) -> int:
        return self.first_line + node.start_mark.line

    def error(self, field: str, message: str, node: yaml.Node | None = None) -> CardError:
        node = node if node is not None else self.nodes.get(field)
        return CardError(self.path, field, message, self.line_of(node) if node is not None else None)

    def _construct(self, key: str, node: yaml.Node):
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as exc:
            bad = exc.problem_mark
            line = self.first_line + bad.line if bad else self.line_of(node)
            raise CardError(self.path, key, f"{exc.problem} (cards are read with YAML safe loading; "
                            "tags such as !!python/object are not allowed)", line) from None

    def text_or_none(self, key: str) -> str | None:
        node = self.nodes.get(key)
        if node is None or self.values[key] is None:
            return None
        if not isinstance(node, yaml.ScalarNode):
            raise self.error(key, "must be a single value, not a list or mapping")
        return node.value.strip()

    def text(self, key: str) -> str:
        """A required text field, exactly as written (so ``1.10`` stays ``1.10``, not 1.1)."""
        if key not in self.nodes:
            raise CardError(self.path, key, "required field is missing")
        value = self.text_or_none(key)
        if not value:
            raise self.error(key, "required field is empty")
        return value


def _choices(fields: _Fields, key: str, allowed: tuple[str, ...], sep: str = "/") -> tuple[str, ...]:
    value = fields.text_or_none(key)
    if value is None:
        return ()
    items = tuple(item.strip().lower() for item in value.split(sep))
    for item in items:
        if item not in allowed:
            raise fields.error(key, f"'{item}' is not one of {', '.join(allowed)} ('{sep}'-separated)")
    return items


def _bool(fields: _Fields, key: str, required: bool) -> bool | None:
    if key not in fields.nodes:
        if required:
            raise CardError(fields.path, key, "required field is missing")
        return None
    value = fields.values[key]
    if not isinstance(value, bool):
        raise fields.error(key, f"must be a boolean (True or False), got {fields.nodes[key].value!r}")
    return value


def _url(fields: _Fields, key: str, value: str, node: yaml.Node | None = None) -> str:
    url = _strip_link(value)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise fields.error(key, f"'{value}' is not an http(s) URL", node)
    return url


def _module_type(fields: _Fields) -> tuple[str, str | None]:
    value = fields.text("module-type")
    items = value.lower().split("-")
    if len(items) > 2:
        raise fields.error("module-type", f"'{value}' has more than one '-': use '<type>-<detail>'")
    if items[0] not in rules.MODULE_TYPES:
        raise fields.error("module-type", f"'{items[0]}' is not one of {', '.join(rules.MODULE_TYPES)}")
    if len(items) == 2 and not items[1]:
        raise fields.error("module-type", f"'{value}' has an empty detail after '-'")
    detail = value.split("-", 1)[1] if len(items) == 2 else None
    return items[0], detail


def _train_datasets(fields: _Fields) -> tuple[str, ...]:
    value = fields.text_or_none("train-dataset")
    if not value:
        return ()
    names = tuple(value.split("_"))
    valid = rules.valid_train_datasets()
    for name in names:
        if name not in valid:
            raise fields.error("train-dataset", f"unknown dataset '{name}' in '{value}' (names are "
                               "'_'-separated and must be in the hub's list of valid train datasets)")
    return names


def _asset_entry(fields: _Fields, node: yaml.Node) -> dict[str, str]:
    """One asset entry's keys and values as written (a sha256 of digits only must not become an int)."""
    if not isinstance(node, yaml.MappingNode):
        raise fields.error("asset", "each entry must be a mapping with file-format, asset-link and "
                           "asset-sha256", node)
    entry = {}
    for key_node, value_node in node.value:
        if not isinstance(value_node, yaml.ScalarNode):
            raise fields.error(f"asset.{key_node.value}", "must be a single value", value_node)
        entry[str(key_node.value)] = value_node.value.strip()
    return entry


def _assets(fields: _Fields) -> tuple[Asset, ...]:
    node = fields.nodes.get("asset")
    if node is None or fields.values.get("asset") is None:
        return ()
    if not isinstance(node, yaml.SequenceNode):
        raise fields.error("asset", "must be a list of entries with file-format, asset-link and asset-sha256")
    assets = []
    for entry_node in node.value:
        entry = _asset_entry(fields, entry_node)
        for key in rules.ASSET_KEYS:
            if not entry.get(key):
                raise fields.error(f"asset.{key}", "required in every asset entry", entry_node)
        file_format = entry["file-format"].lower()
        if file_format not in rules.FILE_FORMATS:
            raise fields.error("asset.file-format", f"'{entry['file-format']}' is not one of "
                               f"{', '.join(rules.FILE_FORMATS)}", entry_node)
        sha256 = entry["asset-sha256"]
        if not rules.SHA256.match(sha256):
            raise fields.error("asset.asset-sha256", f"'{sha256}' is not 64 hexadecimal digits", entry_node)
        url = _url(fields, "asset.asset-link", entry["asset-link"], entry_node)
        assets.append(Asset(file_format, url, sha256.lower()))
    return tuple(assets)


def _no_extra_colons(fields: _Fields) -> None:
    for key, node in fields.nodes.items():
        if key in rules.COLON_ALLOWED or fields.values[key] is None:
            continue
        shown = node.value if isinstance(node, yaml.ScalarNode) else str(fields.values[key])
        if ":" in shown:
            raise fields.error(key, f"value {shown!r} contains ':'; only "
                               f"{', '.join(rules.COLON_ALLOWED)} may (quote-free YAML would misread it)")


def parse_card(path: str | Path, uid: str | None = None, text: str | None = None) -> ModelCard:
    """Read and validate one card; raises ``CardError`` naming the file, field and line of a problem."""
    path = Path(path)
    if text is None:
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CardError(path, None, f"not UTF-8 text (byte {exc.start})") from None
        except OSError as exc:
            raise CardError(path, None, f"cannot be read: {exc.strerror or exc}") from None
    yaml_text, first_line, title, body = _split_front_matter(path, text)
    fields = _Fields(path, yaml_text, first_line)
    try:
        for key in rules.REQUIRED_FIELDS:
            if key not in fields.nodes:
                raise CardError(path, key, "required field is missing")
        module_type, module_detail = _module_type(fields)
        accuracy = fields.values.get("accuracy")
        if "accuracy" in fields.nodes and (isinstance(accuracy, bool) or not isinstance(accuracy, (int, float))):
            raise fields.error("accuracy", f"must be a number, got {fields.nodes['accuracy'].value!r}")
        input_shape = fields.values.get("input-shape")
        if input_shape is not None and not isinstance(input_shape, list):
            raise fields.error("input-shape", "must be a list such as [224, 224, 3]")
        _no_extra_colons(fields)
        evaluation_text = fields.text_or_none("evaluation")
        known = set(rules.REQUIRED_FIELDS) | {
            "model-name", "train-dataset", "evaluation", "asset", "accuracy", "allow-cache-ckpt",
            "train-backend", "infer-backend", "featured-image", "input-shape"}
        extra = tuple((k, str(fields.values[k])) for k in fields.nodes if k not in known)
        used_for = _choices(fields, "used-for", rules.USED_FOR)
        if not used_for:
            raise fields.error("used-for", "required field is empty")
        return ModelCard(
            uid=uid or uid_from_path(path),
            path=str(path),
            backbone=fields.text("backbone-name"),
            module_type=module_type,
            module_detail=module_detail,
            fine_tunable=_bool(fields, "fine-tunable", required=True),
            model_version=fields.text("model-version"),
            author=fields.text("author"),
            update_time=fields.text("update-time"),
            repo_link=_url(fields, "repo-link", fields.text("repo-link")),
            user_id=fields.text("user-id"),
            used_for=used_for,
            mindspore_version=fields.text("mindspore-version"),
            license=fields.text("license"),
            summary=fields.text("summary"),
            model_name=fields.text_or_none("model-name") or None,
            train_datasets=_train_datasets(fields),
            evaluation=parse_evaluation(evaluation_text or ""),
            evaluation_text=evaluation_text,
            assets=_assets(fields),
            accuracy=float(accuracy) if accuracy is not None else None,
            allow_cache_ckpt=_bool(fields, "allow-cache-ckpt", required=False),
            train_backends=_choices(fields, "train-backend", rules.BACKENDS),
            infer_backends=_choices(fields, "infer-backend", rules.BACKENDS),
            input_shape=tuple(input_shape) if input_shape is not None else None,
            featured_image=fields.text_or_none("featured-image") or None,
            language="zh" if path.name.endswith(TWIN_SUFFIX + ".md") else "en",
            title=title,
            body=body,
            extra=extra,
        )
    finally:
        fields.loader.dispose()
