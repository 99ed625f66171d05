"""The dataset pipelines a zoo card's eval script builds, for the card's preprocessing (``hub.inference``):
its directory's eval script, run as the eval route runs it (the card's own variant, config file and dataset
chosen; the caller's options by keyword; stopped before it evaluates), whatever route builds the network."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ...cards.record import ModelCard
from ...cards.repo_link import RepoRef
from ...errors import PreprocessError
from ...trust import check_code_trusted
from ..names import Route
from .builders import evaluation
from .failures import zoo_frame
from .sandbox.guard import recorded
from .sandbox.pipeline import Pipeline
from .source.code import fetch_code_dir, network_subdir


@dataclass
class Found:
    """The pipelines a script built (in order), the script, the options chosen for the card, the error the
    script ended with (if any) and the route the card's network is built by."""

    pipelines: list[Pipeline]
    script: str
    chosen: list[str]
    error: BaseException | None
    route: str
    directory: Path | None = None

    def failed_at(self) -> str:
        """``file:line`` of the card's code where the script's error was raised ("" when none)."""
        return zoo_frame(self.error, self.directory) if self.error is not None and self.directory else ""


def capture(card: ModelCard, ref: RepoRef, kwargs: dict, trust_repo: bool = False) -> Found:
    """Run the card's eval script for its pipelines (call under ``shapes_only``: the network it builds is
    dropped). ``PreprocessError`` when the directory has no eval script."""
    if ref is None:
        raise PreprocessError(f"{card.uid}: its repo-link {card.repo_link!r} names no code directory")
    check_code_trusted(ref, card.uid, trust_repo)
    code = fetch_code_dir(ref, card.uid)
    code = network_subdir(code, [card.model_name or "", card.backbone or ""])
    script = evaluation.any_script(code)
    if script is None:
        raise PreprocessError(f"{card.uid}: {ref.directory or 'the repository root'} has no eval script (eval.py, "
                              "eval_*.py, *_eval.py, test.py), whose dataset pipeline says how its network is fed")
    with recorded():
        found, run = evaluation.pipelines(card, code, kwargs, script)
        cpu = True
        if not found:  # data code that refuses the CPU (``Unsupported device_target``): the script's own device
            found, run = evaluation.pipelines(card, code, kwargs, script, cpu=False)
            cpu = False
    chosen = [f"{k}={_short(v)}" for k, v in run.run.options.from_card.items()]
    if not cpu and found:
        chosen.append("device_target: the script's own default (with the CPU its data code built no pipeline)")
    chosen += [f"{k}={v!r}" for k, v in kwargs.items()]
    return Found(found, script, chosen, run.error, str(Route.ZOO), code.path)


def _short(value: object) -> str:
    import os

    return repr(os.path.basename(value) if isinstance(value, str) and os.sep in value else value)
