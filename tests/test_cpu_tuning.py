"""ONEDNN_MAX_CPU_ISA is set on import on AVX-512 x86 CPUs unless the user decided otherwise."""
import os
import subprocess
import sys

from conftest import REPO

from hub import cpu_tuning


def test_needs_tuning_only_on_avx512_x86():
    assert cpu_tuning.needs_tuning("x86_64", {"avx2", "avx512f"})
    assert not cpu_tuning.needs_tuning("x86_64", {"avx2"})
    assert not cpu_tuning.needs_tuning("aarch64", {"avx512f"})


def test_apply_respects_user_and_switch(monkeypatch):
    monkeypatch.setattr(cpu_tuning, "needs_tuning", lambda: True)
    env = {}
    assert cpu_tuning.apply(env) and env == {"ONEDNN_MAX_CPU_ISA": "AVX2"}
    env = {"ONEDNN_MAX_CPU_ISA": "AVX512_CORE"}
    assert not cpu_tuning.apply(env) and env["ONEDNN_MAX_CPU_ISA"] == "AVX512_CORE"
    monkeypatch.setenv("MSHUB_CPU_TUNING", "0")
    env = {}
    assert not cpu_tuning.apply(env) and env == {}


def run_import(module: str, **env) -> str:
    clean = {k: v for k, v in os.environ.items() if k != "ONEDNN_MAX_CPU_ISA"}
    code = f"import os, {module}; print(os.environ.get('ONEDNN_MAX_CPU_ISA', '-'))"
    out = subprocess.run([sys.executable, "-c", code], env={**clean, "PYTHONPATH": str(REPO), **env},
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_import_sets_it_here():
    expected = "AVX2" if cpu_tuning.needs_tuning() else "-"
    assert run_import("mindspore_hub") == expected
    assert run_import("hub", MSHUB_CPU_TUNING="0") == "-"
