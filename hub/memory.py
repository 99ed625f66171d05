"""Memory a process freed, given back to the system.

glibc keeps the pages of freed allocations for reuse, so after a network is dropped a process stays as large
as it was; ``malloc_trim`` returns them. The survey calls it between cards, and the zoo route between two
scripts it tries for one card (GNMT v2's export and eval scripts each build a 2 GB network)."""
from __future__ import annotations

import ctypes


def release_freed_memory() -> None:
    """Give freed memory back to the system where the C library can (glibc); elsewhere, nothing."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass
