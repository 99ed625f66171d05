"""``python -m hub sync``: the public hub's catalog (``mshub_res/assets``) in the cache, and single
cards fetched from the hub's raw URL when a uid is found nowhere locally (as MindSpore Hub does)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import requests
from filelock import FileLock

from . import settings, trust
from .cache import fetched_cards_dir, synced_catalog_repo
from .diskio import staged_directory, write_atomically
from .errors import UidError
from .git_cli import sparse_clone, update_shallow
from .uid import check_uid

SOURCES = {
    "gitee": "https://gitee.com/mindspore/hub.git",
    "github": "https://github.com/mindspore-ai/hub.git",
}
CATALOG_PATH = "mshub_res/assets"
RAW_CARD_URL = "https://gitee.com/mindspore/hub/raw/master/mshub_res/assets/{uid}.md"


@dataclass
class SyncResult:
    source: str
    catalog: Path
    commit: str
    cards: int
    updated: bool  # False: first clone


def synced_catalogs() -> list[Path]:
    """Catalog roots ``hub sync`` made, gitee's before github's."""
    return [d for d in (synced_catalog_repo(s) / CATALOG_PATH for s in SOURCES) if d.is_dir()]


def sync(source: str = "gitee") -> SyncResult:
    """Clone (first time) or update the hub's catalog from ``source``: shallow, blob-filtered, sparse."""
    if source not in SOURCES:
        raise ValueError(f"--source must be one of {', '.join(SOURCES)}, got {source!r}")
    repo = synced_catalog_repo(source)
    repo.parent.mkdir(parents=True, exist_ok=True)
    what = f"the hub's catalog from {SOURCES[source]}"
    with FileLock(str(repo) + ".lock"):
        if (repo / ".git").is_dir():
            commit, updated = update_shallow(repo, what), True
        else:
            with staged_directory(repo) as stage:
                commit = sparse_clone(SOURCES[source], None, [CATALOG_PATH], stage, what)
            updated = False
    catalog = repo / CATALOG_PATH
    cards = sum(1 for _ in catalog.rglob("*.md")) if catalog.is_dir() else 0
    return SyncResult(source, catalog, commit, cards, updated)


def fetch_card(uid: str) -> Path | None:
    """The card of ``uid`` from the hub's raw URL, cached under ``.cards``; None when the hub has no
    such card. Offline, only a card fetched before counts. ``MSHUB_ENDPOINT`` (a mirror) applies."""
    check_uid(uid)
    target = fetched_cards_dir().joinpath(*uid.split("/")).with_suffix(".md")
    if target.is_file() or settings.offline():
        return target if target.is_file() else None
    url = trust.apply_endpoint(RAW_CARD_URL.format(uid=uid))
    limit = settings.max_card_bytes()
    try:
        with requests.get(url, timeout=(5, 15), stream=True, allow_redirects=False,
                          headers={"Accept-Encoding": "identity"}) as response:
            if response.status_code == 404:
                return None
            if response.status_code != 200:
                raise UidError(f"cannot fetch the card of {uid!r} from {url}: HTTP {response.status_code}")
            body = response.raw.read(limit + 1, decode_content=False)
    except requests.RequestException as exc:
        raise UidError(f"no model card for uid {uid!r} here, and the hub cannot be reached for it "
                       f"({url}: {type(exc).__name__}); `python -m hub sync` fetches the whole catalog") from None
    if len(body) > limit:
        raise UidError(f"the card of {uid!r} at {url} is over the card size limit of {limit} bytes "
                       f"({settings.MAX_CARD_ENV})")
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(target, body)
    return target

