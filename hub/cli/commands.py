"""``python -m hub``: catalog maintenance, checksum audits, downloads, cache care, predictions, demo."""
from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from pathlib import Path

from .. import settings
from ..cards.findings import Finding, count_by_rule
from ..catalog.catalog import Catalog, of_version
from ..errors import HubError
from . import site as site_cli


def _catalog(args) -> Catalog:
    return Catalog([Path(p) for p in args.catalog] if args.catalog else None)


def _metric(card) -> str:
    return " | ".join(m.text for m in card.evaluation) or "-"


def cmd_list(args) -> int:
    result = _catalog(args).search(args.pattern)
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
    card = _catalog(args).resolve(args.name)
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
    """The checksum audit of every asset of ``cards`` (verify --remote), with its ledger and reports."""
    from contextlib import nullcontext

    from ..audit.ledger import AuditLedger
    from ..audit.report import AuditProgress, summary_line, write_junit
    from ..audit.run import AuditOptions, collect_targets, run_audit

    if args.jobs < 1:
        raise ValueError(f"--jobs must be at least 1, got {args.jobs}")
    if args.max_age is not None and args.max_age < 0:
        raise ValueError(f"--max-age must be a number of days >= 0, got {args.max_age}")
    if args.junit and not Path(args.junit).absolute().parent.is_dir():
        raise ValueError(f"--junit {args.junit}: folder {Path(args.junit).absolute().parent} does not exist")
    targets = collect_targets(cards)
    options = AuditOptions(jobs=args.jobs, full=args.full, max_age_days=args.max_age)
    start = time.perf_counter()
    progress = AuditProgress(len(targets), quiet=settings.quiet())
    try:
        with AuditLedger(args.ledger) if args.ledger else nullcontext() as ledger:
            results = run_audit(targets, options, ledger, on_result=progress)
    finally:
        progress.close()
    seconds = time.perf_counter() - start
    if args.junit:
        write_junit(results, args.junit, seconds)
    print(summary_line(results, seconds), file=sys.stderr)
    return results


def cmd_verify(args) -> int:
    from ..catalog.verify import check_cached, check_catalog

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
        out = {
            "ok": not failed, "strict": args.strict, "cards": report.files, "valid": report.accepted,
            "rejected": len(report.errors),
            "counts": {"errors": len(errors), "warnings": len(warnings),
                       "errors_by_rule": count_by_rule(errors), "warnings_by_rule": count_by_rule(warnings)},
            "errors": [e.to_dict() for e in errors], "warnings": [w.to_dict() for w in warnings],
            "assets": [a.to_dict() for a in cached] + [r.to_dict() for r in audited]}
        if args.remote:
            from ..audit.report import audit_counts

            out["audit"] = audit_counts(audited)
        print(json.dumps(out, indent=2))
        return 1 if failed else 0
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
    return 1 if failed else 0


def cmd_download(args) -> int:
    from ..fetch.assets import fetch_asset

    if args.quiet:
        import os

        os.environ[settings.QUIET_ENV] = "1"
    card = _catalog(args).resolve(args.name)
    start = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        path = fetch_asset(card, force=args.force)
    for warning in caught:
        print(f"warning: {warning.message}", file=sys.stderr)
    print(path)
    print(f"verified {card.ckpt.describe_check()} in {time.perf_counter() - start:.2f} s", file=sys.stderr)
    return 0


def cmd_cache(args) -> int:
    from ..fetch.cache import get_hub_dir
    from ..fetch.cache_admin import prune, scan_cache

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


def cmd_predict(args) -> int:
    import mindspore as ms

    from .. import load
    from ..models.detect import detect, draw_detections

    ms.set_context(mode=ms.GRAPH_MODE if args.mode == "graph" else ms.PYNATIVE_MODE)
    start = time.perf_counter()
    net = load(args.name)
    loaded = time.perf_counter()
    detections = detect(net, [args.image])[0]
    done = time.perf_counter()
    shown = [d for d in detections if d.score >= args.min_score]
    if args.json:
        print(json.dumps([d.to_dict() for d in shown], indent=2))
    else:
        for d in shown:
            print(f"{d.category_name:16} {d.score:.3f}  box x0 {d.box[0]:.1f} y0 {d.box[1]:.1f} "
                  f"x1 {d.box[2]:.1f} y1 {d.box[3]:.1f}")
        print(f"{len(shown)} detections with score >= {args.min_score} (load {loaded - start:.2f} s, "
              f"detect {done - loaded:.2f} s)", file=sys.stderr)
    if args.out:
        draw_detections(args.image, shown).save(args.out)
        print(f"wrote {args.out}", file=sys.stderr)
    return 0


def cmd_sync(args) -> int:
    from ..catalog.sync import sync

    result = sync(args.source, args.branch)
    print(f"{'updated' if result.updated else 'cloned'} the hub's catalog ({result.branch}) from {args.source} "
          f"at commit {result.commit[:12]}: {result.cards} cards in {result.catalog}")
    return 0


def cmd_loadable(args) -> int:
    from ..survey.loadability import print_report, survey

    if args.jobs < 1:
        raise ValueError(f"--jobs must be at least 1, got {args.jobs}")
    report = survey(_catalog(args), pattern=args.pattern, isolated=args.isolated, jobs=args.jobs,
                    progress=not args.quiet, pretrained_shapes=args.pretrained_shapes)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        print_report(report, verbose=args.verbose)
    return 0


def _keyword(text: str) -> tuple[str, object]:
    """``KEY=VALUE`` with VALUE a Python literal (``num_classes=10``, ``include_top=False``) or a string."""
    import ast

    key, sep, value = text.partition("=")
    if not sep or not key.isidentifier():
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    try:
        return key, ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return key, value


def cmd_card_new(args) -> int:
    from ..publish.card_writer import NewCard, write_card

    spec = NewCard(uid=args.uid, checkpoint=Path(args.checkpoint), asset_link=args.asset_link,
                   repo_link=args.repo_link, model_name=args.model_name, backbone_name=args.backbone_name,
                   module_type=args.module_type, dataset=args.dataset, evaluation=args.evaluation,
                   used_for=args.used_for, train_backend=args.train_backend, author=args.author,
                   user_id=args.user_id, license=args.license, summary=args.summary,
                   fine_tunable=args.fine_tunable == "True", model_version=args.model_version,
                   update_time=args.update_time, file_format=args.file_format, arguments=dict(args.arg or []))
    written = write_card(spec, Path(args.out), overwrite=args.force, build=not args.no_build,
                         trust_repo=args.trust_repo)
    for line in written.defaults:
        print(f"default {line}", file=sys.stderr)
    for warning in written.card.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"wrote {written.path}: {written.call}; {written.load_summary}")
    return 0


def cmd_card_check(args) -> int:
    from ..publish.card_check import check_card

    result = check_card(args.card, Path(args.checkpoint) if args.checkpoint else None, trust_repo=args.trust_repo)
    if args.json:
        print(json.dumps(result.to_dict(), indent=2, default=str))
    else:
        for line in result.errors:
            print(f"error: {line}")
        for line in result.warnings:
            print(f"warning: {line}")
        print(result.summary())
    return 0 if result.ok else 1


def cmd_demo(args) -> int:
    from ..demo import run_demo

    return run_demo(runs=args.runs, workdir=args.workdir, image=args.image, out=args.out)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m hub", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    def with_catalog(p):
        p.add_argument("--catalog", action="append", metavar="DIR",
                       help="card directory (repeatable); default: MSHUB_CATALOG, then the bundled assets")
        return p

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
    p.add_argument("--jobs", type=int, default=4,
                   help="concurrent remote checks (default 4; at most 4 connections per host)")
    p.add_argument("--ledger", metavar="PATH",
                   help="audit ledger (SQLite) to keep between runs: unchanged files are not downloaded again")
    p.add_argument("--full", action="store_true", help="re-hash every asset whatever the ledger says")
    p.add_argument("--max-age", type=float, metavar="DAYS", help="re-hash ledger entries older than this")
    p.add_argument("--junit", metavar="FILE", help="also write a JUnit XML report (one test case per asset)")
    p.set_defaults(func=cmd_verify)

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

    p = sub.add_parser("predict", help="detect objects in an image")
    p.add_argument("name", help="uid of a detector card")
    p.add_argument("image")
    p.add_argument("--out", help="write the image with boxes and labels here (PNG/JPEG)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--min-score", type=float, default=0.5, help="show detections at least this sure")
    p.add_argument("--mode", choices=("graph", "pynative"), default="graph")
    p.set_defaults(func=cmd_predict)

    p = sub.add_parser("sync", help="fetch or update the public hub's catalog into the cache (git, sparse)")
    p.add_argument("--source", choices=("gitee", "github"), default="gitee")
    p.add_argument("--branch", help="a branch of the hub's repository (default: master), cached apart; "
                   "mindspore_hub.hub_list(version) reads it")
    p.set_defaults(func=cmd_sync)

    p = with_catalog(sub.add_parser("loadable", help="which cards' networks build here, by route, and why not"))
    p.add_argument("pattern", nargs="?", help="only uids matching this glob or substring")
    p.add_argument("--isolated", action="store_true",
                   help="also build each card alone in a fresh process, to compare with the shared process")
    p.add_argument("--jobs", type=int, default=1,
                   help="worker processes that build cards (1: this process); also fresh processes with --isolated")
    p.add_argument("--quiet", action="store_true", help="no progress bar on stderr")
    p.add_argument("--pretrained-shapes", action="store_true",
                   help="build each network as its card's Usage does and, for checkpoints in the cache, "
                        "say whether it takes the checkpoint whole")
    p.add_argument("--json", action="store_true", help="the report as JSON: the only thing on stdout")
    p.add_argument("--verbose", action="store_true", help="list every failure")
    p.set_defaults(func=cmd_loadable)

    p = sub.add_parser("card", help="publish a model: write a card the hub accepts, and check that a card loads")
    card_sub = p.add_subparsers(dest="card_command", required=True)
    q = card_sub.add_parser("new", help="write CATALOG_DIR/<uid>.md from a checkpoint (verified, network built)")
    q.add_argument("--uid", required=True, help="PUBLISHER/VERSION/NAME, e.g. mindspore/1.9/lenet_mnist")
    q.add_argument("--checkpoint", required=True, help="the checkpoint file the card publishes")
    q.add_argument("--asset-link", required=True, help="the URL the checkpoint is (or will be) published at")
    q.add_argument("--repo-link", required=True, help="the code directory that builds the network")
    q.add_argument("--out", required=True, help="the catalog directory to write the card into")
    q.add_argument("--model-name")
    q.add_argument("--backbone-name")
    q.add_argument("--module-type", help="cv, nlp, audio, ... optionally with a detail: cv-classification")
    q.add_argument("--dataset", help="train-dataset: names from the hub's list, joined by _")
    q.add_argument("--evaluation", help="e.g. acc98.49 or top1acc76.8")
    q.add_argument("--used-for", default="inference", help="inference, extract-feature, transfer-learning (/)")
    q.add_argument("--train-backend", help="cpu, gpu, ascend (/-separated)")
    q.add_argument("--author")
    q.add_argument("--user-id")
    q.add_argument("--license", default="Apache2.0")
    q.add_argument("--summary")
    q.add_argument("--fine-tunable", choices=("True", "False"), default="True")
    q.add_argument("--model-version")
    q.add_argument("--update-time", help="YYYY-MM-DD (default: today)")
    q.add_argument("--file-format", default="ckpt", choices=("ckpt", "mindir", "air", "onnx", "mslite"))
    q.add_argument("--arg", action="append", type=_keyword, metavar="KEY=VALUE",
                   help="an argument the network needs, shown in the Usage call (repeatable)")
    q.add_argument("--force", action="store_true", help="replace an existing card")
    q.add_argument("--no-build", action="store_true", help="do not build the network to check the checkpoint")
    q.add_argument("--trust-repo", action="store_true", help="allow code from a repository other than MindSpore's")
    q.set_defaults(func=cmd_card_new)
    q = card_sub.add_parser("check", help="a card's verdict, its network, and its checkpoint loaded into it")
    q.add_argument("card", help="a card file (.md) or a uid")
    q.add_argument("--checkpoint", help="a local checkpoint instead of downloading the card's asset")
    q.add_argument("--trust-repo", action="store_true", help="allow code from a repository other than MindSpore's")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_card_check)

    p = sub.add_parser("demo", help="serve a generated checkpoint locally and run mshub.load end to end")
    p.add_argument("--runs", type=int, default=2, help="load+detect runs (the second is served from cache)")
    p.add_argument("--workdir", help="keep the mirror, catalog and cache here (default: a temporary dir)")
    p.add_argument("--image", help="image to detect on (default: a generated one)")
    p.add_argument("--out", help="where to write the annotated image (default: ./mshub-demo-annotated.png)")
    p.set_defaults(func=cmd_demo)
    site_cli.add_parser(sub)
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
