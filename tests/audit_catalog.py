"""A generated catalog for audits: cards with several assets each, their files on a local server."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from conftest import SEED_CARD

HOST = "https://download.mindspore.cn"


def card_text(assets: list[tuple[str, str, str]]) -> str:
    """The seed card with its asset list replaced by ``assets`` (format, url, sha256)."""
    block = "".join(f"-\n    file-format: {fmt}\n    asset-link: <{url}>\n    asset-sha256: {sha}\n\n"
                    for fmt, url, sha in assets)
    return re.sub(r"(?ms)^asset:\n.*?(?=^license:)", "asset:\n\n" + block, SEED_CARD.read_text(encoding="utf-8"))


def write_audit_catalog(catalog: Path, served: Path, cards: int, size: int = 16 * 1024,
                        formats: tuple[str, ...] = ("ckpt", "mindir")) -> dict[str, str]:
    """``cards`` cards under ``catalog``, each with one asset per format whose bytes go under ``served``
    (the mirror's root, by URL path). Returns URL path -> sha256."""
    digests = {}
    for i in range(cards):
        assets = []
        for fmt in formats:
            path = f"/models/audit/net{i:04d}.{fmt}"
            data = hashlib.sha256(path.encode()).digest() * (size // 32)
            target = served / path.lstrip("/")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            digests[path] = hashlib.sha256(data).hexdigest()
            assets.append((fmt, HOST + path, digests[path]))
        card = catalog / "mindspore" / "1.7" / f"net{i:04d}_coco2017.md"
        card.parent.mkdir(parents=True, exist_ok=True)
        card.write_text(card_text(assets), encoding="utf-8")
    return digests
