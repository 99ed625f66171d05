"""The git command line, run with a time limit, no prompts, and errors that say what was being fetched.

The user's git configuration applies, so intranet and offline mirrors work through git's own
``url.<base>.insteadOf`` settings.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from .. import settings
from ..errors import GitError

# A server that stops sending (under 1 KB/s for 30 s) fails the command instead of holding it until the
# overall time limit: a hostile or broken mirror gets a clear error in seconds, not minutes.
STALL_LIMITS = ("-c", "http.lowSpeedLimit=1000", "-c", "http.lowSpeedTime=30")


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


def sparse_clone(url: str, ref: str | None, paths: list[str], target: Path, what: str) -> str:
    """Shallow, blob-filtered, sparse clone of ``url`` at ``ref`` into ``target`` holding only ``paths``;
    returns the commit. Blobs come only for the checked-out paths."""
    commit = sparse_clone_empty(url, ref, target, what)
    sparse_set(target, paths, what)
    return commit


def sparse_clone_empty(url: str, ref: str | None, target: Path, what: str) -> str:
    """``sparse_clone`` before any path is checked out (the top-level files only); returns the commit."""
    branch = ["--branch", ref] if ref else []
    run_git(["clone", "--quiet", "--depth", "1", "--filter=blob:none", "--sparse", "--no-tags", *branch,
             url, str(target)], what)
    return head_commit(target, what)


def sparse_set(target: Path, paths: list[str], what: str) -> None:
    """Check out ``paths`` (and only those, beside the top-level files) in a clone of ``sparse_clone_empty``,
    fetching the blobs it lacks; blobs fetched by an earlier set stay in the clone."""
    run_git(["sparse-checkout", "set", "--", *paths], what, cwd=target)


def update_shallow(target: Path, what: str) -> str:
    """Bring a sparse clone made by ``sparse_clone`` to the remote's current commit of its branch."""
    run_git(["fetch", "--quiet", "--depth", "1", "--filter=blob:none", "origin"], what, cwd=target)
    run_git(["reset", "--quiet", "--hard", "FETCH_HEAD"], what, cwd=target)
    return head_commit(target, what)


def head_commit(target: Path, what: str) -> str:
    return run_git(["rev-parse", "HEAD"], what, cwd=target).strip()
