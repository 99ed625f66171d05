"""What a card's ``repo-link`` names: a repository, a release and a directory, and whether its code may run."""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from .. import settings
from ..errors import HubError

ZOO_REPOS = {("gitee.com", "mindspore", "models"), ("github.com", "mindspore-ai", "models")}
TOOLKITS = ("mindcv", "mindyolo", "mindocr")  # github.com/mindspore-lab/<toolkit>
TRUSTED_OWNERS = {("gitee.com", "mindspore"), ("github.com", "mindspore-ai"), ("github.com", "mindspore-lab")}
_TREE = re.compile(r"^/([^/]+)/([^/]+)/(?:-/)?tree/([^/]+)/?(.*)$")


class UntrustedRepoError(HubError):
    """A card whose network would be built by code from a repository nobody said to trust."""


@dataclass(frozen=True)
class RepoRef:
    """``https://<host>/<owner>/<name>/tree/<release>/<directory>``."""

    host: str
    owner: str
    name: str
    release: str
    directory: str

    @property
    def key(self) -> str:
        return f"{self.host}/{self.owner}/{self.name}"

    @property
    def clone_url(self) -> str:
        return f"https://{self.host}/{self.owner}/{self.name}.git"

    @property
    def is_model_zoo(self) -> bool:
        return (self.host, self.owner, self.name) in ZOO_REPOS

    @property
    def toolkit(self) -> str | None:
        if self.host == "github.com" and self.owner == "mindspore-lab" and self.name in TOOLKITS:
            return self.name
        return None

    def __str__(self) -> str:
        return f"{self.key} {self.release}:{self.directory or '.'}"


def parse_repo_link(link: str) -> RepoRef | None:
    """The repository, release and directory of a tree link; None for any other kind of link."""
    parts = urlsplit(link.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    match = _TREE.match(unquote(parts.path))
    if not match:
        return None
    owner, name, release, directory = match.groups()
    directory = directory.strip("/")
    if any(p in ("", ".", "..") for p in directory.split("/")) and directory:
        return None
    return RepoRef(parts.hostname.lower(), owner, name.removesuffix(".git"), release, directory)


def check_code_trusted(ref: RepoRef, uid: str, trust_repo: bool) -> None:
    """Running a repository's code is running code: the model zoo and mindspore-lab are trusted, any other
    repository needs ``trust_repo=True`` or its ``host/owner/name`` in ``MSHUB_TRUSTED_REPOS``."""
    if trust_repo or (ref.host, ref.owner) in TRUSTED_OWNERS or ref.key.lower() in settings.trusted_repos():
        return
    raise UntrustedRepoError(f"{uid}: building it runs code from {ref.clone_url}, which is not a MindSpore repository; "
                   f"pass trust_repo=True if you trust it, or set {settings.TRUSTED_REPOS_ENV}={ref.key}")
