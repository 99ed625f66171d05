"""Listing and pruning the cache (``python -m hub cache ls`` / ``cache prune``)."""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from .cache import INCOMPLETE_SUFFIX, LOCK_DIR, NON_ASSET_DIRS, RECORD_SUFFIX, CachedFile, get_hub_dir


@dataclass
class CacheEntry:
    uid: str
    file_name: str
    path: Path
    size: int
    state: str  # verified, unverified, incomplete

    def to_dict(self) -> dict:
        return {"uid": self.uid, "file": self.file_name, "path": str(self.path), "size": self.size,
                "state": self.state}


def scan_cache(hub_dir: str | None = None) -> list[CacheEntry]:
    root = Path(hub_dir or get_hub_dir())
    entries = []
    if not root.is_dir():
        return entries
    for dirpath, dirnames, filenames in _asset_walk(root):
        dirnames[:] = sorted(dirnames)
        uid = "/".join(Path(dirpath).relative_to(root).parts)
        for name in sorted(filenames):
            path = Path(dirpath, name)
            size = path.stat().st_size
            if name.endswith(INCOMPLETE_SUFFIX):
                original = name[1:].rsplit(".", 2)[0]
                entries.append(CacheEntry(uid, original, path, size, "incomplete"))
            elif not name.startswith("."):
                try:
                    cached = CachedFile.for_asset(uid, name, root)
                except ValueError:
                    entries.append(CacheEntry(uid, name, path, size, "unverified"))
                    continue
                record = cached.read_record()
                ok = record is not None and record.is_current(path)
                entries.append(CacheEntry(uid, name, path, size, "verified" if ok else "unverified"))
    return entries


def _asset_walk(root: Path, with_locks: bool = False):
    """os.walk over the asset part of the cache (not the catalogs, cards or code; locks if asked)."""
    skipped = set(NON_ASSET_DIRS) - ({LOCK_DIR} if with_locks else set())
    for dirpath, dirnames, filenames in os.walk(root):
        if Path(dirpath) == root:
            dirnames[:] = [d for d in dirnames if d not in skipped]
        yield dirpath, dirnames, filenames


def prune(hub_dir: str | None = None, referenced: set[tuple[str, str]] | None = None,
          everything: bool = False, dry_run: bool = False) -> list[Path]:
    """Remove interrupted downloads, temporary files, unheld locks, unverified files and (with
    ``referenced``) files no card references; ``everything`` empties the cache. Returns what went."""
    root = Path(hub_dir or get_hub_dir())
    removed: list[Path] = []
    if not root.is_dir():
        return removed
    if everything:
        removed = sorted(root.iterdir())
        if not dry_run:
            for path in removed:
                shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
        return removed
    for entry in scan_cache(root):
        stale = entry.state != "verified" or (
            referenced is not None and (entry.uid, entry.file_name) not in referenced)
        if stale:
            removed.append(entry.path)
            if entry.state != "incomplete":
                removed.append(CachedFile(root, entry.uid, entry.file_name).record_path)
    for dirpath, _, filenames in _asset_walk(root):
        for name in filenames:
            path = Path(dirpath, name)
            if name.endswith(".tmp") or (name.endswith(RECORD_SUFFIX) and not path.with_name(
                    name[1:-len(RECORD_SUFFIX)]).exists()):
                removed.append(path)
    lock_root = root / LOCK_DIR
    if lock_root.is_dir():
        for lock in lock_root.rglob("*.lock"):
            try:
                with FileLock(str(lock), timeout=0):
                    pass
                removed.append(lock)
            except Timeout:
                continue
    removed = sorted({p for p in removed if p.exists()})
    if not dry_run:
        for path in removed:
            path.unlink(missing_ok=True)
        for dirpath, _, _ in sorted(_asset_walk(root, with_locks=True), key=lambda t: -len(t[0])):
            if Path(dirpath) != root:
                try:
                    os.rmdir(dirpath)
                except OSError:
                    pass
    return removed
