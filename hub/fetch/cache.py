"""The download cache: every path the hub writes is computed here.

Layout under the hub dir (``MSHUB_HOME``, else ``~/.mscache``)::

    <uid>/<file name>                      verified files only
    <uid>/.<file name>.verified.json       what was verified: sha256, size, mtime, inode
    <uid>/.<file name>.<token>.incomplete  downloads in progress or interrupted (resumable)
    .locks/<uid with / as %>/<file name>.lock
    .catalogs/<source>/mshub_res/assets/   the hub's catalog as ``hub sync`` fetched it
    .cards/<uid>.md                        single cards fetched from the hub's raw URL
    .code/<host>/<owner>/<repo>/<release>/<directory as %>/   one code directory of a repository
"""
from __future__ import annotations

import json
import os
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

from .. import settings
from ..cards.uid import check_uid
from .diskio import write_atomically

INCOMPLETE_SUFFIX = ".incomplete"
RECORD_SUFFIX = ".verified.json"
LOCK_DIR = ".locks"
# Top-level folders that hold no assets (catalogs, cards and code): cache ls/prune leave them alone.
NON_ASSET_DIRS = (LOCK_DIR, ".catalogs", ".cards", ".code")

_hub_dir_override: Path | None = None


def get_hub_dir() -> str:
    """The cache home: set_hub_dir() if called, else MSHUB_HOME, else ~/.mscache."""
    if _hub_dir_override is not None:
        return str(_hub_dir_override)
    home = os.environ.get(settings.HOME_ENV, "").strip()
    return str(Path(home or settings.DEFAULT_HOME).expanduser())


def set_hub_dir(path: str | os.PathLike) -> None:
    """Use ``path`` as the cache home for this process (as MindSpore Hub's set_hub_dir does)."""
    global _hub_dir_override
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"hub dir must be a path, got {type(path).__name__}")
    _hub_dir_override = Path(path).expanduser().absolute()


def reset_hub_dir() -> None:
    """Forget set_hub_dir(); the environment decides again."""
    global _hub_dir_override
    _hub_dir_override = None


@dataclass(frozen=True)
class VerifiedRecord:
    """Proof that a cached file was hashed (its full sha256, even when the card gives only a prefix):
    valid while size, mtime and inode are unchanged."""

    sha256: str
    size: int
    mtime_ns: int
    inode: int

    @classmethod
    def of(cls, path: Path, sha256: str) -> VerifiedRecord:
        st = path.stat()
        return cls(sha256, st.st_size, st.st_mtime_ns, st.st_ino)

    def is_current(self, path: Path) -> bool:
        """Whether ``path`` is still the file that was hashed."""
        try:
            st = path.stat()
        except OSError:
            return False
        return self.size == st.st_size and self.mtime_ns == st.st_mtime_ns and self.inode == st.st_ino


@dataclass(frozen=True)
class CachedFile:
    """Paths for one asset file of one uid."""

    hub_dir: Path
    uid: str
    file_name: str

    @classmethod
    def for_asset(cls, uid: str, file_name: str, hub_dir: str | os.PathLike | None = None) -> CachedFile:
        check_uid(uid)
        if not file_name or file_name in (".", "..") or "/" in file_name or "\\" in file_name \
                or file_name.startswith("."):
            raise ValueError(f"asset file name {file_name!r} of {uid} cannot be used as a cache file name")
        return cls(Path(hub_dir or get_hub_dir()), uid, file_name)

    @property
    def directory(self) -> Path:
        return self.hub_dir.joinpath(*self.uid.split("/"))

    @property
    def path(self) -> Path:
        return self.directory / self.file_name

    @property
    def record_path(self) -> Path:
        return self.directory / f".{self.file_name}{RECORD_SUFFIX}"

    @property
    def lock_path(self) -> Path:
        return self.hub_dir / LOCK_DIR / self.uid.replace("/", "%") / f"{self.file_name}.lock"

    def new_incomplete_path(self) -> Path:
        """A temporary name no other process uses (so even without locks nobody shares a file)."""
        return self.directory / f".{self.file_name}.{os.getpid()}-{secrets.token_hex(4)}{INCOMPLETE_SUFFIX}"

    def incomplete_paths(self) -> list[Path]:
        """Leftover partial downloads of this file, largest first (the best one to resume)."""
        if not self.directory.is_dir():
            return []
        prefix = f".{self.file_name}."
        found = [p for p in self.directory.iterdir()
                 if p.name.startswith(prefix) and p.name.endswith(INCOMPLETE_SUFFIX)]
        return sorted(found, key=lambda p: _size(p), reverse=True)

    def read_record(self) -> VerifiedRecord | None:
        try:
            data = json.loads(self.record_path.read_text(encoding="utf-8"))
            return VerifiedRecord(**data)
        except (OSError, ValueError, TypeError):
            return None

    def write_record(self, record: VerifiedRecord) -> None:
        write_atomically(self.record_path, json.dumps(asdict(record)).encode("utf-8"))

    def remove_record(self) -> None:
        _unlink(self.record_path)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return -1


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def fsync_directory(directory: Path) -> None:
    """Make a rename inside ``directory`` durable (no-op where directories cannot be opened)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def synced_catalog_repo(source: str, branch: str | None = None) -> Path:
    """The sparse clone of the hub's repository made by ``hub sync --source <source> [--branch B]``: the
    default branch (master) at ``.catalogs/<source>``, any other at ``.catalogs/<source>@<branch>``."""
    if branch in (None, "master"):
        return Path(get_hub_dir()) / ".catalogs" / source
    if not branch or branch.startswith((".", "-")) or any(c in branch for c in "/\\ @"):
        raise ValueError(f"not a branch name of the hub's repository: {branch!r}")
    return Path(get_hub_dir()) / ".catalogs" / f"{source}@{branch}"


def fetched_cards_dir() -> Path:
    """Cards fetched one at a time from the hub (a catalog root of their own)."""
    return Path(get_hub_dir()) / ".cards"


def code_checkout(host: str, owner: str, repo: str, release: str, directory: str) -> Path:
    """Where one directory of a code repository at one release is checked out (sparse)."""
    parts = [host, owner, repo, release.replace("/", "%"), directory.strip("/").replace("/", "%")]
    for part in parts:
        if not part or part in (".", "..") or "\\" in part or part.startswith("."):
            raise ValueError(f"cannot keep code of {host}/{owner}/{repo} {release} {directory}: bad part {part!r}")
    return Path(get_hub_dir()).joinpath(".code", *parts)
