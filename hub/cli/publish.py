"""``card new`` and ``card check``: publishing a model."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .options import add_trust_repo, keyword


def cmd_card_new(args) -> int:
    from ..publish import NewCard, write_card

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
    from ..publish import check_card

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


def _new_parser(card_sub: argparse._SubParsersAction) -> None:
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
    q.add_argument("--arg", action="append", type=keyword, metavar="KEY=VALUE",
                   help="an argument the network needs, shown in the Usage call (repeatable)")
    q.add_argument("--force", action="store_true", help="replace an existing card")
    q.add_argument("--no-build", action="store_true", help="do not build the network to check the checkpoint")
    add_trust_repo(q)
    q.set_defaults(func=cmd_card_new)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("card", help="publish a model: write a card the hub accepts, and check that a card loads")
    card_sub = p.add_subparsers(dest="card_command", required=True)
    _new_parser(card_sub)
    q = card_sub.add_parser("check", help="a card's verdict, its network, and its checkpoint loaded into it")
    q.add_argument("card", help="a card file (.md) or a uid")
    q.add_argument("--checkpoint", help="a local checkpoint instead of downloading the card's asset")
    add_trust_repo(q)
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_card_check)
