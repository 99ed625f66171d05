"""Start writing a file's dirty pages to disk early, so the fsync before publishing is short.

Linux's ``sync_file_range(SYNC_FILE_RANGE_WRITE)`` queues writeback without waiting and without
dropping the pages from the cache (the checkpoint is read right after). Elsewhere this is a no-op.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import sys

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
