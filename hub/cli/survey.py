"""``loadable``: which cards' networks build here, by route, and why the others do not."""
from __future__ import annotations

import argparse
import json

from .options import add_jobs, catalog_of, check_jobs, with_catalog


def cmd_loadable(args) -> int:
    from ..survey import print_report, survey

    check_jobs(args)
    report = survey(catalog_of(args), pattern=args.pattern, isolated=args.isolated, jobs=args.jobs,
                    progress=not args.quiet, pretrained_shapes=args.pretrained_shapes)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        print_report(report, verbose=args.verbose)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = with_catalog(sub.add_parser("loadable", help="which cards' networks build here, by route, and why not"))
    p.add_argument("pattern", nargs="?", help="only uids matching this glob or substring")
    p.add_argument("--isolated", action="store_true",
                   help="also build each card alone in a fresh process, to compare with the shared process")
    add_jobs(p, 1, "worker processes that build cards (1: this process); also fresh processes with --isolated")
    p.add_argument("--quiet", action="store_true", help="no progress bar on stderr")
    p.add_argument("--pretrained-shapes", action="store_true",
                   help="build each network as its card's Usage does and, for checkpoints in the cache, "
                        "say whether it takes the checkpoint whole")
    p.add_argument("--json", action="store_true", help="the report as JSON: the only thing on stdout")
    p.add_argument("--verbose", action="store_true", help="list every failure")
    p.set_defaults(func=cmd_loadable)
