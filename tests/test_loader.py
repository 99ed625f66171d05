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
        write_card(tmp_path / "catalog", uid, url, "0" * 64)
        monkeypatch.setenv("MSHUB_CATALOG", str(tmp_path / "catalog"))
        with pytest.raises(HubError, match=r"ssdother_coco2017.*entries: ssd300_coco2017, .*ssdvgg16_coco2017"):
            mshub.load(uid)
        assert server.requests == []
