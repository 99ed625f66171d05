"""``predict`` (labels, a segmentation mask or boxes for images, with a card's own preprocessing) and ``demo``
(the offline end-to-end run)."""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from .options import add_trust_repo, keyword


def cmd_predict(args) -> int:
    import mindspore as ms

    from ..inference.predict import predict
    from ..inference.tasks import DETECTION, SEGMENTATION

    if args.top < 1:
        raise ValueError(f"--top must be at least 1, got {args.top}")
    kwargs = dict(args.arg or [])
    if args.trust_repo:
        kwargs["trust_repo"] = True
    start = time.perf_counter()
    with _mode(ms, args.mode, args.name):
        found = predict(args.name, args.images, top=args.top, **kwargs)
    seconds = time.perf_counter() - start
    if found.task == DETECTION:
        return _detections(found, args, seconds)
    if found.task == SEGMENTATION:
        _write_masks(found, args.out)
    if args.json:
        print(json.dumps(found.to_dict(), indent=2))
    else:
        _print_table(found)
    print(f"{found.uid}: {len(found.items)} image(s), {found.task}, {seconds:.2f} s; preprocessing: "
          f"{found.preprocessing}" + (f"; labels: {found.labels.source}" if found.labels is not None else ""),
          file=sys.stderr)
    return 0


class _mode:
    """The MindSpore mode for the run (GRAPH for this project's SSDs, whose graphs are known to compile;
    PYNATIVE for zoo code, as it is built), the user's put back afterwards."""

    def __init__(self, ms, mode: str | None, name: str) -> None:
        self.ms, self.mode, self.name = ms, mode, name

    def __enter__(self):
        from ..loader import resolve_card
        from ..routes import ours

        wanted = self.mode or ("graph" if ours.can_build(resolve_card(self.name)) else "pynative")
        self.before = self.ms.get_context("mode")
        self.ms.set_context(mode=self.ms.GRAPH_MODE if wanted == "graph" else self.ms.PYNATIVE_MODE)

    def __exit__(self, *exc):
        self.ms.set_context(mode=self.before)


def _print_table(found) -> None:
    from ..inference.tasks import CLASSIFICATION

    for item in found.items:
        print(item.image)
        if found.task == CLASSIFICATION:
            for rank, ranked in enumerate(item.top, 1):
                print(f"  {rank}. {ranked.label:40} {ranked.score:.4f}  (class {ranked.index})")
        elif item.mask is not None:
            for cls in item.mask.classes[:10]:
                print(f"  {cls.label:24} {cls.fraction:7.2%} of the pixels  (class {cls.index})")
            print(f"  mask: {item.mask_path}")
        for note in item.notes:
            print(f"  note: {note}")
    if found.scores:
        print(f"scores: {found.scores}", file=sys.stderr)
    for note in found.notes:
        print(f"note: {note}", file=sys.stderr)


def _write_masks(found, out: str | None) -> None:
    """Each image's mask in the dataset's colours, as ``<image>.mask.png`` beside it (or in ``out``)."""
    for item in found.items:
        source = Path(item.image)
        folder = Path(out) if out else (source.parent if source.parent.is_dir() else Path.cwd())
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{source.stem}.mask.png"
        item.mask.colored(found.labels).save(target)
        item.mask_path = str(target)


def _detections(found, args, seconds: float) -> int:
    from ..models.detect import draw_detections

    for item in found.items:
        item.detections = [d for d in item.detections if d.score >= args.min_score]
    if args.json:
        shown = ([d.to_dict() for d in found.items[0].detections] if len(found.items) == 1
                 else [{"image": i.image, "detections": [d.to_dict() for d in i.detections]} for i in found.items])
        print(json.dumps(shown, indent=2))
    else:
        for item in found.items:
            if len(found.items) > 1:
                print(item.image)
            for d in item.detections:
                print(f"{d.category_name:16} {d.score:.3f}  box x0 {d.box[0]:.1f} y0 {d.box[1]:.1f} "
                      f"x1 {d.box[2]:.1f} y1 {d.box[3]:.1f}")
    count = sum(len(i.detections) for i in found.items)
    print(f"{count} detections with score >= {args.min_score} ({seconds:.2f} s)", file=sys.stderr)
    if args.out:
        for item in found.items:
            target = Path(args.out)
            if len(found.items) > 1 or target.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                target = target / f"{Path(item.image).stem}.boxes.png"
            draw_detections(item.image, item.detections).save(target)
            print(f"wrote {target}", file=sys.stderr)
    return 0


def cmd_demo(args) -> int:
    from ..demo import run_demo

    return run_demo(runs=args.runs, workdir=args.workdir, image=args.image, out=args.out)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("predict", help="labels (classification), a colour mask (segmentation) or boxes (the SSD "
                                       "family) for images, with the card's own preprocessing")
    p.add_argument("name", help="uid of the card")
    p.add_argument("images", nargs="+", metavar="IMAGE", help="image files (run as one batch)")
    p.add_argument("--top", type=int, default=5, help="classification: the best N labels (default 5)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--out", help="segmentation: the folder for the masks (default: beside each image); "
                                 "detection: the annotated image (PNG/JPEG), or a folder for several")
    p.add_argument("--min-score", type=float, default=0.5, help="detection: show detections at least this sure")
    p.add_argument("--mode", choices=("graph", "pynative"), default=None,
                   help="MindSpore mode (default: graph for this project's networks, pynative for zoo code)")
    p.add_argument("--arg", action="append", type=keyword, metavar="KEY=VALUE", help="an option for load()")
    add_trust_repo(p)
    p.set_defaults(func=cmd_predict)

    p = sub.add_parser("demo", help="serve a generated checkpoint locally and run mshub.load end to end")
    p.add_argument("--runs", type=int, default=2, help="load+detect runs (the second is served from cache)")
    p.add_argument("--workdir", help="keep the mirror, catalog and cache here (default: a temporary dir)")
    p.add_argument("--image", help="image to detect on (default: a generated one)")
    p.add_argument("--out", help="where to write the annotated image (default: ./mshub-demo-annotated.png)")
    p.set_defaults(func=cmd_demo)
