"""Catalog maintenance checks: every card valid, uids unique, cached copies right (remote audits: audit.py)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..cards.findings import Finding
from ..cards.record import Asset, ModelCard
from ..errors import CardError
from ..fetch.assets import file_sha256
from ..fetch.cache import CachedFile
from .catalog import CardFile, find_card_files


@dataclass
class CatalogReport:
    """The verdict on every card file: accepted cards, errors (rejected files) and warnings."""

    cards: list[ModelCard]  # accepted English cards (a twin shares its English card's record)
    files: int
    errors: list[CardError]
    warnings: list[Finding]

    @property
    def accepted(self) -> int:
        return self.files - len(self.errors)


def check_catalog(roots: list[Path], flag_cross_root_duplicates: bool = True) -> CatalogReport:
    """Judge every card file (twins too) under ``roots`` as the hub's checker would.

    Beyond the hub's rules, as warnings: uids that differ only in case within a directory (they collide
    on case-insensitive file systems), and, across directories given together, the same uid twice.
    """
    cards: list[ModelCard] = []
    errors: list[CardError] = []
    warnings: list[Finding] = []
    files = 0
    owner: dict[str, Path] = {}
    for root in roots:
        if not root.is_dir():
            errors.append(CardError(root, None, "catalog directory does not exist", rule="read"))
            continue
        seen_here: dict[str, CardFile] = {}
        for card_file in find_card_files(root):
            files += 1
            key = card_file.uid + ("_cn" if card_file.is_twin else "")
            first = seen_here.setdefault(key.lower(), card_file)
            if first is not card_file:
                warnings.append(Finding.warning("uid-case", card_file.path, None, f"uid {card_file.uid!r} differs "
                                                f"only in case from {first.path}"))
            if flag_cross_root_duplicates and key in owner:
                warnings.append(Finding.warning("duplicate-uid", card_file.path, None, f"uid {card_file.uid!r} is "
                                                f"also defined by {owner[key]}; the first catalog's card wins"))
            owner.setdefault(key, card_file.path)
            try:
                card = card_file.parse()
            except CardError as exc:
                errors.append(exc)
                continue
            if not card_file.is_twin:
                cards.append(card)
                warnings.extend(card.warnings)
    return CatalogReport(cards, files, errors, warnings)


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
    if not asset.matches(digest):
        return AssetCheck(card.uid, asset.file_name, asset.url, "mismatch",
                          f"{cached.path}: expected {asset.describe_check()}, got {digest}")
    return AssetCheck(card.uid, asset.file_name, asset.url, "ok", f"{cached.path}: {asset.describe_check()}")
