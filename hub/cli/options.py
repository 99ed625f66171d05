"""Options several command groups share, defined once."""
from __future__ import annotations

import argparse
from pathlib import Path

from ..catalog import Catalog


def with_catalog(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--catalog", action="append", metavar="DIR",
                        help="card directory (repeatable); default: MSHUB_CATALOG, then the bundled assets")
    return parser


def catalog_of(args: argparse.Namespace) -> Catalog:
    return Catalog([Path(p) for p in args.catalog] if args.catalog else None)


def add_jobs(parser: argparse.ArgumentParser, default: int, help: str) -> None:
    parser.add_argument("--jobs", type=int, default=default, help=help)


def check_jobs(args: argparse.Namespace) -> None:
    if args.jobs < 1:
        raise ValueError(f"--jobs must be at least 1, got {args.jobs}")


def add_trust_repo(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--trust-repo", action="store_true", help="allow code from a repository other than MindSpore's")


def keyword(text: str) -> tuple[str, object]:
    """``KEY=VALUE`` with VALUE a Python literal (``num_classes=10``, ``include_top=False``) or a string."""
    import ast

    key, sep, value = text.partition("=")
    if not sep or not key.isidentifier():
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    try:
        return key, ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return key, value
