"""Catalog maintenance checks: every card valid, uids unique, published checksums right."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from . import trust
from .cache import CachedFile
from .card import Asset, ModelCard
from .card_parser import parse_card
from .catalog import find_card_files
from .errors import CardError, HubError
from .fetch import file_sha256
from .transfer import DownloadPolicy, download


@dataclass
class CatalogReport:
    cards: list[ModelCard]
    errors: list[CardError]


def check_catalog(roots: list[Path], flag_cross_root_duplicates: bool = True) -> CatalogReport:
    """Parse every card file (twins too) under ``roots``; duplicate uids are errors.

    Within one directory, uids that differ only in case collide on case-insensitive file systems.
    Across directories given together, the same uid twice is ambiguous for a published catalog.
    """
    cards, errors = [], []
    owner: dict[str, Path] = {}
    for root in roots:
        if not root.is_dir():
            errors.append(CardError(root, None, "catalog directory does not exist"))
            continue
        seen_here: dict[str, Path] = {}
        for card_file in find_card_files(root):
            key = card_file.uid.lower() + ("_cn" if card_file.is_twin else "")
            if key in seen_here:
                errors.append(CardError(card_file.path, None, f"duplicate uid {card_file.uid!r}: "
                                        f"differs only in case from {seen_here[key]}"))
                continue
            seen_here[key] = card_file.path
            if flag_cross_root_duplicates and key in owner:
                errors.append(CardError(card_file.path, None, f"duplicate uid {card_file.uid!r}: "
                                        f"also defined by {owner[key]}"))
                continue
            owner.setdefault(key, card_file.path)
            try:
                card = parse_card(card_file.path, uid=card_file.uid)
            except CardError as exc:
                errors.append(exc)
                continue
            if not card_file.is_twin:
                cards.append(card)
    return CatalogReport(cards, errors)


@dataclass
class AssetCheck:
    uid: str
    file_name: str
    url: str
    status: str  # ok, mismatch, not-cached, error
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.status in ("ok", "not-cached")

    def to_dict(self) -> dict:
        return {"uid": self.uid, "file": self.file_name, "url": self.url, "status": self.status,
                "detail": self.detail}


def check_cached(card: ModelCard, asset: Asset, hub_dir: str | None = None) -> AssetCheck:
    """Re-hash the cached copy of ``asset`` (ignoring the verified record)."""
    cached = CachedFile.for_asset(card.uid, asset.file_name, hub_dir)
    if not cached.path.is_file():
        return AssetCheck(card.uid, asset.file_name, asset.url, "not-cached", str(cached.path))
    digest = file_sha256(cached.path)
    if digest != asset.sha256:
        return AssetCheck(card.uid, asset.file_name, asset.url, "mismatch",
                          f"{cached.path}: expected {asset.sha256}, got {digest}")
    return AssetCheck(card.uid, asset.file_name, asset.url, "ok", str(cached.path))


def check_remote(card: ModelCard, asset: Asset, policy: DownloadPolicy | None = None) -> AssetCheck:
    """Stream the published asset and compare its sha256, keeping nothing on disk."""
    url = trust.apply_endpoint(asset.url)
    try:
        result = download(url, None, f"{asset.file_name} of {card.uid}",
                          policy or DownloadPolicy(quiet=True))
    except HubError as exc:
        return AssetCheck(card.uid, asset.file_name, url, "error", str(exc))
    if result.sha256 != asset.sha256:
        return AssetCheck(card.uid, asset.file_name, url, "mismatch",
                          f"expected {asset.sha256}, got {result.sha256} over {result.size} bytes")
    return AssetCheck(card.uid, asset.file_name, url, "ok", f"{result.size} bytes")


def check_remote_all(cards: list[ModelCard], jobs: int = 4,
                     policy: DownloadPolicy | None = None) -> list[AssetCheck]:
    """Audit every card's checkpoint, at most ``jobs`` downloads at a time."""
    pairs = [(c, c.ckpt) for c in cards if c.ckpt is not None]
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(lambda pair: check_remote(pair[0], pair[1], policy), pairs))
