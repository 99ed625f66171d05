"""Several processes and a killed process: one download, only verified files ever published."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from conftest import REPO, sha256_of, write_card
from http_faults import FaultServer

UID = "mindspore/1.7/testnet_coco2017"
URL_PATH = "/models/r1.7/testnet.ckpt"
DATA = os.urandom(4 * 1024 * 1024)

FETCH = """
import json, sys
from hub.catalog import Catalog
from hub.fetch import fetch_asset, file_sha256
path = fetch_asset(Catalog().get(sys.argv[1]))
print(json.dumps({"path": str(path), "sha256": file_sha256(path)}))
"""


def env_for(server, tmp_path, hub_env) -> dict:
    write_card(tmp_path / "catalog", UID, "https://download.mindspore.cn" + URL_PATH, sha256_of(DATA))
    return {**os.environ, "PYTHONPATH": str(REPO), "MSHUB_ENDPOINT": server.url,
            "MSHUB_CATALOG": str(tmp_path / "catalog"), "MSHUB_HOME": str(hub_env), "MSHUB_QUIET": "1"}


def test_eight_processes_download_once(tmp_path, hub_env):
    with FaultServer(tmp_path / "served") as server:
        server.add_file(URL_PATH, DATA)
        server.server.throttle = 0.02  # ~3 MB/s: the processes overlap for more than a second
        env = env_for(server, tmp_path, hub_env)
        procs = [subprocess.Popen([sys.executable, "-c", FETCH, UID], env=env, cwd=tmp_path,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(8)]
        results = []
        for proc in procs:
            out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
            results.append(json.loads(out))
        assert len(server.gets(URL_PATH)) == 1
    assert {r["sha256"] for r in results} == {sha256_of(DATA)}
    assert len({r["path"] for r in results}) == 1


def test_killed_download_resumes(tmp_path, hub_env):
    with FaultServer(tmp_path / "served") as server:
        server.add_file(URL_PATH, DATA)
        server.server.throttle = 0.05
        env = env_for(server, tmp_path, hub_env)
        proc = subprocess.Popen([sys.executable, "-c", FETCH, UID], env=env, cwd=tmp_path,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        target = hub_env / "mindspore/1.7/testnet_coco2017"
        deadline = time.monotonic() + 60
        partial = []
        while time.monotonic() < deadline:
            partial = list(target.glob("*.incomplete")) if target.exists() else []
            if partial and partial[0].stat().st_size >= len(DATA) // 2:
                break
            time.sleep(0.05)
        assert partial, "the download never started"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        kept = partial[0].stat().st_size
        assert 0 < kept < len(DATA)
        assert not (target / "testnet.ckpt").exists()

        server.server.throttle = 0.0
        again = subprocess.run([sys.executable, "-c", FETCH, UID], env=env, cwd=tmp_path,
                               capture_output=True, text=True, timeout=120)
        assert again.returncode == 0, again.stderr
        assert json.loads(again.stdout)["sha256"] == sha256_of(DATA)
        assert server.gets(URL_PATH)[-1]["range"] == f"bytes={kept}-"
        assert list(target.glob("*.incomplete")) == []
