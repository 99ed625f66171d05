"""The installed package, used from a user's project directory that has its own ``models`` and ``hubconf``.

The project is built with pip into a target directory (not the source tree) and imported from there in
fresh processes whose working directory holds a ``models/`` package, a ``hubconf.py`` and a ``src/``.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, SSD_UID

SKIPPED = shutil.ignore_patterns(".venv", ".git", "build", "*.egg-info", "__pycache__", ".pytest_cache",
                                 ".ruff_cache", "bench")


@pytest.fixture(scope="session")
def installed(tmp_path_factory) -> Path:
    """``pip install --no-deps --target DIR`` of a copy of the repository; returns DIR."""
    work = tmp_path_factory.mktemp("install")
    source = work / "src"
    shutil.copytree(REPO, source, ignore=SKIPPED)
    target = work / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
                    "--target", str(target), str(source)], check=True, capture_output=True, timeout=300)
    return target


@pytest.fixture
def user_project(tmp_path) -> Path:
    """A directory like a user's ML project: its own models/, hubconf.py and src/."""
    project = tmp_path / "project"
    (project / "models").mkdir(parents=True)
    (project / "models" / "__init__.py").write_text('OWNER = "user models"\n')
    (project / "hubconf.py").write_text('OWNER = "user hubconf"\n')
    (project / "src").mkdir()
    (project / "src" / "__init__.py").write_text('OWNER = "user src"\n')
    return project


def run_in(project: Path, site: Path, *args: str, env: dict | None = None, timeout: float = 600):
    environ = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    environ.update({"PYTHONPATH": str(site), "PYTHONDONTWRITEBYTECODE": "1"})
    environ.update(env or {})
    return subprocess.run([sys.executable, *args], cwd=project, env=environ, capture_output=True, text=True,
                          timeout=timeout)


def test_only_hub_and_mindspore_hub_are_top_level_names(installed):
    names = {p.name for p in installed.iterdir() if not p.name.endswith(".dist-info") and p.name != "bin"}
    assert names == {"hub", "mindspore_hub"}
    top_level = next(installed.glob("*.dist-info")) / "top_level.txt"
    assert top_level.read_text().split() == ["hub", "mindspore_hub"]
    assert (installed / "hub" / "hubconf.py").is_file()
    assert (installed / "hub" / "models" / "ssd.py").is_file()
    assert (installed / "hub" / "assets" / "mindspore" / "1.7" / "ssdresnet50fpn_coco2017.md").is_file()


def test_load_from_a_project_with_its_own_models_and_hubconf(installed, user_project):
    script = f"""
import json, sys
import mindspore_hub as mshub
net = mshub.load({SSD_UID!r}, pretrained=False)
import hub, models, hubconf, src
print(json.dumps({{
    "params": sum(p.size for p in net.get_parameters()), "training": net.training,
    "hub": hub.__file__, "hub_models": sys.modules["hub.models"].__file__,
    "models": models.OWNER, "hubconf": hubconf.OWNER, "src": src.OWNER}}))
"""
    result = run_in(user_project, installed, "-c", script)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["params"] == 33_370_814 and seen["training"] is False
    assert seen["hub"].startswith(str(installed)) and seen["hub_models"].startswith(str(installed))
    assert (seen["models"], seen["hubconf"], seen["src"]) == ("user models", "user hubconf", "user src")


def test_cli_list_from_a_user_project(installed, user_project):
    result = run_in(user_project, installed, "-m", "hub", "list", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert SSD_UID in {row["uid"] for row in json.loads(result.stdout)}


def test_cli_site_from_a_user_project(installed, user_project):
    """The site's templates and scripts are installed with the package."""
    pytest.importorskip("jinja2")
    pytest.importorskip("markdown_it")
    result = run_in(user_project, installed, "-m", "hub", "site", "--out", "site")
    assert result.returncode == 0, result.stderr
    site = user_project / "site"
    assert {"site.css", "index.js", "card.js"} <= {p.name for p in (site / "static").iterdir()}
    assert SSD_UID in (site / "index-data.js").read_text(encoding="utf-8")
    assert (site / "cards" / f"{SSD_UID}.html").is_file()


@pytest.mark.network
def test_cli_predict_from_a_user_project(installed, user_project, tmp_path):
    from hub.demo import sample_image, stage
    from hub.fetch import Mirror

    work = tmp_path / "stage"
    stage(work)
    image = sample_image(user_project / "street.png")
    with Mirror(work / "mirror") as mirror:
        env = {"MSHUB_ENDPOINT": mirror.url, "MSHUB_CATALOG": str(work / "catalog"),
               "MSHUB_HOME": str(tmp_path / "cache"), "MSHUB_QUIET": "1"}
        result = run_in(user_project, installed, "-m", "hub", "predict", SSD_UID, str(image), "--json",
                        "--min-score", "0", "--out", "boxes.png", env=env)
    assert result.returncode == 0, result.stderr
    detections = json.loads(result.stdout)
    assert isinstance(detections, list) and all({"category_name", "score", "box"} <= set(d) for d in detections)
    assert (user_project / "boxes.png").is_file()
    assert len(mirror.requests) == 1  # the checkpoint, fetched once through the mirror


@pytest.mark.network
def test_demo_writes_its_image_where_the_user_is(installed, user_project):
    result = run_in(user_project, installed, "-m", "hub", "demo", "--runs", "1", env={"MSHUB_QUIET": "1"})
    assert result.returncode == 0, result.stderr
    assert (user_project / "mshub-demo-annotated.png").is_file()
    notices = [line for line in result.stdout.splitlines() if "generated" in line and "noise" in line]
    assert len(notices) == 1, result.stdout
    elsewhere = run_in(user_project, installed, "-m", "hub", "demo", "--runs", "1", "--out", "sub/x.png",
                       env={"MSHUB_QUIET": "1"})
    assert elsewhere.returncode != 0 and "sub/x.png" in elsewhere.stderr  # a missing folder: a clear error
