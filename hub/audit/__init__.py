"""Checksum audits of published assets (``verify --remote``): the run (``run``), the ledger kept between
CI runs (``ledger``), the reports for CI (``report``), and the whole job as ``verify --remote`` runs it
(``job``)."""
from .job import audit_catalog
from .ledger import AuditLedger, LedgerEntry
from .report import AuditProgress, audit_counts, summary_line, write_junit
from .run import AuditOptions, AuditResult, AuditTarget, collect_targets, run_audit

__all__ = ["AuditLedger", "AuditOptions", "AuditProgress", "AuditResult", "AuditTarget", "LedgerEntry",
           "audit_catalog", "audit_counts", "collect_targets", "run_audit", "summary_line", "write_junit"]
