"""Checksum audit of 400 assets (>= 400 MB) on a local server: ``verify --remote --ledger`` vs.
``curl -s URL | sha256sum`` over the same URLs with the same parallelism (4); then the unchanged
rerun against the ledger; peak memory growth of the first run."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import CARD, HWM
from hub.fetch import Mirror

ASSETS = 400
# Bytes per asset: 4 GB in all. The public catalog's assets average about 100 MB; at 1 MB each the
# rerun would time interpreter start-up and the catalog parse (~0.3 s), not the audit.
SIZE = 10_000_000
JOBS = 4
ROUNDS = 3

CHILD = HWM + r"""
import contextlib, io, json, sys, time
from hub import cli  # imports done before the baseline
from hub.audit import run as audit, ledger as audit_ledger, report as audit_report
before = hwm()
t0 = time.perf_counter()
with contextlib.redirect_stdout(io.StringIO()):
    code = cli.main(sys.argv[1:])
print(json.dumps({"code": code, "seconds": time.perf_counter() - t0, "growth": hwm() - before}))
"""


def make_catalog(root: Path) -> list[str]:
    """400 cards of one asset each, files under root/served; returns the URL paths."""
    paths = []
    for i in range(ASSETS):
        path = f"models/bench/asset{i:04d}.ckpt"
        data = os.urandom(SIZE)
        (root / "served" / path).parent.mkdir(parents=True, exist_ok=True)
        (root / "served" / path).write_bytes(data)
        card = root / "catalog" / "mindspore" / "1.7" / f"asset{i:04d}_bench.md"
        card.parent.mkdir(parents=True, exist_ok=True)
        card.write_text(CARD.format(path=path, sha=hashlib.sha256(data).hexdigest()))
        paths.append(path)
    return paths


def audit(root: Path, env: dict, ledger: Path) -> tuple[float, dict]:
    """One ``verify --remote`` in a fresh process: (wall seconds, the child's own report)."""
    args = ["verify", "--catalog", str(root / "catalog"), "--remote", "--jobs", str(JOBS), "--ledger", str(ledger)]
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", CHILD, *args], env=env, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t0
    report = json.loads(out.stdout.strip().splitlines()[-1])
    if report["code"] != 0:
        raise SystemExit(f"audit failed: {out.stderr}")
    return wall, report


def curl_sha256sum(urls: list[str]) -> float:
    """The same URLs, ``curl -s URL | sha256sum`` each, JOBS at a time (xargs -P)."""
    t0 = time.perf_counter()
    subprocess.run(["xargs", "-P", str(JOBS), "-I{}", "sh", "-c", "curl -s {} | sha256sum"],
                   input="\n".join(urls), text=True, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main() -> int:
    if shutil.which("curl") is None:
        print("curl is not installed: apt-get install curl")
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        paths = make_catalog(root)
        with Mirror(root / "served") as mirror:
            env = {**os.environ, "MSHUB_ENDPOINT": mirror.url, "MSHUB_QUIET": "1",
                   "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
            urls = [f"{mirror.url}/{p}" for p in paths]
            firsts, seconds, curls, growths = [], [], [], []
            for r in range(ROUNDS):  # interleaved, so both see the same machine state
                curls.append(curl_sha256sum(urls))
                ledger = root / f"ledger{r}.db"
                wall, report = audit(root, env, ledger)
                firsts.append(wall)
                growths.append(report["growth"])
                seconds.append(audit(root, env, ledger)[0])
    first, second, curl = statistics.median(firsts), statistics.median(seconds), statistics.median(curls)
    total_mb = ASSETS * SIZE / 1e6
    growth = max(growths) / 2**20
    ratio = first / curl
    rerun = second / first
    print(f"{ASSETS} assets, {total_mb:.0f} MB over 127.0.0.1, {JOBS} at a time; median of {ROUNDS} "
          "interleaved rounds, wall time of fresh processes")
    print(f"curl -s | sha256sum:          {curl:.2f} s ({total_mb / curl:,.0f} MB/s)")
    print(f"verify --remote (first run):  {first:.2f} s ({total_mb / first:,.0f} MB/s) = {ratio:.2f}x curl  "
          f"target <= 1.2x: {'PASS' if ratio <= 1.2 else 'FAIL'}")
    print(f"unchanged rerun with ledger:  {second:.2f} s = {rerun:.1%} of the first (HEAD only, no GET)  "
          f"target < 10%: {'PASS' if rerun < 0.1 else 'FAIL'}")
    print(f"peak memory growth, first run: {growth:.1f} MiB  target < 64 MiB: {'PASS' if growth < 64 else 'FAIL'}")
    return 0 if ratio <= 1.2 and rerun < 0.1 and growth < 64 else 1


if __name__ == "__main__":
    sys.exit(main())
