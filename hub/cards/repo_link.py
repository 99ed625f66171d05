"""What a card's ``repo-link`` names: a repository, a release and a directory (whether its code may run
is ``hub.trust``'s to say)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

ZOO_REPOS = {("gitee.com", "mindspore", "models"), ("github.com", "mindspore-ai", "models")}
TOOLKITS = ("mindcv", "mindyolo", "mindocr")  # github.com/mindspore-lab/<toolkit>
_TREE = re.compile(r"^/([^/]+)/([^/]+)/(?:-/)?tree/([^/]+)/?(.*)$")


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
