"""Get a card's asset into the cache, verified: downloaded once, proven by sha256, published atomically.

A file takes its final name only after its sha256 matched (temporary file in the same directory,
fsync, rename). Concurrent callers serialise on a file lock; if locking silently does not work, each
process still writes its own temporary file and verifies before renaming, so nothing corrupt is
published. Later calls trust a record of what was verified (size, mtime, inode) instead of re-hashing.
"""
from __future__ import annotations

import hashlib
import os
import warnings
from pathlib import Path

from filelock import FileLock, Timeout

from .. import settings, trust
from ..cards.record import Asset, ModelCard
from ..errors import ChecksumError, FetchError, InterruptedDownload, OfflineError, WeakChecksumWarning
from .cache import CachedFile, VerifiedRecord, fsync_directory
from .http import DownloadPolicy
from .transfer import download, hash_file

LOCK_TIMEOUT = 3600.0  # another process may be downloading a large file for a long time


def file_sha256(path: Path) -> str:
    hasher = hashlib.sha256()
    hash_file(path, hasher)
    return hasher.hexdigest()


def checkpoint_asset(card: ModelCard) -> Asset:
    asset = card.ckpt
    if asset is None:
        formats = ", ".join(card.formats) or "none"
        raise FetchError(f"{card.uid} ({card.path}) publishes no ckpt asset (formats: {formats})")
    return asset


def _record_is_current(cached: CachedFile, asset: Asset) -> bool:
    record = cached.read_record()
    return record is not None and record.is_current(cached.path) and asset.matches(record.sha256)


def _verify_existing(cached: CachedFile, asset: Asset) -> bool:
    """Re-hash a cached file whose record is missing or stale; remove it if it no longer matches."""
    if not cached.path.is_file():
        return False
    digest = file_sha256(cached.path)
    if asset.matches(digest):
        cached.write_record(VerifiedRecord.of(cached.path, digest))
        return True
    cached.path.unlink(missing_ok=True)
    cached.remove_record()
    return False


def cached_asset(card: ModelCard, asset: Asset | None = None, hub_dir: str | None = None) -> Path | None:
    """The verified cached file of ``asset`` (default: the card's checkpoint), or None; never downloads."""
    asset = asset or checkpoint_asset(card)
    cached = CachedFile.for_asset(card.uid, asset.file_name, hub_dir)
    return cached.path if _record_is_current(cached, asset) else None


def _claim_incomplete(cached: CachedFile) -> Path:
    """A temporary file of our own, taking over the largest interrupted download when there is one."""
    mine = cached.new_incomplete_path()
    for leftover in cached.incomplete_paths():
        try:
            os.rename(leftover, mine)  # atomic: if two processes race, only one gets it
            return mine
        except FileNotFoundError:
            continue
    return mine


def _remove_empty_dirs(directory: Path, stop: Path) -> None:
    while directory != stop and stop in directory.parents:
        try:
            directory.rmdir()
        except OSError:
            return
        directory = directory.parent


def _remove_debris(cached: CachedFile) -> None:
    """After a failed first fetch: the directories it created and its lock file go again.

    Removing a lock file can let a process that waits on it and a newcomer both proceed; that costs at
    most a second download, since each writes its own temporary file and verifies before renaming.
    """
    _remove_empty_dirs(cached.directory, cached.hub_dir)
    cached.lock_path.unlink(missing_ok=True)
    _remove_empty_dirs(cached.lock_path.parent, cached.hub_dir)


def fetch_asset(card: ModelCard, asset: Asset | None = None, force: bool = False,
                hub_dir: str | None = None, policy: DownloadPolicy | None = None) -> Path:
    """Path of the verified cached asset (default: the card's checkpoint), downloading it if needed."""
    asset = asset or checkpoint_asset(card)
    cached = CachedFile.for_asset(card.uid, asset.file_name, hub_dir)
    if not force and _record_is_current(cached, asset):
        return cached.path
    offline = settings.offline()
    url = trust.apply_endpoint(asset.url)
    what = f"{asset.file_name} of {card.uid}"
    if not offline:
        trust.check_trusted(url, what)
    created_dir = not cached.directory.exists()
    try:
        cached.directory.mkdir(parents=True, exist_ok=True)
        cached.lock_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FetchError(f"cannot create the cache directory {cached.directory} for {card.uid}: "
                         f"{exc.strerror or exc}; set {settings.HOME_ENV} to a writable directory") from None
    try:
        with FileLock(str(cached.lock_path), timeout=LOCK_TIMEOUT):
            if not force and _verify_existing(cached, asset):
                return cached.path
            if offline:
                raise OfflineError(
                    f"{settings.OFFLINE_ENV} is set and {what} is not in the cache (expected at "
                    f"{cached.path}); unset {settings.OFFLINE_ENV}, or run `python -m hub download "
                    f"{card.uid}` where the network is reachable and copy {cached.hub_dir}")
            return _download_and_publish(cached, asset, url, what, policy)
    except Timeout:
        raise FetchError(f"timed out after {LOCK_TIMEOUT:.0f} s waiting for another process "
                         f"downloading {what} (lock {cached.lock_path})") from None
    finally:
        if created_dir and not cached.path.exists() and not cached.incomplete_paths():
            _remove_debris(cached)


def _download_and_publish(cached: CachedFile, asset: Asset, url: str, what: str,
                          policy: DownloadPolicy | None) -> Path:
    tmp = _claim_incomplete(cached)
    keep_partial = False
    try:
        result = download(url, tmp, what, policy, label=asset.file_name)
        if not asset.matches(result.sha256):
            hint = ""
            if (result.content_type or "").startswith("text/html"):
                hint = " (the server sent an HTML page, probably an error page, instead of the file)"
            raise ChecksumError(f"sha256 mismatch for {what} from {url}: expected {asset.describe_check()}, "
                                f"got {result.sha256} over {result.size} bytes{hint}; the download was deleted")
        os.replace(tmp, cached.path)
        fsync_directory(cached.directory)
        cached.write_record(VerifiedRecord.of(cached.path, result.sha256))
        if asset.is_prefix:
            warnings.warn(WeakChecksumWarning(
                f"{what}: verified by {asset.describe_check()}; its full sha256 is {result.sha256}"), stacklevel=4)
        return cached.path
    except InterruptedDownload:
        keep_partial = True
        raise
    except (KeyboardInterrupt, SystemExit):
        keep_partial = True  # an interrupted run resumes next time
        raise
    finally:
        if tmp.exists() and (not keep_partial or tmp.stat().st_size == 0):
            tmp.unlink(missing_ok=True)
