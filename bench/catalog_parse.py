"""Parse and validate 3,000 cards vs. a pure-Python YAML parse of the same files (the baseline)."""
from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

import yaml

from hub.verify import check_catalog

SHARED = Path(__file__).resolve().parents[2] / "shared"
COPIES = 100


def make_catalog(root: Path) -> int:
    samples = sorted((SHARED / "cards" / "sample").rglob("*.md"))
    count = 0
    for i in range(COPIES):
        for card in samples:
            target = root / "mindspore" / f"9.{i}" / card.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(card, target)
            count += 1
    return count


def baseline(root: Path) -> int:
    """What the hub's checker does per card before its network checks: split, pure-Python YAML load."""
    parsed = 0
    for path in sorted(root.rglob("*.md")):
        header, inside = [], False
        for line in path.read_text(encoding="utf-8").splitlines(True):
            if line.startswith("---"):
                inside = not inside
                continue
            if inside:
                header.append(line)
        try:
            yaml.load("".join(header), Loader=yaml.FullLoader)
            parsed += 1
        except yaml.YAMLError:
            pass
    return parsed


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        total = make_catalog(root)
        t0 = time.perf_counter()
        report = check_catalog([root])
        ours = time.perf_counter() - t0
        t0 = time.perf_counter()
        baseline(root)
        base = time.perf_counter() - t0
    print(f"cards: {total} ({len(report.cards)} valid, {len(report.errors)} rejected)")
    print(f"hub verify (parse + validate): {ours:.3f} s  ({total / ours:,.0f} cards/s)  target < 1 s: "
          f"{'PASS' if ours < 1 else 'FAIL'}")
    print(f"baseline pure-Python YAML parse only: {base:.3f} s")
    print(f"speed-up vs baseline: {base / ours:.1f}x")
    return 0 if ours < 1 else 1


if __name__ == "__main__":
    sys.exit(main())
