"""``download`` and ``cache ls | prune``."""
from __future__ import annotations

import argparse
import json
import sys
import time
import warnings

from ..catalog import Catalog
from .options import catalog_of, with_catalog


def cmd_download(args) -> int:
    from ..fetch import DownloadPolicy, fetch_asset

    card = catalog_of(args).resolve(args.name)
    policy = DownloadPolicy(quiet=True) if args.quiet else None
    start = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        path = fetch_asset(card, force=args.force, policy=policy)
    for warning in caught:
        print(f"warning: {warning.message}", file=sys.stderr)
    print(path)
    print(f"verified {card.ckpt.describe_check()} in {time.perf_counter() - start:.2f} s", file=sys.stderr)
    return 0


def cmd_cache(args) -> int:
    from ..fetch import get_hub_dir, prune, scan_cache

    if args.cache_command == "ls":
        entries = scan_cache()
        if args.json:
            print(json.dumps([e.to_dict() for e in entries], indent=2))
        else:
            print(f"cache: {get_hub_dir()}")
            for e in entries:
                print(f"{e.state:10} {e.size:>14,} {e.uid}/{e.file_name}")
            print(f"{len(entries)} files, {sum(e.size for e in entries):,} bytes")
        return 0
    referenced = None
    if not args.keep_unreferenced:
        scan = Catalog().scan()
        referenced = {(c.uid, a.file_name) for c in scan.cards for a in c.assets}
    removed = prune(referenced=referenced, everything=args.all, dry_run=args.dry_run)
    for path in removed:
        print(("would remove " if args.dry_run else "removed ") + str(path))
    print(f"{len(removed)} paths {'to remove' if args.dry_run else 'removed'} from {get_hub_dir()}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = with_catalog(sub.add_parser("download", help="fetch a card's checkpoint into the cache"))
    p.add_argument("name")
    p.add_argument("--force", action="store_true", help="download again even if cached")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_download)

    p = sub.add_parser("cache", help="inspect or prune the download cache")
    cache_sub = p.add_subparsers(dest="cache_command", required=True)
    q = cache_sub.add_parser("ls", help="cached files and their state")
    q.add_argument("--json", action="store_true")
    q = cache_sub.add_parser("prune", help="remove partial, unverified and unreferenced files")
    q.add_argument("--dry-run", action="store_true")
    q.add_argument("--all", action="store_true", help="empty the cache")
    q.add_argument("--keep-unreferenced", action="store_true",
                   help="keep verified files that no card in the catalog names")
    p.set_defaults(func=cmd_cache)
