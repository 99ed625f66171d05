"""The git command line, run with a time limit, no prompts, and errors that say what was being fetched.

The user's git configuration applies, so intranet and offline mirrors work through git's own
``url.<base>.insteadOf`` settings.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from .. import settings
from ..errors import GitError

# A server that stops sending (under 1 KB/s for 30 s) fails the command instead of holding it until the
# overall time limit: a hostile or broken mirror gets a clear error in seconds, not minutes.
STALL_LIMITS = ("-c", "http.lowSpeedLimit=1000", "-c", "http.lowSpeedTime=30")
# How a server says it will not send an object (a mirror without large files, a host refusing a blob).
_UNSERVED = re.compile(r"not our ref ([0-9a-f]{40})")
_MOST_LEFT_OUT = 20  # files left out of one checkout before the server's refusal is the error


def run_git(args: list[str], what: str, cwd: Path | None = None) -> str:
    """``git <args>``; returns stdout. Never waits for a password or a terminal."""
    if shutil.which("git") is None:
        raise GitError(f"git is not installed; it is needed to fetch {what} (install git, e.g. apt-get install git)")
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_ASKPASS": "", "SSH_ASKPASS": "", "LC_ALL": "C"}
    timeout = settings.git_timeout()
    try:
        done = subprocess.run(["git", *STALL_LIMITS, *args], cwd=cwd, env=env, capture_output=True, text=True,
                              timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} for {what} took longer than {timeout:g} s "
                       f"({settings.GIT_TIMEOUT_ENV} sets the limit)") from None
    if done.returncode != 0:
        message = " ".join(done.stderr.split())[-600:]
        raise GitError(f"git {args[0]} failed for {what}: {message or f'exit code {done.returncode}'}")
    return done.stdout


def sparse_clone(url: str, ref: str | None, paths: list[str], target: Path, what: str) -> tuple[str, list[str]]:
    """Shallow, blob-filtered, sparse clone of ``url`` at ``ref`` into ``target`` holding only ``paths``;
    returns the commit and the files left out (``sparse_set``). Blobs come only for the checked-out paths."""
    commit = sparse_clone_empty(url, ref, target, what)
    return commit, sparse_set(target, paths, what)


def sparse_clone_empty(url: str, ref: str | None, target: Path, what: str) -> str:
    """``sparse_clone`` before any path is checked out (the top-level files only); returns the commit."""
    branch = ["--branch", ref] if ref else []
    run_git(["clone", "--quiet", "--depth", "1", "--filter=blob:none", "--sparse", "--no-tags", *branch,
             url, str(target)], what)
    return head_commit(target, what)


def sparse_set(target: Path, paths: list[str], what: str) -> list[str]:
    """Check out ``paths`` (and only those, beside the top-level files) in a clone of ``sparse_clone_empty``,
    fetching the blobs it lacks; blobs fetched by an earlier set stay in the clone. A file whose blob the
    server refuses to send (a mirror kept without its large files: figures, sample data) is left out and the
    rest checked out; returns the files left out, for the caller to say so (code that reads one then fails
    naming it)."""
    left_out: list[str] = []
    while True:
        try:
            if not left_out:
                run_git(["sparse-checkout", "set", "--", *paths], what, cwd=target)
            else:
                folders = [f"/{p.strip('/')}/" for p in paths if p.strip("/")]
                whole = len(folders) < len(paths)  # the repository's root is one of the paths
                patterns = ["/*", *([] if whole else ["!/*/", *folders]), *(f"!/{p}" for p in left_out)]
                run_git(["sparse-checkout", "set", "--no-cone", "--", *patterns], what, cwd=target)
            return left_out
        except GitError as exc:
            refused = set(_UNSERVED.findall(str(exc)))
            files = [f for f in _files_of_blobs(target, paths, refused, what) if f not in left_out]
            if not files or len(left_out) + len(files) > _MOST_LEFT_OUT:
                raise
            left_out += files


def _files_of_blobs(target: Path, paths: list[str], blobs: set[str], what: str) -> list[str]:
    """The files under ``paths`` at HEAD whose blob is one of ``blobs`` (the trees are in the clone)."""
    if not blobs:
        return []
    listing = run_git(["ls-tree", "-r", "HEAD", "--", *(p.strip("/") or "." for p in paths)], what, cwd=target)
    files = []
    for line in listing.splitlines():
        meta, _, name = line.partition("\t")
        if meta.split()[-1] in blobs:
            files.append(name)
    return files


def remote_branches(url: str, what: str) -> list[str]:
    """The branch names of the repository at ``url``."""
    listing = run_git(["ls-remote", "--heads", url], what)
    return [line.split("refs/heads/", 1)[1] for line in listing.splitlines() if "refs/heads/" in line]


def tree_clone(url: str, ref: str, target: Path, what: str) -> None:
    """A clone of ``url`` at ``ref`` with its trees and no file: its paths can be listed (``tree_files``) and a
    file read (``file_text``, which fetches that one blob)."""
    run_git(["clone", "--quiet", "--depth", "1", "--filter=blob:none", "--no-checkout", "--no-tags", "--branch", ref,
             url, str(target)], what)


def tree_files(target: Path, what: str) -> list[str]:
    return run_git(["ls-tree", "-r", "--name-only", "HEAD"], what, cwd=target).splitlines()


def file_text(target: Path, path: str, what: str) -> str:
    return run_git(["show", f"HEAD:{path}"], what, cwd=target)


def update_shallow(target: Path, what: str) -> str:
    """Bring a sparse clone made by ``sparse_clone`` to the remote's current commit of its branch."""
    run_git(["fetch", "--quiet", "--depth", "1", "--filter=blob:none", "origin"], what, cwd=target)
    run_git(["reset", "--quiet", "--hard", "FETCH_HEAD"], what, cwd=target)
    return head_commit(target, what)


def head_commit(target: Path, what: str) -> str:
    return run_git(["rev-parse", "HEAD"], what, cwd=target).strip()
