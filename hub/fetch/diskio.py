"""Disk writes that never leave a half-written file or folder under its final name, and early writeback.

Linux's ``sync_file_range(SYNC_FILE_RANGE_WRITE)`` queues writeback without waiting and without
dropping the pages from the cache (the checkpoint is read right after). Elsewhere this is a no-op.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import secrets
import shutil
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

SYNC_FILE_RANGE_WRITE = 2


def _load():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        func = libc.sync_file_range
    except (OSError, AttributeError):
        return None
    func.argtypes = [ctypes.c_int, ctypes.c_longlong, ctypes.c_longlong, ctypes.c_uint]
    func.restype = ctypes.c_int
    return func


_sync_file_range = _load()


def start_writeback(fd: int, offset: int, length: int) -> None:
    if _sync_file_range is not None and length > 0:
        _sync_file_range(fd, offset, length, SYNC_FILE_RANGE_WRITE)


def write_atomically(target: Path, data: bytes) -> None:
    """``data`` under ``target``, all or nothing: written to a ``.tmp`` file beside it (created new, with
    the umask's permissions), then renamed."""
    temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    try:
        with open(temp, "xb") as f:
            f.write(data)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


@contextmanager
def staged_directory(target: Path):
    """Yield a path to build a folder at (it does not exist yet); when the body succeeds, that folder
    replaces ``target`` (a leftover there is removed first). Whatever happens, no temporary remains."""
    temp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        stage = temp / "stage"
        yield stage
        if target.exists():
            shutil.rmtree(target)
        os.replace(stage, target)
    finally:
        shutil.rmtree(temp, ignore_errors=True)
