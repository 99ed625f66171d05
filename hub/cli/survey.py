"""``loadable``: which cards' networks build here, by route, and why the others do not; with ``--run``,
which of them run on their example inputs."""
from __future__ import annotations

import argparse
import json
import re

from .options import add_jobs, catalog_of, check_jobs, with_catalog


def cmd_loadable(args) -> int:
    from ..survey import LoadabilityReport, merge_reports, print_report, survey

    if args.merge:
        report: LoadabilityReport = merge_reports(args.merge)
    else:
        check_jobs(args)
        report = survey(catalog_of(args), pattern=args.pattern, isolated=args.isolated, jobs=args.jobs,
                        progress=not args.quiet, pretrained_shapes=args.pretrained_shapes,
                        run_timeout=args.run_timeout if args.run else None, shard=args.shard,
                        worker_memory_mb=args.worker_memory, preprocessing=args.preprocessing)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        print_report(report, verbose=args.verbose)
    return 0


def shard(text: str) -> tuple[int, int]:
    """``K/N`` with 1 <= K <= N: the K-th of N shares."""
    match = re.fullmatch(r"(\d+)/(\d+)", text)
    if not match or not 1 <= int(match[1]) <= int(match[2]):
        raise argparse.ArgumentTypeError(f"expected K/N with 1 <= K <= N (e.g. 1/4), got {text!r}")
    return int(match[1]), int(match[2])


def positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number above 0, got {text!r}")
    return int(text)


def positive_seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0.0
    if seconds <= 0:
        raise argparse.ArgumentTypeError(f"expected a number of seconds above 0, got {text!r}")
    return seconds


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
    p.add_argument("--preprocessing", action="store_true",
                   help="also read each built card's eval preprocessing (hub.preprocess) and count its labels")
    p.add_argument("--run", action="store_true",
                   help="also build each network that builds with real initial weights in a child process and "
                        "call it on its example inputs: ran, forward-failed (with a class), timeout, no-inputs")
    p.add_argument("--run-timeout", type=positive_seconds, default=120, metavar="SECONDS",
                   help="with --run: the time one forward pass may take (default 120)")
    p.add_argument("--worker-memory", type=positive_int, default=None, metavar="MIB",
                   help="with --jobs above 1: a worker holding more than this after a code directory is replaced "
                        "by a fresh one (default 1280)")
    p.add_argument("--shard", type=shard, metavar="K/N",
                   help="only the K-th of N shares of the cards, split by code directory (for a CI matrix)")
    p.add_argument("--merge", nargs="+", metavar="REPORT.json",
                   help="no survey: one report from the --json reports of several runs (e.g. the shards)")
    p.add_argument("--json", action="store_true", help="the report as JSON: the only thing on stdout")
    p.add_argument("--verbose", action="store_true", help="list every failure")
    p.set_defaults(func=cmd_loadable)
