"""The survey's check of one card built alone in a fresh process (``--isolated``), to tell a failure
that comes from sharing a process with other cards' code from one the card has anyway.

    python -m hub.survey.alone UID    # prints {"ok": true} or {"ok": false, "error": "..."} last on stdout
"""
from __future__ import annotations

import json
import subprocess
import sys

ALONE_TIMEOUT = 900  # seconds


def build_alone(uid: str) -> dict:
    """Build the card of ``uid`` (pretrained=False, no arguments) in this process: ``{"ok": ...}``."""
    from ..catalog import Catalog
    from ..loader import build_and_load

    try:
        build_and_load(Catalog().get(uid))
        return {"ok": True}
    except BaseException as exc:  # the check reports whatever stopped the build, SystemExit included
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:500]}


def built_alone(uid: str) -> bool:
    """Whether the card builds in a fresh ``python -m hub.survey.alone`` process."""
    done = subprocess.run([sys.executable, "-m", __name__, uid], capture_output=True, text=True,
                          timeout=ALONE_TIMEOUT)
    try:
        return bool(json.loads(done.stdout.strip().splitlines()[-1])["ok"])
    except (IndexError, ValueError, KeyError):
        return False


if __name__ == "__main__":
    print(json.dumps(build_alone(sys.argv[1])))
