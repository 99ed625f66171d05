"""Reports of a checksum audit for CI: JUnit XML (one test case per asset URL), a progress bar over
assets and bytes on a terminal, and the one summary line."""
from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

from tqdm import tqdm

from ..fetch.diskio import write_atomically
from .run import AuditResult


def write_junit(results: list[AuditResult], path: str | Path, seconds: float) -> None:
    """JUnit XML, written atomically: a test case per asset, a failure for every status but ok."""
    failed = [r for r in results if not r.ok]
    suites = ET.Element("testsuites", name="mshub asset audit", tests=str(len(results)),
                        failures=str(len(failed)), errors="0", time=f"{seconds:.3f}")
    suite = ET.SubElement(suites, "testsuite", name="mshub asset audit", tests=str(len(results)),
                          failures=str(len(failed)), errors="0", skipped="0", time=f"{seconds:.3f}")
    for result in results:
        uid, asset = result.target.first
        case = ET.SubElement(suite, "testcase", classname=uid, name=f"{asset.file_format} {asset.file_name}",
                             time=f"{result.seconds:.3f}", file=result.target.url)
        if not result.ok:
            failure = ET.SubElement(case, "failure", type=result.status, message=f"{result.status}: {result.detail}")
            failure.text = f"{result.target.url}\ncards: {', '.join(u for u, _ in result.target.refs)}\n{result.detail}"
        else:
            ET.SubElement(case, "system-out").text = f"{result.how}: {result.detail}"
    write_atomically(Path(path).absolute(), ET.tostring(suites, encoding="utf-8", xml_declaration=True))


class AuditProgress:
    """A bar over assets, with the bytes hashed so far as its postfix; drawn only on a terminal."""

    def __init__(self, total: int, quiet: bool) -> None:
        self.bar = tqdm(total=total, unit="asset", desc="audit", dynamic_ncols=True,
                        disable=quiet or not sys.stderr.isatty())
        self.hashed = 0

    def __call__(self, result: AuditResult) -> None:
        if result.how == "downloaded" and result.size:
            self.hashed += result.size
        self.bar.set_postfix_str(f"{self.hashed / 1e6:,.0f} MB hashed", refresh=False)
        self.bar.update(1)

    def close(self) -> None:
        self.bar.close()


STATUSES = ("ok", "mismatch", "error", "untrusted")


def audit_counts(results: list[AuditResult]) -> dict:
    """Assets by status and by how they were decided, bytes hashed, prefix checks: for JSON and the summary."""
    statuses = Counter(r.status for r in results)
    hows = Counter(r.how for r in results)
    return {"assets": len(results), **{s: statuses.get(s, 0) for s in STATUSES},
            "downloaded": hows.get("downloaded", 0), "ledger": hows.get("ledger", 0),
            "bytes_hashed": sum(r.size or 0 for r in results if r.how == "downloaded"),
            "prefix_checks": sum(r.target.check == "sha256-prefix" for r in results)}


def summary_line(results: list[AuditResult], seconds: float) -> str:
    counts = audit_counts(results)
    parts = [f"{counts[s]} {s}" for s in STATUSES if counts[s]]
    prefix = counts["prefix_checks"]
    return (f"audit: {counts['assets']} assets: {', '.join(parts) or 'nothing to audit'}; "
            f"{counts['downloaded']} downloaded ({counts['bytes_hashed'] / 1e6:,.1f} MB hashed), "
            f"{counts['ledger']} unchanged per the ledger"
            + (f", {prefix} checked by sha256 prefix only" if prefix else "") + f"; {seconds:.1f} s")
