"""Checksum audits of published assets (``verify --remote``): the run (``run``), the ledger kept between
CI runs (``ledger``) and the reports for CI (``report``)."""
from .ledger import AuditLedger, LedgerEntry
from .report import AuditProgress, audit_counts, summary_line, write_junit
from .run import AuditOptions, AuditResult, AuditTarget, collect_targets, run_audit

__all__ = ["AuditLedger", "AuditOptions", "AuditProgress", "AuditResult", "AuditTarget", "LedgerEntry",
           "audit_counts", "collect_targets", "run_audit", "summary_line", "write_junit"]
