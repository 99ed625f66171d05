"""Networks built from the model zoo's own code (sparse git fetch, isolated imports) and through MindCV,
and the hub's catalog synced with git; repositories are local bare ones behind ``url.<base>.insteadOf``."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest
from conftest import REPO, sha256_of
from http_faults import FaultServer
from zoo_repos import make_repos, zoo_card

import mindspore_hub as mshub
from hub.errors import CheckpointError, HubError

pytestmark = pytest.mark.network  # builds MindSpore networks


@pytest.fixture(scope="module")
def git_config(tmp_path_factory):
    return make_repos(tmp_path_factory.mktemp("repos"))


@pytest.fixture
def zoo_env(git_config, monkeypatch, hub_env):
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(git_config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    return {**os.environ, "PYTHONPATH": str(REPO)}


def hub_cli(*args: str, env: dict, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hub", *args], env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def test_sync_brings_the_catalog_sparsely_and_updates(zoo_env, tmp_path, hub_env):
    first = hub_cli("sync", env=zoo_env, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "8 cards" in first.stdout
    repo = hub_env / ".catalogs" / "gitee"
    assert (repo / "mshub_res/assets/mindspore/1.7/lenet_mnist.md").is_file()
    assert not (repo / "mshub").exists()  # only the catalog is checked out
    listed = hub_cli("list", "--format", "json", env=zoo_env, cwd=tmp_path)
    uids = [row["uid"] for row in json.loads(listed.stdout)]
    assert "mindspore/1.7/lenet_mnist" in uids and "mindspore/1.7/ssdresnet50fpn_coco2017" in uids
    again = hub_cli("sync", env=zoo_env, cwd=tmp_path)
    assert again.returncode == 0 and "updated" in again.stdout
    assert "lenet_mnist" in mshub.hub_list()


def test_a_missing_uid_is_fetched_as_one_card(zoo_env, tmp_path, hub_env, monkeypatch):
    with FaultServer(tmp_path / "served") as server:
        server.add_file("/mindspore/hub/raw/master/mshub_res/assets/mindspore/1.7/lenet_mnist.md",
                        zoo_card("mindspore/1.7/lenet_mnist").encode())
        monkeypatch.setenv("MSHUB_ENDPOINT", server.url)
        info = hub_cli("info", "mindspore/1.7/lenet_mnist", "--json", env={**zoo_env, "MSHUB_ENDPOINT": server.url},
                       cwd=tmp_path)
        assert info.returncode == 0, info.stderr
        assert json.loads(info.stdout)["model_name"] == "lenet"
        assert (hub_env / ".cards/mindspore/1.7/lenet_mnist.md").is_file()
        gone = hub_cli("info", "mindspore/1.7/absent_x", env={**zoo_env, "MSHUB_ENDPOINT": server.url}, cwd=tmp_path)
        assert gone.returncode == 1 and "no model card for uid 'mindspore/1.7/absent_x'" in gone.stderr
    offline = hub_cli("info", "mindspore/1.7/lenet_mnist", env={**zoo_env, "MSHUB_OFFLINE": "1"}, cwd=tmp_path)
    assert offline.returncode == 0, offline.stderr  # the fetched card is cached


ONE_PROCESS = r"""
import json, sys
sys.argv = [sys.argv[0], "--user-flag", "7"]  # the user's own arguments: the zoo's parsers must not see them
import numpy as np
import mindspore as ms
import src, models
import mindspore_hub as mshub
path_before = list(sys.path)
counts = {}
nets = {}
for uid, kwargs in [("mindspore/1.7/lenet_mnist", {}), ("mindspore/1.7/resnet50_imagenet2012", {}),
                    ("mindspore/1.8/resnet50_imagenet2012", {}),
                    ("mindspore/1.7/googlenet_cifar10", {"num_classes": 10}), ("mindspore/1.7/lenet_mnist", {})]:
    net = mshub.load(uid, pretrained=False, **kwargs)
    nets[uid] = net
    counts[uid] = sum(int(np.prod(p.shape)) for p in net.get_parameters())
path_kept = sys.path == path_before  # (MindSpore's graph compiler adds its own folder later)
ms.set_context(mode=ms.GRAPH_MODE)
out = nets["mindspore/1.7/lenet_mnist"](ms.Tensor(np.ones((1, 1, 32, 32), np.float32)))
import src as again
print(json.dumps({"counts": counts, "src": again.OWNER, "path_kept": path_kept, "same_src": again is src,
                  "models": models.OWNER,
                  "argv": sys.argv[1:], "out": list(out.shape), "src_modules": sorted(k for k in sys.modules
                  if k == "src" or k.startswith("src."))}))
"""

PARAMS_ALONE = r"""
import sys
import numpy as np
name, kwargs = sys.argv[1], eval(sys.argv[2])
sys.argv = sys.argv[:1]  # as MindSpore Hub runs it: no arguments of ours for the zoo's parsers
sys.path.insert(0, ".")
import mindspore_hub_conf as conf
net = conf.create_network(name, **kwargs)
print(sum(int(np.prod(p.shape)) for p in net.get_parameters()))
"""


def test_zoo_networks_side_by_side_in_a_user_project(zoo_env, tmp_path, hub_env):
    assert hub_cli("sync", env=zoo_env, cwd=tmp_path).returncode == 0
    project = tmp_path / "project"
    for package in ("src", "models"):
        (project / package).mkdir(parents=True)
        (project / package / "__init__.py").write_text(f'OWNER = "user {package}"\n')
    env = {**zoo_env, "PYTHONPATH": os.pathsep.join([str(project), str(REPO)])}
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-c", ONE_PROCESS], cwd=project, env=env, capture_output=True, text=True,
                         timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["src"] == "user src" and result["same_src"] and result["models"] == "user models"
    assert result["src_modules"] == ["src"] and result["argv"] == ["--user-flag", "7"] and result["path_kept"]
    assert result["out"] == [1, 10]
    code = hub_env / ".code" / "gitee.com" / "mindspore" / "models"
    for uid, (name, release, directory, kwargs) in {
            "mindspore/1.7/lenet_mnist": ("lenet", "r1.7", "lenet", {}),
            "mindspore/1.7/resnet50_imagenet2012": ("resnet50", "r1.7", "resnet", {}),
            "mindspore/1.8/resnet50_imagenet2012": ("resnet50", "r1.8", "resnet", {}),
            "mindspore/1.7/googlenet_cifar10": ("googlenet", "r1.7", "googlenet", {"num_classes": 10})}.items():
        folder = code / release / f"official%cv%{directory}" / "official" / "cv" / directory
        alone = subprocess.run([sys.executable, "-c", PARAMS_ALONE, name, repr(kwargs)], cwd=folder, env=zoo_env,
                               capture_output=True, text=True, timeout=120)
        assert alone.returncode == 0, alone.stderr[-2000:]
        assert result["counts"][uid] == int(alone.stdout.split()[-1]), uid
    resnets = [result["counts"][f"mindspore/{v}/resnet50_imagenet2012"] for v in ("1.7", "1.8")]
    assert resnets[0] != resnets[1]  # one directory at two releases, each its own code
    record = json.loads((code / "r1.7" / "official%cv%lenet" / ".mshub-code.json").read_text())
    assert len(record["commit"]) == 40 and record["release"] == "r1.7"
    assert not (code / "r1.7" / "official%cv%lenet" / "official" / "cv" / "resnet").exists()  # sparse
    assert time.perf_counter() - start < 300


@pytest.mark.parametrize("uid, kwargs, message", [
    ("mindspore/1.7/needspkg_x", {}, r"needs the module 'zoodep'.*requirements.txt says: 'zoodep==1.9'"),
    ("mindspore/1.7/stale_x", {}, r"imports 'src.config'.*stale import"),
    ("mindspore/1.7/nohubconf_x", {}, r"has no mindspore_hub_conf.py.*MindSpore Hub cannot load this card either"),
    ("mindspore/1.7/wrongname_x", {}, r"offers no network named 'vgg16'"),
    ("mindspore/1.7/googlenet_cifar10", {}, r"needs arguments.*num_classes.*mshub.load\(model, num_classes=10\)"),
])
def test_clear_errors_name_the_uid(zoo_env, tmp_path, uid, kwargs, message):
    assert hub_cli("sync", env=zoo_env, cwd=tmp_path).returncode == 0
    with pytest.raises(HubError, match=message) as caught:
        mshub.load(uid, pretrained=False, **kwargs)
    assert uid in str(caught.value)


def test_untrusted_repositories_need_consent(zoo_env, tmp_path, monkeypatch):
    catalog = tmp_path / "catalog" / "mindspore" / "1.7"
    catalog.mkdir(parents=True)
    text = zoo_card("mindspore/1.7/lenet_mnist").replace(
        "https://gitee.com/mindspore/models/tree/r1.7/official/cv/lenet",
        "https://gitee.com/someone/models/tree/r1.7/official/cv/lenet")
    (catalog / "lenet_mnist.md").write_text(text)
    monkeypatch.setenv("MSHUB_CATALOG", str(tmp_path / "catalog"))
    with pytest.raises(HubError, match=r"not a MindSpore repository; pass trust_repo=True.*"
                                       r"MSHUB_TRUSTED_REPOS=gitee.com/someone/models"):
        mshub.load("mindspore/1.7/lenet_mnist", pretrained=False)
    config = Path(os.environ["GIT_CONFIG_GLOBAL"])
    models = config.parent / "models.git"
    private = tmp_path / "gitconfig"
    private.write_text(config.read_text() + f'[url "file://{models}"]\n\tinsteadOf = https://gitee.com/someone/models.git\n')
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(private))
    net = mshub.load("mindspore/1.7/lenet_mnist", pretrained=False, trust_repo=True)
    assert type(net).__name__ == "LeNet5"
    monkeypatch.setenv("MSHUB_TRUSTED_REPOS", "github.com/other/x, gitee.com/someone/models")
    assert type(mshub.load("mindspore/1.7/lenet_mnist", pretrained=False)).__name__ == "LeNet5"


def test_pretrained_zoo_network_from_a_mirror_and_strict(zoo_env, tmp_path, monkeypatch, hub_env):
    import mindspore as ms

    net = None
    assert hub_cli("sync", env=zoo_env, cwd=tmp_path).returncode == 0
    net = mshub.load("mindspore/1.7/lenet_mnist", pretrained=False)
    params = {p.name: p for p in net.get_parameters()}
    for i, p in enumerate(params.values()):
        p.set_data(ms.Tensor(ms.numpy.full(p.shape, 0.01 * (i + 1), ms.float32)))
    path = tmp_path / "lenet.ckpt"
    ms.save_checkpoint(net, str(path))
    extra = tmp_path / "extra.ckpt"
    ms.save_checkpoint([{"name": k, "data": v} for k, v in params.items()]
                       + [{"name": "head.bias", "data": ms.Tensor(ms.numpy.zeros((3,), ms.float32))}], str(extra))
    url_path = "/models/r1.7/lenet_mnist.ckpt"
    with FaultServer(tmp_path / "served") as server:
        catalog = tmp_path / "catalog" / "mindspore" / "1.7"
        catalog.mkdir(parents=True)
        monkeypatch.setenv("MSHUB_ENDPOINT", server.url)
        monkeypatch.setenv("MSHUB_CATALOG", str(tmp_path / "catalog"))
        for data in (path.read_bytes(), extra.read_bytes()):
            server.add_file(url_path, data)
            card = zoo_card("mindspore/1.7/lenet_mnist").replace("a" * 64, sha256_of(data))
            (catalog / "lenet_mnist.md").write_text(card)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                loaded = mshub.load("mindspore/1.7/lenet_mnist", force_reload=True)
            got = {p.name: p.asnumpy() for p in loaded.get_parameters()}
            assert all(abs(got[k] - v.asnumpy()).max() == 0 for k, v in params.items())
            unused = [w for w in caught if "1 of its entries unused: head.bias" in str(w.message)]
            assert len(unused) == (data != path.read_bytes())
        with pytest.raises(CheckpointError, match=r"strict=True.*head.bias"):
            mshub.load("mindspore/1.7/lenet_mnist", strict=True)


def test_mindcv_card_builds_what_mindcv_builds(shared):
    mindcv = pytest.importorskip("mindcv")
    uid = "mindspore/2.3/bit_resnet50_imagenet2012"
    net = mshub.load(str(shared / "cards/sample" / f"{uid}.md"), source="local", pretrained=False)
    reference = mindcv.create_model("BiT_resnet50", pretrained=False)  # MindCV's spelling
    ours = {p.name: tuple(p.shape) for p in net.get_parameters()}
    assert ours == {p.name: tuple(p.shape) for p in reference.get_parameters()} and len(ours) > 100


FETCH = r"""
import sys
from hub.catalog import Catalog
from hub.cards import parse_repo_link
from hub.routes.zoo import fetch_code_dir
card = Catalog().get("mindspore/1.7/lenet_mnist")
print(fetch_code_dir(parse_repo_link(card.repo_link), card.uid).commit)
"""


def test_concurrent_processes_fetch_once_and_git_missing_is_clear(zoo_env, tmp_path, monkeypatch):
    assert hub_cli("sync", env=zoo_env, cwd=tmp_path).returncode == 0
    shim = tmp_path / "bin"
    shim.mkdir()
    real_git = subprocess.run(["which", "git"], capture_output=True, text=True).stdout.strip()
    (shim / "git").write_text(f'#!/bin/sh\necho "$*" >> {tmp_path}/git.log\nsleep 0.3\nexec {real_git} "$@"\n')
    (shim / "git").chmod(0o755)
    env = {**zoo_env, "PATH": f"{shim}{os.pathsep}{os.environ['PATH']}"}
    runs = [subprocess.Popen([sys.executable, "-c", FETCH], env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = [r.communicate(timeout=120) for r in runs]
    assert all(r.returncode == 0 for r in runs), outputs
    assert len({out.strip() for out, _ in outputs}) == 1
    calls = (tmp_path / "git.log").read_text().splitlines()
    assert sum(" clone " in f" {c} " for c in calls) == 1, calls
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(HubError, match="git is not installed"):
        mshub.load("mindspore/1.7/resnet50_imagenet2012", pretrained=False)


def test_toolkit_spellings_of_card_model_names():
    mindcv = pytest.importorskip("mindcv")
    from hub.routes.toolkit import registered_name

    assert registered_name(mindcv, "bit_resnet50") == "BiT_resnet50"
    assert registered_name(mindcv, "vit_b32_224") == "vit_b_32_224"
    assert registered_name(mindcv, "resnet50") == "resnet50"
    assert registered_name(mindcv, "no_such_net") == "no_such_net"  # mindcv's own error then names it


def test_a_missing_toolkit_is_named_with_what_to_install(shared, tmp_path):
    pytest.importorskip("mindcv")
    text = (shared / "cards/sample/mindspore/2.3/bit_resnet50_imagenet2012.md").read_text()
    card = tmp_path / "yolov8n_coco2017.md"
    card.write_text(text.replace("mindspore-lab/mindcv/tree/v0.4.0/configs/bit",
                                 "mindspore-lab/mindyolo/tree/v0.4.0/configs/yolov8"))
    if __import__("importlib").util.find_spec("mindyolo") is not None:
        pytest.skip("mindyolo is installed here")
    with pytest.raises(HubError, match=r"mindyolo model and mindyolo is not installed.*"
                                       r"pip install 'mshub-registry\[mindyolo\]'"):
        mshub.load(str(card), source="local", pretrained=False)


def test_loadability_report_by_route_and_failure_class(zoo_env, tmp_path, hub_env):
    assert hub_cli("sync", env=zoo_env, cwd=tmp_path).returncode == 0
    catalog = hub_env / ".catalogs" / "gitee" / "mshub_res" / "assets"
    run = hub_cli("loadable", "--catalog", str(catalog), "--isolated", "--json", env=zoo_env, cwd=tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    report = json.loads(run.stdout)
    assert report["cards"] == 8 and report["by_route"] == {"zoo": {"cards": 8, "built": 3}}
    assert report["failures"] == {"missing-module": 1, "stale-import": 1, "no-hub-conf": 1, "no-name": 1,
                                  "arguments": 1}
    assert report["worse_than_alone"] == []
    alone = {o["uid"]: o["alone_ok"] for o in report["outcomes"]}
    assert alone["mindspore/1.8/resnet50_imagenet2012"] is True and alone["mindspore/1.7/stale_x"] is False


def test_cache_ls_and_prune_leave_catalogs_and_code_alone(zoo_env, tmp_path, hub_env):
    assert hub_cli("sync", env=zoo_env, cwd=tmp_path).returncode == 0
    mshub.load("mindspore/1.7/lenet_mnist", pretrained=False)
    kept = sorted(p for p in hub_env.rglob("*") if p.is_file() and not p.name.endswith(".lock"))
    listed = json.loads(hub_cli("cache", "ls", "--json", env=zoo_env, cwd=tmp_path).stdout)
    assert listed == []
    pruned = hub_cli("cache", "prune", env=zoo_env, cwd=tmp_path)
    assert pruned.returncode == 0, pruned.stderr
    assert sorted(p for p in hub_env.rglob("*") if p.is_file() and not p.name.endswith(".lock")) == kept
    assert "lenet_mnist" in mshub.hub_list()


def test_load_takes_a_card_url_and_positional_arguments(zoo_env, tmp_path):
    assert hub_cli("sync", env=zoo_env, cwd=tmp_path).returncode == 0
    url = "https://gitee.com/mindspore/hub/blob/master/mshub_res/assets/mindspore/1.7/lenet_mnist.md"
    assert mshub.load(url, 3, pretrained=False).fc.weight.shape[0] == 3  # *args go to create_network
    assert mshub.load("mindspore/1.7/lenet_mnist", 10, pretrained=False).fc.weight.shape[0] == 10
