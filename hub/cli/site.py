"""``python -m hub site``: the catalog as a static site (see ``hub.site``)."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .options import with_catalog


def cmd_site(args) -> int:
    try:
        import jinja2  # noqa: F401
        import markdown_it  # noqa: F401

        from ..site import build_site
    except ImportError as exc:
        raise ValueError(f"`hub site` needs the [site] extra ({exc.name} is missing): "
                         "pip install 'mshub-registry[site]'") from None
    start = time.perf_counter()
    result = build_site(Path(args.out), [Path(p) for p in args.catalog] if args.catalog else None,
                        [Path(p) for p in args.loadable or []], Path(args.ledger) if args.ledger else None,
                        args.title, stamp=args.stamp)
    print(f"wrote {result['files']} files ({result['pages']} card pages, {result['cards']} cards; index page and "
          f"data {result['index_bytes'] / 1e6:.2f} MB) to {args.out} in {time.perf_counter() - start:.1f} s",
          file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = with_catalog(sub.add_parser("site", help="the catalog as a static site: verdicts, checksums, loading, "
                                                 "load calls"))
    p.add_argument("--out", required=True, metavar="DIR", help="directory to write the site into")
    p.add_argument("--loadable", action="append", metavar="REPORT.json",
                   help="a `hub loadable --json` report (repeatable; a later report wins per uid)")
    p.add_argument("--ledger", metavar="AUDIT.db", help="the audit ledger of `hub verify --remote --ledger`")
    p.add_argument("--title", default="Model catalog", help="the site's title")
    p.add_argument("--stamp", action="store_true", help="say when the site was built (otherwise no timestamps)")
    p.set_defaults(func=cmd_site)
