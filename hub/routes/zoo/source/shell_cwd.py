"""Where a zoo directory's own shell scripts run one of its Python scripts, when that is not the directory.

The hub runs an export or eval script from its directory. A few directories' shell scripts run it from elsewhere,
and its code reads files relative to that place: ISyNet's ``scripts/run_eval.sh`` copies the code into
``scripts/eval/``, ``cd``s there and runs ``python eval.py``, whose config names ``../../json/IsyNet-N0.json``.
``shell_working_directory`` reads the directory's shell scripts (from their own folder, following literal ``cd``s
up to the line that runs the script); ``working_place`` gives a temporary folder laid out as the directory
(its entries linked, nothing copied or written into the code) with that place made in it, to run from.
"""
from __future__ import annotations

import re
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Iterator

SHELL_FOLDERS = ("scripts", "script", ".")
_CD = re.compile(r"^cd\s+(\S+)$")
_PYTHON = re.compile(r"\bpython[\d.]*\s+(?:-\w\s+)*(\S+\.py)\b")


def shell_working_directory(directory: Path, script: str) -> tuple[str, str] | None:
    """(the folder, relative to ``directory``, from which a shell script of the directory runs ``script``, that
    shell script's path): the first such that is not the directory itself and stays inside it; None when none."""
    for folder in SHELL_FOLDERS:
        for shell in sorted((directory / folder).glob("*.sh")):
            try:
                text = shell.read_text(errors="replace")
            except OSError:
                continue
            place = _place_of(text, PurePosixPath(shell.parent.relative_to(directory).as_posix()), script)
            if place is not None and place not in (".", ""):
                return place, shell.relative_to(directory).as_posix()
    return None


def _place_of(text: str, start: PurePosixPath, script: str) -> str | None:
    place: PurePosixPath | None = start
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        for command in re.split(r"\s*(?:&&|\|\||;)\s*", line):
            command = command.strip()
            moved = _CD.match(command)
            if moved:
                target = moved.group(1).strip("'\"")
                place = None if place is None or re.search(r"[$`~*]", target) or target.startswith("/") \
                    else _normal(place / target)
                continue
            called = _PYTHON.search(command)
            if called and PurePosixPath(called.group(1)).name == script and place is not None:
                return str(place)
    return None


def _normal(path: PurePosixPath) -> PurePosixPath | None:
    """``path`` with ``.`` and ``..`` folded; None when it leaves the directory."""
    parts: list[str] = []
    for part in path.parts:
        if part in (".", ""):
            continue
        if part == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(part)
    return PurePosixPath(*parts) if parts else PurePosixPath(".")


@contextmanager
def working_place(directory: Path, place: str) -> Iterator[Path]:
    """A temporary folder laid out as ``directory`` (each entry a link to the directory's) in which ``place`` is
    a real folder (made when the shell script makes it): the path of ``place`` there. Removed afterwards."""
    root = Path(tempfile.mkdtemp(prefix="mshub-place-"))
    try:
        _mirror(directory, root, list(PurePosixPath(place).parts))
        yield root.joinpath(*PurePosixPath(place).parts)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _mirror(source: Path | None, target: Path, rest: list[str]) -> None:
    target.mkdir(exist_ok=True)
    if source is not None and source.is_dir():
        for entry in source.iterdir():
            if rest and entry.name == rest[0]:
                continue
            (target / entry.name).symlink_to(entry.resolve(), target_is_directory=entry.is_dir())
    if rest:
        inner = source / rest[0] if source is not None and (source / rest[0]).is_dir() else None
        _mirror(inner, target / rest[0], rest[1:])
