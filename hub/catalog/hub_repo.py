"""``python -m hub sync``: the public hub's catalog (``mshub_res/assets``) in the cache, and single
cards fetched from the hub's raw URL when a uid is found nowhere locally (as MindSpore Hub does)."""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock

from .. import settings, trust
from ..cards.uid import check_uid
from ..errors import FetchError, GitError, OfflineError, RetryableError, UidError
from ..fetch.cache import fetched_cards_dir, synced_catalog_repo
from ..fetch.diskio import staged_directory, write_atomically
from ..fetch.git import sparse_clone, update_shallow
from ..fetch.http import DownloadPolicy, fetch_small

SOURCES = {
    "gitee": "https://gitee.com/mindspore/hub.git",
    "github": "https://github.com/mindspore-ai/hub.git",
}
CATALOG_PATH = "mshub_res/assets"
RAW_CARD_URL = "https://gitee.com/mindspore/hub/raw/master/mshub_res/assets/{uid}.md"


# The branches of the hub's repository that MindSpore Hub's hub_list(version) accepts.
HUB_BRANCHES = ("master", "r1.0", "r1.0.1", "r1.1", "r1.2", "r1.3", "r1.4", "r1.5", "r1.6", "r1.8", "r1.9", "r1.10")
# Branches whose catalog is laid out <publisher>/<device>/<version>/ (later ones: <publisher>/<version>/).
DEVICE_LAYOUT_BRANCHES = ("r1.0", "r1.0.1", "r1.1", "r1.2", "r1.3", "r1.4", "r1.5", "r1.6")


@dataclass
class SyncResult:
    source: str
    catalog: Path
    commit: str
    cards: int
    updated: bool  # False: first clone
    branch: str = "master"


def synced_catalogs() -> list[Path]:
    """Catalog roots ``hub sync`` made, gitee's before github's."""
    return [d for d in (synced_catalog_repo(s) / CATALOG_PATH for s in SOURCES) if d.is_dir()]


def sync(source: str = "gitee", branch: str | None = None) -> SyncResult:
    """Clone (first time) or update the hub's catalog from ``source`` at ``branch`` (None: the default
    branch, master): shallow, blob-filtered, sparse; one cache per branch."""
    if source not in SOURCES:
        raise ValueError(f"--source must be one of {', '.join(SOURCES)}, got {source!r}")
    repo = synced_catalog_repo(source, branch)
    repo.parent.mkdir(parents=True, exist_ok=True)
    what = f"the hub's catalog from {SOURCES[source]}" + (f" (branch {branch})" if branch else "")
    with FileLock(str(repo) + ".lock"):
        if (repo / ".git").is_dir():
            commit, updated = update_shallow(repo, what), True
        else:
            with staged_directory(repo) as stage:
                ref = None if branch in (None, "master") else branch
                commit, left_out = sparse_clone(SOURCES[source], ref, [CATALOG_PATH], stage, what)
                if left_out:  # a catalog short of cards would pass for the whole one
                    raise GitError(f"{SOURCES[source]} did not send {', '.join(left_out)} of {what}")
            updated = False
    catalog = repo / CATALOG_PATH
    cards = sum(1 for _ in catalog.rglob("*.md")) if catalog.is_dir() else 0
    return SyncResult(source, catalog, commit, cards, updated, branch or "master")


def branch_catalog(branch: str, force_reload: bool = False, source: str = "gitee") -> Path:
    """The catalog of one branch of the hub's repository: synced on first use or with ``force_reload``;
    offline or unreachable, the cached one (a clear error when there is none)."""
    repo = synced_catalog_repo(source, branch)
    catalog = repo / CATALOG_PATH
    cached = (repo / ".git").is_dir() and catalog.is_dir()
    if cached and not force_reload:
        return catalog
    if settings.offline():
        if cached:
            return catalog
        raise OfflineError(f"the hub's catalog of branch {branch!r} is not in the cache and {settings.OFFLINE_ENV} "
                           f"is set; run `python -m hub sync --branch {branch}` where the hub can be reached")
    try:
        return sync(source, branch).catalog
    except GitError as exc:
        if cached:
            warnings.warn(f"could not update the hub's catalog of branch {branch!r} ({exc}); using the cached one",
                          stacklevel=2)
            return catalog
        raise GitError(f"the hub's catalog of branch {branch!r} could not be fetched: {exc}. Once the hub can be "
                       f"reached, `python -m hub sync --branch {branch}` fetches it") from None


def branch_model_names(catalog: Path, branch: str) -> list[str]:
    """The model names MindSpore Hub lists for a branch: card file names under ``mindspore/<version>/``
    (``mindspore/<device>/<version>/`` on the branches of that layout), sorted, each once."""
    root = catalog / "mindspore"
    pattern = "*/*/*.md" if branch in DEVICE_LAYOUT_BRANCHES else "*/*.md"
    return sorted({path.stem for path in root.glob(pattern) if path.is_file()})


def fetch_card(uid: str) -> Path | None:
    """The card of ``uid`` from the hub's raw URL, cached under ``.cards``; None when the hub has no
    such card. Offline, only a card fetched before counts. ``MSHUB_ENDPOINT`` (a mirror) applies."""
    check_uid(uid)
    target = fetched_cards_dir().joinpath(*uid.split("/")).with_suffix(".md")
    if target.is_file() or settings.offline():
        return target if target.is_file() else None
    url = trust.apply_endpoint(RAW_CARD_URL.format(uid=uid))
    limit = settings.max_card_bytes()
    policy = DownloadPolicy(connect_timeout=5, read_timeout=15, retries=2)
    try:
        body = fetch_small(url, f"the card of {uid}", limit, policy)
    except RetryableError as exc:
        raise UidError(f"no model card for uid {uid!r} here, and the hub cannot be reached for it "
                       f"({exc}); `python -m hub sync` fetches the whole catalog") from None
    except FetchError as exc:
        raise UidError(f"cannot fetch the card of {uid!r}: {exc}") from None
    if body is None:
        return None
    if len(body) > limit:
        raise UidError(f"the card of {uid!r} at {url} is over the card size limit of {limit} bytes "
                       f"({settings.MAX_CARD_ENV})")
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(target, body)
    return target

