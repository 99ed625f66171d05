"""Pick a fast oneDNN code path on AVX-512 CPUs before MindSpore runs its first convolution.

MindSpore's bundled oneDNN chooses a reference (very slow) convolution kernel on these CPUs: one
256x256 3x3 convolution at 80x80 takes ~14 s instead of ~0.26 s. Capping the ISA at AVX2 avoids it.
The variable must be in the environment before oneDNN initialises, so this runs when ``hub`` (or
``mindspore_hub``) is imported. Set ``MSHUB_CPU_TUNING=0`` to leave the environment alone.
"""
from __future__ import annotations

import os
import platform

from . import settings

ISA_ENV = "ONEDNN_MAX_CPU_ISA"
TUNED_ISA = "AVX2"


def _cpu_flags() -> set[str]:
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def needs_tuning(machine: str | None = None, flags: set[str] | None = None) -> bool:
    """True on x86-64 CPUs that advertise AVX-512 (where the slow kernel is picked)."""
    machine = (machine or platform.machine()).lower()
    if machine not in ("x86_64", "amd64"):
        return False
    flags = _cpu_flags() if flags is None else flags
    return "avx512f" in flags


def apply(environ: os._Environ | dict | None = None) -> bool:
    """Set ONEDNN_MAX_CPU_ISA=AVX2 when useful and not chosen by the user; True if it was set."""
    environ = os.environ if environ is None else environ
    if ISA_ENV in environ or not settings.flag(settings.CPU_TUNING_ENV, default=True):
        return False
    if not needs_tuning():
        return False
    environ[ISA_ENV] = TUNED_ISA
    return True
