"""The value a zoo directory's own commands give an option a script refuses to run without.

Some scripts insist on an option that has a default: STGAN's ``get_args("test")`` asserts that
``--experiment_name`` differs from its default (a timestamp naming the output folder) - "--experiment_name should
be assigned in test mode" - and its ``export.py`` parses the arguments that way, so the export command its README
gives (without that option) fails under every MindSpore. Its README's own commands run ``eval.py`` and
``train.py`` with ``--experiment_name 128``. ``named_option`` finds the option an error names (``--name``, one the
script's parsers offer); ``documented_value`` the value the directory's README files (else its shell scripts) give
it in the commands that run Python: a literal value (no ``$VARIABLE``, no ``[PLACEHOLDER]``), the same wherever
they give it, else none.
"""
from __future__ import annotations

import re
from pathlib import Path

DOC_PLACES = (".", "scripts", "script")
_PYTHON_COMMAND = re.compile(r"\bpython[\d.]*\s")
_OPTION_VALUE = re.compile(r"(?<![\w-])--(?P<name>[A-Za-z][\w-]*)(?:=|[ \t]+)"
                           r"(?P<value>\"[^\"\n]*\"|'[^'\n]*'|[^\s'\"`|&;<>]+)")
_NAMED = re.compile(r"(?<![\w-])--([A-Za-z][\w-]*)")


def named_option(error: BaseException | None, offered: set[str]) -> str | None:
    """The one option of ``offered`` (the script's parsers' destinations) that ``error``'s message names as
    ``--option``; None when it names none of them, or several."""
    if error is None:
        return None
    found = {_dest(name) for name in _NAMED.findall(str(error))} & set(offered)
    return found.pop() if len(found) == 1 else None


def option_of_missing_file(error: BaseException | None, values: dict) -> str | None:
    """The one option whose value is the file ``error`` (a ``FileNotFoundError``) says is not there: PoseEstNet's
    export.py opens its ``--cfg`` default, ``config``, where the directory has ``config.yaml``."""
    name = getattr(error, "filename", None) if isinstance(error, FileNotFoundError) else None
    if not isinstance(name, str) or not name:
        return None
    found = [option for option, value in values.items() if isinstance(value, str) and value == name]
    return found[0] if len(found) == 1 else None


def documented_value(directory: Path, option: str) -> tuple[str, str] | None:
    """(the value, the file that gives it) the directory's commands give ``--option``: its README's, else its shell
    scripts' (STGAN's ``run_infer_310.sh`` names another folder, ``temp``, for its ``preprocess.py``); None when
    neither gives one literal value."""
    for documents in _documents(directory):
        values: dict[str, str] = {}
        for path in documents:
            for value in _values(path, option):
                values.setdefault(value, path.relative_to(directory).as_posix())
        if len(values) == 1:
            return next(iter(values.items()))
        if values:
            return None
    return None


def _values(path: Path, option: str) -> list[str]:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return []
    found = []
    for line in text.splitlines():
        if _PYTHON_COMMAND.search(line):
            found += [m.group("value").strip("'\"") for m in _OPTION_VALUE.finditer(line)
                      if _dest(m.group("name")) == option]
    return [value for value in found if _literal(value)]


def _documents(directory: Path) -> tuple[list[Path], list[Path]]:
    """(the directory's README files, its shell scripts)."""
    readmes = sorted(p for p in directory.iterdir() if p.is_file() and p.suffix.lower() == ".md"
                     and p.name.lower().startswith("readme")) if directory.is_dir() else []
    shells = [p for place in DOC_PLACES if (directory / place).is_dir()
              for p in sorted((directory / place).glob("*.sh"))]
    return readmes, shells


def _dest(name: str) -> str:
    return name.replace("-", "_")


def _literal(value: str) -> bool:
    return bool(value) and not re.search(r"[$\[\]<>{}*]", value) and not value.startswith("-")
