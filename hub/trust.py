"""What the hub trusts, in one place: the URLs it may download from (with the mirror rewrite of
``MSHUB_ENDPOINT``), and the repositories whose code it may run to build a network."""
from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from . import settings
from .errors import UntrustedRepoError, UntrustedURLError

if TYPE_CHECKING:
    from .cards.repo_link import RepoRef

# (host, path prefix): the asset hosts the public hub trusts, and download-mindspore.osinfra.cn, the
# official MindSpore download host of MindCV, MindYOLO and MindOne (118 published assets live there).
# Redirects are checked hop by hop, so they may go between any of these.
TRUSTED = (
    ("download.mindspore.cn", "/"),
    ("download-mindspore.osinfra.cn", "/"),
    ("www.mindspore.cn", "/"),
    ("gitee.com", "/mindspore/mindspore/"),
    ("gitee.com", "/mindspore/models/"),
    ("gitee.com", "/mindspore/hub/"),  # single cards fetched from the hub's raw URL
    ("github.com", "/mindspore-ai/mindspore/"),
    ("github.com", "/mindspore-lab/"),
)

# (host, owner): the organisations whose repositories' code may run here without the caller's word: the
# model zoo and MindSpore's own repositories, and the mindspore-lab toolkits.
TRUSTED_CODE_OWNERS = {("gitee.com", "mindspore"), ("github.com", "mindspore-ai"), ("github.com", "mindspore-lab")}


def _endpoint_parts(endpoint: str):
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ValueError(f"{settings.ENDPOINT_ENV}={endpoint!r}: expected http(s)://host[:port][/prefix]")
    return parts


def apply_endpoint(url: str, endpoint: str | None = None) -> str:
    """With a mirror endpoint, keep the URL's path and query but take scheme, host and prefix from it."""
    endpoint = endpoint if endpoint is not None else settings.endpoint()
    if not endpoint:
        return url
    mirror = _endpoint_parts(endpoint)
    original = urlsplit(url)
    path = mirror.path.rstrip("/") + original.path
    return urlunsplit((mirror.scheme, mirror.netloc, path, original.query, ""))


def is_trusted(url: str, endpoint: str | None = None) -> bool:
    """https on a trusted host and path, the mirror endpoint, or a host in MSHUB_TRUSTED_HOSTS."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    endpoint = endpoint if endpoint is not None else settings.endpoint()
    if endpoint:
        mirror = _endpoint_parts(endpoint)
        if parts.scheme == mirror.scheme and parts.netloc.lower() == mirror.netloc.lower():
            return True
    if parts.scheme != "https":
        return False
    if host in settings.extra_trusted_hosts():
        return True
    path = parts.path or "/"
    return any(host == h and path.startswith(p) for h, p in TRUSTED)


def check_trusted(url: str, what: str, endpoint: str | None = None) -> None:
    """Raise UntrustedURLError, saying how to allow the URL, unless it may be fetched."""
    if is_trusted(url, endpoint):
        return
    parts = urlsplit(url)
    hosts = ", ".join(sorted({f"{h}{p.rstrip('/')}" for h, p in TRUSTED}))
    reason = "is not https" if parts.scheme != "https" else f"host {parts.hostname!r} is not trusted"
    raise UntrustedURLError(
        f"refusing to download {url} ({what}): it {reason}. Trusted: https on {hosts}. "
        f"To allow it, set {settings.TRUSTED_HOSTS_ENV}={parts.hostname} (https only), or "
        f"{settings.ENDPOINT_ENV}=<scheme>://<host> to fetch every asset from that mirror.")


def check_code_trusted(ref: RepoRef, uid: str, trust_repo: bool) -> None:
    """Running a repository's code is running code: the model zoo and mindspore-lab are trusted, any other
    repository needs ``trust_repo=True`` or its ``host/owner/name`` in ``MSHUB_TRUSTED_REPOS``."""
    if trust_repo or (ref.host, ref.owner) in TRUSTED_CODE_OWNERS or ref.key.lower() in settings.trusted_repos():
        return
    raise UntrustedRepoError(f"{uid}: building it runs code from {ref.clone_url}, which is not a MindSpore "
                             f"repository; pass trust_repo=True if you trust it, or set "
                             f"{settings.TRUSTED_REPOS_ENV}={ref.key}")
