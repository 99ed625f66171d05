"""Cold download of a 130 MB file from a local server: hub fetcher vs. ``curl -o`` and vs. a fetcher that
reads the whole body into memory to hash it (what the hub's own fetcher does); then a warm call."""
from __future__ import annotations

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

SIZE = 130 * 1024 * 1024
ROUNDS = 3
URL_PATH = "models/r1.7/bench.ckpt"

CHILD = HWM + r"""
import json, os, sys, time, hashlib
mode, url, sha, home = sys.argv[1:5]
import requests
from hub.catalog import Catalog
from hub.fetch import fetch_asset
card = Catalog().get("mindspore/1.7/bench_coco2017")
before = hwm()
t0 = time.perf_counter()
if mode == "hub":
    path = fetch_asset(card)
    assert path.stat().st_size > 0
elif mode == "warm":
    fetch_asset(card)
    t0 = time.perf_counter()
    fetch_asset(card)
else:  # whole body in memory, then hash, then write: the hub's own fetcher's way
    body = requests.get(url).content
    assert hashlib.sha256(body).hexdigest() == sha
    with open(os.path.join(home, "whole.ckpt"), "wb") as f:
        f.write(body)
elapsed = time.perf_counter() - t0
print(json.dumps({"seconds": elapsed, "growth": hwm() - before}))
"""



def run_child(mode: str, url: str, sha: str, env: dict, home: Path) -> dict:
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    out = subprocess.run([sys.executable, "-c", CHILD, mode, url, sha, str(home)], env={**env, "MSHUB_HOME": str(home)},
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def run_curl(url: str, home: Path) -> float:
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    t0 = time.perf_counter()
    subprocess.run(["curl", "-sS", "-o", str(home / "curl.ckpt"), url], check=True)
    return time.perf_counter() - t0


def main() -> int:
    if shutil.which("curl") is None:
        print("curl is not installed: apt-get install curl")
        return 2
    import hashlib

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        served = tmp / "served" / URL_PATH
        served.parent.mkdir(parents=True)
        data = os.urandom(SIZE)
        served.write_bytes(data)
        sha = hashlib.sha256(data).hexdigest()
        del data
        card = tmp / "catalog" / "mindspore" / "1.7" / "bench_coco2017.md"
        card.parent.mkdir(parents=True)
        card.write_text(CARD.format(path=URL_PATH, sha=sha))
        with Mirror(tmp / "served") as mirror:
            url = f"{mirror.url}/{URL_PATH}"
            env = {**os.environ, "MSHUB_ENDPOINT": mirror.url, "MSHUB_CATALOG": str(tmp / "catalog"),
                   "MSHUB_QUIET": "1", "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
            hub_runs, curl_runs, whole_runs = [], [], []
            for _ in range(ROUNDS):  # interleaved, so both see the same machine state
                curl_runs.append(run_curl(url, tmp / "c"))
                hub_runs.append(run_child("hub", url, sha, env, tmp / "h"))
                whole_runs.append(run_child("whole", url, sha, env, tmp / "w"))
            warm = run_child("warm", url, sha, env, tmp / "h")
    hub_s = statistics.median(r["seconds"] for r in hub_runs)
    curl_s = statistics.median(curl_runs)
    growth = max(r["growth"] for r in hub_runs) / 2**20
    whole_growth = max(r["growth"] for r in whole_runs) / 2**20
    mb = SIZE / 2**20
    ratio = curl_s / hub_s
    print(f"file: {mb:.0f} MiB over 127.0.0.1, median of {ROUNDS} cold runs")
    print(f"curl -o:      {curl_s:.3f} s  ({mb / curl_s:,.0f} MiB/s)")
    print(f"hub fetcher:  {hub_s:.3f} s  ({mb / hub_s:,.0f} MiB/s; sha256 in the same pass, fsync, rename)")
    print(f"speed vs curl: {ratio:.2f}x  target >= 0.9x: {'PASS' if ratio >= 0.9 else 'FAIL'}")
    print(f"peak memory growth: hub {growth:.1f} MiB vs whole-body fetch {whole_growth:.1f} MiB "
          f"({whole_growth / max(growth, 0.1):.0f}x)  target < 64 MiB: {'PASS' if growth < 64 else 'FAIL'}")
    print(f"warm call: {warm['seconds'] * 1000:.2f} ms  target < 50 ms: {'PASS' if warm['seconds'] < 0.05 else 'FAIL'}")
    return 0 if ratio >= 0.9 and growth < 64 and warm["seconds"] < 0.05 else 1


if __name__ == "__main__":
    sys.exit(main())
