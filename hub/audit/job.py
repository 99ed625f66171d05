"""One checksum audit as ``verify --remote`` runs it: every asset of the cards, the ledger kept between
runs, a progress bar on a terminal, the JUnit report and the one summary line."""
from __future__ import annotations

import time
from contextlib import nullcontext
from pathlib import Path

from .. import settings
from ..cards.record import ModelCard
from .ledger import AuditLedger
from .report import AuditProgress, summary_line, write_junit
from .run import AuditOptions, AuditResult, collect_targets, run_audit


def audit_catalog(cards: list[ModelCard], jobs: int = 4, full: bool = False, max_age_days: float | None = None,
                  ledger: str | Path | None = None, junit: str | Path | None = None
                  ) -> tuple[list[AuditResult], str]:
    """(one result per asset URL, the summary line). Bad arguments are ``ValueError`` before anything runs."""
    if max_age_days is not None and max_age_days < 0:
        raise ValueError(f"--max-age must be a number of days >= 0, got {max_age_days}")
    if junit and not Path(junit).absolute().parent.is_dir():
        raise ValueError(f"--junit {junit}: folder {Path(junit).absolute().parent} does not exist")
    targets = collect_targets(cards)
    options = AuditOptions(jobs=jobs, full=full, max_age_days=max_age_days)
    start = time.perf_counter()
    progress = AuditProgress(len(targets), quiet=settings.quiet())
    try:
        with AuditLedger(ledger) if ledger else nullcontext() as opened:
            results = run_audit(targets, options, opened, on_result=progress)
    finally:
        progress.close()
    seconds = time.perf_counter() - start
    if junit:
        write_junit(results, junit, seconds)
    return results, summary_line(results, seconds)
