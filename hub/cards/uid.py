"""Uids (``mindspore/1.7/ssdresnet50fpn_coco2017``): checking them and reading them out of card URLs.

A uid becomes a path in the catalog and in the cache, so anything that could escape a directory
(``..``, an absolute part, a backslash, a drive letter, an empty part) is refused.
"""
from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from ..errors import UidError

_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+\-]*$")
MIN_PARTS, MAX_PARTS = 3, 4  # publisher[/device]/version/name
HUB_ASSETS_MARKER = "/mshub_res/assets/"
HUB_CARD_URL = "https://gitee.com/mindspore/hub/blob/master/mshub_res/assets/{uid}.md"


def check_uid(uid: str) -> str:
    """Return ``uid`` if it is a safe ``publisher[/device]/version/name`` uid, else raise UidError."""
    if not isinstance(uid, str):
        raise UidError(f"uid must be a string, got {type(uid).__name__}")
    if not uid:
        raise UidError("uid is empty")
    if "\\" in uid or "\x00" in uid:
        raise UidError(f"uid {uid!r} contains a backslash or NUL; parts are separated by '/'")
    if uid.startswith("/") or re.match(r"^[A-Za-z]:", uid):
        raise UidError(f"uid {uid!r} is an absolute path; expected publisher/version/name")
    parts = uid.split("/")
    for part in parts:
        if part in ("", ".", ".."):
            raise UidError(f"uid {uid!r} has an empty, '.' or '..' part")
        if not _PART.match(part):
            raise UidError(f"uid {uid!r}: part {part!r} may only use letters, digits and . _ + -")
    if not MIN_PARTS <= len(parts) <= MAX_PARTS:
        raise UidError(f"uid {uid!r} has {len(parts)} parts; expected publisher/version/name "
                       "(e.g. mindspore/1.7/ssdresnet50fpn_coco2017) or publisher/device/version/name")
    return uid


def is_card_url(name: str) -> bool:
    return name.startswith(("http://", "https://"))


def uid_from_url(url: str) -> str:
    """``https://gitee.com/mindspore/hub/blob/master/mshub_res/assets/<uid>.md`` -> ``<uid>``."""
    path = unquote(urlsplit(url).path)
    if HUB_ASSETS_MARKER not in path or not path.endswith(".md"):
        raise UidError(f"URL {url!r} is not a MindSpore Hub card URL; expected "
                       f"{HUB_CARD_URL.format(uid='<publisher>/<version>/<name>')}")
    uid = path.split(HUB_ASSETS_MARKER, 1)[1][: -len(".md")]
    try:
        return check_uid(uid)
    except UidError as exc:
        raise UidError(f"URL {url!r}: {exc}") from None


def card_url(uid: str) -> str:
    """The card's page on the public hub."""
    return HUB_CARD_URL.format(uid=check_uid(uid))
