"""``list``, ``info``, ``verify`` (with ``--remote`` checksum audits) and ``sync``."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..cards.findings import Finding, count_by_rule
from ..catalog import Catalog, of_version
from .options import add_jobs, catalog_of, check_jobs, with_catalog


def _metric(card) -> str:
    return " | ".join(m.text for m in card.evaluation) or "-"


def cmd_list(args) -> int:
    result = catalog_of(args).search(args.pattern)
    cards = of_version(result.cards, args.version)
    if args.format == "json":
        print(json.dumps([{"uid": c.uid, "model": c.model_name or c.backbone,
                           "datasets": list(c.train_datasets), "evaluation": _metric(c),
                           "formats": list(c.formats)} for c in cards], indent=2))
    else:
        rows = [("UID", "MODEL", "DATASET", "METRIC", "FORMATS")]
        rows += [(c.uid, c.model_name or c.backbone, "_".join(c.train_datasets) or "-", _metric(c),
                  ",".join(c.formats) or "-") for c in cards]
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        for row in rows:
            print("  ".join(v.ljust(w) for v, w in zip(row, widths)) + "  " + row[4])
    if result.errors:
        print(f"{len(result.errors)} invalid cards skipped; `python -m hub verify` lists them",
              file=sys.stderr)
    return 0


def cmd_info(args) -> int:
    card = catalog_of(args).resolve(args.name)
    if args.json:
        print(json.dumps(card.to_dict(), indent=2, ensure_ascii=False))
        return 0
    data = card.to_dict()
    data["evaluation"] = _metric(card)
    data["assets"] = [f"{a.file_format}: {a.url} ({a.describe_check()})" for a in card.assets]
    width = max(len(k) for k in data)
    for key, value in data.items():
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value) if key != "assets" else \
                "\n".join([""] + [" " * (width + 2) + v for v in value])
        print(f"{key.ljust(width)}  {value if value not in (None, '') else '-'}")
    print()
    print(card.body)
    return 0


def _print_grouped(severity: str, findings: list[Finding]) -> None:
    """Entries grouped by rule, most frequent rule first."""
    for rule in count_by_rule(findings):
        group = [f for f in findings if f.rule == rule]
        print(f"\n{severity} {rule} ({len(group)})")
        for finding in group:
            print(f"  {finding}")


def _remote_audit(args, cards) -> list:
    """The checksum audit of every asset of ``cards`` (verify --remote); its summary line on stderr."""
    from ..audit import audit_catalog

    check_jobs(args)
    results, summary = audit_catalog(cards, jobs=args.jobs, full=args.full, max_age_days=args.max_age,
                                     ledger=args.ledger, junit=args.junit)
    print(summary, file=sys.stderr)
    return results


def _verify_json(args, report, errors, warnings, cached, audited, failed: bool) -> None:
    out = {
        "ok": not failed, "strict": args.strict, "cards": report.files, "valid": report.accepted,
        "rejected": len(report.errors),
        "counts": {"errors": len(errors), "warnings": len(warnings),
                   "errors_by_rule": count_by_rule(errors), "warnings_by_rule": count_by_rule(warnings)},
        "errors": [e.to_dict() for e in errors], "warnings": [w.to_dict() for w in warnings],
        "assets": [a.to_dict() for a in cached] + [r.to_dict() for r in audited]}
    if args.remote:
        from ..audit import audit_counts

        out["audit"] = audit_counts(audited)
    print(json.dumps(out, indent=2))


def _verify_text(args, report, errors, warnings, cached, audited) -> None:
    for severity, findings in (("errors", errors), ("warnings", warnings)):
        if findings:
            print(f"{len(findings)} {severity}:")
            for rule, count in count_by_rule(findings).items():
                print(f"  {rule:20} {count}")
    _print_grouped("error", errors)
    _print_grouped("warning", warnings)
    for check in cached:
        print(f"{check.status.upper():10} {check.uid} {check.file_name} {check.detail}")
    for result in audited:
        if not result.ok:
            uid, asset = result.target.first
            print(f"{result.status.upper():10} {uid} {asset.file_name} {result.target.url}: {result.detail}")
    checked = cached + audited
    print(f"\n{report.accepted} of {report.files} cards accepted, {len(report.errors)} rejected, "
          f"{len(warnings)} warnings" + (" (--strict: warnings fail)" if args.strict and warnings else "")
          + (f"; assets: {sum(a.status == 'ok' for a in checked)} ok, {sum(not a.ok for a in checked)} failed"
             if checked else ""))


def cmd_verify(args) -> int:
    from ..catalog import check_cached, check_catalog

    if (args.ledger or args.junit or args.full or args.max_age is not None) and not args.remote:
        raise ValueError("--ledger, --junit, --full and --max-age go with --remote")
    roots = [Path(p) for p in args.catalog] if args.catalog else Catalog().roots
    report = check_catalog(roots, flag_cross_root_duplicates=bool(args.catalog))
    errors = [Finding.of_error(e) for e in report.errors]
    warnings = report.warnings
    cached = [check_cached(c, c.ckpt) for c in report.cards if c.ckpt is not None] if args.assets else []
    audited = _remote_audit(args, report.cards) if args.remote else []
    assets_failed = any(not a.ok for a in cached) or any(not a.ok for a in audited)
    failed = bool(errors) or (args.strict and bool(warnings)) or assets_failed
    if args.json:
        _verify_json(args, report, errors, warnings, cached, audited, failed)
    else:
        _verify_text(args, report, errors, warnings, cached, audited)
    return 1 if failed else 0


def cmd_sync(args) -> int:
    from ..catalog import sync

    result = sync(args.source, args.branch)
    print(f"{'updated' if result.updated else 'cloned'} the hub's catalog ({result.branch}) from {args.source} "
          f"at commit {result.commit[:12]}: {result.cards} cards in {result.catalog}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = with_catalog(sub.add_parser("list", help="one row per model card"))
    p.add_argument("pattern", nargs="?", help="glob (*ssd*) or substring of the uid")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("--version", help="only cards of this MindSpore version (1.7 or r1.7), as the uid names it")
    p.set_defaults(func=cmd_list)

    p = with_catalog(sub.add_parser("info", help="a card's record and prose"))
    p.add_argument("name", help="uid, card URL or card path")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_info)

    p = with_catalog(sub.add_parser("verify", help="judge every card as the hub does; exit 1 if any is rejected"))
    p.add_argument("--json", action="store_true", help="errors and warnings (path, field, line, message) and counts")
    p.add_argument("--strict", action="store_true", help="warnings fail too (exit 1)")
    p.add_argument("--assets", action="store_true", help="also re-hash checkpoints found in the cache")
    p.add_argument("--remote", action="store_true",
                   help="audit every asset of every card: stream it (once per URL) and check its sha256")
    add_jobs(p, 4, "concurrent remote checks (default 4; at most 4 connections per host)")
    p.add_argument("--ledger", metavar="PATH",
                   help="audit ledger (SQLite) to keep between runs: unchanged files are not downloaded again")
    p.add_argument("--full", action="store_true", help="re-hash every asset whatever the ledger says")
    p.add_argument("--max-age", type=float, metavar="DAYS", help="re-hash ledger entries older than this")
    p.add_argument("--junit", metavar="FILE", help="also write a JUnit XML report (one test case per asset)")
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("sync", help="fetch or update the public hub's catalog into the cache (git, sparse)")
    p.add_argument("--source", choices=("gitee", "github"), default="gitee")
    p.add_argument("--branch", help="a branch of the hub's repository (default: master), cached apart; "
                   "mindspore_hub.hub_list(version) reads it")
    p.set_defaults(func=cmd_sync)
