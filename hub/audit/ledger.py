"""The audit ledger: what the last checksum audit of each asset URL found, kept between CI runs.

SQLite from the standard library: every finished asset is committed at once (one transaction per
row), so a run killed at any moment keeps everything it finished and the next run picks up there.
"""
from __future__ import annotations

import sqlite3
import time
from dataclasses import astuple, dataclass, fields
from pathlib import Path

from ..errors import HubError

SCHEMA_VERSION = 1
_COLUMNS = ("url", "expected", "seen", "size", "etag", "last_modified", "checked_at", "outcome", "detail")


@dataclass
class LedgerEntry:
    """One URL's last audit: the card digest(s) it was judged against, the sha256 seen, the server's
    validators at the time, when (seconds since the epoch) and the outcome (ok, mismatch, error...)."""

    url: str
    expected: str
    seen: str | None
    size: int | None
    etag: str | None
    last_modified: str | None
    checked_at: float
    outcome: str
    detail: str = ""

    def age_days(self, now: float | None = None) -> float:
        return ((now or time.time()) - self.checked_at) / 86400


assert tuple(f.name for f in fields(LedgerEntry)) == _COLUMNS


class AuditLedger:
    """A ledger file; use from one thread (the audit's coordinator), as a context manager."""

    def __init__(self, path: str | Path, read_only: bool = False) -> None:
        """``read_only``: a reader of an audit's ledger (``hub site --ledger``) never creates it or changes its
        entries (SQLite may add its -wal and -shm side files beside a WAL ledger),
        and its errors do not tell to delete the file, which is the audit's to keep."""
        self.path = Path(path)
        if self.path.parent and not self.path.parent.is_dir():
            raise HubError(f"audit ledger {self.path}: folder {self.path.parent} does not exist")
        if read_only and not self.path.is_file():
            raise HubError(f"audit ledger {self.path} does not exist (`hub verify --remote --ledger` writes one)")
        remedy = ("is it the ledger `hub verify --remote --ledger` wrote?" if read_only
                  else "delete it to start a new one")
        try:
            if read_only:
                self.db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
            else:
                self.db = sqlite3.connect(str(self.path), timeout=30, isolation_level=None)
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=NORMAL")
                self.db.execute(f"CREATE TABLE IF NOT EXISTS audit ({', '.join(_COLUMNS)}, PRIMARY KEY (url))")
                self.db.execute("CREATE TABLE IF NOT EXISTS meta (key PRIMARY KEY, value)")
                self.db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
            version = self.db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()[0]
        except (sqlite3.DatabaseError, TypeError) as exc:  # TypeError: no schema row
            raise HubError(f"audit ledger {self.path} cannot be used ({exc}); {remedy}") from None
        if version != SCHEMA_VERSION:
            raise HubError(f"audit ledger {self.path} has schema {version}, this hub writes {SCHEMA_VERSION}; "
                           f"{remedy}")

    def get(self, url: str) -> LedgerEntry | None:
        row = self.db.execute(f"SELECT {', '.join(_COLUMNS)} FROM audit WHERE url = ?", (url,)).fetchone()
        return LedgerEntry(*row) if row else None

    def entries(self) -> dict[str, LedgerEntry]:
        return {row[0]: LedgerEntry(*row)
                for row in self.db.execute(f"SELECT {', '.join(_COLUMNS)} FROM audit")}

    def record(self, entry: LedgerEntry) -> None:
        """Store (replace) one URL's entry, durably, before the next one is looked at."""
        self.db.execute(f"INSERT OR REPLACE INTO audit VALUES ({', '.join('?' * len(_COLUMNS))})",
                        astuple(entry))

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> AuditLedger:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
