"""One directory of a code repository at one release, fetched sparsely with git into the cache.

``git clone --depth 1 --filter=blob:none --sparse --branch <release>``, then the one directory: the
blobs of that directory (and the repository's top-level files) are all that is downloaded. Each
(repository, release, directory) is fetched once, under a file lock, into a temporary folder that is
renamed into place; the commit is recorded beside it.

Some directories keep their code one level down, in folders named after each network (PAMTRI:
``MultiTaskNet/``, ``PoseEstNet/``); ``network_subdir`` picks the card's (the folder is inside the
fetched directory, so nothing more is fetched).
"""
from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock

from .... import settings
from ....cards.repo_link import RepoRef
from ....errors import GitError, HubError, OfflineError
from ....fetch.cache import code_checkout
from ....fetch.diskio import staged_directory
from ....fetch.git import sparse_clone, sparse_clone_empty, sparse_set

RECORD = ".mshub-code.json"


@dataclass(frozen=True)
class CodeDir:
    ref: RepoRef
    checkout: Path  # the sparse clone's root
    commit: str
    subdir: str = ""  # a folder of the directory named after the card's network (``network_subdir``)
    left_out: tuple[str, ...] = ()  # files of the directory the server would not send (``fetch.git.sparse_set``)

    @property
    def path(self) -> Path:
        directory = self.checkout.joinpath(*self.ref.directory.split("/")) if self.ref.directory else self.checkout
        return directory / self.subdir if self.subdir else directory


SUBDIR_NOTE = "code from the subdirectory"  # how the load report says a subdirectory was used
LEFT_OUT_NOTE = "not fetched:"  # how it names the files the server would not send


def network_subdir(code: CodeDir, networks: list[str]) -> CodeDir:
    """``code`` itself when its directory has Python files of its own; else, when one of its folders is
    named after one of ``networks`` (case, ``_`` and ``-`` ignored), that folder as the directory."""
    directory = code.path
    if code.subdir or not directory.is_dir() or any(directory.glob("*.py")):
        return code
    folders = {squashed(entry.name): entry.name for entry in sorted(directory.iterdir()) if entry.is_dir()}
    for network in networks:
        if network and squashed(network) in folders:
            return dataclasses.replace(code, subdir=folders[squashed(network)])
    return code


def squashed(name: str) -> str:
    """A folder's or a class's name as a card's names are matched to it: lower case, without ``_`` and ``-``."""
    return re.sub(r"[_\-]", "", name).lower()


def _checkout_of(ref: RepoRef) -> Path:
    """Where the code of ``ref`` is kept in the cache (the sparse clone's root, or its laid-out copy)."""
    return code_checkout(ref.host, ref.owner, ref.name, ref.release, ref.directory or ".root")


def fetch_code_dir(ref: RepoRef, uid: str) -> CodeDir:
    """The checked-out directory of ``ref`` (fetched on first use); errors name the uid."""
    checkout = _checkout_of(ref)
    cached = _read(ref, checkout)
    if cached is not None:
        return cached
    if settings.offline():
        raise OfflineError(f"{uid}: the code of {ref} is not in the cache and {settings.OFFLINE_ENV} is set")
    checkout.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(checkout) + ".lock"):
        cached = _read(ref, checkout)  # another process may have fetched it while we waited
        if cached is not None:
            return cached
        with staged_directory(checkout) as clone:  # a leftover without its record is replaced
            try:
                commit, left_out = sparse_clone(ref.clone_url, ref.release, [ref.directory or "/"], clone,
                                                f"the code of {uid} ({ref})")
            except GitError as exc:
                raise GitError(f"{uid}: {exc}") from None
            if ref.directory and not CodeDir(ref, clone, commit).path.is_dir():
                raise HubError(f"{uid}: {ref.clone_url} at {ref.release} has no directory {ref.directory!r} "
                               "(the card's repo-link names it)")
            _write_record(clone, ref, commit, left_out)
    return CodeDir(ref, checkout, commit, left_out=tuple(left_out))


def prefetch(refs: list[RepoRef], what: str = "zoo code", jobs: int = 1) -> int:
    """Fetch many directories of one repository and release with one sparse clone, then lay each out in
    its own cache entry as ``fetch_code_dir`` would (the top-level files and its directory, with the
    commit recorded); directories already cached are skipped. Returns how many were laid out. For
    catalog-scale work (``hub loadable``): one clone per release instead of one per directory, ``jobs``
    releases at a time (git works one core at a time)."""
    groups: dict[tuple[str, str], list[RepoRef]] = {}
    for ref in refs:
        if ref.directory and _read(ref, _checkout_of(ref)) is None:
            groups.setdefault((ref.clone_url, ref.release), []).append(ref)
    if settings.offline() or not groups:
        return 0
    releases = [(url, release, list({r.directory: r for r in members}.values()), what)
                for (url, release), members in groups.items()]
    with ThreadPoolExecutor(max(1, jobs)) as pool:
        return sum(pool.map(lambda args: _prefetch_group(*args), releases))


def _prefetch_group(url: str, release: str, members: list[RepoRef], what: str) -> int:
    """One clone for ``members``, in the cache's own folder (so its files are linked into place, not copied)."""
    folder = _checkout_of(members[0]).parent
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".prefetch-", dir=folder) as staging:
        clone = Path(staging) / "clone"
        description = f"{what} ({url} {release})"
        try:
            commit = sparse_clone_empty(url, release, clone, description)
        except GitError:
            return 0
        top_files = [p for p in clone.iterdir() if p.is_file()]
        return _check_out_and_lay_out(clone, commit, members, top_files, description)


def _check_out_and_lay_out(clone: Path, commit: str, members: list[RepoRef], top_files: list[Path],
                           what: str) -> int:
    """Check ``members`` out in ``clone`` and lay each out. When git refuses the set (a directory holding a
    submodule, or a blob the server does not have, is enough), each half in turn, in the same clone: the
    blobs a half fetched stay, so only the directories git cannot check out are left to fail alone later."""
    try:
        left_out = sparse_set(clone, sorted(r.directory for r in members), what)
    except GitError:
        if len(members) == 1:
            return 0
        half = len(members) // 2
        return (_check_out_and_lay_out(clone, commit, members[:half], top_files, what)
                + _check_out_and_lay_out(clone, commit, members[half:], top_files, what))
    return sum(_lay_out(ref, clone, top_files, commit, [f for f in left_out if f.startswith(ref.directory + "/")])
               for ref in members)


def _lay_out(ref: RepoRef, clone: Path, top_files: list[Path], commit: str, left_out: list[str]) -> int:
    source = CodeDir(ref, clone, commit).path
    if not source.is_dir():
        return 0
    checkout = _checkout_of(ref)
    checkout.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(checkout) + ".lock"):
        if _read(ref, checkout) is not None:
            return 0
        with staged_directory(checkout) as stage:
            stage.mkdir(parents=True, exist_ok=True)
            for path in top_files:
                _link_or_copy(path, stage / path.name)
            shutil.copytree(source, CodeDir(ref, stage, commit).path, symlinks=True, copy_function=_link_or_copy)
            _write_record(stage, ref, commit, left_out)
    return 1


def _link_or_copy(source: str | Path, target: str | Path) -> None:
    """A hard link to the clone's file (the clone is deleted afterwards: the cache entry is then its only
    name), or a copy where the file system has none."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _write_record(folder: Path, ref: RepoRef, commit: str, left_out: list[str]) -> None:
    (folder / RECORD).write_text(json.dumps({"repository": ref.clone_url, "release": ref.release,
                                             "directory": ref.directory, "commit": commit, "left_out": left_out,
                                             "fetched": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}))


def _read(ref: RepoRef, checkout: Path) -> CodeDir | None:
    try:
        record = json.loads((checkout / RECORD).read_text())
    except (OSError, ValueError):
        return None
    return CodeDir(ref, checkout, record.get("commit", ""), left_out=tuple(record.get("left_out", ())))
