"""Cards whose asset-sha256 is an 8-hex-digit prefix (MindCV/MindYOLO), on download-mindspore.osinfra.cn.

The asset host is stood in for by a real HTTP server on 127.0.0.1 reached through MSHUB_ENDPOINT.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import mindspore as ms
import numpy as np
import pytest
from conftest import REPO, sha256_of, write_card
from http_faults import FaultServer

import mindspore_hub as mshub
from hub.errors import UntrustedURLError, WeakChecksumWarning

UID = "mindspore/2.3/hrnetw32_imagenet2012"
URL = "https://download-mindspore.osinfra.cn/toolkits/mindcv/hrnet/hrnet_w32-{prefix}-910v2.ckpt"


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("ckpt") / "small.ckpt"
    weight = ms.Tensor(np.arange(24, dtype=np.float32).reshape(2, 3, 2, 2))
    ms.save_checkpoint([{"name": "conv.weight", "data": weight}], str(path))
    return path.read_bytes()


@pytest.fixture
def served(tmp_path, monkeypatch, checkpoint):
    """The checkpoint on a local mirror, and a card in a user catalog giving its 8-digit sha256 prefix."""
    prefix = sha256_of(checkpoint)[:8]
    url = URL.format(prefix=prefix)
    with FaultServer(tmp_path / "served") as server:
        server.add_file(url.split("osinfra.cn", 1)[1], checkpoint)
        write_card(tmp_path / "catalog", UID, url, prefix)
        monkeypatch.setenv("MSHUB_ENDPOINT", server.url)
        monkeypatch.setenv("MSHUB_CATALOG", str(tmp_path / "catalog"))
        yield server, url, prefix


def hub_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "hub", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120)


def test_download_command_says_it_was_a_prefix_check(served, tmp_path, hub_env):
    server, _, prefix = served
    result = hub_cli("download", UID, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.strip())
    assert path.is_file() and path.parent == hub_env.joinpath(*UID.split("/"))
    assert f"verified sha256 prefix {prefix} (8 of 64 hex digits: a prefix check)" in result.stderr
    assert "warning:" in result.stderr and "full sha256 is" in result.stderr
    assert len(server.gets(".ckpt")) == 1


def test_wrong_prefix_is_a_clear_error_and_leaves_no_file(served, tmp_path, hub_env):
    server, url, prefix = served
    wrong = format(int(prefix, 16) ^ 1, "08x")
    write_card(tmp_path / "catalog", UID, url, wrong)
    result = hub_cli("download", UID, cwd=tmp_path)
    assert result.returncode == 1
    assert "sha256 mismatch" in result.stderr and f"expected sha256 prefix {wrong}" in result.stderr
    assert not hub_env.exists() or [p for p in hub_env.rglob("*") if p.is_file()] == []


def test_load_weights_verifies_the_prefix_and_warns_once(served):
    with pytest.warns(WeakChecksumWarning, match="8 of 64 hex digits"):
        weights = mshub.load_weights(UID)
    assert list(weights) == ["conv.weight"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # served from the cache: verified before, no second warning
        assert list(mshub.load_weights(UID)) == ["conv.weight"]


def test_verify_assets_and_remote_check_the_prefix(served, tmp_path):
    server, url, prefix = served
    hub_cli("download", UID, cwd=tmp_path)
    for flag in ("--assets", "--remote"):
        result = hub_cli("verify", "--catalog", str(tmp_path / "catalog"), flag, "--json", cwd=tmp_path)
        assert result.returncode == 0, result.stdout + result.stderr
        report = json.loads(result.stdout)
        assert [a["status"] for a in report["assets"]] == ["ok"]
        assert f"prefix {prefix}" in report["assets"][0]["detail"]
        assert report["counts"]["warnings_by_rule"] == {"weak-checksum": 1}


def test_both_official_download_hosts_are_trusted():
    """Every redirect hop is checked against the same list, so either host may redirect to the other."""
    from hub.trust import check_trusted

    check_trusted(URL.format(prefix="abcdef12"), "test")
    check_trusted("https://download.mindspore.cn/toolkits/x.ckpt", "test")
    for url in ("https://download-mindspore.osinfra.cn.evil.example/x.ckpt",
                "http://download-mindspore.osinfra.cn/x.ckpt"):
        with pytest.raises(UntrustedURLError):
            check_trusted(url, "test")
