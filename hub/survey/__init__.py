"""The catalog survey (``hub loadable``): which cards' networks build here, by route, and why the others
do not. ``loadability`` picks the cards and hands them out, ``build`` builds them (one code directory's
cards together), ``workers`` is the process pool, ``alone`` the fresh-process check, ``forward`` the
``--run`` check of a built network on its example inputs, ``report`` the report (and the merge of several)."""
from ..weights.unsampled import shapes_only
from .alone import built_alone
from .build import build_group, build_one
from .forward import ForwardRun, run_card
from .loadability import shards, survey
from .report import CardOutcome, LoadabilityReport, merge_reports, print_report

__all__ = ["CardOutcome", "ForwardRun", "LoadabilityReport", "build_group", "build_one", "built_alone",
           "merge_reports", "print_report", "run_card", "shapes_only", "shards", "survey"]
