"""Streaming HTTP download with one-pass sha256, retries, Range resume and a progress bar.

Only bytes are handled here; deciding where they go in the cache and when a file may take its
final name is ``fetch.py``'s job.
"""
from __future__ import annotations

import email.utils
import errno
import hashlib
import os
import queue
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import urljoin

import requests
from tqdm import tqdm

from . import settings, trust
from .diskio import start_writeback
from .errors import FetchError

USER_AGENT = "mshub-registry (+requests)"
RETRY_STATUS = {429, 500, 502, 503, 504}
REDIRECT_STATUS = {301, 302, 303, 307, 308}
PROGRESS_RESET_BYTES = 1 << 20  # an attempt that moved at least this much does not use up a retry
WRITEBACK_BYTES = 8 << 20  # start writing to disk every 8 MiB so the final fsync is short
HASH_QUEUE_CHUNKS = 32  # chunks waiting to be hashed: bounds memory to 32 x chunk size


@dataclass
class DownloadPolicy:
    """Timeouts, retry schedule and limits for one download."""

    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    retries: int = 5
    backoff: float = 0.5
    max_backoff: float = 30.0
    max_redirects: int = 5
    max_bytes: int = field(default_factory=settings.max_download_bytes)
    chunk_size: int = 256 * 1024  # a broken connection loses at most one partly filled chunk
    quiet: bool = field(default_factory=settings.quiet)
    sleep: Callable[[float], None] = time.sleep

    def delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.max_backoff)
        return min(self.backoff * (2 ** attempt), self.max_backoff)


class RetryableError(FetchError):
    """A failure worth another attempt (connection drop, timeout, 5xx, 429)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class InterruptedDownload(FetchError):
    """Retries ran out; the bytes received so far are kept so a later call resumes."""


@dataclass
class DownloadResult:
    sha256: str
    size: int
    content_type: str | None


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After as seconds (it may be a number of seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _open(session: requests.Session, url: str, what: str, headers: dict, policy: DownloadPolicy):
    """GET with redirects followed by hand, so every hop is checked against the trust policy."""
    seen = []
    for _ in range(policy.max_redirects + 1):
        trust.check_trusted(url, what)
        seen.append(url)
        try:
            response = session.get(url, headers=headers, stream=True, allow_redirects=False,
                                   timeout=(policy.connect_timeout, policy.read_timeout))
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise RetryableError(f"cannot reach {url} ({what}): {exc}") from None
        if response.status_code in REDIRECT_STATUS and "Location" in response.headers:
            response.close()
            url = urljoin(url, response.headers["Location"])
            if url in seen:
                raise FetchError(f"redirect loop while downloading {what}: {' -> '.join(seen + [url])}")
            continue
        if response.status_code in RETRY_STATUS:
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            response.close()
            raise RetryableError(f"HTTP {response.status_code} from {url} ({what})", retry_after)
        if response.status_code == 416:
            return response
        if response.status_code >= 400:
            response.close()
            raise FetchError(f"HTTP {response.status_code} {response.reason} from {url} ({what})")
        return response
    raise FetchError(f"more than {policy.max_redirects} redirects while downloading {what} from {seen[0]}")


def hash_file(path: Path, hasher, chunk_size: int = 1 << 20) -> int:
    """Feed a file's bytes to ``hasher``; returns how many there were."""
    size = 0
    with open(path, "rb") as f:
        while chunk := f.read(chunk_size):
            hasher.update(chunk)
            size += len(chunk)
    return size


def _range_start(response) -> int | None:
    """Where a 206 response starts (None for any other response)."""
    if response.status_code != 206:
        return None
    value = response.headers.get("Content-Range", "")
    try:
        return int(value.split()[1].split("-")[0])
    except (IndexError, ValueError):
        return None


def _complete_length(response) -> int | None:
    """The full size a 416 response states (``Content-Range: bytes */N``)."""
    value = response.headers.get("Content-Range", "")
    if value.startswith("bytes */") and value[8:].isdigit():
        return int(value[8:])
    return None


def _content_length(response) -> int | None:
    value = response.headers.get("Content-Length")
    return int(value) if value and value.isdigit() else None


class _Transfer:
    """What has been received so far: bytes on disk (or merely hashed) and their running sha256."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.hasher = hashlib.sha256()
        self.offset = hash_file(path, self.hasher) if path is not None and path.exists() else 0

    def restart(self) -> None:
        self.hasher, self.offset = hashlib.sha256(), 0
        if self.path is not None:
            self.path.write_bytes(b"")


def download(url: str, path: Path | None, what: str, policy: DownloadPolicy | None = None,
             session: requests.Session | None = None, label: str | None = None) -> DownloadResult:
    """Stream ``url`` into ``path`` (appending to what is there, via Range) and return its sha256.

    With ``path`` None the bytes are only hashed (checksum audits). Raises FetchError subclasses:
    InterruptedDownload when retries ran out (partial bytes stay in ``path`` for a later resume).
    """
    policy = policy or DownloadPolicy()
    own_session = session is None
    session = session or requests.Session()
    session.headers.setdefault("User-Agent", USER_AGENT)
    state = _Transfer(path)
    failures = 0
    bar = None
    try:
        while True:
            before = state.offset
            try:
                headers = {"Range": f"bytes={state.offset}-"} if state.offset else {}
                with _open(session, url, what, headers, policy) as response:
                    if response.status_code == 416 and _complete_length(response) == state.offset:
                        # We already hold every byte (e.g. killed before the rename): the hash decides.
                        return DownloadResult(state.hasher.hexdigest(), state.offset, None)
                    if response.status_code == 416 or (state.offset and _range_start(response) != state.offset):
                        # The server ignored or refused the Range: start over; the final hash decides.
                        state.restart()
                        if response.status_code == 416:
                            raise RetryableError(f"HTTP 416 for a resumed download of {what}; starting over")
                    length = _content_length(response)
                    total = state.offset + length if length is not None else None
                    if total is not None and total > policy.max_bytes:
                        raise FetchError(f"{url} ({what}) is {total} bytes, over the limit of {policy.max_bytes} "
                                         f"bytes (set {settings.MAX_DOWNLOAD_ENV} to raise it)")
                    if bar is None:
                        bar = tqdm(total=total, initial=state.offset, unit="B", unit_scale=True,
                                   unit_divisor=1024, desc=label or what, dynamic_ncols=True,
                                   disable=policy.quiet or not sys.stderr.isatty())
                    else:
                        bar.reset(total=total)
                        bar.update(state.offset)
                    received = _stream_body(response, state, policy, url, what, bar)
                    if length is not None and received != length:
                        raise RetryableError(f"connection closed after {received} of {length} bytes "
                                             f"from {url} ({what})")
                    return DownloadResult(state.hasher.hexdigest(), state.offset,
                                          response.headers.get("Content-Type"))
            except RetryableError as exc:
                if path is None:  # nothing kept to resume from: the next attempt starts from zero
                    state.restart()
                failures = 0 if state.offset - before >= PROGRESS_RESET_BYTES else failures + 1
                if failures > policy.retries:
                    kept = (f" with {state.offset} bytes kept to resume" if state.offset else
                            f" (no network? {settings.ENDPOINT_ENV} points downloads at a mirror, "
                            f"{settings.OFFLINE_ENV}=1 uses only the cache)")
                    raise InterruptedDownload(f"{exc}; gave up after {policy.retries} retries{kept}") from None
                policy.sleep(policy.delay(failures - 1, exc.retry_after))
    finally:
        if bar is not None:
            bar.close()
        if own_session:
            session.close()


class _HashingThread:
    """sha256 on a second core: hashlib releases the GIL, so hashing overlaps receiving and writing."""

    def __init__(self, hasher) -> None:
        self.hasher = hasher
        self.chunks: queue.Queue = queue.Queue(maxsize=HASH_QUEUE_CHUNKS)
        self.thread = threading.Thread(target=self._run, name="sha256", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while (chunk := self.chunks.get()) is not None:
            self.hasher.update(chunk)

    def update(self, chunk: bytes) -> None:
        self.chunks.put(chunk)

    def finish(self) -> None:
        """Wait until every chunk given so far is hashed."""
        self.chunks.put(None)
        self.thread.join()


def _stream_body(response, state: _Transfer, policy, url, what, bar) -> int:
    """Append the body to ``state`` (file and hash) as it arrives; returns the bytes received."""
    received = 0
    out = None
    hashing = _HashingThread(state.hasher)
    try:
        out = open(state.path, "ab") if state.path is not None else None
        synced = state.offset
        try:
            for chunk in response.iter_content(chunk_size=policy.chunk_size):
                if not chunk:
                    continue
                if state.offset + len(chunk) > policy.max_bytes:
                    raise FetchError(f"{url} ({what}) sent more than the limit of {policy.max_bytes} bytes "
                                     f"(set {settings.MAX_DOWNLOAD_ENV} to raise it)")
                if out is not None:
                    out.write(chunk)
                hashing.update(chunk)
                state.offset += len(chunk)
                received += len(chunk)
                bar.update(len(chunk))
                if out is not None and state.offset - synced >= WRITEBACK_BYTES:
                    out.flush()
                    start_writeback(out.fileno(), synced, state.offset - synced)
                    synced = state.offset
        except (requests.ConnectionError, requests.Timeout,
                requests.exceptions.ChunkedEncodingError) as exc:
            raise RetryableError(f"download of {url} ({what}) broke off after "
                                 f"{state.offset} bytes: {exc}") from None
        if out is not None:
            out.flush()
            os.fsync(out.fileno())
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise FetchError(f"no space left on device while writing {state.path} ({what}); "
                             "free some space or point MSHUB_HOME elsewhere") from None
        raise FetchError(f"cannot write {state.path} ({what}): {exc.strerror or exc}") from None
    finally:
        hashing.finish()  # the hash covers exactly the bytes written, whatever happened
        if out is not None:
            try:
                out.close()
            except OSError:
                pass
    return received
