"""Hostile cards and hostile servers: a clear error in seconds, never a hang, a crash or lost bytes.

Cards are real hostile files (a FIFO, symlinks to /dev/zero and out of the catalog, an alias bomb, an
8 MiB card); servers are real HTTP servers on 127.0.0.1 misbehaving on purpose. Every command that could
hang runs in a subprocess with a timeout, so a regression fails the test instead of stalling the suite.
"""
from __future__ import annotations

import gzip
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, SEED_CARD, SSD_UID, sha256_of, write_card
from http_faults import FaultServer

from hub.catalog import Catalog
from hub.errors import CardError, ChecksumError, FetchError, UntrustedURLError
from hub.fetch import DownloadPolicy, fetch_asset

ASSET_PATH = "/models/r1.7/ssdresnet50fpn_ascend_v170_coco2017_official_cv_acc37.56.ckpt"
URL = "https://download.mindspore.cn" + ASSET_PATH
FAST = DownloadPolicy(read_timeout=1.0, retries=2, backoff=0.01, quiet=True)
CHUNK = DownloadPolicy().chunk_size  # a connection cut mid-chunk loses that chunk (urllib3 drops it)


def alias_bomb() -> str:
    """About 1 KB that expands to 10^9 list items if aliases are followed (ten per level, nine levels)."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    return "# bomb\n\n---\n\n" + "\n".join(lines) + "\n\n---\n"


PEAK = "peak-rss-kib="
# Run the CLI and report this process's own peak memory, whatever happened. VmHWM, not ru_maxrss:
# Linux carries ru_maxrss across exec, so a child forked from a big pytest process would report its size.
_MEASURED = (
    "import runpy, sys\n"
    "try:\n    runpy.run_module('hub', run_name='__main__')\n"
    "finally:\n"
    "    hwm = next(l for l in open('/proc/self/status') if l.startswith('VmHWM:')).split()[1]\n"
    f"    print('{PEAK}' + hwm, file=sys.stderr)\n")


def run_limited(*args: str, cwd: Path, env: dict | None = None, timeout: float = 60,
                memory: int = 1 << 30) -> tuple[subprocess.CompletedProcess, float, int]:
    """``python -m hub ...`` under an address-space limit; returns (result, seconds, its peak RSS in MiB)."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", _MEASURED, *args], cwd=cwd, capture_output=True, text=True,
                            timeout=timeout, preexec_fn=limit,
                            env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})})
    seconds = time.perf_counter() - start
    lines = result.stderr.splitlines()
    peak = next(int(line[len(PEAK):]) for line in lines if line.startswith(PEAK))
    result.stderr = "\n".join(line for line in lines if not line.startswith(PEAK))
    return result, seconds, peak // 1024


@pytest.fixture
def hostile_catalog(tmp_path) -> Path:
    """The seed card beside a 1 KB alias bomb, an 8 MiB card, a FIFO, a symlink to /dev/zero and a
    symlink to a valid card outside the catalog."""
    root = tmp_path / "catalog"
    folder = root / "mindspore" / "1.7"
    folder.mkdir(parents=True)
    shutil.copy(SEED_CARD, folder / "ssdresnet50fpn_coco2017.md")
    (folder / "bomb.md").write_text(alias_bomb())
    big = SEED_CARD.read_text() + "\n" + ("x" * 1023 + "\n") * (8 * 1024)
    (folder / "big.md").write_text(big)
    os.mkfifo(folder / "fifo.md")
    os.symlink("/dev/zero", folder / "zero.md")
    outside = tmp_path / "elsewhere" / "secret.md"
    outside.parent.mkdir()
    shutil.copy(SEED_CARD, outside)
    os.symlink(outside, folder / "outside.md")
    return root


def test_verify_rejects_hostile_cards_in_seconds_and_reports_the_rest(hostile_catalog, tmp_path):
    result, seconds, peak_mib = run_limited("verify", "--catalog", str(hostile_catalog), "--json", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    report = json.loads(result.stdout)
    rejected = {Path(e["path"]).name: e["message"] for e in report["errors"]}
    assert set(rejected) == {"bomb.md", "big.md", "fifo.md", "zero.md", "outside.md"}
    assert "anchors and aliases" in rejected["bomb.md"]
    assert "over the card size limit" in rejected["big.md"] and "MSHUB_MAX_CARD_BYTES" in rejected["big.md"]
    assert "FIFO" in rejected["fifo.md"]
    assert "outside the catalog" in rejected["zero.md"] and "outside the catalog" in rejected["outside.md"]
    assert report["valid"] == 1 and report["cards"] == 6
    assert seconds < 20 and peak_mib < 300, (seconds, peak_mib)


def test_the_size_limit_can_be_raised(hostile_catalog, tmp_path):
    big = hostile_catalog / "mindspore" / "1.7" / "big.md"
    with pytest.raises(CardError, match="over the card size limit"):
        Catalog([hostile_catalog]).get("mindspore/1.7/big")
    os.environ["MSHUB_MAX_CARD_BYTES"] = str(16 << 20)
    try:
        assert Catalog([hostile_catalog]).get("mindspore/1.7/big").path == str(big)
    finally:
        del os.environ["MSHUB_MAX_CARD_BYTES"]


def test_a_symlink_inside_the_catalog_is_fine(tmp_path):
    root = tmp_path / "catalog"
    write_card(root, "mindspore/1.7/real", URL, "a" * 64)
    os.symlink("real.md", root / "mindspore/1.7/alias.md")
    assert Catalog([root]).get("mindspore/1.7/alias").ckpt.sha256 == "a" * 64


@pytest.mark.parametrize("name", ["fifo", "zero", "outside", "bomb"])
def test_info_list_and_load_refuse_the_same_cards(hostile_catalog, tmp_path, name):
    uid = f"mindspore/1.7/{name}"
    env = {"MSHUB_CATALOG": str(hostile_catalog)}
    info, seconds, _ = run_limited("info", uid, cwd=tmp_path, env=env, timeout=30)
    assert info.returncode == 1 and info.stderr.startswith("error: ") and "Traceback" not in info.stderr
    assert f"{name}.md" in info.stderr and seconds < 20
    listed, _, _ = run_limited("list", "--format", "json", cwd=tmp_path, env=env, timeout=30)
    assert listed.returncode == 0 and "5 invalid cards skipped" in listed.stderr
    with pytest.raises(CardError):
        Catalog([hostile_catalog]).get(uid)


# -- servers ------------------------------------------------------------------------------------------

@pytest.fixture
def payload() -> bytes:
    return os.urandom(3 << 20) + b"\0" * (2 << 20)  # 5 MiB, partly compressible


@pytest.fixture
def mirror(tmp_path, monkeypatch, payload):
    with FaultServer(tmp_path / "served") as server:
        server.add_file(ASSET_PATH, payload)
        write_card(tmp_path / "catalog", SSD_UID, URL, sha256_of(payload))
        monkeypatch.setenv("MSHUB_ENDPOINT", server.url)
        monkeypatch.setenv("MSHUB_CATALOG", str(tmp_path / "catalog"))
        yield server


def card():
    return Catalog().get(SSD_UID)


def final_files(cache: Path) -> list[Path]:
    """Files in the cache under a final name (not temporary, not records, not locks)."""
    return [p for p in cache.rglob("*") if p.is_file()
            and not any(part.startswith(".") for part in p.relative_to(cache).parts)]


def assert_nothing_published(cache: Path) -> None:
    assert final_files(cache) == [], final_files(cache)


def test_identity_is_asked_for_and_a_server_that_gzips_when_asked_is_fine(mirror, payload, hub_env):
    mirror.server.gzip = "when-asked"
    path = fetch_asset(card(), policy=FAST)
    assert path.read_bytes() == payload
    assert [r["accept_encoding"] for r in mirror.gets(".ckpt")] == ["identity"]


def test_a_server_that_always_gzips_and_ignores_range_gives_the_decoded_file(mirror, payload, hub_env):
    mirror.server.gzip = "always"
    path = fetch_asset(card(), policy=FAST)
    assert path.read_bytes() == payload and final_files(hub_env) == [path]


def test_an_encoded_download_that_breaks_starts_over_without_range(mirror, payload, hub_env):
    mirror.server.gzip = "always"
    mirror.fail_next({"drop_after": 2 * CHUNK + 1000})  # an identity body cut short first: 2 chunks kept
    path = fetch_asset(card(), policy=FAST)
    assert path.read_bytes() == payload
    ranges = [r["range"] for r in mirror.gets(".ckpt")]
    assert ranges == [None, f"bytes={2 * CHUNK}-"]  # the gzip answer was decoded from byte 0, not appended


def test_content_length_longer_than_the_body_is_a_clear_error(mirror, hub_env):
    mirror.fail_next({"length_delta": 4096}, {"length_delta": 4096}, {"length_delta": 4096})
    start = time.perf_counter()
    with pytest.raises(FetchError, match=r"(said the file has|every time|connection closed)") as info:
        fetch_asset(card(), policy=FAST)
    assert time.perf_counter() - start < 10
    assert "4096" in str(info.value) or "bytes" in str(info.value)
    assert_nothing_published(hub_env)


def test_content_length_longer_without_range_support_is_a_clear_error(tmp_path, monkeypatch, payload, hub_env):
    with FaultServer(tmp_path / "served", honour_range=False) as server:
        server.add_file(ASSET_PATH, payload)
        write_card(tmp_path / "catalog", SSD_UID, URL, sha256_of(payload))
        monkeypatch.setenv("MSHUB_ENDPOINT", server.url)
        monkeypatch.setenv("MSHUB_CATALOG", str(tmp_path / "catalog"))
        server.fail_next(*[{"length_delta": 4096}] * 4)
        with pytest.raises(FetchError, match="every time"):
            fetch_asset(card(), policy=FAST)
        assert len(server.gets(".ckpt")) == 2
    assert_nothing_published(hub_env)


def test_content_length_shorter_than_the_body_is_a_clear_error(mirror, hub_env):
    mirror.fail_next({"length_delta": -4096})
    with pytest.raises(ChecksumError, match="sha256 mismatch.*the download was deleted"):
        fetch_asset(card(), policy=FAST)
    assert_nothing_published(hub_env)


def test_a_206_starting_elsewhere_than_asked_is_not_appended(mirror, payload, hub_env):
    mirror.fail_next({"drop_after": 2 * CHUNK + 1000}, {"range_start": 4096})
    path = fetch_asset(card(), policy=FAST)
    assert path.read_bytes() == payload
    assert [r["range"] for r in mirror.gets(".ckpt")] == [None, f"bytes={2 * CHUNK}-", None]


def test_an_endless_body_stops_at_the_size_limit(mirror, hub_env, monkeypatch):
    monkeypatch.setenv("MSHUB_MAX_DOWNLOAD_BYTES", str(8 << 20))
    mirror.fail_next({"endless": True})
    start = time.perf_counter()
    with pytest.raises(FetchError, match="more than the limit of 8388608 bytes"):
        fetch_asset(card(), policy=DownloadPolicy(read_timeout=1.0, retries=0, quiet=True))
    assert time.perf_counter() - start < 10
    assert_nothing_published(hub_env)
    assert [p for p in hub_env.rglob("*.incomplete")] == []


def test_a_compression_bomb_stops_at_the_size_limit_in_bounded_memory(mirror, hub_env, monkeypatch):
    monkeypatch.setenv("MSHUB_MAX_DOWNLOAD_BYTES", str(16 << 20))
    member = gzip.compress(b"\0" * (64 << 20), 1)
    mirror.fail_next({"gzip_body": member * 16})  # 1 GiB of zeros as 16 gzip members, about 4 MB on the wire
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(FetchError, match="more than the limit"):
        fetch_asset(card(), policy=DownloadPolicy(read_timeout=2.0, retries=0, quiet=True))
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mib < 200, grown_mib
    assert_nothing_published(hub_env)


def test_a_redirect_to_a_non_http_scheme_is_refused(mirror, hub_env):
    mirror.fail_next({"redirect": "file:///etc/passwd"})
    with pytest.raises(UntrustedURLError, match="file:///etc/passwd, which is not an HTTP URL"):
        fetch_asset(card(), policy=FAST)
    assert_nothing_published(hub_env)


def test_a_body_that_stalls_is_resumed_after_the_read_timeout(mirror, payload, hub_env):
    mirror.fail_next({"stall_after": 2 * CHUNK + 1000, "seconds": 5})
    start = time.perf_counter()
    path = fetch_asset(card(), policy=FAST)
    assert path.read_bytes() == payload and time.perf_counter() - start < 5
    assert [r["range"] for r in mirror.gets(".ckpt")] == [None, f"bytes={2 * CHUNK}-"]


def test_a_body_that_always_stalls_gives_up_in_seconds_and_keeps_its_bytes(mirror, hub_env):
    mirror.fail_next(*[{"stall_after": CHUNK + 1000, "seconds": 5}] * 5)
    start = time.perf_counter()
    # each of the 3 attempts resumes and gets one more whole chunk before the stall
    with pytest.raises(FetchError, match=f"gave up after 2 retries with {3 * CHUNK} bytes kept to resume"):
        fetch_asset(card(), policy=FAST)
    assert time.perf_counter() - start < 10
    assert_nothing_published(hub_env)
    assert len(list(hub_env.rglob("*.incomplete"))) == 1
