"""What a check found about a card: an error (the hub's checker rejects the card) or a warning (something
this project checks beyond the hub's rules, worth telling a maintainer, that does not reject the card)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..errors import CardError

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Finding:
    severity: str
    rule: str
    path: str
    field: str | None
    line: int | None
    message: str

    @classmethod
    def warning(cls, rule: str, path: str | Path, field: str | None, message: str,
                line: int | None = None) -> Finding:
        return cls(WARNING, rule, str(path), field, line, message)

    @classmethod
    def of_error(cls, error: CardError) -> Finding:
        return cls(ERROR, error.rule, error.path, error.field, error.line, error.message)

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        what = f"field '{self.field}': " if self.field else ""
        return f"{where}: {what}{self.message}"

    def to_dict(self) -> dict:
        return {"rule": self.rule, "path": self.path, "field": self.field, "line": self.line,
                "message": self.message}


def count_by_rule(findings: list[Finding]) -> dict[str, int]:
    """Rule -> how many findings, most frequent first (ties by rule name)."""
    counts = Counter(f.rule for f in findings)
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
