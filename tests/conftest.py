"""Shared fixtures: an isolated hub environment, the shared reference data, a local HTTP server."""
from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("ONEDNN_MAX_CPU_ISA", "AVX2")  # before MindSpore runs any convolution

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MSHUB_SHARED_DIR", REPO.parent / "shared"))
SEED_CARD = REPO / "assets" / "mindspore" / "1.7" / "ssdresnet50fpn_coco2017.md"
SSD_UID = "mindspore/1.7/ssdresnet50fpn_coco2017"

sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(autouse=True)
def hub_env(tmp_path, monkeypatch):
    """Every test gets its own cache home and no MSHUB_* settings from the outside."""
    for name in list(os.environ):
        if name.startswith("MSHUB_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("MSHUB_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("MSHUB_QUIET", "1")
    from hub.fetch import cache

    cache.reset_hub_dir()
    yield tmp_path / "cache"
    cache.reset_hub_dir()


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"shared reference data not found at {SHARED} (set MSHUB_SHARED_DIR)")
    return SHARED


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_card(catalog: Path, uid: str, url: str, sha256: str, source: Path = SEED_CARD) -> Path:
    """A copy of the seed card under ``catalog`` for ``uid`` with another asset link and sha256."""
    text = source.read_text(encoding="utf-8")
    lines = []
    for line in text.splitlines():
        if line.strip().startswith("asset-link:"):
            line = f"    asset-link: <{url}>"
        elif line.strip().startswith("asset-sha256:"):
            line = f"    asset-sha256: {sha256}"
        lines.append(line)
    path = catalog.joinpath(*uid.split("/")).with_suffix(".md")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def export_git_config(tmp_path_factory):
    """The zoo stand-in of ``export_repos`` (export scripts, heads, removed names) and a hub catalog of
    its cards, as bare repositories behind a private git config; built once, read only."""
    from export_repos import make_export_repos

    return make_export_repos(tmp_path_factory.mktemp("export-repos"))


@pytest.fixture
def export_env(export_git_config, monkeypatch, hub_env, tmp_path):
    """Git pointed at the ``export_repos`` stand-ins and the hub's catalog synced from them; the
    environment for ``python -m hub`` children."""
    from export_repos import use_repos

    return use_repos(export_git_config, monkeypatch, tmp_path)


COST_FIELDS = ("seconds", "peak_rss_mb")  # what building a card cost: it differs from run to run


def comparable_report(report: dict) -> dict:
    """A ``hub loadable --json`` report without what the run cost, for comparing two runs."""
    outcomes = [{k: v for k, v in o.items() if k not in COST_FIELDS} for o in report["outcomes"]]
    return {**{k: v for k, v in report.items() if k != "cost"}, "outcomes": outcomes}
