"""A card's Usage call, ``network = mshub.load(model, ...)``: written by ``card new``, read back by
``card check`` (and by anyone who wants to build a card's network as the card says)."""
from __future__ import annotations

import ast
import re

from .record import ModelCard

LOAD_CALL = re.compile(r"\b(?:mshub|mindspore_hub|hub)\.load\(")


def format_call(args: tuple = (), kwargs: dict | None = None) -> str:
    """``mshub.load(model, 10, num_classes=10)``: the call that builds the card's network."""
    parts = ["model", *(repr(a) for a in args), *(f"{k}={v!r}" for k, v in (kwargs or {}).items())]
    return f"mshub.load({', '.join(parts)})"


def load_call_lines(card: ModelCard) -> list[str]:
    """The lines of the card's prose that call ``mshub.load(...)`` (or ``hub.load``), stripped."""
    return [line.strip() for line in card.body.splitlines() if LOAD_CALL.search(line)]


def usage_arguments(card: ModelCard) -> tuple[tuple, dict]:
    """The positional (after the model) and keyword arguments of the card's Usage call that passes the
    most; literals only (a name such as ``pretrained=flag`` is left out). None found: no arguments."""
    best: tuple[tuple, dict] = ((), {})
    for line in load_call_lines(card):
        match = LOAD_CALL.search(line)
        try:
            call = ast.parse(line[match.start():].strip(), mode="eval").body
        except SyntaxError:
            continue
        if not isinstance(call, ast.Call):
            continue
        args, kwargs = [], {}
        for node in call.args[1:]:
            try:
                args.append(ast.literal_eval(node))
            except ValueError:
                pass
        for keyword in call.keywords:
            if keyword.arg in (None, "pretrained", "force_reload", "source"):
                continue
            try:
                kwargs[keyword.arg] = ast.literal_eval(keyword.value)
            except ValueError:
                pass
        if len(args) + len(kwargs) > len(best[0]) + len(best[1]):
            best = (tuple(args), kwargs)
    return best
