"""The zoo's own fix for a file that uses a name it never binds: the import that binds it, found where the zoo
itself wrote it. pvnet's ``src/net_utils.py`` subclasses ``EasyDict`` and never imports it at r1.6 to r1.10, so
its export script fails under any MindSpore; the zoo fixed the file at r2.0 (``official/cv/PVNet``) by adding
``from easydict import EasyDict``, and nothing else in the networks' files changed.

Where it is looked for, in order: another file of the same directory at the same release that imports the name
at module level; then the same file at each later release of the repository (``r1.10`` after ``r1.9``, then
``master``), its path matched up to case (the zoo renamed ``pvnet`` ``PVNet``). Only an import of that very
name counts, never a definition or a guess; each later release costs one clone of trees without files and the
one file's text. Nothing is written into the code: the line runs in the module's namespace before its own code
(``sandbox.namespace.imports_before``), and the load report says where it came from."""
from __future__ import annotations

import ast
import dataclasses
import json
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .... import settings
from ....errors import GitError
from ....fetch.diskio import write_atomically
from ....fetch.git import file_text, remote_branches, tree_clone, tree_files
from .. import state
from .code import CodeDir

_RELEASE = re.compile(r"^r(\d+)\.(\d+)$")
FIXES_RECORD = ".mshub-fixes.json"  # beside the code in the cache: what was found, per file and name
_FOUND: dict[tuple, ImportFix | None] = {}


def _forget() -> int:
    count = len(_FOUND)
    _FOUND.clear()
    return count


state.keeps("the zoo's fixes found", _forget)


@dataclass(frozen=True)
class ImportFix:
    file: str  # the directory's file that never binds the name
    name: str
    line: str  # the import statement that binds it, as the zoo wrote it
    source: str  # where the zoo wrote it: ``src/other.py at r1.9``, ``official/cv/PVNet/src/net_utils.py at r2.0``

    def note(self, release: str) -> str:
        return (f"{self.file} uses {self.name!r} and never imports it at {release} (an error in the zoo's code); "
                f"the zoo's own import, {self.line!r} from {self.source}, ran before that file's code")


def import_fix(code: CodeDir, file: str, name: str) -> ImportFix | None:
    """The import that binds ``name`` for ``file`` (relative to the directory), where the zoo wrote one. What was
    found (or that nothing was) is kept beside the code in the cache: the later releases are looked at once."""
    key = (code.ref.clone_url, code.ref.release, code.ref.directory, code.subdir, file, name)
    if key in _FOUND:
        return _FOUND[key]
    record = code.checkout / FIXES_RECORD
    try:
        kept = json.loads(record.read_text())
    except (OSError, ValueError):
        kept = {}
    entry = f"{code.subdir}/{file}:{name}"
    if entry in kept:
        found = ImportFix(**kept[entry]) if isinstance(kept[entry], dict) else None
    else:
        found = _same_release(code, file, name) or _later_release(code, file, name)
        kept[entry] = dataclasses.asdict(found) if found is not None else None
        try:
            write_atomically(record, json.dumps(kept).encode())
        except OSError:
            pass  # a cache that cannot be written is looked at again next time
    _FOUND[key] = found
    return found


def _same_release(code: CodeDir, file: str, name: str) -> ImportFix | None:
    for path in sorted(code.path.rglob("*.py")):
        relative = path.relative_to(code.path).as_posix()
        if relative == file:
            continue
        line = _binding_import(path.read_text(errors="replace"), name)
        if line is not None:
            return ImportFix(file, name, line, f"{relative} at {code.ref.release}")
    return None


def _later_release(code: CodeDir, file: str, name: str) -> ImportFix | None:
    if settings.offline():
        return None
    ref = code.ref
    what = f"the zoo's later releases of {file} ({ref.clone_url})"
    wanted = "/".join(p for p in (ref.directory, code.subdir, file) if p)
    try:
        for release in _later_releases(ref.clone_url, ref.release, what):
            with tempfile.TemporaryDirectory(prefix="mshub-trees-") as scratch:
                clone = Path(scratch) / "trees"
                tree_clone(ref.clone_url, release, clone, what)
                paths = [p for p in tree_files(clone, what) if p.lower() == wanted.lower()]
                for path in sorted(paths, key=lambda p: p != wanted):
                    line = _binding_import(file_text(clone, path, what), name)
                    if line is not None:
                        return ImportFix(file, name, line, f"{path} at {release}")
    except GitError:
        return None
    return None


def _later_releases(url: str, release: str, what: str) -> list[str]:
    """The repository's release branches after ``release`` (``r1.10`` after ``r1.9``), oldest first, then
    ``master``; none when ``release`` is no release branch."""
    current = _RELEASE.match(release)
    if current is None:
        return []
    branches = remote_branches(url, what)
    mine = (int(current.group(1)), int(current.group(2)))
    later = sorted((version, b) for b in branches if (m := _RELEASE.match(b))
                   and (version := (int(m.group(1)), int(m.group(2)))) > mine)
    return [b for _, b in later] + (["master"] if "master" in branches else [])


def _binding_import(text: str, name: str) -> str | None:
    """A module-level import of ``text`` that binds ``name``, as a line of that name alone."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return None
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                if (alias.asname or alias.name.partition(".")[0]) == name and alias.name != "*":
                    if isinstance(node, ast.ImportFrom):
                        return ast.unparse(ast.ImportFrom(node.module, [alias], node.level))
                    return ast.unparse(ast.Import([alias]))
    return None
