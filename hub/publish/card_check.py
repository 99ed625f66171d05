"""``python -m hub card check``: does a card load? Its verdict as ``verify`` gives it, its network built
by the route ``load`` uses with the card's own Usage arguments, and its checkpoint (a local file, or
the asset downloaded and verified) loaded into that network, with the load report."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..cards.usage import format_call, usage_arguments
from ..catalog.catalog import Catalog
from ..errors import CardError, CheckpointError, HubError
from ..fetch.assets import file_sha256
from ..weights.checkpoint import read_checkpoint


@dataclass
class CardCheck:
    card: str
    ok: bool = False
    stage: str = "card"  # where it stopped: card, network, checkpoint, done
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    route: str = ""
    call: str = ""
    load: dict = field(default_factory=dict)

    def summary(self) -> str:
        if self.ok:
            return (f"OK {self.card}: accepted, built by the {self.route} route ({self.call}), "
                    f"{self.load.get('summary', '')}")
        return f"FAILED {self.card} at the {self.stage} stage: {self.errors[0] if self.errors else ''}"

    def to_dict(self) -> dict:
        return dict(self.__dict__, summary=self.summary())


def check_card(name: str, checkpoint: Path | None = None, trust_repo: bool = False) -> CardCheck:
    """Check the card at path ``name`` (or of uid ``name``) end to end; never raises for the card's faults."""
    from ..loader import build_and_load, card_checkpoint

    result = CardCheck(str(name))
    catalog = Catalog()
    try:
        card = catalog.card_from_file(name) if Path(name).suffix == ".md" else catalog.resolve(name)
    except CardError as exc:
        result.errors.append(f"rejected: {exc}")
        return result
    result.warnings = [str(w) for w in card.warnings]
    result.stage = "network"
    args, kwargs = usage_arguments(card)

    def weights() -> tuple[dict, str]:
        if checkpoint is None:
            return card_checkpoint(card)
        digest = file_sha256(checkpoint)
        if card.ckpt is not None and not card.ckpt.matches(digest):
            raise CheckpointError(f"{checkpoint} is not the card's checkpoint: its sha256 {digest} is not the "
                                  f"card's ({card.ckpt.describe_check()})")
        return read_checkpoint(checkpoint), str(checkpoint)

    try:
        loaded = build_and_load(card, args, kwargs, weights, trust_repo=trust_repo)
    except HubError as exc:
        result.stage = exc.stage or result.stage
        result.errors.append(str(exc))
        return result
    built, report = loaded.built, loaded.report
    result.route, result.stage = built.route, "checkpoint"
    result.call = format_call(args, {**kwargs, **built.extra_kwargs})
    result.load = {"loaded": len(report.loaded), "fresh": {n: report.reasons.get(n, "") for n in report.fresh},
                   "unused": report.unused, "prefix_mapped": report.prefix_mapped, "notes": built.notes,
                   "summary": report.summary()}
    if report.fresh:
        shown = ", ".join(f"{n} ({report.reasons.get(n, '')})" for n in report.fresh[:8])
        result.errors.append(f"the checkpoint does not fit {type(built.network).__name__}: {len(report.fresh)} of "
                             f"{len(report.fresh) + len(report.loaded)} parameters stay fresh: {shown}")
        return result
    if built.extra_kwargs:
        result.warnings.append(f"the card's Usage builds a network the checkpoint does not fit (its classifier, or "
                               f"sizes the code asks for); its call should be {result.call}")
    result.stage, result.ok = "done", True
    return result

