"""Publishing a model: ``hub card new`` writes a card the hub accepts whose Usage builds the network the
checkpoint was trained as, and ``hub card check`` proves a card loads (or names why not). The zoo
stand-in is ``export_repos`` (our own code) behind ``insteadOf``; checkpoints are made here."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import sha256_of
from export_repos import uid_of
from http_faults import FaultServer

import mindspore_hub as mshub

pytestmark = pytest.mark.network  # builds MindSpore networks

ZOO = "https://gitee.com/mindspore/models/tree/r1.9/official/cv/"


@pytest.fixture
def env(export_env):
    return export_env


def hub_cli(*args: str, env: dict, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hub", *args], env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=600)


def trained(network, path: Path) -> dict:
    """Save ``network`` with distinct values per parameter, as a training run would; returns them."""
    import mindspore as ms

    for i, p in enumerate(network.get_parameters()):
        p.set_data(ms.Tensor(np.full(p.shape, 0.5 + i, np.float32)))
    ms.save_checkpoint(network, str(path))
    return {p.name: p.asnumpy() for p in network.get_parameters()}


def card_new(env, cwd, uid, checkpoint, repo_link, *more) -> subprocess.CompletedProcess:
    link = f"https://download.mindspore.cn/models/r1.9/{Path(checkpoint).name}"
    return hub_cli("card", "new", "--uid", uid, "--checkpoint", str(checkpoint), "--asset-link", link,
                   "--repo-link", repo_link, "--out", str(cwd / "catalog"), *more, env=env, cwd=cwd)


def test_a_zoo_card_from_new_to_load(env, tmp_path, monkeypatch):
    uid = uid_of("narrowhead")
    ckpt = tmp_path / "narrowhead.ckpt"
    expected = trained(mshub.load(uid, pretrained=False, num_classes=12), ckpt)
    made = card_new(env, tmp_path, uid, ckpt, ZOO + "narrowhead", "--evaluation", "acc91.5", "--dataset", "cifar10")
    assert made.returncode == 0, made.stderr[-2000:]
    assert "mshub.load(model, num_classes=12)" in made.stdout and "loaded 3 of 3" in made.stdout
    assert "default module-type: cv (from the repo-link's path)" in made.stderr
    card = tmp_path / "catalog" / "mindspore" / "1.9" / "narrowhead_x.md"
    text = card.read_text()
    assert text.index("model-name:") < text.index("module-type:") < text.index("repo-link:") < text.index("asset:")
    assert sha256_of(ckpt.read_bytes()) in text and "network = mshub.load(model, num_classes=12)" in text
    verified = hub_cli("verify", "--strict", "--catalog", str(tmp_path / "catalog"), env=env, cwd=tmp_path)
    assert verified.returncode == 0 and "0 warnings" in verified.stdout, verified.stdout + verified.stderr
    again = card_new(env, tmp_path, uid, ckpt, ZOO + "narrowhead")
    assert again.returncode == 1 and "exists; pass --force" in again.stderr
    checked = hub_cli("card", "check", str(card), "--checkpoint", str(ckpt), "--json", env=env, cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout
    report = json.loads(checked.stdout)
    assert report["ok"] and report["load"]["loaded"] == 3 and report["load"]["fresh"] == {}
    with FaultServer(tmp_path / "served") as server:
        server.add_file("/models/r1.9/narrowhead.ckpt", ckpt.read_bytes())
        monkeypatch.setenv("MSHUB_ENDPOINT", server.url)
        monkeypatch.setenv("MSHUB_CATALOG", str(tmp_path / "catalog"))
        net = mshub.load(uid, num_classes=12)  # as the card's Usage says
        assert all((p.asnumpy() == expected[p.name]).all() for p in net.get_parameters())
        assert hub_cli("card", "check", uid, env={**env, "MSHUB_ENDPOINT": server.url,
                                                  "MSHUB_CATALOG": str(tmp_path / "catalog")},
                       cwd=tmp_path).returncode == 0  # the asset downloaded and verified


def test_card_check_names_a_checkpoint_of_another_network(env, tmp_path):
    uid = uid_of("widehead")
    right, wrong = tmp_path / "widehead.ckpt", tmp_path / "other.ckpt"
    trained(mshub.load(uid, pretrained=False), right)
    import mindspore as ms

    trained(ms.nn.SequentialCell([ms.nn.Dense(4, 8), ms.nn.Dense(8, 2)]), wrong)
    assert card_new(env, tmp_path, uid, right, ZOO + "widehead").returncode == 0
    card = tmp_path / "catalog" / "mindspore" / "1.9" / "widehead_x.md"
    card.write_text(card.read_text().replace(sha256_of(right.read_bytes()), sha256_of(wrong.read_bytes())))
    checked = hub_cli("card", "check", str(card), "--checkpoint", str(wrong), env=env, cwd=tmp_path)
    assert checked.returncode == 1
    assert "FAILED" in checked.stdout and "not one of its 3 parameters" in checked.stdout
    assert "conv.weight" in checked.stdout
    refused = card_new(env, tmp_path, uid_of("exportargs"), wrong, ZOO + "exportargs")
    assert refused.returncode == 1 and "not one of its 3 parameters" in refused.stderr, refused.stderr
    assert not (tmp_path / "catalog" / "mindspore" / "1.9" / "exportargs_x.md").exists()


def test_card_check_names_a_missing_argument_and_an_unreachable_repo_link(env, tmp_path):
    ckpt = tmp_path / "sized.ckpt"
    trained(mshub.load(uid_of("sized"), pretrained=False, vocab_size=9, emb_dimension=5, seq_len=4), ckpt)
    needs = card_new(env, tmp_path, uid_of("sized"), ckpt, ZOO + "sized")  # seq_len shapes no parameter
    assert needs.returncode == 1 and "no shape shows seq_len: pass seq_len=..." in needs.stderr, needs.stderr
    made = card_new(env, tmp_path, uid_of("sized"), ckpt, ZOO + "sized", "--arg", "seq_len=4")
    assert made.returncode == 0, made.stderr  # the sizes the checkpoint shows go into the card's Usage
    assert "mshub.load(model, seq_len=4, vocab_size=9, emb_dimension=5)" in made.stdout, made.stdout
    card = tmp_path / "catalog" / "mindspore" / "1.9" / "sized_x.md"
    assert hub_cli("card", "check", str(card), "--checkpoint", str(ckpt), env=env, cwd=tmp_path).returncode == 0
    card.write_text(card.read_text().replace("mshub.load(model, seq_len=4, vocab_size=9, emb_dimension=5)",
                                             "mshub.load(model)"))
    checked = hub_cli("card", "check", str(card), "--checkpoint", str(ckpt), env=env, cwd=tmp_path)
    assert checked.returncode == 1 and "network stage" in checked.stdout and "needs arguments" in checked.stdout
    card.write_text(card.read_text().replace("official/cv/sized", "official/cv/nowhere"))
    gone = hub_cli("card", "check", str(card), "--checkpoint", str(ckpt), env=env, cwd=tmp_path)
    assert gone.returncode == 1 and "has no directory 'official/cv/nowhere'" in gone.stdout


def test_card_new_writes_a_class_count_read_from_the_checkpoint_into_the_usage(env, tmp_path):
    ckpt = tmp_path / "keyarg.ckpt"
    trained(mshub.load(uid_of("keyarg"), pretrained=False, num_classes=6), ckpt)
    made = card_new(env, tmp_path, uid_of("keyarg"), ckpt, ZOO + "keyarg")  # the hub conf reads kwargs["num_classes"]
    assert made.returncode == 0 and "mshub.load(model, num_classes=6)" in made.stdout, made.stderr
    card = tmp_path / "catalog" / "mindspore" / "1.9" / "keyarg_x.md"
    card.write_text(card.read_text().replace("mshub.load(model, num_classes=6)", "mshub.load(model)"))
    checked = hub_cli("card", "check", str(card), "--checkpoint", str(ckpt), env=env, cwd=tmp_path)
    assert checked.returncode == 0 and "its call should be mshub.load(model, num_classes=6)" in checked.stdout


@pytest.mark.parametrize("uid, repo_link, build", [
    (uid_of("exportyaml"), ZOO + "exportyaml", lambda: mshub.load(uid_of("exportyaml"), pretrained=False)),
    ("mindspore/1.7/ssd300_coco2017", "https://gitee.com/mindspore/models/tree/r1.7/official/cv/ssd",
     lambda: mshub.load("mindspore/1.7/ssd300_coco2017", pretrained=False)),
    ("mindspore/2.3/squeezenet1_0_imagenet2012",
     "https://github.com/mindspore-lab/mindcv/tree/v0.3.0/configs/squeezenet", None),
])
def test_cards_of_every_route_verify_clean_and_load(env, tmp_path, uid, repo_link, build):
    ckpt = tmp_path / f"{uid.rsplit('/', 1)[1]}.ckpt"
    more = []
    if build is None:  # the toolkit route: MindCV's own network
        import mindcv

        network = mindcv.create_model("squeezenet1_0", pretrained=False)
        more = ["--model-name", "squeezenet1_0", "--dataset", "ImageNet2012"]
    else:
        network = build()
    trained(network, ckpt)
    made = card_new(env, tmp_path, uid, ckpt, repo_link, *more)
    assert made.returncode == 0, made.stderr[-2000:]
    verified = hub_cli("verify", "--strict", "--catalog", str(tmp_path / "catalog"), env=env, cwd=tmp_path)
    assert verified.returncode == 0 and "0 warnings" in verified.stdout, verified.stdout
    card = tmp_path / "catalog" / f"{uid}.md"
    checked = hub_cli("card", "check", str(card), "--checkpoint", str(ckpt), "--json", env=env, cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout[-2000:]
    report = json.loads(checked.stdout)
    assert report["load"]["loaded"] == len(list(network.get_parameters())) and not report["load"]["fresh"]
