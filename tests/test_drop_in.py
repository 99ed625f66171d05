"""``mindspore_hub`` behaves as MindSpore Hub does: ``hub_list(version)`` lists a branch of the hub's
repository (synced on first use, cached per branch), and bad input raises the exception types MindSpore
Hub raises. The hub repository is a local bare one behind ``url.<base>.insteadOf``."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO
from zoo_repos import git

import mindspore_hub as mshub
from hub.errors import HubError, OfflineError

CARD = "---\nmodel-name: x\n---\n"
BRANCHES = {  # branch -> card files under mshub_res/assets/
    "master": ["mindspore/1.8/alpha_x.md", "mindspore/1.9/beta_x.md", "mindspore/1.9/beta_x_cn.md",
               "mindspore/1.9/alpha_x.md", "noah-cvlab/1.1/other_x.md"],
    "r1.8": ["mindspore/1.8/alpha_x.md", "mindspore/1.8/gamma_x.md"],
    "r1.6": ["mindspore/ascend/1.6/delta_x.md", "mindspore/gpu/1.5/epsilon_x.md"],
}


def _commit(work: Path, files: list[str], message: str) -> None:
    for rel in files:
        path = work / "mshub_res" / "assets" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(CARD)
    git("add", "-A", cwd=work)
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", message, cwd=work)


@pytest.fixture
def hub_repo(tmp_path, monkeypatch, hub_env):
    work = tmp_path / "hub-work"
    work.mkdir()
    git("init", "-q", "-b", "master", cwd=work)
    _commit(work, BRANCHES["master"], "master")
    for branch in ("r1.8", "r1.6"):
        git("checkout", "-q", "-b", branch, "master", cwd=work)
        git("rm", "-rq", "mshub_res", cwd=work)
        _commit(work, BRANCHES[branch], branch)
    git("checkout", "-q", "master", cwd=work)
    bare = tmp_path / "hub.git"
    git("clone", "-q", "--bare", str(work), str(bare))
    config = tmp_path / "gitconfig"
    config.write_text(f'[url "file://{bare}"]\n\tinsteadOf = https://gitee.com/mindspore/hub.git\n'
                      "[uploadpack]\n\tallowFilter = true\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    return work


def test_hub_list_lists_a_branch_of_the_hub(hub_repo, hub_env):
    assert mshub.hub_list() == ["alpha_x", "beta_x", "beta_x_cn"]  # synced on first use
    assert mshub.hub_list("master", False) == mshub.hub_list(None, True)
    assert mshub.hub_list("r1.8", force_reload=True) == ["alpha_x", "gamma_x"]
    assert mshub.hub_list("r1.6") == ["delta_x", "epsilon_x"]  # <publisher>/<device>/<version> layout
    assert (hub_env / ".catalogs" / "gitee").is_dir() and (hub_env / ".catalogs" / "gitee@r1.8").is_dir()
    _commit(hub_repo, ["mindspore/2.0/zeta_x.md"], "a new card on master")
    git("push", "-q", str(hub_repo.parent / "hub.git"), "master", cwd=hub_repo)
    assert "zeta_x" not in mshub.hub_list()  # cached
    assert "zeta_x" in mshub.hub_list(force_reload=True)
    assert mshub.hub_list("r1.8") == ["alpha_x", "gamma_x"]  # each branch cached apart


def test_hub_list_offline_uses_the_cache_or_says_how_to_sync(hub_repo, monkeypatch):
    monkeypatch.setenv("MSHUB_OFFLINE", "1")
    with pytest.raises(OfflineError, match=r"branch 'r1.8'.*python -m hub sync --branch r1.8"):
        mshub.hub_list("r1.8")
    env = {**os.environ, "PYTHONPATH": str(REPO), "MSHUB_OFFLINE": "0"}
    done = subprocess.run([sys.executable, "-m", "hub", "sync", "--branch", "r1.8"], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0 and "(r1.8)" in done.stdout, done.stderr
    assert mshub.hub_list("r1.8", force_reload=True) == ["alpha_x", "gamma_x"]  # offline: the cached one


def test_hub_list_bad_input_raises_what_mindspore_hub_raises(hub_env, monkeypatch):
    monkeypatch.setenv("MSHUB_OFFLINE", "1")
    with pytest.raises(ValueError, match=r"master, r1.0.*r1.10.*'r9'"):
        mshub.hub_list("r9")
    with pytest.raises(TypeError):
        mshub.hub_list(1.8)
    with pytest.raises(TypeError):
        mshub.hub_list(None, "yes")


def test_load_bad_input_raises_what_mindspore_hub_raises(hub_env, monkeypatch):
    monkeypatch.setenv("MSHUB_OFFLINE", "1")
    for call in (lambda: mshub.load(1), lambda: mshub.load(None), lambda: mshub.load_weights(1),
                 lambda: mshub.load("mindspore/1.7/ssd300_coco2017", pretrained="True"),
                 lambda: mshub.load("mindspore/1.7/ssd300_coco2017", force_reload=1.0),
                 lambda: mshub.load_weights("mindspore/1.7/ssd300_coco2017", force_reload="no")):
        with pytest.raises(TypeError):
            call()
    for call in (lambda: mshub.load("https://www.baidu.com"), lambda: mshub.load("ssd300", source="nope"),
                 lambda: mshub.load_weights("mindspore/1.7/ssd300_coco2017", source="nope"),
                 lambda: mshub.load("mindspore/1.7/../x")):
        with pytest.raises(ValueError):
            call()
    with pytest.raises(HubError):
        mshub.load("mindspore/1.6/not_a_card_x")
    assert isinstance(mshub.__version__, str) and mshub.__version__
