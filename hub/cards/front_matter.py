"""A card's front matter, read the way the hub's own checker reads it, with the line of every field.

The hub splits the file on lines that start with ``---`` (exactly two must exist), reads a line that
contains ``evaluation: -`` as ``evaluation: no``, and loads the YAML between the fences into a dict.
This module does the same with libyaml's safe loader, so the values are those the hub sees (``1.10`` is
the float 1.1, ``True`` a bool, a repeated field keeps its last value), and keeps the YAML nodes so
every error and warning can name its line. Two bounds the hub lacks: anchors and aliases are refused
(none of the public cards uses them, and they make a 1 KB card expand to gigabytes), and nesting
deeper than ``MAX_DEPTH`` is refused (Python's constructor recurses).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from ..errors import CardError

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~15x faster


@lru_cache(maxsize=16384)
def _plain_scalar_tag(value: str) -> str:
    return _BaseLoader.resolve(_RESOLVER, yaml.ScalarNode, value, (True, False))


class _Loader(_BaseLoader):
    """The safe loader with its per-node Python callbacks made cheap (a catalog repeats the same field
    names and values thousands of times); the tags it resolves are the same."""

    def descend_resolver(self, current_node, current_index) -> None:  # no path resolvers are registered
        return None

    def ascend_resolver(self) -> None:
        return None

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode and implicit[0]:  # a plain scalar's tag depends on its text alone
            return _plain_scalar_tag(value)
        return _BaseLoader.resolve(self, kind, value, implicit)


class _PurePythonLoader(yaml.SafeLoader):
    """PyYAML's own pure-Python loader: the second opinion when libyaml rejects a front matter."""


_RESOLVER = yaml.resolver.Resolver()
NO_EVALUATION = "evaluation: -"
NO_EVALUATION_AS = "evaluation: no\n"
MAX_DEPTH = 32
_FENCE_LINE = re.compile(r"^---", re.MULTILINE)
_TITLE = re.compile(r"^[ \t]*#{1,6}[ \t]+(?P<title>[^\n]+?)[ \t]*#*[ \t]*$", re.MULTILINE)
_TOP_KEY = re.compile(r"^([A-Za-z][\w-]*)\s*:")


def split_lines(text: str) -> list[str]:
    """Lines as Python's text-mode file iteration gives them: universal newlines, ends kept, and nothing
    else splits a line (``str.splitlines`` would also split on form feeds and Unicode separators)."""
    parts = _universal(text).split("\n")
    return [part + "\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _universal(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


@dataclass(frozen=True)
class Sections:
    """A card file cut at its two fences: the YAML text (placeholder applied) and the Markdown around it."""

    yaml_text: str
    first_line: int  # file line number of the YAML text's first line
    title: str | None
    body: str


def split_card(path: Path, text: str) -> Sections:
    text = _universal(text)
    fences = [m.start() for m in _FENCE_LINE.finditer(text)]
    if len(fences) != 2:
        numbers = [text.count("\n", 0, at) + 1 for at in fences[:6]]
        where = ", ".join(map(str, numbers[:5])) + (" ..." if len(fences) > 5 else "")
        found = f"{len(fences)} (lines {where})" if fences else "none"
        raise CardError(path, None, f"a card has exactly two lines starting with '---' around its front "
                        f"matter; found {found}", numbers[2] if len(fences) > 2 else None, rule="front-matter")
    start, end = fences
    header_start = text.find("\n", start) + 1 or len(text)
    header_end = end if header_start <= end else header_start
    after = text.find("\n", end)
    header = text[header_start:header_end]
    if NO_EVALUATION in header:
        header = "".join(NO_EVALUATION_AS if NO_EVALUATION in line else line for line in split_lines(header))
    before = text[:start]
    match = _TITLE.search(before)
    body = (before + (text[after + 1:] if after >= 0 else "")).strip()
    return Sections(header, text.count("\n", 0, start) + 2, match["title"].strip() if match else None, body)


def field_at(yaml_text: str, line: int) -> str | None:
    """The top-level field whose lines include ``line`` (0-based) of the front matter."""
    for text in reversed(yaml_text.splitlines()[: line + 1]):
        match = _TOP_KEY.match(text)
        if match:
            return match[1]
    return None


class FrontMatter:
    """The front matter as the hub's dict (``data``) plus each top-level field's key and value nodes."""

    def __init__(self, path: Path, sections: Sections) -> None:
        self.path = path
        self.first_line = sections.first_line
        text = sections.yaml_text
        try:
            root, self.data = self._load(text, _Loader)
        except yaml.YAMLError as exc:
            # The hub loads with PyYAML's pure-Python loader; where libyaml alone objects, its verdict counts.
            if isinstance(exc, yaml.MarkedYAMLError) and "nesting depth" in str(exc.problem):
                raise self._yaml_error(text, exc) from None
            try:
                root, self.data = self._load(text, _PurePythonLoader)
            except RecursionError:
                raise self._yaml_error(text, exc) from None
            except yaml.YAMLError as again:
                raise self._yaml_error(text, again) from None
        if root is None or not self.data:
            raise CardError(path, None, "front matter is empty: no valid YAML header", self.first_line, rule="yaml")
        if not isinstance(root, yaml.MappingNode) or not isinstance(self.data, dict):
            raise CardError(path, None, "front matter must be a mapping of 'field: value' lines",
                            self.line_of(root), rule="yaml")
        self.key_nodes: dict[str, yaml.Node] = {}
        self.nodes: dict[str, yaml.Node] = {}
        self.repeated: list[tuple[str, yaml.Node]] = []  # fields given more than once: the last one counts
        for key_node, value_node in root.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            if key in self.nodes:
                self.repeated.append((key, key_node))
            self.key_nodes[key] = key_node
            self.nodes[key] = value_node

    def _load(self, text: str, loader_class) -> tuple[yaml.Node | None, object]:
        loader = loader_class(text)
        try:
            root = loader.get_single_node()
            if root is None:
                return None, None
            # '*' starts every alias: without one in the text, no node can be reached twice
            return root, _ValueBuilder(loader, self.path, self.first_line, "*" in text).value(root, 1)
        finally:
            loader.dispose()

    def _yaml_error(self, text: str, exc: yaml.YAMLError) -> CardError:
        if not isinstance(exc, yaml.MarkedYAMLError):
            return CardError(self.path, None, f"invalid YAML in front matter: {exc}", rule="yaml")
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "syntax error"
        if isinstance(exc, yaml.constructor.ConstructorError):
            problem += " (cards are read with YAML safe loading; tags such as !!python/object are not allowed)"
        return CardError(self.path, field_at(text, mark.line) if mark else None,
                         f"invalid YAML in front matter: {problem}",
                         self.first_line + mark.line if mark else None, rule="yaml")

    def line_of(self, node: yaml.Node | None) -> int | None:
        return None if node is None else self.first_line + node.start_mark.line

    def line(self, key: str) -> int | None:
        return self.line_of(self.nodes.get(key))

    def raw(self, key: str) -> str | None:
        """A scalar field exactly as written (``1.10`` stays ``1.10``), None when absent or not a scalar."""
        node = self.nodes.get(key)
        if isinstance(node, yaml.ScalarNode):
            return node.value.strip()
        return None

    def error(self, key: str, message: str, rule: str, node: yaml.Node | None = None) -> CardError:
        node = node if node is not None else self.nodes.get(key)
        return CardError(self.path, key, message, self.line_of(node), rule=rule)


_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
_MERGE = "tag:yaml.org,2002:merge"
# Scalar tags whose PyYAML constructor returns the value directly (no generator, no state).
_DIRECT_SCALARS = frozenset("tag:yaml.org,2002:" + t for t in ("bool", "int", "float", "null", "timestamp"))


class _ValueBuilder:
    """Nodes -> the values PyYAML's safe constructor gives, refusing aliases and deep nesting on the way.

    Strings, lists, mappings and the plain scalar types (nearly every node of a card) are built here
    with PyYAML's own scalar constructors, several times faster than its generic machinery; any other
    node (merge keys, sets, binary, explicit tags) goes to PyYAML's constructor as a whole, so the values
    are exactly the hub's.
    """

    def __init__(self, loader, path: Path, first_line: int, may_alias: bool = True) -> None:
        self.loader = loader
        self.constructors = loader.yaml_constructors
        self.path = path
        self.first_line = first_line
        self.seen: set[int] | None = set() if may_alias else None

    def refuse(self, node: yaml.Node, message: str) -> CardError:
        return CardError(self.path, None, message, self.first_line + node.start_mark.line, rule="yaml")

    def visit(self, node: yaml.Node, depth: int) -> None:
        if self.seen is not None:
            if id(node) in self.seen:
                raise self.refuse(node, "YAML anchors and aliases are not allowed in cards (no public card uses "
                                        "them; nested aliases can expand a small file to gigabytes)")
            self.seen.add(id(node))
        if depth > MAX_DEPTH:
            raise self.refuse(node, f"front matter nests deeper than {MAX_DEPTH} levels")

    def value(self, node: yaml.Node, depth: int):
        self.visit(node, depth)
        tag, kind = node.tag, node.__class__
        if kind is yaml.ScalarNode:
            if tag == _STR:
                return node.value
            if tag in _DIRECT_SCALARS:
                return self.constructors[tag](self.loader, node)
        elif kind is yaml.SequenceNode and tag == _SEQ:
            return [self.value(child, depth + 1) for child in node.value]
        elif kind is yaml.MappingNode and tag == _MAP and all(k.tag != _MERGE for k, _ in node.value):
            mapping = {}
            for key_node, value_node in node.value:
                key = self.value(key_node, depth + 1)
                try:
                    hash(key)
                except TypeError:
                    raise self.refuse(key_node, "invalid YAML in front matter: found unhashable key") from None
                mapping[key] = self.value(value_node, depth + 1)
            return mapping
        self.visit_children(node, depth)
        return self.loader.construct_object(node, deep=True)

    def visit_children(self, node: yaml.Node, depth: int) -> None:
        """The alias and depth checks for a subtree that PyYAML's constructor will build."""
        stack = [(node, depth)]
        while stack:
            current, level = stack.pop()
            if current is not node:
                self.visit(current, level)
            if isinstance(current, yaml.SequenceNode):
                stack.extend((child, level + 1) for child in current.value)
            elif isinstance(current, yaml.MappingNode):
                stack.extend((part, level + 1) for pair in current.value for part in pair)
