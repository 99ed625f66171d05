"""How ``load`` picks the network for a card, and what it refuses before any download."""
from __future__ import annotations

import pytest
from conftest import write_card
from http_faults import FaultServer

import mindspore_hub as mshub
from hub.errors import HubError


def test_card_without_entry_fails_before_any_download(tmp_path, monkeypatch):
    with FaultServer(tmp_path / "served") as server:
        url = server.add_file("/models/other.ckpt", b"weights")
        uid = "mindspore/1.7/ssdother_coco2017"  # the seed card's text: model-name ssd, as many SSD cards
        card = write_card(tmp_path / "catalog", uid, url, "0" * 64)
        card.write_text(card.read_text().replace("/tree/r1.7/official/cv/ssd", ""))  # a link to no directory
        monkeypatch.setenv("MSHUB_CATALOG", str(tmp_path / "catalog"))
        with pytest.raises(HubError, match=r"ssdother_coco2017.*entries: ssd300_coco2017, .*ssdvgg16_coco2017.*"
                                           r"names no code directory"):
            mshub.load(uid)
        assert server.requests == []


def test_zoo_code_that_cannot_be_fetched_fails_before_any_download(tmp_path, monkeypatch):
    with FaultServer(tmp_path / "served") as server:
        url = server.add_file("/models/other.ckpt", b"weights")
        write_card(tmp_path / "catalog", "mindspore/1.7/ssdother_coco2017", url, "0" * 64)
        monkeypatch.setenv("MSHUB_CATALOG", str(tmp_path / "catalog"))
        monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))  # gitee -> a missing local repo
        (tmp_path / "gitconfig").write_text(f'[url "file://{tmp_path}/none.git"]\n'
                                            "\tinsteadOf = https://gitee.com/mindspore/models.git\n")
        with pytest.raises(HubError, match=r"mindspore/1.7/ssdother_coco2017: git clone failed for the code of"):
            mshub.load("mindspore/1.7/ssdother_coco2017")
        assert server.requests == []
        assert not any(p.name.startswith(".") and "official" in p.name
                       for p in (tmp_path / "cache").rglob("*") if p.is_dir())  # no debris


def test_a_checkpoint_reads_when_free_memory_is_page_cache(tmp_path, monkeypatch):
    """MindSpore counts only free memory (MemFree) before reading a .ckpt; a warm page cache made it
    refuse a 267 MB checkpoint on a 24 GB machine. Here free memory is one page, as far as it can tell."""
    import os

    import mindspore as ms
    import numpy as np

    from hub.weights.checkpoint import memory_available, read_checkpoint

    path = tmp_path / "small.ckpt"
    ms.save_checkpoint([{"name": "w", "data": ms.Tensor(np.ones((64, 64), np.float32))}], str(path))
    real_sysconf = os.sysconf
    monkeypatch.setattr(os, "sysconf", lambda name: 1 if name == "SC_AVPHYS_PAGES" else real_sysconf(name))
    with pytest.raises(Exception, match="exceeds current available memory"):
        ms.load_checkpoint(str(path))  # MindSpore on its own refuses
    assert memory_available() > path.stat().st_size
    assert read_checkpoint(path)["w"].shape == (64, 64)
