"""What the catalog site shows, gathered in one model of plain dicts: every card of the catalog (as
``python -m hub list`` sees it) with the checker's verdict, the checksum audit's word on each asset (an
audit ledger) and whether its network builds here (``python -m hub loadable --json`` reports).

Everything is sorted and nothing depends on the clock, so the same inputs give the same model (and site).
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

from ..cards.findings import Finding
from ..cards.parser import TWIN_SUFFIX, parse_card
from ..cards.record import ModelCard
from ..cards.usage import format_call, usage_arguments
from ..catalog.catalog import CardFile, Catalog, find_card_files
from ..catalog.verify import check_catalog
from ..errors import CardError

# the checksum badge of a card is its worst asset's, in this order
CHECKSUM_ORDER = ("mismatch", "error", "never", "intact")
CHECKSUM_LABELS = {"intact": "intact", "mismatch": "mismatch", "error": "error", "never": "never audited"}
NOT_SURVEYED = "not surveyed"
# the fields of a report's outcome (``CardOutcome``), with the value an older or partial report leaves out
OUTCOME_DEFAULTS = {"uid": "", "route": "", "ok": False, "kind": "", "message": "", "alone_ok": None,
                    "parameters": None, "takes_checkpoint": None, "head": "", "notes": [],
                    "preprocessing": None, "preprocessing_error": "", "labels": None, "labels_source": "",
                    "rebuilt_with": {}}


def load_reports(paths: list[Path]) -> dict[str, dict]:
    """Outcomes by uid from ``hub loadable --json`` reports; a later report's outcome replaces an earlier one."""
    outcomes: dict[str, dict] = {}
    for path in paths:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise ValueError(f"loadable report {path}: cannot be read as JSON ({exc})") from None
        if not isinstance(data, dict) or not isinstance(data.get("outcomes"), list):
            raise ValueError(f"loadable report {path}: no 'outcomes' list; expected the output of "
                             "`python -m hub loadable --json`")
        for i, outcome in enumerate(data["outcomes"]):
            if not isinstance(outcome, dict) or not isinstance(outcome.get("uid"), str) or "ok" not in outcome:
                raise ValueError(f"loadable report {path}: outcomes[{i}] has no 'uid' and 'ok'")
            known = {k: v for k, v in outcome.items() if k in OUTCOME_DEFAULTS}
            if not isinstance(known.get("preprocessing"), (dict, type(None))):
                known["preprocessing"] = None  # a summary is a mapping (``hub loadable --preprocessing``)
            outcomes[outcome["uid"]] = {**OUTCOME_DEFAULTS, **known}
    return outcomes


def load_ledger(path: Path | None) -> dict[str, dict]:
    """The audit ledger's entries by URL (an existing ledger only: reading one never starts a new one)."""
    if path is None:
        return {}
    if not Path(path).is_file():
        raise ValueError(f"audit ledger {path} does not exist; `python -m hub verify --remote --ledger {path}` "
                         "writes one")
    from ..audit.ledger import AuditLedger

    with AuditLedger(path, read_only=True) as ledger:
        return {url: {"expected": e.expected, "outcome": e.outcome, "checked_at": e.checked_at,
                      "detail": e.detail, "seen": e.seen} for url, e in ledger.entries().items()}


def _date(seconds: float) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(seconds))


def asset_audit(url: str, sha256: str, entries: dict[str, dict]) -> dict:
    """What the ledger says of one asset: intact, mismatch, error or never (audited), with the date."""
    entry = entries.get(url)
    if entry is None:
        return {"status": "never", "date": "", "detail": "not in the audit ledger"}
    if sha256 not in entry["expected"].split(","):
        return {"status": "never", "date": "",
                "detail": f"the ledger's audit of {_date(entry['checked_at'])} was against another digest"}
    status = {"ok": "intact", "mismatch": "mismatch"}.get(entry["outcome"], "error")
    return {"status": status, "date": _date(entry["checked_at"]), "detail": entry["detail"] or ""}


def _checksum(assets: list[dict]) -> dict:
    if not assets:
        return {"status": "never", "date": ""}
    worst = min(assets, key=lambda a: (CHECKSUM_ORDER.index(a["audit"]["status"]), a["audit"]["date"]))
    return {"status": worst["audit"]["status"], "date": worst["audit"]["date"]}


def _loading(outcome: dict | None) -> dict:
    if outcome is None:
        return {"status": NOT_SURVEYED, "route": "", "label": NOT_SURVEYED}
    route = str(outcome.get("route") or "")
    if outcome["ok"]:
        return {"status": "built", "route": route, "label": f"built ({route})"}
    kind = str(outcome.get("kind") or "other")
    return {"status": kind, "route": route, "label": f"fails: {kind}"}


def load_call(card: ModelCard, outcome: dict | None) -> tuple[str, list[str]]:
    """The card's Usage call, with the class count a load found it needs (the report's notes), and what
    the survey said about the arguments."""
    args, kwargs = usage_arguments(card)
    notes = []
    rebuilt = (outcome or {}).get("rebuilt_with")
    for keyword, count in (rebuilt.items() if isinstance(rebuilt, dict) else ()):
        if str(keyword).isidentifier() and isinstance(count, int) and keyword not in kwargs:
            kwargs = {**kwargs, keyword: count}
    if outcome:
        if outcome.get("head"):
            notes.append(str(outcome["head"]))
        if not outcome["ok"] and outcome.get("kind") == "arguments":
            notes.append(str(outcome.get("message") or ""))
    call = format_call(args, kwargs)
    code = f'import mindspore_hub as mshub\n\nmodel = "{card.uid}"\nnetwork = {call}\nnetwork.set_train(False)\n'
    return code, notes


def _relative(path: str, roots: list[Path]) -> str:
    """A path shown on the site: relative to its catalog directory (no local paths on a public page)."""
    for root in roots:
        prefix = str(root).rstrip(os.sep) + os.sep
        if path.startswith(prefix):
            return path[len(prefix):].replace(os.sep, "/")
    return Path(path).name


def _finding(f: Finding, roots: list[Path]) -> dict:
    return {"severity": f.severity, "rule": f.rule, "path": _relative(f.path, roots), "field": f.field or "",
            "line": f.line, "message": f.message}


def _record(card: ModelCard) -> list[list[str]]:
    """The card's fields as (card field name, value) rows, in the card format's names."""
    task = card.module_type + (f"-{card.module_detail}" if card.module_detail else "")
    rows = [("model-name", card.model_name or ""), ("backbone-name", card.backbone), ("module-type", task),
            ("train-dataset", "_".join(card.train_datasets)), ("evaluation", card.evaluation_text or
                                                              " ".join(m.text for m in card.evaluation)),
            ("mindspore-version", card.mindspore_version), ("model-version", card.model_version),
            ("author", card.author), ("user-id", card.user_id), ("update-time", card.update_time),
            ("repo-link", card.repo_link), ("used-for", "/".join(card.used_for)), ("license", card.license),
            ("fine-tunable", str(card.fine_tunable)), ("train-backend", "/".join(card.train_backends)),
            ("infer-backend", "/".join(card.infer_backends)),
            ("input-shape", "" if card.input_shape is None else str(list(card.input_shape))),
            ("accuracy", "" if card.accuracy is None else str(card.accuracy)),
            ("allow-cache-ckpt", "" if card.allow_cache_ckpt is None else str(card.allow_cache_ckpt)),
            ("featured-image", card.featured_image or ""), ("summary", card.summary),
            *((k, v) for k, v in card.extra)]
    return [[k, str(v)] for k, v in rows if v not in ("", None)]


def _uid_parts(uid: str) -> tuple[str, str]:
    parts = uid.split("/")
    return parts[0], parts[-2] if len(parts) >= 2 else ""


def _card_entry(card: ModelCard, card_file: CardFile, findings: list[dict], outcome: dict | None,
                entries: dict[str, dict], roots: list[Path]) -> dict:
    publisher, version = _uid_parts(card.uid)
    assets = [{"format": a.file_format, "url": a.url, "file": a.file_name, "sha256": a.sha256, "weak": a.is_prefix,
               "audit": asset_audit(a.url, a.sha256, entries)} for a in card.assets]
    errors = [f for f in findings if f["severity"] == "error"]
    code, call_notes = load_call(card, outcome)
    return {
        "uid": card.uid, "name": card.model_name or card.backbone, "title": card.title or "",
        "task": card.module_type, "task_detail": card.module_detail or "",
        "dataset": "_".join(card.train_datasets), "version": version, "publisher": publisher,
        "backbone": card.backbone, "metric": " | ".join(m.text for m in card.evaluation),
        "formats": list(card.formats), "summary": card.summary, "updated": card.update_time,
        "verdict": "rejected" if errors else "warnings" if findings else "ok",
        "checksum": _checksum(assets), "loading": _loading(outcome), "assets": assets,
        "findings": findings, "record": _record(card), "body": card.body, "call": code,
        "call_notes": call_notes, "outcome": outcome, "path": _relative(str(card_file.path), roots),
        "repo_link": card.repo_link,
    }


def _rejected_entry(card_file: CardFile, findings: list[dict], outcome: dict | None, roots: list[Path]) -> dict:
    publisher, version = _uid_parts(card_file.uid)
    return {
        "uid": card_file.uid, "name": card_file.uid.rsplit("/", 1)[-1], "title": "", "task": "", "task_detail": "",
        "dataset": "", "version": version, "publisher": publisher, "backbone": "", "metric": "", "formats": [],
        "summary": "", "updated": "", "verdict": "rejected", "checksum": {"status": "never", "date": ""},
        "loading": _loading(outcome), "assets": [], "findings": findings, "record": [], "body": "", "call": "",
        "call_notes": [], "outcome": outcome, "path": _relative(str(card_file.path), roots), "repo_link": "",
    }


def _twin(card_file: CardFile, findings: dict[str, list[dict]], roots: list[Path]) -> dict | None:
    """The ``_cn`` twin of a card, when its directory has one that parses."""
    path = card_file.path.with_name(card_file.path.name[:-3] + TWIN_SUFFIX + ".md")
    if card_file.is_twin or not path.is_file():
        return None
    try:
        twin = parse_card(path, uid=card_file.uid, root=card_file.root)
    except CardError:
        return None
    return {"title": twin.title or "", "summary": twin.summary, "body": twin.body, "record": _record(twin),
            "path": _relative(str(path), roots), "findings": findings.get(str(path), [])}


def collect(roots: list[Path] | None = None, loadable: list[Path] = (), ledger: Path | None = None,
            title: str = "Model catalog") -> dict:
    """The site's model: ``{"title", "cards": [...], "totals": {...}}``, cards sorted by uid.

    A card is every uid ``python -m hub list`` shows (the first catalog directory that has it wins) plus
    the ones it skips because the checker rejects them; each carries its findings, audit and load outcome."""
    explicit = roots is not None
    catalog = Catalog(roots)
    roots = catalog.roots
    outcomes = load_reports(list(loadable))
    entries = load_ledger(ledger)
    report = check_catalog(roots, flag_cross_root_duplicates=explicit)
    findings: dict[str, list[dict]] = {}
    for finding in [Finding.of_error(e) for e in report.errors] + list(report.warnings):
        findings.setdefault(finding.path, []).append(_finding(finding, roots))
    parsed = {c.path: c for c in report.cards}
    chosen: dict[str, CardFile] = {}
    for root in roots:
        for card_file in find_card_files(root) if root.is_dir() else []:
            chosen.setdefault(card_file.uid, card_file)
    cards = []
    for uid in sorted(chosen):
        card_file = chosen[uid]
        mine = sorted(findings.get(str(card_file.path), []), key=lambda f: (f["severity"], f["line"] or 0,
                                                                           f["rule"], f["message"]))
        card = parsed.get(str(card_file.path))  # None: rejected (a lone twin is too: it has no English card)
        if card is None:
            entry = _rejected_entry(card_file, mine, outcomes.get(uid), roots)
        else:
            entry = _card_entry(card, card_file, mine, outcomes.get(uid), entries, roots)
        entry["twin"] = _twin(card_file, findings, roots)
        cards.append(entry)
    _link_versions(cards)
    return {"title": title, "cards": cards, "totals": _totals(cards),
            "inputs": {"loadable": len(outcomes), "ledger": ledger is not None, "audited_urls": len(entries)}}


def _link_versions(cards: list[dict]) -> None:
    """Each card's other versions: cards of the same publisher and name under another version."""
    by_model: dict[tuple[str, str], list[str]] = {}
    for card in cards:
        by_model.setdefault((card["publisher"], card["uid"].rsplit("/", 1)[-1]), []).append(card["uid"])
    for card in cards:
        same = by_model[(card["publisher"], card["uid"].rsplit("/", 1)[-1])]
        card["versions"] = [u for u in same if u != card["uid"]]


def _totals(cards: list[dict]) -> dict:
    def count(key) -> dict:
        out: dict[str, int] = {}
        for card in cards:
            out[key(card)] = out.get(key(card), 0) + 1
        return dict(sorted(out.items()))

    return {"cards": len(cards), "verdict": count(lambda c: c["verdict"]),
            "checksum": count(lambda c: c["checksum"]["status"]), "loading": count(lambda c: c["loading"]["status"])}
