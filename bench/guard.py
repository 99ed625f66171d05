"""What the zoo code guard (``hub.routes.zoo.sandbox.guard``: a process-wide audit hook) costs.

1. A loop of operations that raise audit events (open and read a file, list a folder, compile and exec
   a line, ``sys._getframe``): the hook not installed vs. installed but outside zoo code (the user's
   own code, always) vs. inside zoo code (where every event is looked at), each in its own process.
2. With a synced catalog and its zoo code reachable (as for ``bench.loadable``): building zoo cards
   (``hub loadable``'s per-card build) with the guard vs. with ``running_zoo_code`` left unguarded.

    python -m bench.guard [PATTERN] [--cards N] [--runs N] [--no-cards | --no-loop]
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

LOOP = r"""
import json, os, sys, tempfile, time
from pathlib import Path
mode, rounds = sys.argv[1], int(sys.argv[2])
folder = Path(tempfile.mkdtemp())
sample = folder / "sample.txt"
sample.write_text("x" * 4096)


def work():
    for _ in range(rounds):
        with open(sample) as f:
            f.read()
        os.listdir(folder)
        exec(compile("y = 1 + 1", "<bench>", "exec"), {})
        sys._getframe()


if mode != "none":
    from hub.routes.zoo.sandbox import guard
    guard.install()
work()  # warm
start = time.perf_counter()
if mode == "inside":
    with guard.guarded(folder):
        work()
else:
    work()
print(json.dumps({"seconds": time.perf_counter() - start}))
"""

CARDS = r"""
import json, sys, tempfile, time
from contextlib import contextmanager
from pathlib import Path
from hub.catalog import Catalog
from hub.routes.zoo.sandbox import guard, run
from hub.survey import build
uids, guarded = json.loads(sys.argv[1]), sys.argv[2] == "1"
if not guarded:
    @contextmanager
    def unguarded(directory):  # the run's record, never made active
        yield guard.Guard(Path(directory), Path(tempfile.gettempdir()), {})
    run.guarded = unguarded
catalog = Catalog()
cards = [catalog.get(u) for u in uids]
start = time.perf_counter()
outcomes = [build.build_one(card) for card in cards]
print(json.dumps({"seconds": time.perf_counter() - start, "built": sum(o.ok for o in outcomes),
                  "refused": sum(bool(o.refused) for o in outcomes)}))
"""


def child(source: str, *args: str) -> dict:
    done = subprocess.run([sys.executable, "-c", source, *args], capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        raise SystemExit(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def loop(runs: int, rounds: int = 20_000) -> None:
    times: dict[str, list[float]] = {"none": [], "outside": [], "inside": []}
    for _ in range(runs):  # interleaved, so each mode sees the same machine
        for mode in times:
            times[mode].append(child(LOOP, mode, str(rounds))["seconds"])
    base = statistics.median(times["none"])
    print(f"{rounds} rounds of open+read, listdir, compile+exec, _getframe (median of {runs}):")
    for mode, values in times.items():
        print(f"  hook {mode:8} {statistics.median(values):.3f} s  {statistics.median(values) / base:.3f}x")


def cards(pattern: str, count: int, runs: int) -> None:
    from hub.catalog import Catalog, matches

    uids = [c.uid for c in Catalog().scan().cards if matches(c.uid, pattern)][:count]
    child(CARDS, json.dumps(uids), "1")  # fetch the code once, outside the timing
    results: dict[str, list[dict]] = {"unguarded": [], "guarded": []}
    for _ in range(runs):
        for mode in results:
            results[mode].append(child(CARDS, json.dumps(uids), "1" if mode == "guarded" else "0"))
    base = statistics.median(r["seconds"] for r in results["unguarded"])
    print(f"building {len(uids)} cards matching {pattern!r} (median of {runs}):")
    for mode, values in results.items():
        seconds = statistics.median(r["seconds"] for r in values)
        print(f"  {mode:10} {seconds:.2f} s  {seconds / base:.3f}x  built {values[-1]['built']}, "
              f"code refused something: {values[-1]['refused']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pattern", nargs="?", default="mindspore/1.8/*")
    parser.add_argument("--cards", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-cards", action="store_true", help="only the loop (no catalog needed)")
    parser.add_argument("--no-loop", action="store_true", help="only the cards")
    args = parser.parse_args()
    if not args.no_loop:
        loop(args.runs)
    if not args.no_cards:
        cards(args.pattern, args.cards, args.runs)


if __name__ == "__main__":
    main()
