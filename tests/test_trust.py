"""Mirror rewrite and the trust policy for asset URLs."""
import pytest

from hub import trust
from hub.errors import UntrustedURLError

PUBLISHED = "https://download.mindspore.cn/models/r1.7/x.ckpt"


def test_endpoint_keeps_path():
    assert trust.apply_endpoint(PUBLISHED, "http://127.0.0.1:8080") == "http://127.0.0.1:8080/models/r1.7/x.ckpt"
    assert trust.apply_endpoint(PUBLISHED, "https://mirror.example/ms/") == "https://mirror.example/ms/models/r1.7/x.ckpt"
    assert trust.apply_endpoint(PUBLISHED, None) == PUBLISHED


def test_bad_endpoint(monkeypatch):
    monkeypatch.setenv("MSHUB_ENDPOINT", "ftp://x")
    with pytest.raises(ValueError, match="MSHUB_ENDPOINT"):
        trust.apply_endpoint(PUBLISHED)


@pytest.mark.parametrize("url,ok", [
    (PUBLISHED, True),
    ("https://www.mindspore.cn/x.ckpt", True),
    ("https://gitee.com/mindspore/models/raw/x.ckpt", True),
    ("https://gitee.com/someone/models/raw/x.ckpt", False),
    ("https://github.com/mindspore-lab/mindcv/x.ckpt", True),
    ("http://download.mindspore.cn/x.ckpt", False),
    ("https://download.mindspore.cn.evil.com/x.ckpt", False),
])
def test_trusted_hosts(url, ok):
    assert trust.is_trusted(url, endpoint="") is ok


def test_extra_trusted_hosts(monkeypatch):
    monkeypatch.setenv("MSHUB_TRUSTED_HOSTS", "models.example.org")
    assert trust.is_trusted("https://models.example.org/x.ckpt", endpoint="")
    with pytest.raises(UntrustedURLError, match="is not https"):
        trust.check_trusted("http://models.example.org/x.ckpt", "x", endpoint="")
