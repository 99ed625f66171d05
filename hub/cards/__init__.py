"""Model cards: the typed record, the card format's rules, reading a card file with bounds, its front
matter, the parser with the hub's verdict, the Usage call, findings, uids and repo-links."""
from .findings import Finding, count_by_rule
from .parser import TWIN_SUFFIX, card_stem, is_twin, parse_card, parse_evaluation
from .record import Asset, Metric, ModelCard
from .repo_link import RepoRef, parse_repo_link
from .uid import card_url, check_uid, is_card_url, uid_from_url
from .usage import format_call, load_call_lines, usage_arguments

__all__ = [
    "Asset", "Finding", "Metric", "ModelCard", "RepoRef", "TWIN_SUFFIX", "card_stem", "card_url",
    "check_uid", "count_by_rule", "format_call", "is_card_url", "is_twin",
    "load_call_lines", "parse_card", "parse_evaluation", "parse_repo_link", "uid_from_url", "usage_arguments",
]
