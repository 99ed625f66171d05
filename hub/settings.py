"""Environment variables the hub reads, in one place, read at call time (never cached at import)."""
from __future__ import annotations

import os
from pathlib import Path

HOME_ENV = "MSHUB_HOME"              # cache home; default ~/.mscache as MindSpore Hub uses
CATALOG_ENV = "MSHUB_CATALOG"        # extra card directories, os.pathsep-separated, searched first
ENDPOINT_ENV = "MSHUB_ENDPOINT"      # mirror: replaces scheme and host of asset URLs
OFFLINE_ENV = "MSHUB_OFFLINE"        # 1: use only the cache
TRUSTED_HOSTS_ENV = "MSHUB_TRUSTED_HOSTS"  # extra hosts allowed for asset downloads, comma-separated
MAX_DOWNLOAD_ENV = "MSHUB_MAX_DOWNLOAD_BYTES"  # size limit for one asset; default 5 GB
QUIET_ENV = "MSHUB_QUIET"            # 1: no progress bars
CPU_TUNING_ENV = "MSHUB_CPU_TUNING"  # 0: do not set ONEDNN_MAX_CPU_ISA on import
MAX_CARD_ENV = "MSHUB_MAX_CARD_BYTES"  # size limit of one card file; default 1 MiB
DOWNLOAD_TIMEOUT_ENV = "MSHUB_DOWNLOAD_TIMEOUT"  # seconds a download may wait for the next bytes; default 30
TRUSTED_REPOS_ENV = "MSHUB_TRUSTED_REPOS"  # code repositories (host/owner/name) whose code load() may run
GIT_TIMEOUT_ENV = "MSHUB_GIT_TIMEOUT"  # seconds one git command may take; default 600

DEFAULT_HOME = Path("~/.mscache")
DEFAULT_MAX_DOWNLOAD_BYTES = 5 * 10**9
DEFAULT_MAX_CARD_BYTES = 1 << 20  # the public catalog's largest card is 77 KB
DEFAULT_DOWNLOAD_TIMEOUT = 30.0

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def flag(name: str, default: bool = False) -> bool:
    """A boolean environment variable; unset or empty gives ``default``."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"environment variable {name}={value!r}: expected one of 1/0, true/false, yes/no, on/off")


def offline() -> bool:
    return flag(OFFLINE_ENV)


def quiet() -> bool:
    return flag(QUIET_ENV)


def endpoint() -> str | None:
    value = os.environ.get(ENDPOINT_ENV, "").strip()
    return value or None


def extra_catalogs() -> list[Path]:
    value = os.environ.get(CATALOG_ENV, "")
    return [Path(p).expanduser() for p in value.split(os.pathsep) if p.strip()]


def extra_trusted_hosts() -> list[str]:
    value = os.environ.get(TRUSTED_HOSTS_ENV, "")
    return [h.strip().lower() for h in value.split(",") if h.strip()]


def byte_count(name: str, default: int) -> int:
    """A size in bytes from the environment; unset or empty gives ``default``."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        count = int(value)
    except ValueError:
        raise ValueError(f"environment variable {name}={value!r} is not a whole number of bytes") from None
    if count < 0:
        raise ValueError(f"environment variable {name}={value!r} must not be negative")
    return count


def max_download_bytes() -> int:
    return byte_count(MAX_DOWNLOAD_ENV, DEFAULT_MAX_DOWNLOAD_BYTES)


def max_card_bytes() -> int:
    return byte_count(MAX_CARD_ENV, DEFAULT_MAX_CARD_BYTES)


def download_timeout() -> float:
    value = os.environ.get(DOWNLOAD_TIMEOUT_ENV, "").strip()
    if not value:
        return DEFAULT_DOWNLOAD_TIMEOUT
    try:
        seconds = float(value)
    except ValueError:
        raise ValueError(f"environment variable {DOWNLOAD_TIMEOUT_ENV}={value!r} is not a number of seconds") from None
    if not seconds > 0:
        raise ValueError(f"environment variable {DOWNLOAD_TIMEOUT_ENV}={value!r} must be positive")
    return seconds


def trusted_repos() -> list[str]:
    value = os.environ.get(TRUSTED_REPOS_ENV, "")
    return [r.strip().lower().rstrip("/").removesuffix(".git") for r in value.split(",") if r.strip()]


def git_timeout() -> float:
    value = os.environ.get(GIT_TIMEOUT_ENV, "").strip()
    try:
        seconds = float(value) if value else 600.0
    except ValueError:
        raise ValueError(f"environment variable {GIT_TIMEOUT_ENV}={value!r} is not a number of seconds") from None
    if not seconds > 0:
        raise ValueError(f"environment variable {GIT_TIMEOUT_ENV}={value!r} must be positive")
    return seconds
