"""The catalog: model cards found in directories, looked up by uid, card URL or card path.

Search order: the directories named in ``MSHUB_CATALOG`` (so a user's card overrides any other of the
same uid), the bundled ``assets/``, the hub's catalog synced by ``python -m hub sync``, then single
cards fetched earlier from the hub. A uid found in none of them is fetched from the hub's raw URL.
"""
from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path

from .. import settings
from ..cards.parser import TWIN_SUFFIX, card_stem, is_twin, parse_card
from ..cards.record import ModelCard
from ..cards.uid import check_uid, is_card_url, uid_from_url
from ..errors import CardError, UidError

SKIPPED_FILES = {"README.md", "README_CN.md", "README.en.md"}


def bundled_catalog() -> Path:
    """The cards shipped with the package (``hub/assets`` when installed, ``assets/`` in a checkout)."""
    here = Path(__file__).resolve().parents[1]  # the hub package
    installed = here / "assets"
    return installed if installed.is_dir() else here.parent / "assets"


def default_roots() -> list[Path]:
    from ..fetch.cache import fetched_cards_dir
    from .hub_repo import synced_catalogs

    fetched = fetched_cards_dir()
    return [*settings.extra_catalogs(), bundled_catalog(), *synced_catalogs(),
            *([fetched] if fetched.is_dir() else [])]


@dataclass(frozen=True)
class CardFile:
    """A card file found in a catalog directory, before it is parsed."""

    uid: str
    path: Path
    root: Path

    @property
    def is_twin(self) -> bool:
        return is_twin(self.path)

    def parse(self) -> ModelCard:
        return parse_card(self.path, uid=self.uid, root=self.root)


def find_card_files(root: Path) -> list[CardFile]:
    """Every card under ``root``, English cards before their ``_cn`` twins, in path order."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        prefix = "".join(part + "/" for part in Path(dirpath).relative_to(root).parts)
        for name in sorted(filenames):
            if not name.endswith(".md") or name in SKIPPED_FILES:
                continue
            path = Path(dirpath, name)
            found.append(CardFile(prefix + card_stem(path), path, root))
    found.sort(key=lambda f: (f.uid, f.is_twin))
    return found


@dataclass
class ScanResult:
    """Cards that parsed and errors for those that did not."""

    cards: list[ModelCard]
    errors: list[CardError]


class Catalog:
    """Model cards from one or more directories; the first directory that has a uid wins."""

    def __init__(self, roots: list[Path] | None = None, fetch_missing: bool | None = None) -> None:
        """``roots`` None: the default search order, and a uid found nowhere is fetched from the hub
        (``fetch_missing``); explicit roots are searched alone."""
        self.roots = [Path(r).expanduser() for r in (roots if roots is not None else default_roots())]
        self.fetch_missing = roots is None if fetch_missing is None else fetch_missing

    def find(self, uid: str, language: str = "en") -> CardFile | None:
        """Where the card of ``uid`` is, looking at each root in order (no directory scan).

        Anything at the card's path counts (a FIFO or a dangling symlink too), so that reading it gives
        a clear refusal instead of "no such uid".
        """
        check_uid(uid)
        suffix = f"{TWIN_SUFFIX}.md" if language == "zh" else ".md"
        for root in self.roots:
            path = root.joinpath(*uid.split("/")[:-1], uid.rsplit("/", 1)[-1] + suffix)
            if os.path.lexists(path):
                return CardFile(uid, path, root)
        return None

    def card_path(self, uid: str, language: str = "en") -> Path | None:
        found = self.find(uid, language)
        return found.path if found else None

    def get(self, uid: str, language: str = "en") -> ModelCard:
        """The card of ``uid`` (``language='zh'``: its Chinese twin); UidError if no catalog has it."""
        found = self.find(uid, language)
        if found is None and self.fetch_missing and language == "en":
            from ..fetch.cache import fetched_cards_dir
            from .hub_repo import fetch_card

            path = fetch_card(uid)
            if path is not None:
                return CardFile(uid, path, fetched_cards_dir()).parse()
        if found is None:
            roots = ", ".join(str(r) for r in self.roots) or "(none)"
            raise UidError(f"no model card for uid {uid!r} in the catalog ({roots}); "
                           "`python -m hub list` shows the uids there are")
        return found.parse()

    def resolve(self, name: str) -> ModelCard:
        """A uid, a card URL on the hub, or a path to a card file -> the card."""
        if not isinstance(name, str):
            raise UidError(f"model name must be a string (uid, card URL or card path), got {type(name).__name__}")
        if is_card_url(name):
            return self.get(uid_from_url(name))
        if name.endswith(".md"):
            return self.card_from_file(name)
        return self.get(name)

    def card_from_file(self, name: str | Path) -> ModelCard:
        """Parse a card given by path; its uid is relative to a catalog root when it lies in one."""
        path = Path(name).expanduser()
        if not os.path.lexists(path):
            raise UidError(f"card file {str(name)!r} does not exist (expected a path to a model card .md file)")
        path = path.absolute()
        for root in self.roots:
            try:
                rel = path.relative_to(root.absolute())
            except ValueError:
                continue
            return parse_card(path, uid="/".join([*rel.parts[:-1], card_stem(path)]), root=root)
        return parse_card(path)

    def card_files(self) -> list[CardFile]:
        """English cards (or a lone twin), one per uid, the first root's winning."""
        chosen: dict[str, CardFile] = {}
        for root in self.roots:
            for card_file in find_card_files(root):
                if card_file.uid not in chosen:
                    chosen[card_file.uid] = card_file
        return sorted(chosen.values(), key=lambda f: f.uid)

    def scan(self) -> ScanResult:
        """Parse every card; cards that fail are reported, not raised."""
        cards, errors = [], []
        for card_file in self.card_files():
            try:
                cards.append(card_file.parse())
            except CardError as exc:
                errors.append(exc)
        return ScanResult(cards, errors)

    def search(self, pattern: str | None = None) -> ScanResult:
        """Cards whose uid matches a glob (``*ssd*``) or contains ``pattern`` (case-insensitive)."""
        result = self.scan()
        if pattern:
            result.cards = [c for c in result.cards if matches(c.uid, pattern)]
        return result


def matches(uid: str, pattern: str) -> bool:
    uid, pattern = uid.lower(), pattern.lower()
    if any(ch in pattern for ch in "*?["):
        return fnmatch.fnmatchcase(uid, pattern) or fnmatch.fnmatchcase(uid.rsplit("/", 1)[-1], pattern)
    return pattern in uid


def of_version(cards: list[ModelCard], version: str | None) -> list[ModelCard]:
    """The cards whose uid names MindSpore ``version`` ('1.7' or 'r1.7'); all of them for None."""
    if version is None:
        return cards
    wanted = version[1:] if version.startswith("r") else version
    return [c for c in cards if c.uid.split("/")[-2:-1] == [wanted]]
