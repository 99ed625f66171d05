"""The catalog site's files from the model ``build.collect`` gives: an index page whose rows come from
``index-data.js`` (a script, not a fetched JSON file, so the page works from ``file://``), a page per card
(and per ``_cn`` twin), ``index.json`` for tools, and the stylesheet and scripts of ``static/``.

Cards come from a public repository, so nothing in them becomes markup: templates escape every value,
Markdown is rendered with raw HTML off, only http(s) URLs become links or image sources (images are shown as
links: the pages load nothing from elsewhere), and each page's Content-Security-Policy allows scripts from
the site's own files only.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import re
import shutil
import time
from importlib import resources
from pathlib import Path
from urllib.parse import quote, urlsplit

from .build import CHECKSUM_LABELS

MARKER = ".mshub-site"  # an output directory this command wrote (and may therefore clear)
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; base-uri 'none'; "
       "form-action 'none'")
INDEX_SUMMARY_CHARS = 160  # summaries in the index data are cut to this (the card page has the whole)
_UNSAFE_URL_CHARS = re.compile(r"[\"'<>`\\\s\x00-\x1f\x7f]")


def http_url(value: object) -> str:
    """``value`` when it is an absolute http(s) URL with a host and no character that could break out of an
    attribute; otherwise "" (javascript:, data:, relative and malformed links are never made clickable)."""
    if not isinstance(value, str):
        return ""
    url = value.strip()
    if url.startswith("<") and url.endswith(">"):
        url = url[1:-1].strip()
    if not url or _UNSAFE_URL_CHARS.search(url):
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ""
    return url


def page_file(uid: str, twin: bool = False) -> str:
    """Where a card's page is written: ``cards/<uid>.html`` (``_cn.html`` for the twin)."""
    return "cards/" + uid + ("_cn" if twin else "") + ".html"


def page_path(uid: str, twin: bool = False) -> str:
    """The link to a card's page: its file, each part percent-encoded (a uid may hold ``+``)."""
    return quote(page_file(uid, twin), safe="/")


def _markdown():
    from markdown_it import MarkdownIt
    from markdown_it.common.utils import escapeHtml

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.validateLink = lambda url: bool(http_url(url))

    def image(self, tokens, idx, options, env) -> str:
        """An image becomes a link to it: the page loads nothing from other hosts."""
        token = tokens[idx]
        alt = self.renderInlineAsText(token.children or [], options, env) or "image"
        return f'<a href="{escapeHtml(token.attrGet("src") or "")}">image: {escapeHtml(alt)}</a>'

    def heading_open(self, tokens, idx, options, env) -> str:
        """Prose headings sit under the page's h2: the card's top level becomes h3, and so on (max h6)."""
        token = tokens[idx]
        level = min(6, int(token.tag[1]) - env.get("top", 1) + 3)
        token.tag = f"h{level}"
        return self.renderToken(tokens, idx, options, env)

    def heading_close(self, tokens, idx, options, env) -> str:
        tokens[idx].tag = tokens[idx - 2].tag  # heading_open, inline, heading_close
        return self.renderToken(tokens, idx, options, env)

    def cell_open(self, tokens, idx, options, env) -> str:
        """A column's alignment as a class: the pages' CSP refuses style attributes."""
        token = tokens[idx]
        style = token.attrGet("style") or ""
        if style:
            token.attrs.pop("style", None)
            align = style.partition("text-align:")[2].strip(" ;")
            if align in ("left", "center", "right"):
                token.attrSet("class", f"align-{align}")
        return self.renderToken(tokens, idx, options, env)

    md.add_render_rule("image", image)
    md.add_render_rule("th_open", cell_open)
    md.add_render_rule("td_open", cell_open)
    md.add_render_rule("heading_open", heading_open)
    md.add_render_rule("heading_close", heading_close)
    return md


_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:", re.M)
_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]|$)")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HEADINGS = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]|$)", re.M)
_CUT = re.compile(r"^(?= {0,3}#{1,6}(?:[ \t]|$))", re.M)


def _sections(text: str) -> tuple[list[str], int]:
    """``text`` cut before each ATX heading that is not inside a fenced code block, and the top heading level."""
    if "```" not in text and "~~~" not in text:  # the common case: no fence, so every heading line cuts
        levels = [len(m) for m in _HEADINGS.findall(text)]
        return [part for part in _CUT.split(text) if part], min(levels) if levels else 1
    sections, current, fence, levels = [], [], "", []
    for line in text.splitlines(keepends=True):
        opened = _FENCE.match(line)
        if fence:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence) \
                    and not line.strip().lstrip(fence[0]):
                fence = ""
        elif opened:
            fence = opened.group(1)
        elif heading := _HEADING.match(line):
            levels.append(len(heading.group(1)))
            if current:
                sections.append("".join(current))
                current = []
        current.append(line)
    if current:
        sections.append("".join(current))
    return sections, min(levels) if levels else 1


class Renderer:
    """Jinja2 templates and the Markdown renderer, made once per site."""

    def __init__(self, title: str, stamp: str = "") -> None:
        from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
        from markupsafe import Markup

        self.md = _markdown()
        self._rendered: dict[tuple[str, int], str] = {}
        self.env = Environment(loader=PackageLoader("hub.site", "templates"), autoescape=select_autoescape(
            default=True, default_for_string=True), undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
            keep_trailing_newline=True)
        self.env.filters["http_url"] = http_url
        self.env.filters["markdown"] = lambda text: Markup(self.markdown(text))
        self.env.globals.update(csp=CSP, site_title=title, stamp=stamp, page_path=page_path,
                                checksum_labels=CHECKSUM_LABELS)

    def markdown(self, text: str) -> str:
        """The prose as HTML. Cards repeat whole sections (a disclaimer, a citation), so a text is rendered
        section by section (split at headings outside code blocks) and each section's HTML is kept; a text
        with link reference definitions, which may be used across sections, is rendered whole."""
        sections, top = _sections(text)
        if _REFERENCE.search(text):
            sections = [text]
        html = []
        for section in sections:
            key = (section, top)
            if key not in self._rendered:
                self._rendered[key] = self.md.render(section, {"top": top})
            html.append(self._rendered[key])
        return "".join(html)

    def page(self, template: str, **context) -> str:
        return self.env.get_template(template).render(**context)


def index_rows(cards: list[dict]) -> list[dict]:
    """The index's rows, with short keys (the data file of 3,000 cards stays small)."""
    rows = []
    for c in cards:
        rows.append({"u": c["uid"], "n": c["name"], "t": c["task"], "d": c["dataset"], "v": c["version"],
                     "p": c["publisher"], "b": c["backbone"], "m": c["metric"], "f": " ".join(c["formats"]),
                     "s": c["summary"][:INDEX_SUMMARY_CHARS], "V": c["verdict"], "C": c["checksum"]["status"],
                     "D": c["checksum"]["date"], "L": c["loading"]["status"], "R": c["loading"]["route"],
                     "h": page_path(c["uid"])})
    return rows


def index_json(model: dict) -> dict:
    """``index.json``: the index's fields under their full names, for other tools."""
    return {"title": model["title"], "totals": model["totals"], "cards": [{
        "uid": c["uid"], "name": c["name"], "task": c["task"], "task_detail": c["task_detail"],
        "dataset": c["dataset"], "version": c["version"], "publisher": c["publisher"], "backbone": c["backbone"],
        "metric": c["metric"], "formats": c["formats"], "summary": c["summary"], "verdict": c["verdict"],
        "checksum": c["checksum"], "loading": c["loading"], "page": page_path(c["uid"]),
        "assets": [{"format": a["format"], "url": a["url"], "sha256": a["sha256"], "weak": a["weak"],
                    "audit": a["audit"]["status"], "audited": a["audit"]["date"]} for a in c["assets"]],
        "call": c["call"], "findings": c["findings"], "versions": c["versions"]} for c in model["cards"]]}


def _dump(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def write_site(model: dict, out: Path, stamp: bool = False) -> dict:
    """Write the site into ``out`` (created; a directory this command wrote before is replaced, any other
    non-empty one refused). Returns counts and sizes for the command's summary line."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ValueError(f"--out {out}: not a directory")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise ValueError(f"--out {out}: the directory is not empty and was not written by `hub site`; "
                         "give an empty or new directory")
    for sub in ("cards", "static"):
        shutil.rmtree(out / sub, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()) if stamp else ""
    renderer = Renderer(model["title"], when)
    files = {MARKER: "written by `python -m hub site`; the command replaces this directory's cards/ and static/\n",
             ".nojekyll": ""}
    files["index-data.js"] = ("window.MSHUB_INDEX = " + _dump({"title": model["title"], "cards": index_rows(
        model["cards"])}) + ";\n")
    files["index.json"] = json.dumps(index_json(model), ensure_ascii=False, sort_keys=True, indent=1) + "\n"
    files["index.html"] = renderer.page("index.html", root="", model=model, totals=model["totals"])
    static = resources.files("hub.site") / "static"
    for item in sorted(static.iterdir(), key=lambda p: p.name):
        if item.is_file() and not item.name.startswith("."):
            files["static/" + item.name] = item.read_text(encoding="utf-8")
    for name, text in sorted(files.items()):
        _write(out / name, text)
    pages = _write_pages(model, out, when)
    return {"files": len(files) + pages, "pages": pages,
            "index_bytes": len(files["index.html"].encode()) + len(files["index-data.js"].encode())}


def _write(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(text.encode("utf-8"))


_JOB: tuple = ()  # (cards, title, stamp, out) for the forked workers of _write_pages
PARALLEL_FROM = 400  # cards; fewer are written in this process


def _write_pages(model: dict, out: Path, stamp: str) -> int:
    """Every card's page (and its twin's); in forked workers, one per CPU (up to 4), when there are many.
    Each page depends on its card alone, so the files are the same whoever writes them."""
    global _JOB
    cards = model["cards"]
    workers = min(4, os.cpu_count() or 1)
    _JOB = (cards, model["title"], stamp, out)
    try:
        if len(cards) < PARALLEL_FROM or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return _pages_of(0, 1)
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return sum(pool.starmap(_pages_of, [(i, workers) for i in range(workers)]))
    finally:
        _JOB = ()


def _pages_of(first: int, step: int) -> int:
    cards, title, stamp, out = _JOB
    renderer = Renderer(title, stamp)
    written = 0
    for card in cards[first::step]:
        path = page_file(card["uid"])
        root = "../" * path.count("/")
        _write(out / path, renderer.page("card.html", root=root, card=card, twin_page=False))
        written += 1
        if card.get("twin"):
            _write(out / page_file(card["uid"], twin=True),
                   renderer.page("card.html", root=root, card=card, twin_page=True))
            written += 1
    return written
