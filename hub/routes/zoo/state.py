"""The state this process keeps of zoo code, in one place: each keeper registers what clears it, and
``forget_all`` clears everything together (the survey does after each directory; a long-lived service may);
``release_freed_memory`` gives back what the cleared state (and a dropped network) held."""
from __future__ import annotations

import ctypes
import threading
from typing import Callable

_CLEARERS: dict[str, Callable[[], int | None]] = {}
_LOCK = threading.Lock()


def keeps(name: str, clear: Callable[[], int | None]) -> None:
    """``clear`` empties what ``name`` keeps (a module's cache), and says how many entries it dropped."""
    with _LOCK:
        _CLEARERS[name] = clear


def kept() -> list[str]:
    """What is kept, by keeper."""
    return sorted(_CLEARERS)


def forget_all() -> int:
    """Clear every keeper's state; how many entries were dropped in all."""
    with _LOCK:
        clearers = list(_CLEARERS.values())
    return sum(clear() or 0 for clear in clearers)


def release_freed_memory() -> None:
    """Give freed memory back to the system where the C library can (glibc keeps the pages of freed allocations
    for reuse, so a process stays as large as the largest network it dropped); elsewhere, nothing. The survey
    calls it between cards, the zoo route between two scripts it tries for one card."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass
