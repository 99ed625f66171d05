"""The hub's one HTTP client: requests sessions under one policy (timeouts, retries, redirects followed
by hand so every hop is checked against the trust policy). Downloads and range resumes
(``transfer``), the audit's HEAD probes and single-card fetches (``catalog.hub_repo``) all go through it."""
from __future__ import annotations

import email.utils
import time
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urljoin, urlsplit

import requests
import urllib3

from .. import settings, trust
from ..errors import FetchError, RetryableError, UntrustedURLError

USER_AGENT = "mshub-registry (+requests)"
RETRY_STATUS = {429, 500, 502, 503, 504}
GATEWAY_STATUS = {502, 503, 504}  # what a proxy answers when it cannot reach the host
REDIRECT_STATUS = {301, 302, 303, 307, 308}


@dataclass
class DownloadPolicy:
    """Timeouts, retry schedule and limits for one download."""

    connect_timeout: float = 10.0
    read_timeout: float = field(default_factory=settings.download_timeout)
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


def new_session() -> requests.Session:
    session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT
    return session


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


def _next_hop(seen: list[str], location: str, what: str) -> str:
    """Where a redirect from ``seen[-1]`` leads: an HTTP URL not visited yet."""
    url = urljoin(seen[-1], location)
    if urlsplit(url).scheme not in ("http", "https"):
        raise UntrustedURLError(f"{seen[-1]} ({what}) redirects to {url}, which is not an HTTP URL; refused")
    if url in seen:
        raise FetchError(f"redirect loop while fetching {what}: {' -> '.join(seen + [url])}")
    return url


def open_url(session: requests.Session, url: str, what: str, policy: DownloadPolicy, method: str = "GET",
             headers: dict | None = None, ok_status: tuple[int, ...] = ()) -> requests.Response:
    """``method`` with redirects followed by hand, each hop trust-checked; a streamed response.

    Connection failures, timeouts, 429 and 5xx raise ``RetryableError`` (with Retry-After); other 4xx/5xx
    ``FetchError``, except the statuses in ``ok_status``, which the caller judges."""
    seen: list[str] = []
    for _ in range(policy.max_redirects + 1):
        trust.check_trusted(url, what)
        seen.append(url)
        try:
            response = session.request(method, url, headers=headers, stream=True, allow_redirects=False,
                                       timeout=(policy.connect_timeout, policy.read_timeout))
        except requests.ReadTimeout:
            raise RetryableError(f"no answer from {url} ({what}) within {policy.read_timeout:g} s") from None
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise RetryableError(f"cannot reach {url} ({what}): {exc}", offline_hint=True) from None
        status = response.status_code
        if status in REDIRECT_STATUS and "Location" in response.headers:
            response.close()
            url = _next_hop(seen, response.headers["Location"], what)
            continue
        if status in ok_status:
            return response
        if status in RETRY_STATUS:
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            response.close()
            raise RetryableError(f"HTTP {status} from {url} ({what})", retry_after,
                                 offline_hint=status in GATEWAY_STATUS)
        if status >= 400:
            response.close()
            raise FetchError(f"HTTP {status} {response.reason} from {url} ({what})")
        return response
    raise FetchError(f"more than {policy.max_redirects} redirects while fetching {what} from {seen[0]}")


def retrying(attempt: Callable[[], object], policy: DownloadPolicy):
    """``attempt()`` again after a ``RetryableError``, with the policy's backoff, until retries run out."""
    for failures in range(policy.retries + 1):
        try:
            return attempt()
        except RetryableError as exc:
            if failures == policy.retries:
                raise
            policy.sleep(policy.delay(failures, exc.retry_after))
    raise AssertionError("unreachable")


@dataclass
class RemoteFile:
    """What a HEAD request says about a file: its size and validators (any may be unknown)."""

    size: int | None
    etag: str | None
    last_modified: str | None


def probe(url: str, what: str, session: requests.Session, policy: DownloadPolicy | None = None) -> RemoteFile:
    """HEAD ``url``, redirects trust-checked hop by hop; no retries (a caller that cannot tell downloads)."""
    policy = policy or DownloadPolicy()
    with open_url(session, url, what, policy, "HEAD", {"Accept-Encoding": "identity"}) as response:
        answer = response.headers
        if response.status_code != 200 or answer.get("Content-Encoding", "identity").lower() != "identity":
            raise FetchError(f"HEAD {url} ({what}) answered HTTP {response.status_code}")
        length = answer.get("Content-Length")
        return RemoteFile(int(length) if length and length.isdigit() else None, answer.get("ETag"),
                          answer.get("Last-Modified"))


def fetch_small(url: str, what: str, limit: int, policy: DownloadPolicy | None = None,
                session: requests.Session | None = None) -> bytes | None:
    """The body of a small file as sent (no decoding), None on 404; retried. At most ``limit + 1`` bytes
    are read: a longer body comes back cut there, so the caller can tell it is over its limit."""
    policy = policy or DownloadPolicy()
    own = session is None
    session = session or new_session()

    def attempt() -> bytes | None:
        with open_url(session, url, what, policy, headers={"Accept-Encoding": "identity"},
                      ok_status=(404,)) as response:
            if response.status_code == 404:
                return None
            try:
                return response.raw.read(limit + 1, decode_content=False)
            except (urllib3.exceptions.HTTPError, OSError) as exc:
                raise RetryableError(f"{url} ({what}) broke off: {exc}", offline_hint=True) from None

    try:
        return retrying(attempt, policy)
    finally:
        if own:
            session.close()
