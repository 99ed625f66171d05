"""download, cache ls/prune and verify --assets/--remote from the command line, against a local server."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import REPO, sha256_of, write_card
from http_faults import FaultServer

UID = "mindspore/1.7/testnet_coco2017"
DATA = os.urandom(2 * 1024 * 1024)
URL_PATH = "/models/r1.7/testnet.ckpt"


@pytest.fixture
def setup(tmp_path, hub_env):
    with FaultServer(tmp_path / "served") as server:
        server.add_file(URL_PATH, DATA)
        write_card(tmp_path / "catalog", UID, "https://download.mindspore.cn" + URL_PATH, sha256_of(DATA))
        env = {**os.environ, "PYTHONPATH": str(REPO), "MSHUB_ENDPOINT": server.url,
               "MSHUB_CATALOG": str(tmp_path / "catalog"), "MSHUB_HOME": str(hub_env)}

        def hub(*args):
            return subprocess.run([sys.executable, "-m", "hub", *args], cwd=tmp_path, env=env,
                                  capture_output=True, text=True, timeout=120)
        yield server, hub, hub_env


def test_download_ls_verify_prune(setup):
    server, hub, home = setup
    done = hub("download", UID, "--quiet")
    assert done.returncode == 0, done.stderr
    path = done.stdout.strip()
    assert open(path, "rb").read() == DATA
    [entry] = json.loads(hub("cache", "ls", "--json").stdout)
    assert entry["state"] == "verified" and entry["uid"] == UID and entry["size"] == len(DATA)

    checked = json.loads(hub("verify", "--assets", "--json").stdout)
    statuses = {a["uid"]: a["status"] for a in checked["assets"]}
    assert checked["ok"] and statuses.pop(UID) == "ok" and len(statuses) == 4  # the bundled cards
    assert set(statuses.values()) == {"not-cached"}

    with open(path, "r+b") as f:  # silent corruption of the cached file
        f.write(b"X")
    bad = hub("verify", "--assets")
    assert bad.returncode == 1 and "MISMATCH" in bad.stdout

    partial = home / "mindspore/1.7/testnet_coco2017/.testnet.ckpt.1-abcd.incomplete"
    partial.write_bytes(b"123")
    pruned = hub("cache", "prune")
    assert pruned.returncode == 0 and str(partial) in pruned.stdout and path in pruned.stdout
    assert not os.path.exists(path) and not partial.exists()
    assert json.loads(hub("cache", "ls", "--json").stdout) == []


def test_remote_audit(setup):
    server, hub, home = setup
    good = json.loads(hub("verify", "--remote", "--json").stdout)
    statuses = {a["uid"]: a["status"] for a in good["assets"]}
    assert statuses[UID] == "ok"
    assert list(home.rglob("*.ckpt")) == []  # the audit keeps nothing
    server.add_file(URL_PATH, os.urandom(len(DATA)))
    bad = hub("verify", "--remote")
    assert bad.returncode == 1 and "MISMATCH" in bad.stdout and UID in bad.stdout


def test_download_errors_are_clear(setup):
    server, hub, home = setup
    missing = hub("download", "mindspore/1.7/absent")
    assert missing.returncode == 1 and "no model card for uid 'mindspore/1.7/absent'" in missing.stderr
    trick = hub("download", "../../x/y")
    assert trick.returncode == 1 and "'..'" in trick.stderr
