"""The package's shape: stages as folders, a checkout importing what an install imports, a light ``import hub``."""
from __future__ import annotations

import ast
import json
import subprocess
import sys

from conftest import REPO

HUB = REPO / "hub"


def test_hub_keeps_at_most_eight_modules_at_its_top():
    modules = sorted(p.name for p in HUB.glob("*.py"))
    assert len(modules) <= 8, modules
    stages = {p.name for p in HUB.iterdir() if (p / "__init__.py").is_file()}
    assert {"cards", "catalog", "fetch", "weights", "routes", "audit", "publish", "survey", "cli"} <= stages


def test_cli_functions_stay_short():
    long = []
    for path in (HUB / "cli").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno + 1 > 60:
                long.append(f"{path.name}:{node.name}")
    assert not long


def test_a_checkout_imports_only_the_package_and_its_two_root_modules(tmp_path):
    probe = r"""
import importlib, json, sys
import hub
light = {"mindspore": "mindspore" in sys.modules, "requests": "requests" in sys.modules}
found = {}
for name in ("hub.bench", "hub.mindspore_hub", "hub.tests"):
    try:
        importlib.import_module(name)
        found[name] = True
    except ImportError:
        found[name] = False
import hub.hubconf, hub.models
print(json.dumps({"light": light, "found": found, "hubconf": hub.hubconf.__file__,
                  "models": hub.models.__file__}))
"""
    done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "MSHUB_CPU_TUNING": "0"})
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["light"] == {"mindspore": False, "requests": False}
    assert out["found"] == {"hub.bench": False, "hub.mindspore_hub": False, "hub.tests": False}
    assert out["hubconf"] == str(REPO / "hubconf.py")
    assert out["models"] == str(REPO / "models" / "__init__.py")


def test_every_package_of_hub_is_installed():
    """setup.cfg lists packages one by one (``models/`` and ``assets/`` are mapped): a new folder must be
    listed, or an installed copy lacks it."""
    import configparser

    config = configparser.ConfigParser()
    config.read(REPO / "setup.cfg")
    listed = set(config["options"]["packages"].split())
    found = {".".join(p.parent.relative_to(REPO).parts) for p in HUB.rglob("__init__.py")}
    assert found - listed == set()
