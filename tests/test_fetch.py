"""The fetcher against a real HTTP server on 127.0.0.1: verified, resumable, fault-tolerant downloads."""
from __future__ import annotations

import os
import subprocess

import pytest
from conftest import sha256_of, write_card
from http_faults import FaultServer

import hub.fetch.assets
from hub.cards import parse_card
from hub.errors import ChecksumError, FetchError, OfflineError, UntrustedURLError
from hub.fetch import CachedFile, DownloadPolicy, fetch_asset

UID = "mindspore/1.7/testnet_coco2017"
URL_PATH = "/models/r1.7/testnet.ckpt"
DATA = os.urandom(3 * 1024 * 1024 + 123)


def fast_policy(**kw) -> DownloadPolicy:
    slept = []
    defaults = dict(backoff=0.01, max_backoff=5.0, read_timeout=2.0, retries=3, quiet=True, sleep=slept.append)
    defaults.update(kw)
    policy = DownloadPolicy(**defaults)
    policy.slept = slept
    return policy


@pytest.fixture
def server(tmp_path, monkeypatch):
    with FaultServer(tmp_path / "served") as srv:
        srv.add_file(URL_PATH, DATA)
        monkeypatch.setenv("MSHUB_ENDPOINT", srv.url)
        yield srv


def make_card(tmp_path, sha256: str = sha256_of(DATA), url: str = "https://download.mindspore.cn" + URL_PATH):
    return parse_card(write_card(tmp_path / "catalog", UID, url, sha256), uid=UID)


def debris(hub_home) -> list[str]:
    """Files under the cache other than lock files."""
    if not hub_home.exists():
        return []
    return sorted(str(p.relative_to(hub_home)) for p in hub_home.rglob("*")
                  if p.is_file() and ".locks" not in p.parts)


def test_download_then_warm_hit_without_rehash(server, tmp_path, hub_env, monkeypatch):
    card = make_card(tmp_path)
    path = fetch_asset(card, policy=fast_policy())
    assert path.read_bytes() == DATA
    assert path == hub_env / "mindspore/1.7/testnet_coco2017/testnet.ckpt"
    assert debris(hub_env) == ["mindspore/1.7/testnet_coco2017/.testnet.ckpt.verified.json",
                               "mindspore/1.7/testnet_coco2017/testnet.ckpt"]
    assert len(server.gets()) == 1

    def no_hashing(*_):
        raise AssertionError("a warm call must not re-hash")

    monkeypatch.setattr(hub.fetch.assets, "file_sha256", no_hashing)
    assert fetch_asset(card) == path
    assert len(server.gets()) == 1


def test_changed_file_is_rehashed_and_replaced(server, tmp_path):
    card = make_card(tmp_path)
    path = fetch_asset(card, policy=fast_policy())
    path.write_bytes(b"tampered" + DATA[8:])  # same size, new mtime: the record no longer matches
    assert fetch_asset(card, policy=fast_policy()).read_bytes() == DATA
    assert len(server.gets()) == 2


def test_resume_after_dropped_connection(server, tmp_path):
    server.fail_next({"drop_after": 1024 * 1024})
    path = fetch_asset(make_card(tmp_path), policy=fast_policy())
    assert path.read_bytes() == DATA
    gets = server.gets()
    assert len(gets) == 2 and gets[0]["range"] is None and gets[1]["range"] == f"bytes={1024 * 1024}-"


def test_server_ignoring_range_starts_over(tmp_path, monkeypatch):
    with FaultServer(tmp_path / "served", honour_range=False) as srv:
        srv.add_file(URL_PATH, DATA)
        monkeypatch.setenv("MSHUB_ENDPOINT", srv.url)
        srv.fail_next({"drop_after": 500_000})
        path = fetch_asset(make_card(tmp_path), policy=fast_policy())
        assert path.read_bytes() == DATA
        kept = srv.gets()[1]["range"]
        assert kept is not None and 0 < int(kept[6:-1]) <= 500_000  # asked for the rest, got a full 200


def test_404_is_clear_and_leaves_nothing(server, tmp_path, hub_env):
    card = make_card(tmp_path, url="https://download.mindspore.cn/models/missing.ckpt")
    with pytest.raises(FetchError, match="HTTP 404.*/models/missing.ckpt"):
        fetch_asset(card, policy=fast_policy())
    assert list(hub_env.rglob("*")) == []  # not even a directory or a lock file


def test_500_then_success(server, tmp_path):
    server.fail_next({"status": 500}, {"status": 503})
    policy = fast_policy()
    assert fetch_asset(make_card(tmp_path), policy=policy).read_bytes() == DATA
    assert len(server.gets()) == 3 and policy.slept == [0.01, 0.02]


def test_429_honours_retry_after(server, tmp_path):
    server.fail_next({"status": 429, "headers": {"Retry-After": "3"}})
    policy = fast_policy()
    fetch_asset(make_card(tmp_path), policy=policy)
    assert policy.slept == [3.0]


def test_persistent_5xx_gives_up(server, tmp_path, hub_env):
    server.fail_next(*[{"status": 502}] * 4)
    with pytest.raises(FetchError, match="HTTP 502.*gave up after 3 retries.*MSHUB_OFFLINE=1"):
        fetch_asset(make_card(tmp_path), policy=fast_policy())
    assert debris(hub_env) == []


def test_wrong_bytes_fail_the_hash_and_are_deleted(server, tmp_path, hub_env):
    server.fail_next({"body": os.urandom(len(DATA))})
    with pytest.raises(ChecksumError, match="sha256 mismatch.*testnet.ckpt"):
        fetch_asset(make_card(tmp_path), policy=fast_policy())
    assert list(hub_env.rglob("*")) == []


def test_html_error_page_with_status_200(server, tmp_path, hub_env):
    server.fail_next({"body": b"<html><body>Login required</body></html>", "content_type": "text/html"})
    with pytest.raises(ChecksumError, match="HTML page"):
        fetch_asset(make_card(tmp_path), policy=fast_policy())
    assert debris(hub_env) == []


def test_stalled_body_times_out_and_resumes(server, tmp_path):
    server.fail_next({"stall_after": 600_000, "seconds": 3})
    path = fetch_asset(make_card(tmp_path), policy=fast_policy(read_timeout=0.5))
    assert path.read_bytes() == DATA
    kept = server.gets()[1]["range"]
    assert kept is not None and 0 < int(kept[6:-1]) <= 600_000


def test_redirect_loop(server, tmp_path):
    server.fail_next({"redirect": "/models/r1.7/a"}, {"redirect": URL_PATH})
    with pytest.raises(FetchError, match="redirect loop"):
        fetch_asset(make_card(tmp_path), policy=fast_policy())


def test_redirect_to_untrusted_host_is_refused(server, tmp_path):
    server.fail_next({"redirect": "https://evil.example.com/x.ckpt"})
    with pytest.raises(UntrustedURLError, match="evil.example.com"):
        fetch_asset(make_card(tmp_path), policy=fast_policy())


def test_untrusted_asset_url_is_refused_with_advice(tmp_path, hub_env):
    card = make_card(tmp_path, url="http://127.0.0.1:9/x.ckpt")
    with pytest.raises(UntrustedURLError) as info:
        fetch_asset(card)
    assert "MSHUB_TRUSTED_HOSTS" in str(info.value) and "MSHUB_ENDPOINT" in str(info.value)
    assert debris(hub_env) == []


def test_short_body_is_kept_for_resume(server, tmp_path, hub_env):
    card = make_card(tmp_path)
    server.fail_next({"drop_after": 700_000})
    with pytest.raises(FetchError, match="gave up after 0 retries with .* bytes kept to resume"):
        fetch_asset(card, policy=fast_policy(retries=0))
    cached = CachedFile.for_asset(UID, "testnet.ckpt")
    assert not cached.path.exists()
    [partial] = cached.incomplete_paths()
    kept = partial.stat().st_size
    assert 0 < kept <= 700_000 and partial.read_bytes() == DATA[:kept]
    assert fetch_asset(card, policy=fast_policy()).read_bytes() == DATA
    assert server.gets()[-1]["range"] == f"bytes={kept}-"
    assert cached.incomplete_paths() == []


def test_complete_leftover_is_published_without_download(server, tmp_path, hub_env):
    card = make_card(tmp_path)
    cached = CachedFile.for_asset(UID, "testnet.ckpt")
    cached.directory.mkdir(parents=True)
    cached.new_incomplete_path().write_bytes(DATA)  # a run killed after the last byte, before the rename
    assert fetch_asset(card, policy=fast_policy()).read_bytes() == DATA
    assert [r["range"] for r in server.gets()] == [f"bytes={len(DATA)}-"]


def test_size_limit(server, tmp_path, hub_env, monkeypatch):
    monkeypatch.setenv("MSHUB_MAX_DOWNLOAD_BYTES", "1000")
    with pytest.raises(FetchError, match="over the limit of 1000 bytes"):
        fetch_asset(make_card(tmp_path), policy=DownloadPolicy(quiet=True))
    assert debris(hub_env) == []


def test_offline(server, tmp_path, monkeypatch):
    card = make_card(tmp_path)
    monkeypatch.setenv("MSHUB_OFFLINE", "1")
    with pytest.raises(OfflineError, match="MSHUB_OFFLINE is set.*testnet.ckpt"):
        fetch_asset(card)
    assert server.gets() == []
    monkeypatch.delenv("MSHUB_OFFLINE")
    path = fetch_asset(card, policy=fast_policy())
    monkeypatch.setenv("MSHUB_OFFLINE", "1")
    assert fetch_asset(card) == path


def test_full_disk_leaves_nothing(server, tmp_path, monkeypatch):
    small = tmp_path / "small"
    small.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(small)],
                             capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        monkeypatch.setenv("MSHUB_HOME", str(small))
        with pytest.raises(FetchError, match="no space left on device"):
            fetch_asset(make_card(tmp_path), policy=fast_policy())
        assert debris(small) == []
    finally:
        subprocess.run(["umount", str(small)], check=False)


def test_force_downloads_again(server, tmp_path):
    card = make_card(tmp_path)
    fetch_asset(card, policy=fast_policy())
    fetch_asset(card, force=True, policy=fast_policy())
    assert len(server.gets()) == 2
