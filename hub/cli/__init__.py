"""``python -m hub`` and the ``mshub`` console script: catalog maintenance, checksum audits, downloads,
cache care, the catalog survey, publishing, predictions, demo.

One module per command group, each with ``register(subparsers)``; they parse and print, the work is in
the stage packages."""
from __future__ import annotations

import argparse
import sys

from ..errors import HubError
from . import cache, catalog, predict, publish, site, survey

GROUPS = (catalog, cache, predict, survey, publish, site)
DESCRIPTION = ("catalog maintenance, checksum audits, downloads, cache care, the catalog survey, publishing, "
               "predictions, demo, the catalog site")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m hub", description=DESCRIPTION)
    sub = parser.add_subparsers(dest="command", required=True)
    for group in GROUPS:
        group.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except HubError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except (ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
