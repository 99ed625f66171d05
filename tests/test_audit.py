"""``verify --remote``: every asset of every card audited once per URL, with a ledger that makes an
unchanged rerun download nothing and an interrupted run resumable, and reports for CI."""
from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from audit_catalog import HOST, card_text, write_audit_catalog
from conftest import REPO
from http_faults import FaultServer


def run_verify(tmp_path: Path, server, *args: str, wait: bool = True):
    env = {**os.environ, "PYTHONPATH": str(REPO), "MSHUB_ENDPOINT": server.url}
    cmd = [sys.executable, "-m", "hub", "verify", "--catalog", str(tmp_path / "catalog"), "--remote", *args]
    if not wait:
        return subprocess.Popen(cmd, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture
def catalog_200(tmp_path):
    with FaultServer(tmp_path / "served") as server:
        digests = write_audit_catalog(tmp_path / "catalog", tmp_path / "served", 200)
        yield server, digests


def gets(server, since: int) -> list[str]:
    return [r["path"] for r in server.requests[since:] if r["method"] == "GET"]


def test_ledger_rerun_change_and_full(catalog_200, tmp_path):
    server, digests = catalog_200
    ledger, junit = tmp_path / "ledger.db", tmp_path / "junit.xml"
    first = run_verify(tmp_path, server, "--ledger", str(ledger), "--json", "--junit", str(junit))
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    assert len(report["assets"]) == 400 and {a["status"] for a in report["assets"]} == {"ok"}
    assert {a["how"] for a in report["assets"]} == {"downloaded"}
    assert {a["format"] for a in report["assets"]} == {"ckpt", "mindir"}
    assert sorted(gets(server, 0)) == sorted(digests)  # exactly one GET per asset
    assert "audit: 400 assets: 400 ok; 400 downloaded" in first.stderr
    cases = ET.parse(junit).getroot().iter("testcase")
    assert len(list(cases)) == 400

    mark = len(server.requests)
    second = run_verify(tmp_path, server, "--ledger", str(ledger), "--json")
    assert second.returncode == 0, second.stderr
    report = json.loads(second.stdout)
    assert {a["status"] for a in report["assets"]} == {"ok"} and {a["how"] for a in report["assets"]} == {"ledger"}
    assert gets(server, mark) == [] and report["audit"]["ledger"] == 400

    changed = "/models/audit/net0123.mindir"
    served = tmp_path / "served" / changed.lstrip("/")
    served.write_bytes(b"\0" * served.stat().st_size)  # same size: the validators must catch it
    mark = len(server.requests)
    third = run_verify(tmp_path, server, "--ledger", str(ledger), "--json", "--junit", str(junit))
    assert third.returncode == 1
    report = json.loads(third.stdout)
    bad = [a for a in report["assets"] if a["status"] != "ok"]
    assert [(a["url"], a["status"]) for a in bad] == [(HOST + changed, "mismatch")]
    assert digests[changed] in bad[0]["detail"] and gets(server, mark) == [changed]
    root = ET.parse(junit).getroot()
    failures = [c for c in root.iter("testcase") if c.find("failure") is not None]
    assert len(list(root.iter("testcase"))) == 400 and len(failures) == 1
    assert failures[0].find("failure").get("type") == "mismatch" and failures[0].get("classname") == \
        "mindspore/1.7/net0123_coco2017"

    mark = len(server.requests)
    full = run_verify(tmp_path, server, "--ledger", str(ledger), "--json", "--full")
    assert full.returncode == 1 and len(gets(server, mark)) == 400


def test_sigkill_half_way_keeps_what_finished(catalog_200, tmp_path):
    server, digests = catalog_200
    server.server.throttle = 0.004  # slow enough to be killed half way
    ledger = tmp_path / "ledger.db"
    run = run_verify(tmp_path, server, "--ledger", str(ledger), "--jobs", "4", wait=False)
    deadline = time.monotonic() + 120
    done = 0
    while time.monotonic() < deadline and done < 150:
        time.sleep(0.1)
        if ledger.exists():
            with sqlite3.connect(ledger) as db:
                try:
                    done = db.execute("SELECT count(*) FROM audit").fetchone()[0]
                except sqlite3.OperationalError:
                    done = 0
    run.send_signal(signal.SIGKILL)
    run.wait()
    with sqlite3.connect(ledger) as db:
        finished = {row[0] for row in db.execute("SELECT url FROM audit WHERE outcome = 'ok'")}
    assert 150 <= len(finished) < 400
    server.server.throttle = 0.0
    mark = len(server.requests)
    rerun = run_verify(tmp_path, server, "--ledger", str(ledger), "--json")
    assert rerun.returncode == 0, rerun.stderr
    assert sorted(gets(server, mark)) == sorted(p for p in digests if HOST + p not in finished)
    assert len(json.loads(rerun.stdout)["assets"]) == 400


def test_shared_urls_prefixes_untrusted_and_errors(tmp_path):
    with FaultServer(tmp_path / "served") as server:
        data = os.urandom(50_000)
        sha = hashlib.sha256(data).hexdigest()
        server.add_file("/models/shared.ckpt", data)
        folder = tmp_path / "catalog" / "mindspore" / "1.7"
        folder.mkdir(parents=True)
        shared = (HOST + "/models/shared.ckpt")
        (folder / "a_coco2017.md").write_text(card_text([("ckpt", shared, sha)]))
        (folder / "b_coco2017.md").write_text(card_text([("ckpt", shared, sha[:8]),
                                                          ("mindir", HOST + "/models/gone.mindir", "e" * 64)]))
        (folder / "c_coco2017.md").write_text(card_text([("onnx", "https://files.example.com/c.onnx", "f" * 64)]))
        result = run_verify(tmp_path, server, "--json")
        report = json.loads(result.stdout)
        by_url = {a["url"]: a for a in report["assets"]}
        assert result.returncode == 1 and len(report["assets"]) == 3
        assert by_url[shared]["status"] == "ok" and by_url[shared]["check"] == "sha256-prefix"
        assert by_url[shared]["cards"] == ["mindspore/1.7/a_coco2017", "mindspore/1.7/b_coco2017"]
        assert len(server.gets("/models/shared.ckpt")) == 1
        assert by_url[HOST + "/models/gone.mindir"]["status"] == "error"
        assert "404" in by_url[HOST + "/models/gone.mindir"]["detail"]
        untrusted = by_url["https://files.example.com/c.onnx"]
        assert untrusted["status"] == "untrusted" and untrusted["how"] == "refused"
        assert not any("c.onnx" in r["path"] for r in server.requests)
        assert "1 checked by sha256 prefix only" in result.stderr


def test_max_age_rehashes_old_entries(tmp_path):
    with FaultServer(tmp_path / "served") as server:
        digests = write_audit_catalog(tmp_path / "catalog", tmp_path / "served", 3)
        ledger = tmp_path / "ledger.db"
        assert run_verify(tmp_path, server, "--ledger", str(ledger)).returncode == 0
        old = HOST + "/models/audit/net0001.ckpt"
        with sqlite3.connect(ledger) as db:
            db.execute("UPDATE audit SET checked_at = checked_at - 10 * 86400 WHERE url = ?", (old,))
        mark = len(server.requests)
        assert run_verify(tmp_path, server, "--ledger", str(ledger), "--max-age", "30").returncode == 0
        assert gets(server, mark) == []
        recent = run_verify(tmp_path, server, "--ledger", str(ledger), "--max-age", "7")
        assert recent.returncode == 0 and gets(server, mark) == ["/models/audit/net0001.ckpt"]
        assert "6 assets: 6 ok; 1 downloaded" in recent.stderr and len(digests) == 6


def test_options_need_remote_and_a_usable_ledger(tmp_path):
    with FaultServer(tmp_path / "served") as server:
        write_audit_catalog(tmp_path / "catalog", tmp_path / "served", 1)
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        alone = subprocess.run([sys.executable, "-m", "hub", "verify", "--ledger", "x.db"], cwd=tmp_path, env=env,
                               capture_output=True, text=True, timeout=60)
        assert alone.returncode == 2 and "go with --remote" in alone.stderr
        (tmp_path / "bad.db").write_bytes(b"not a database at all" * 100)
        bad = run_verify(tmp_path, server, "--ledger", str(tmp_path / "bad.db"))
        assert bad.returncode == 1 and "audit ledger" in bad.stderr and "bad.db" in bad.stderr
        nowhere = run_verify(tmp_path, server, "--junit", str(tmp_path / "no" / "j.xml"))
        assert nowhere.returncode == 2 and "--junit" in nowhere.stderr and "does not exist" in nowhere.stderr
        assert server.requests == []  # refused before any asset is audited
        assert "Traceback" not in bad.stderr
