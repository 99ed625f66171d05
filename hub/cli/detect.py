"""``predict`` (objects in an image, with a detector card) and ``demo`` (the offline end-to-end run)."""
from __future__ import annotations

import argparse
import json
import sys
import time


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


def cmd_demo(args) -> int:
    from ..demo import run_demo

    return run_demo(runs=args.runs, workdir=args.workdir, image=args.image, out=args.out)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("predict", help="detect objects in an image")
    p.add_argument("name", help="uid of a detector card")
    p.add_argument("image")
    p.add_argument("--out", help="write the image with boxes and labels here (PNG/JPEG)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--min-score", type=float, default=0.5, help="show detections at least this sure")
    p.add_argument("--mode", choices=("graph", "pynative"), default="graph")
    p.set_defaults(func=cmd_predict)

    p = sub.add_parser("demo", help="serve a generated checkpoint locally and run mshub.load end to end")
    p.add_argument("--runs", type=int, default=2, help="load+detect runs (the second is served from cache)")
    p.add_argument("--workdir", help="keep the mirror, catalog and cache here (default: a temporary dir)")
    p.add_argument("--image", help="image to detect on (default: a generated one)")
    p.add_argument("--out", help="where to write the annotated image (default: ./mshub-demo-annotated.png)")
    p.set_defaults(func=cmd_demo)
