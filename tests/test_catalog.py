"""Uid resolution, catalog search order, path tricks, duplicates, and the list/info/verify commands."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, SEED_CARD, SSD_UID, write_card

from hub.cards import card_url, check_uid, uid_from_url
from hub.catalog import Catalog, check_catalog
from hub.errors import CardError, UidError


def run_hub(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """``python -m hub`` from another directory, as a user runs it."""
    full_env = {**os.environ, **(env or {}), "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "hub", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=120)


def test_resolves_uid_url_and_path():
    catalog = Catalog()
    assert catalog.resolve(SSD_UID).uid == SSD_UID
    assert catalog.resolve(card_url(SSD_UID)).uid == SSD_UID
    raw = "https://gitee.com/mindspore/hub/raw/master/mshub_res/assets/" + SSD_UID + ".md"
    assert catalog.resolve(raw).uid == SSD_UID
    assert catalog.resolve(str(SEED_CARD)).uid == SSD_UID


@pytest.mark.parametrize("uid", [
    "../etc/passwd/x", "mindspore/../../x", "/abs/1.7/x", "mindspore\\1.7\\x", "C:/a/b/c",
    "mindspore//x", "mindspore/1.7/x/y/z", "ssd", "mindspore/1.7/x\x00", "mindspore/./1.7/x",
    "mindspore/1.7/$(rm)",
])
def test_path_tricks_are_refused(uid):
    with pytest.raises(UidError):
        Catalog().resolve(uid)


def test_url_with_path_trick_is_refused():
    with pytest.raises(UidError, match="'..'"):
        uid_from_url("https://gitee.com/mindspore/hub/blob/master/mshub_res/assets/mindspore/../../x.md")
    with pytest.raises(UidError, match="not a MindSpore Hub card URL"):
        uid_from_url("https://example.com/x.md")


def test_unknown_uid_names_uid():
    with pytest.raises(UidError, match="mindspore/1.7/nothing_here"):
        Catalog().resolve("mindspore/1.7/nothing_here")


def test_user_catalog_overrides_bundled(tmp_path, monkeypatch):
    url = "https://download.mindspore.cn/models/r1.7/other.ckpt"
    write_card(tmp_path / "mine", SSD_UID, url, "c" * 64)
    monkeypatch.setenv("MSHUB_CATALOG", os.pathsep.join([str(tmp_path / "empty"), str(tmp_path / "mine")]))
    card = Catalog().get(SSD_UID)
    assert card.ckpt.url == url and card.path.startswith(str(tmp_path / "mine"))
    uids = [c.uid for c in Catalog().scan().cards]
    assert uids.count(SSD_UID) == 1 and len(uids) == 4


def test_device_layout_and_twins(tmp_path):
    root = tmp_path / "cat"
    write_card(root, "noah-cvlab/gpu/1.8/ssdcopy", "https://download.mindspore.cn/x.ckpt", "d" * 64)
    twin = root / "noah-cvlab/gpu/1.8/ssdcopy_cn.md"
    shutil.copy(root / "noah-cvlab/gpu/1.8/ssdcopy.md", twin)
    files = Catalog([root]).card_files()
    assert [f.uid for f in files] == ["noah-cvlab/gpu/1.8/ssdcopy"] and not files[0].is_twin
    assert Catalog([root]).get("noah-cvlab/gpu/1.8/ssdcopy", language="zh").language == "zh"


def test_duplicate_uids_are_warnings(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    write_card(a, "mindspore/1.7/dup", "https://download.mindspore.cn/x.ckpt", "e" * 64)
    write_card(b, "mindspore/1.7/dup", "https://download.mindspore.cn/x.ckpt", "e" * 64)
    write_card(a, "mindspore/1.7/Dup", "https://download.mindspore.cn/x.ckpt", "e" * 64)
    report = check_catalog([a, b])
    assert report.errors == [] and report.accepted == report.files == 3
    found = {(w.rule, Path(w.path).parent.parent.parent.name) for w in report.warnings}
    assert found == {("uid-case", "a"), ("duplicate-uid", "b")}
    assert any("differs only in case" in w.message for w in report.warnings)
    assert any("also defined by" in w.message for w in report.warnings)


def hub_verdicts(shared) -> dict[str, bool]:
    """The format document's table of examples: sample card -> accepted by the hub."""
    table = (shared / "reference" / "model_card_format.md").read_text(encoding="utf-8")
    rows = [line.split("|") for line in table.splitlines() if line.startswith("| `")]
    return {row[1].strip().strip("`"): row[2].strip() == "accepted" for row in rows}


def test_verify_agrees_with_the_hub_on_every_sample(shared, tmp_path):
    sample = shared / "cards" / "sample"
    result = run_hub("verify", "--catalog", str(sample), "--json", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    rejected = {Path(e["path"]).relative_to(sample).as_posix() for e in report["errors"]}
    verdicts = hub_verdicts(shared)
    assert len(verdicts) == 36 and report["cards"] == 36
    assert {card: card not in rejected for card in verdicts} == verdicts
    assert report["valid"] == 30 and report["counts"]["errors"] == 6
    assert report["counts"]["warnings_by_rule"] == {"empty-field": 1, "weak-checksum": 1}
    assert all({"path", "field", "line", "message", "rule"} <= set(e) for e in report["errors"] + report["warnings"])


def test_exit_codes_warnings_and_strict(shared, tmp_path):
    catalog = tmp_path / "cat"
    write_card(catalog, "mindspore/2.3/prefix_imagenet2012",
               "https://download-mindspore.osinfra.cn/toolkits/mindcv/x-77dcaf0f.ckpt", "77dcaf0f")
    plain = run_hub("verify", "--catalog", str(catalog), cwd=tmp_path)
    assert plain.returncode == 0, plain.stdout + plain.stderr
    assert "1 warnings:\n  weak-checksum" in plain.stdout
    assert "1 of 1 cards accepted, 0 rejected, 1 warnings" in plain.stdout
    strict = run_hub("verify", "--catalog", str(catalog), "--strict", "--json", cwd=tmp_path)
    assert strict.returncode == 1 and json.loads(strict.stdout)["ok"] is False
    shutil.copy(shared / "cards/sample/mindspore/2.5/fit.md", catalog / "mindspore/2.3/fit.md")
    failing = run_hub("verify", "--catalog", str(catalog), cwd=tmp_path)
    assert failing.returncode == 1
    out = failing.stdout
    assert out.index("1 errors:") < out.index("1 warnings:") < out.index("error train-dataset (1)") \
        < out.index("warning weak-checksum (1)")


def test_verify_bundled_catalog_passes(tmp_path):
    result = run_hub("verify", "--strict", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 of 4 cards accepted, 0 rejected, 0 warnings" in result.stdout


def test_list_and_info_commands(tmp_path):
    table = run_hub("list", cwd=tmp_path)
    assert table.returncode == 0 and SSD_UID in table.stdout and "acc37.56" in table.stdout
    rows = json.loads(run_hub("list", "--format", "json", "*resnet50fpn*", cwd=tmp_path).stdout)
    assert rows == [{"uid": SSD_UID, "model": "ssd", "datasets": ["coco2017"], "evaluation": "acc37.56",
                     "formats": ["ckpt"]}]
    assert json.loads(run_hub("list", "--format", "json", "yolo", cwd=tmp_path).stdout) == []
    info = run_hub("info", SSD_UID, cwd=tmp_path)
    assert info.returncode == 0 and "5bf0dc1251ce" in info.stdout and "## Usage" in info.stdout
    bad = run_hub("info", "mindspore/../x/y", cwd=tmp_path)
    assert bad.returncode == 1 and "error:" in bad.stderr and "'..'" in bad.stderr


def test_card_error_is_a_value_error():
    assert issubclass(CardError, ValueError)
    assert check_uid(SSD_UID) == SSD_UID


def test_public_functions_are_not_shadowed_by_modules():
    import hub
    import hub.fetch  # noqa: F401 - importing every submodule must leave the API functions in place

    for name in ("download", "load", "load_weights", "info", "list_models"):
        assert callable(getattr(hub, name)) and not isinstance(getattr(hub, name), type(hub)), name


def test_local_source_and_missing_card_file(tmp_path):
    import mindspore_hub as mshub

    with pytest.raises(UidError, match="does not exist"):
        mshub.load(str(tmp_path / "nope.md"), source="local")
    with pytest.raises(ValueError, match="source must be one of"):
        mshub.load(SSD_UID, source="svn")
