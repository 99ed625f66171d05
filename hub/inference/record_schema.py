"""The columns of a MindRecord file as the zoo directory's own writer declares them.

A ``MindDataset`` row holds what the code that wrote the file put there, and a directory that reads a MindRecord
usually ships that code: PredRNN++'s ``data_provider/mnist_to_mindrecord.py`` declares
``{"input_x": {"type": "float32", "shape": [20, 16, 16, 16]}}`` to ``FileWriter.add_schema`` before it writes the
Moving MNIST sequences, already cut into patches. Such a column's rows have that type and shape whatever the data
was, so the eval script's loop can be fed rows of it (``eval_call``) without the file. Only a declaration that is
a literal, numeric, of fixed shape and the same wherever the directory makes it is used.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# MindRecord schema types with a numeric array behind them (``bytes`` and ``string`` have no shape to make)
NUMERIC = {"int32": np.int32, "int64": np.int64, "float32": np.float32, "float64": np.float64}


@dataclass(frozen=True)
class Column:
    """One declared column: its numpy type, its shape (without the batch axis) and where it is declared."""

    name: str
    dtype: str
    shape: tuple[int, ...]
    at: str  # file:line, relative to the directory

    def describe(self) -> str:
        return f"{self.name}: {self.dtype} {list(self.shape)} (declared at {self.at})"

    def zeros(self, batch: int | None) -> np.ndarray:
        shape = self.shape if batch is None else (batch, *self.shape)
        return np.zeros(shape, NUMERIC[self.dtype])


def declared_columns(directory: Path, names: list[str]) -> dict[str, Column]:
    """{name: Column} for each of ``names`` the directory's Python files declare as a MindRecord schema field;
    empty unless every name is declared with a fixed shape, once or alike."""
    found: dict[str, set[tuple[str, tuple[int, ...]]]] = {name: set() for name in names}
    where: dict[str, str] = {}
    for path in sorted(directory.rglob("*.py")):
        try:
            tree = ast.parse(path.read_text(errors="replace"))
        except (SyntaxError, ValueError):
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.Dict):
                continue
            for key, value in zip(node.keys, node.values):
                name = key.value if isinstance(key, ast.Constant) else None
                if name not in found:
                    continue
                field = _field(value)
                if field is not None:
                    found[name].add(field)
                    where.setdefault(name, f"{path.relative_to(directory).as_posix()}:{value.lineno}")
    if any(len(found[name]) != 1 for name in names):  # a column not declared, or declared otherwise elsewhere
        return {}
    columns = {}
    for name in names:
        (dtype, shape), = found[name]
        columns[name] = Column(name, dtype, shape, where[name])
    return columns


def is_count(value) -> bool:
    """A positive int (a bool is not one): a dimension of a shape, a batch's size."""
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _field(node: ast.expr) -> tuple[str, tuple[int, ...]] | None:
    """``{"type": "float32", "shape": [20, 16]}`` as (type, shape); None for anything else (bytes, a shape with
    -1, a value that is not a literal)."""
    if not isinstance(node, ast.Dict):
        return None
    try:
        field = ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, RecursionError):
        return None
    dtype, shape = field.get("type"), field.get("shape")
    if dtype not in NUMERIC or not isinstance(shape, (list, tuple)):
        return None
    if not shape or not all(is_count(s) for s in shape):
        return None
    return dtype, tuple(shape)
