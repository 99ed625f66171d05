"""The catalog site over the catalog `python -m hub list` sees (run `python -m hub sync` first): build time
(wall and CPU) vs. judging the same catalog alone (`check_catalog`, the baseline: the part every catalog
tool pays), the index page's weight, and search keystroke latency in Chromium (input event to the next
painted frame) with the index grown to 3,000 cards.

python -m bench.site [--loadable R.json ...] [--ledger L] [--keep DIR]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from hub.catalog import Catalog, check_catalog
from hub.site.site import build_site

WORDS = ["resnet50 imagenet", "ssd resnet50 fpn", "mobilenet", "bert", "yolo coco"]
KEYSTROKE = """(ch) => new Promise(done => {
  const q = document.getElementById("q"); const t0 = performance.now();
  q.value += ch; q.dispatchEvent(new Event("input"));
  requestAnimationFrame(() => setTimeout(() => done(performance.now() - t0), 0)); })"""


def cpu_seconds() -> float:
    """This process's CPU time and its waited-for children's (the forked page writers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(call) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), cpu_seconds()
    result = call()
    return time.perf_counter() - wall, cpu_seconds() - cpu, result


def grow_index(site: Path, cards: int) -> None:
    """Copies of the index's rows (uids suffixed) until it has ``cards`` rows."""
    path = site / "index-data.js"
    prefix = "window.MSHUB_INDEX = "
    data = json.loads(path.read_text(encoding="utf-8")[len(prefix):].rstrip().rstrip(";"))
    rows = data["cards"]
    for i in range(max(0, cards - len(rows))):
        rows.append({**rows[i % len(rows)], "u": rows[i % len(rows)]["u"] + f"_copy{i}"})
    path.write_text(prefix + json.dumps(data) + ";\n", encoding="utf-8")


def keystrokes(site: Path) -> list[float]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto((site / "index.html").as_uri())
        times = []
        for word in WORDS:
            page.fill("#q", "")
            times += [page.evaluate(KEYSTROKE, ch) for ch in word]
        browser.close()
    return sorted(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loadable", action="append", default=[])
    parser.add_argument("--ledger")
    parser.add_argument("--keep", help="build the site here (kept) instead of a temporary directory")
    args = parser.parse_args()
    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="mshub-site-"))
    site = base / "site" if not args.keep else base
    roots = Catalog().roots
    judge_wall, judge_cpu, report = timed(lambda: check_catalog(roots))
    wall, cpu, result = timed(lambda: build_site(site, None, [Path(p) for p in args.loadable],
                                                 Path(args.ledger) if args.ledger else None))
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"catalog: {report.files} card files, {result['cards']} cards; {result['pages']} pages written")
    print(f"build: {wall:.1f} s wall, {cpu:.1f} s CPU (with the forked page writers); baseline check_catalog "
          f"{judge_wall:.1f} s wall, {judge_cpu:.1f} s CPU: {cpu / judge_cpu:.1f}x its CPU (target < 20 s wall)")
    print(f"index page + data: {result['index_bytes'] / 1e6:.2f} MB (target < 2 MB)")
    if shutil.which("chromium"):
        grown = Path(tempfile.mkdtemp(prefix="mshub-site-3000-"))
        for name in ("index.html", "index-data.js", "static"):
            (shutil.copytree if (site / name).is_dir() else shutil.copy)(site / name, grown / name)
        grow_index(grown, 3000)
        times = keystrokes(grown)
        shutil.rmtree(grown, ignore_errors=True)
        print(f"keystrokes ({len(times)}, 3,000 cards): median {statistics.median(times):.0f} ms, "
              f"p90 {times[int(len(times) * 0.9)]:.0f} ms, max {times[-1]:.0f} ms (target < 100 ms)")
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
