"""The catalog survey (``hub loadable``): which cards' networks build here, by route, and why the others
do not. ``loadability`` picks the cards and hands them out, ``build`` builds them (one code directory's
cards together), ``workers`` is the process pool, ``alone`` the fresh-process check, ``report`` the report."""
from .alone import built_alone
from .build import build_group, build_one, shapes_only
from .loadability import survey
from .report import CardOutcome, LoadabilityReport, print_report

__all__ = ["CardOutcome", "LoadabilityReport", "build_group", "build_one", "built_alone", "print_report",
           "shapes_only", "survey"]
