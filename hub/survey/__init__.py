"""The catalog survey (``hub loadable``): which cards' networks build here, by route, and why the others
do not."""
from .loadability import CardOutcome, LoadabilityReport, print_report, survey

__all__ = ["CardOutcome", "LoadabilityReport", "print_report", "survey"]
