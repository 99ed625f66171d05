"""Checksum audit of published assets: every asset of every card, once per URL, resumable via a ledger.

For each distinct URL: refuse it if the card's URL is not trusted; with a ledger entry that was ok
for the same card digest, ask the server (HEAD) whether the file is the one audited (same size and
ETag / Last-Modified) and answer from the ledger; otherwise stream the file, hash it and compare.
Nothing is stored but the ledger; memory is bounded by the transfer's chunk queue per job.
"""
from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urlsplit

import requests

from .. import trust
from ..cards.record import Asset, ModelCard
from ..errors import HubError, UntrustedURLError
from ..fetch.http import DownloadPolicy, new_session, probe
from ..fetch.transfer import download
from .ledger import AuditLedger, LedgerEntry

PER_HOST = 4  # connections to one host at a time, whatever --jobs says


@dataclass
class AuditTarget:
    """One distinct URL and every card asset that points at it."""

    url: str
    refs: list[tuple[str, Asset]] = field(default_factory=list)  # (uid, asset)

    @property
    def expected(self) -> str:
        """The card digest(s) the file is judged against; several when cards disagree."""
        return ",".join(sorted({a.sha256 for _, a in self.refs}))

    @property
    def first(self) -> tuple[str, Asset]:
        return self.refs[0]

    @property
    def check(self) -> str:
        """'sha256' for full digests, 'sha256-prefix' when any card gives only a prefix."""
        return "sha256-prefix" if any(a.is_prefix for _, a in self.refs) else "sha256"


@dataclass
class AuditResult:
    target: AuditTarget
    status: str  # ok, mismatch, error, untrusted
    how: str  # downloaded, ledger, refused
    size: int | None = None
    seconds: float = 0.0
    seen: str | None = None  # full sha256 of the bytes, when downloaded (or as the ledger has it)
    detail: str = ""
    etag: str | None = None
    last_modified: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def to_dict(self) -> dict:
        uid, asset = self.target.first
        return {"uid": uid, "file": asset.file_name, "url": self.target.url, "format": asset.file_format,
                "status": self.status, "how": self.how, "check": self.target.check,
                "expected": self.target.expected, "seen": self.seen, "size": self.size,
                "seconds": round(self.seconds, 3), "detail": self.detail,
                "cards": [u for u, _ in self.target.refs]}


def collect_targets(cards: list[ModelCard]) -> list[AuditTarget]:
    """Every asset of every card, grouped by URL (a file listed by several cards is audited once)."""
    targets: dict[str, AuditTarget] = {}
    for card in cards:
        for asset in card.assets:
            targets.setdefault(asset.url, AuditTarget(asset.url)).refs.append((card.uid, asset))
    return list(targets.values())


@dataclass
class AuditOptions:
    jobs: int = 4
    full: bool = False  # re-hash whatever the ledger says
    max_age_days: float | None = None  # re-hash ledger entries older than this
    per_host: int = PER_HOST
    policy: DownloadPolicy = field(default_factory=lambda: DownloadPolicy(quiet=True))


def _judge(target: AuditTarget, sha256: str) -> tuple[str, str]:
    wrong = [(uid, a) for uid, a in target.refs if not a.matches(sha256)]
    if not wrong:
        uid, asset = target.first
        return "ok", asset.describe_check()
    return "mismatch", "; ".join(f"{uid}: expected {a.describe_check()}" for uid, a in wrong) + f", got {sha256}"


def _ledger_says_unchanged(entry: LedgerEntry | None, target: AuditTarget, options: AuditOptions) -> bool:
    """Whether the ledger's verdict may stand, provided the server still describes the same file."""
    if options.full or entry is None or entry.outcome != "ok" or entry.expected != target.expected:
        return False
    if options.max_age_days is not None and entry.age_days() > options.max_age_days:
        return False
    return entry.size is not None and (entry.etag or entry.last_modified) is not None


class _Auditor:
    """Runs on worker threads: one requests session per thread, a few connections per host."""

    def __init__(self, options: AuditOptions) -> None:
        self.options = options
        self.local = threading.local()
        self.host_slots: dict[str, threading.BoundedSemaphore] = {}
        self.lock = threading.Lock()
        self.sessions: list[requests.Session] = []

    def session(self) -> requests.Session:
        if not hasattr(self.local, "session"):
            self.local.session = new_session()
            with self.lock:
                self.sessions.append(self.local.session)
        return self.local.session

    def slot(self, url: str) -> threading.BoundedSemaphore:
        host = (urlsplit(url).hostname or "").lower()
        with self.lock:
            return self.host_slots.setdefault(host, threading.BoundedSemaphore(self.options.per_host))

    def audit(self, target: AuditTarget, entry: LedgerEntry | None) -> AuditResult:
        start = time.perf_counter()
        uid, asset = target.first
        what = f"{asset.file_name} of {uid}"
        try:
            trust.check_trusted(target.url, what, endpoint="")
        except UntrustedURLError as exc:
            return AuditResult(target, "untrusted", "refused", detail=str(exc))
        url = trust.apply_endpoint(target.url)
        with self.slot(url):
            if _ledger_says_unchanged(entry, target, self.options):
                try:
                    head = probe(url, what, self.session(), self.options.policy)
                except HubError:
                    head = None
                if head is not None and (head.size, head.etag, head.last_modified) == \
                        (entry.size, entry.etag, entry.last_modified):
                    since = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(entry.checked_at))
                    return AuditResult(target, "ok", "ledger", entry.size, time.perf_counter() - start, entry.seen,
                                       f"hashed {since}; HEAD shows the same size and validators",
                                       entry.etag, entry.last_modified)
            try:
                got = download(url, None, what, self.options.policy, self.session())
            except HubError as exc:
                return AuditResult(target, "error", "downloaded", seconds=time.perf_counter() - start,
                                   detail=str(exc))
        status, detail = _judge(target, got.sha256)
        return AuditResult(target, status, "downloaded", got.size, time.perf_counter() - start, got.sha256,
                           detail, got.etag, got.last_modified)

    def close(self) -> None:
        for session in self.sessions:
            session.close()


def run_audit(targets: list[AuditTarget], options: AuditOptions, ledger: AuditLedger | None = None,
              on_result: Callable[[AuditResult], None] | None = None) -> list[AuditResult]:
    """Audit ``targets`` with ``options.jobs`` workers; each finished URL goes into the ledger at once
    (so an interrupted run keeps it) and to ``on_result``. Results come back in ``targets`` order."""
    entries = ledger.entries() if ledger is not None else {}
    auditor = _Auditor(options)
    results: dict[int, AuditResult] = {}
    pool = ThreadPoolExecutor(max_workers=max(1, options.jobs), thread_name_prefix="audit")
    try:
        with pool:
            futures = {pool.submit(auditor.audit, t, entries.get(t.url)): i for i, t in enumerate(targets)}
            for future in as_completed(futures):
                result = future.result()
                results[futures[future]] = result
                if ledger is not None and result.how == "downloaded":
                    ledger.record(LedgerEntry(result.target.url, result.target.expected, result.seen, result.size,
                                              result.etag, result.last_modified, time.time(), result.status,
                                              result.detail))
                if on_result is not None:
                    on_result(result)
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)  # Ctrl-C: what finished is in the ledger already
        raise
    finally:
        auditor.close()
    return [results[i] for i in range(len(targets))]
