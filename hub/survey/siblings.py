"""Cards of one code directory that built the very same network although their names differ: at most
one of them can be the network its card describes (``same-network`` in the report)."""
from __future__ import annotations

from ..cards.record import ModelCard
from ..routes.zoo.variants.selection import card_names
from .build import code_key
from .report import CardOutcome


def mark_same_network(outcomes: list[CardOutcome], cards: list[ModelCard]) -> None:
    """Cards of one code directory whose names differ (model-name or uid stem without the dataset) but
    whose networks are the same (class and parameter shapes): each names a sibling in ``same_network``."""
    by_uid = {c.uid: c for c in cards}
    groups: dict[tuple[str, str], list[CardOutcome]] = {}
    for outcome in outcomes:
        card = by_uid.get(outcome.uid)
        if outcome.ok and outcome.network and card is not None and code_key(card):
            groups.setdefault((code_key(card), outcome.network), []).append(outcome)
    for members in groups.values():
        for outcome in members:
            names = card_names(by_uid[outcome.uid])
            sibling = next((o for o in members if card_names(by_uid[o.uid]) != names
                            and not _other_variants(o, outcome)), None)
            if sibling is not None:
                outcome.same_network = sibling.uid


def _other_variants(a: CardOutcome, b: CardOutcome) -> bool:
    """Both cards set their variant, to different values: networks of equal shapes that differ in what
    the options change beyond shapes (deeplabv3's output stride 8 or 16 is a dilation)."""
    return bool(a.variant) and bool(b.variant) and a.variant != b.variant
