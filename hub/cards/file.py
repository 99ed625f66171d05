"""Reading a card file with bounds: cards come from strangers' pull requests.

Only regular files are opened (a FIFO or device is refused from its ``stat``, never opened for reading),
a card inside a catalog must resolve inside that catalog (a symlink to a private key is not read), and
the size limit is checked before reading and again while reading.
"""
from __future__ import annotations

import errno
import os
import stat
from functools import lru_cache
from pathlib import Path

from .. import settings
from ..errors import CardError

_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a directory"))


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _refuse(path: Path, message: str) -> CardError:
    return CardError(path, None, message, rule="read")


@lru_cache(maxsize=4096)
def _real_directory(directory: str) -> str:
    """A directory's real path; cached, since a catalog has ~3,000 cards in ~100 directories."""
    return os.path.realpath(directory)


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def check_card_file(path: Path, root: Path | None = None) -> os.stat_result:
    """The stat of a card that may be read, or CardError saying why not (nothing is opened)."""
    try:
        st = os.lstat(path)
        if stat.S_ISLNK(st.st_mode) or root is not None:
            real = (os.path.realpath(path) if stat.S_ISLNK(st.st_mode)
                    else os.path.join(_real_directory(os.path.dirname(os.path.abspath(path))), path.name))
            if root is not None and not _inside(real, _real_directory(os.path.abspath(root))):
                raise _refuse(path, f"resolves to {real}, outside the catalog {root}; refused without reading")
            if stat.S_ISLNK(st.st_mode):
                st = os.stat(path)
    except CardError:
        raise
    except OSError as exc:
        raise _refuse(path, f"cannot be read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(st.st_mode):
        raise _refuse(path, f"is {_kind(st.st_mode)}, not a regular file; refused without reading")
    limit = settings.max_card_bytes()
    if st.st_size > limit:
        raise _refuse(path, f"is {st.st_size:,} bytes, over the card size limit of {limit:,} bytes "
                            f"(set {settings.MAX_CARD_ENV} to raise it)")
    return st


def read_card_text(path: str | Path, root: Path | None = None) -> str:
    """The card's text as the hub reads it: UTF-8, nothing stripped; bounded as described above."""
    path = Path(path)
    check_card_file(path, root)
    limit = settings.max_card_bytes()
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise _refuse(path, f"cannot be read: {exc.strerror or exc}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped for something else since the check
            raise _refuse(path, "is no longer a regular file; refused")
        chunks, size = [], 0
        while size <= limit:
            try:
                chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            except OSError as exc:
                if exc.errno == errno.EAGAIN:
                    raise _refuse(path, "would block; refused") from None
                raise _refuse(path, f"cannot be read: {exc.strerror or exc}") from None
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    if size > limit:
        raise _refuse(path, f"grew past the card size limit of {limit:,} bytes while being read")
    data = b"".join(chunks)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _refuse(path, f"is not UTF-8 text (byte {exc.start})") from None
