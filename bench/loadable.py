"""``hub loadable``'s per-card build, shapes only (the survey's way) vs. with MindSpore's weight sampling
(the baseline: what ``load(pretrained=False)`` does), over the same cards in one process each, in turn.

Needs a catalog and its zoo code reachable (``hub sync`` done; git's ``insteadOf`` pointing at a mirror
where there is no internet). The code is fetched before timing starts.

    python -m bench.loadable [PATTERN] [--cards N]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys

CHILD = r"""
import json, sys, time, resource
from contextlib import nullcontext
from hub.catalog import Catalog
from hub.survey import build
uids, shapes_only = json.loads(sys.argv[1]), sys.argv[2] == "1"
catalog = Catalog()
cards = [catalog.get(u) for u in uids]
if not shapes_only:
    build.shapes_only = nullcontext  # the baseline: initializers sample as they do in load()
start = time.perf_counter()
built = sum(build.build_one(card).ok for card in cards)
print(json.dumps({"seconds": time.perf_counter() - start, "built": built,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}))
"""


def run(uids: list[str], shapes_only: bool) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, json.dumps(uids), "1" if shapes_only else "0"],
                          capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        raise SystemExit(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pattern", nargs="?", default="mindspore/1.8/*")
    parser.add_argument("--cards", type=int, default=60)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    from hub.catalog import Catalog, matches

    uids = [c.uid for c in Catalog().scan().cards if matches(c.uid, args.pattern)][: args.cards]
    run(uids, True)  # fetch the code once, outside the timing
    pairs = []
    for _ in range(args.runs):
        pairs.append((run(uids, False), run(uids, True)))
    for base, ours in pairs:
        print(f"{len(uids)} cards ({args.pattern}): sampling {base['seconds']:.1f} s, peak {base['peak_mb']} MB; "
              f"shapes only {ours['seconds']:.1f} s, peak {ours['peak_mb']} MB; built {base['built']} / "
              f"{ours['built']}; time {ours['seconds'] / base['seconds']:.2f}x, "
              f"peak {ours['peak_mb'] / base['peak_mb']:.2f}x")


if __name__ == "__main__":
    main()
