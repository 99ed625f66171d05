"""Streaming HTTP download with one-pass sha256, retries, Range resume and a progress bar, over the one
HTTP client (``http``).

Only bytes are handled here; deciding where they go in the cache and when a file may take its
final name is ``assets``' job.
"""
from __future__ import annotations

import errno
import hashlib
import os
import queue
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import requests
from tqdm import tqdm

from .. import settings
from ..errors import FetchError, InterruptedDownload, RetryableError
from .diskio import start_writeback
from .http import DownloadPolicy, new_session, open_url

PROGRESS_RESET_BYTES = 1 << 20  # an attempt that moved at least this much does not use up a retry
WRITEBACK_BYTES = 8 << 20  # start writing to disk every 8 MiB so the final fsync is short
HASH_QUEUE_CHUNKS = 32  # chunks waiting to be hashed: bounds memory to 32 x chunk size


@dataclass
class DownloadResult:
    sha256: str
    size: int
    content_type: str | None
    etag: str | None = None
    last_modified: str | None = None


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


def _content_encodings(response) -> list[str]:
    """The codings a response body is wrapped in (``gzip``...), identity left out."""
    value = response.headers.get("Content-Encoding", "")
    return [c.strip().lower() for c in value.split(",") if c.strip() and c.strip().lower() != "identity"]


def _declared_total(response) -> int | None:
    """The size of the whole file a response states: Content-Length of a 200, the total of a 206."""
    if response.status_code == 206:
        total = response.headers.get("Content-Range", "").rpartition("/")[2]
        return int(total) if total.isdigit() else None
    return _content_length(response)


class _Transfer:
    """What has been received so far (bytes on disk, or merely hashed, and their running sha256) and
    what the server has said about the file, to catch a server that contradicts itself."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.hasher = hashlib.sha256()
        self.offset = hash_file(path, self.hasher) if path is not None and path.exists() else 0
        self.resumable = True  # False once a body came content-encoded: its Range offsets do not apply
        self.declared: int | None = None  # the file size the server stated first
        self.short_from_zero: tuple[int, int] | None = None  # (received, promised) of a whole-body attempt

    def restart(self) -> None:
        self.hasher, self.offset = hashlib.sha256(), 0
        if self.path is not None:
            self.path.write_bytes(b"")

    def note_short(self, wire: int, promised: int, url: str, what: str) -> None:
        """A whole-body attempt ended early; the same cut twice means the server, not the network."""
        if self.short_from_zero == (wire, promised):
            raise FetchError(f"{url} ({what}) ends its body after {wire} of the {promised} bytes its "
                             "Content-Length promises, every time: the server or a proxy is broken")
        self.short_from_zero = (wire, promised)

    def agree(self, total: int | None, url: str, what: str) -> None:
        """Every answer must describe the same file size, or the server is not to be believed."""
        if total is None:
            return
        if self.declared is None:
            self.declared = total
        elif total != self.declared:
            raise FetchError(f"{url} ({what}): the server first said the file has {self.declared} bytes, then "
                             f"{total}; its Content-Length or Content-Range is wrong, so its bytes are not used")


def download(url: str, path: Path | None, what: str, policy: DownloadPolicy | None = None,
             session: requests.Session | None = None, label: str | None = None) -> DownloadResult:
    """Stream ``url`` into ``path`` (appending to what is there, via Range) and return its sha256.

    With ``path`` None the bytes are only hashed (checksum audits). Raises FetchError subclasses:
    InterruptedDownload when retries ran out (partial bytes stay in ``path`` for a later resume).
    The body is asked for unencoded; a server that compresses it anyway is decoded, and what is
    stored, hashed and limited is the decoded file.
    """
    policy = policy or DownloadPolicy()
    own_session = session is None
    session = session or new_session()
    state = _Transfer(path)
    progress = _Progress(policy, label or what)
    failures = 0
    try:
        while True:
            before = state.offset
            try:
                return _attempt(session, url, what, state, policy, progress)
            except RetryableError as exc:
                if path is None:  # nothing kept to resume from: the next attempt starts from zero
                    state.restart()
                failures = 0 if state.offset - before >= PROGRESS_RESET_BYTES else failures + 1
                if failures > policy.retries:
                    kept = (f" with {state.offset} bytes kept to resume" if state.offset else
                            f" (no network? {settings.ENDPOINT_ENV} points downloads at a mirror, "
                            f"{settings.OFFLINE_ENV}=1 uses only the cache)" if exc.offline_hint else "")
                    raise InterruptedDownload(f"{exc}; gave up after {policy.retries} retries{kept}") from None
                policy.sleep(policy.delay(failures - 1, exc.retry_after))
    finally:
        progress.close()
        if own_session:
            session.close()


def _attempt(session, url: str, what: str, state: _Transfer, policy: DownloadPolicy, progress) -> DownloadResult:
    """One request: resume from ``state.offset`` where that is sound, stream the rest, check the length."""
    if state.offset and not state.resumable:
        state.restart()
    headers = {"Accept-Encoding": "identity"}
    if state.offset:
        headers["Range"] = f"bytes={state.offset}-"
    with open_url(session, url, what, policy, headers=headers, ok_status=(416,)) as response:
        encodings = _content_encodings(response)
        unknown = [c for c in encodings if c not in response.raw.CONTENT_DECODERS]
        if unknown:
            raise FetchError(f"{url} ({what}) came with Content-Encoding {', '.join(unknown)}, which cannot be "
                             "decoded; ask the mirror for the plain file")
        if response.status_code == 416:
            complete = _complete_length(response)
            if complete is not None and complete == state.offset:
                state.agree(complete, url, what)  # every byte is already here (killed before the rename)
                return DownloadResult(state.hasher.hexdigest(), state.offset, None, *_validators(response))
            state.restart()
            raise RetryableError(f"HTTP 416 for a resumed download of {what}; starting over")
        start = _range_start(response)
        if encodings:
            state.resumable = False  # Range offsets of an encoded body are not offsets in the file
        if state.offset and start == state.offset and not encodings:
            pass  # the continuation asked for
        elif start in (None, 0):
            state.restart()  # the whole file from its first byte (a server may ignore Range): take it
        else:
            asked = state.offset
            state.restart()
            raise RetryableError(f"{url} ({what}) answered a request for bytes {asked}- with "
                                 f"{response.headers.get('Content-Range')}" + (" encoded" if encodings else "")
                                 + "; starting over")
        if not encodings:
            state.agree(_declared_total(response), url, what)
        length = _content_length(response)  # bytes on the wire: encoded bytes when encoded
        total = state.offset + length if length is not None and not encodings else None
        if total is not None and total > policy.max_bytes:
            raise FetchError(f"{url} ({what}) is {total} bytes, over the limit of {policy.max_bytes} "
                             f"bytes (set {settings.MAX_DOWNLOAD_ENV} to raise it)")
        begun_at = state.offset
        progress.start(total, state.offset)
        try:
            _stream_body(response, state, policy, url, what, progress.bar)
        except RetryableError:
            if begun_at == 0 and length is not None:
                state.note_short(response.raw.tell(), length, url, what)
            raise
        wire = response.raw.tell()  # body bytes as they came off the wire (encoded when encoded)
        if length is not None and wire != length:
            if begun_at == 0:
                state.note_short(wire, length, url, what)
            raise RetryableError(f"connection closed after {wire} of {length} bytes from {url} ({what})")
        if state.declared is not None and state.offset < state.declared and not encodings:
            raise RetryableError(f"{url} ({what}) sent bytes up to {state.offset} of {state.declared}; resuming")
        return DownloadResult(state.hasher.hexdigest(), state.offset, response.headers.get("Content-Type"),
                              *_validators(response))


def _validators(response) -> tuple[str | None, str | None]:
    """ETag and Last-Modified: what tells a later check whether the file on the server changed."""
    return response.headers.get("ETag"), response.headers.get("Last-Modified")


class _Progress:
    """One progress bar for a download across its attempts (shown only on a terminal)."""

    def __init__(self, policy: DownloadPolicy, label: str) -> None:
        self.policy = policy
        self.label = label
        self.bar = None

    def start(self, total: int | None, initial: int) -> None:
        if self.bar is None:
            self.bar = tqdm(total=total, initial=initial, unit="B", unit_scale=True, unit_divisor=1024,
                            desc=self.label, dynamic_ncols=True,
                            disable=self.policy.quiet or not sys.stderr.isatty())
        else:
            self.bar.reset(total=total)
            self.bar.update(initial)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


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
        except requests.exceptions.ContentDecodingError as exc:
            raise FetchError(f"{url} ({what}): the compressed body cannot be decoded: {exc}") from None
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
