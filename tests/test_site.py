"""The catalog site (``python -m hub site``): the model it is built from, escaping and link filtering,
byte-identical rebuilds, and the built site driven in a real browser (system Chromium through
Playwright) with an accessibility check (axe-core).

The test catalog: the bundled SSD card, generated cards (two versions of one model, a ``_cn`` twin, a prefix
digest, a rejected card) and a hostile card whose fields and prose carry script, event handlers,
``javascript:``/``data:`` links and HTML comments; a loadable report in two parts and an audit ledger.
"""
from __future__ import annotations

import filecmp
import json
import os
import shutil
import sqlite3
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import SEED_CARD, SSD_UID

pytest.importorskip("jinja2")
pytest.importorskip("markdown_it")

from hub.audit.ledger import AuditLedger, LedgerEntry  # noqa: E402
from hub.cli import main  # noqa: E402
from hub.errors import HubError  # noqa: E402
from hub.site.build import collect  # noqa: E402
from hub.site.render import Renderer, http_url, page_path  # noqa: E402
from hub.site.site import build_site  # noqa: E402

SSD_SHA = "5bf0dc1251ceca4bccc7fa1c42b972188901bf668c4fdf08b0856f6fb3a2bcd1"
SSD_URL = ("https://download.mindspore.cn/models/r1.7/"
           "ssdresnet50fpn_ascend_v170_coco2017_official_cv_acc37.56.ckpt")
HOSTILE_UID = "evil/1.9/hostile_card"
HOSTILE_NAME = "<script>window.__pwned=1</script>"
HOSTILE_SUMMARY = '<img src=x onerror="window.__pwned=2"> <!-- comment in summary -->'
HOSTILE_BODY = """## Intro <script>window.__pwned=3</script>

<img src=x onerror="window.__pwned=4">

<!-- a comment in prose -->

[click me](javascript:window.__pwned=5) and <javascript:window.__pwned=6> and \
[data link](data:text/html,<script>window.__pwned=7</script>) and [JS upper](JaVaScRiPt:window.__pwned=8) \
and [a safe link](https://example.com/safe)

![a picture](https://example.com/picture.png)
"""


def card_text(uid: str, name: str = "lenet", backbone: str = "lenet", dataset: str = "mnist",
              summary: str = "lenet is used for cv", module: str = "cv-classification", version: str = "1.9",
              sha: str = "ab" * 32,
              body: str = "## Introduction\n\nA small network.\n\n| metric | value |\n| :-- | --: |\n| acc | 98.5 |\n",
              ) -> str:
    url = f"https://download.mindspore.cn/models/r{version}/{uid.rsplit('/', 1)[-1]}.ckpt"
    return f"""# {name}

---

model-name: {name}

backbone-name: {backbone}

module-type: {module}

fine-tunable: True

model-version: {version}

train-dataset: {dataset}

evaluation: acc98.5

author: MindSpore team

update-time: 2023-01-02

repo-link: <https://gitee.com/mindspore/models/tree/r{version}/official/cv/{backbone}>

user-id: MindSpore

used-for: inference

mindspore-version: {version}

asset:

-
    file-format: ckpt
    asset-link: <{url}>
    asset-sha256: {sha}

license: Apache2.0

summary: {summary}

---

{body}"""


def put(catalog: Path, uid: str, text: str, twin: bool = False) -> Path:
    path = catalog.joinpath(*uid.split("/")).with_name(uid.rsplit("/", 1)[-1] + ("_cn" if twin else "") + ".md")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def make_inputs(base: Path) -> dict:
    """A catalog, two loadable reports (the second overrides the first) and an audit ledger."""
    catalog = base / "catalog"
    put(catalog, SSD_UID, SEED_CARD.read_text(encoding="utf-8"))
    put(catalog, "mindspore/1.9/lenet_mnist", card_text("mindspore/1.9/lenet_mnist"))
    twin = card_text("mindspore/1.9/lenet_mnist", body="## 介绍\n\n一个小网络。\n")
    put(catalog, "mindspore/1.9/lenet_mnist", twin, twin=True)
    put(catalog, "mindspore/1.8/lenet_mnist", card_text("mindspore/1.8/lenet_mnist", version="1.8"))
    put(catalog, "mindspore/1.9/resnet50_imagenet2012",
        card_text("mindspore/1.9/resnet50_imagenet2012", name="resnet50", backbone="resnet", dataset="imagenet2012",
                  sha="0123abcd"))
    rejected = card_text("mindspore/1.9/broken_card").replace("module-type: cv-classification\n\n", "")
    put(catalog, "mindspore/1.9/broken_card", rejected)
    put(catalog, HOSTILE_UID, card_text(HOSTILE_UID, name=HOSTILE_NAME, summary=HOSTILE_SUMMARY, body=HOSTILE_BODY))
    first = {"outcomes": [
        {"uid": SSD_UID, "route": "zoo", "ok": False, "kind": "other", "message": "overridden"},
        {"uid": "mindspore/1.9/lenet_mnist", "route": "zoo", "ok": False, "kind": "arguments",
         "message": "create_network('lenet') needs arguments: it reads the keyword 'num_classes'"},
        {"uid": HOSTILE_UID, "route": "zoo", "ok": False, "kind": "import",
         "message": "<script>window.__pwned=9</script>", "notes": ["<b>bold?</b>"]}]}
    second = {"outcomes": [
        {"uid": SSD_UID, "route": "zoo", "ok": True, "parameters": 33000000, "rebuilt_with": {"num_classes": 81},
         "notes": ["the code's default classifier has 91 classes and the checkpoint's 81 (a sentence: not read)"]},
        {"uid": "mindspore/1.9/resnet50_imagenet2012", "route": "export", "ok": True, "parameters": 25557032,
         "preprocessing": {"read_from": "official/cv/resnet/eval.py", "dataset": "ImageFolderDataset",
                           "input_size": [224, 224], "resize": 256, "interpolation": "BILINEAR", "crop": [224, 224],
                           "mean": [123.675, 116.28, 103.53], "std": [58.395, 57.12, 57.375], "layout": "CHW",
                           "dtype": "float32", "fed_by": "Model.eval at eval.py:88"},
         "labels": 1000, "labels_source": "hub/data/labels/imagenet1k.txt (this project)"},
        {"uid": HOSTILE_UID, "route": "zoo", "ok": False, "kind": "import",
         "message": "<script>window.__pwned=9</script>", "notes": ["<b>bold?</b>"],
         "preprocessing_error": "PreprocessError: <img src=x onerror=alert(1)> at eval.py:3"}]}
    reports = [base / "loadable-1.json", base / "loadable-2.json"]
    for path, data in zip(reports, (first, second)):
        path.write_text(json.dumps(data), encoding="utf-8")
    ledger = base / "audit.db"
    checked = time.mktime((2026, 11, 30, 12, 0, 0, 0, 0, 0))
    with AuditLedger(ledger) as db:
        db.record(LedgerEntry(SSD_URL, SSD_SHA, SSD_SHA, 1000, None, None, checked, "ok"))
        db.record(LedgerEntry("https://download.mindspore.cn/models/r1.9/lenet_mnist.ckpt", "ab" * 32, "cd" * 32,
                              10, None, None, checked, "mismatch", "sha256 differs"))
        db.record(LedgerEntry("https://download.mindspore.cn/models/r1.8/lenet_mnist.ckpt", "ef" * 32, "ef" * 32,
                              10, None, None, checked, "ok"))
    return {"catalog": catalog, "reports": reports, "ledger": ledger}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> dict:
    return make_inputs(tmp_path_factory.mktemp("site-inputs"))


@pytest.fixture(scope="module")
def model(inputs) -> dict:
    return collect([inputs["catalog"]], inputs["reports"], inputs["ledger"], title="Test catalog")


@pytest.fixture(scope="module")
def site(inputs, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "out"
    build_site(out, [inputs["catalog"]], inputs["reports"], inputs["ledger"], title="Test catalog")
    return out


def by_uid(model: dict) -> dict:
    return {c["uid"]: c for c in model["cards"]}


# --- the model --------------------------------------------------------------------------------------------


def test_model_verdicts_audits_and_loading(model):
    cards = by_uid(model)
    assert [c["uid"] for c in model["cards"]] == sorted(cards)
    ssd = cards[SSD_UID]
    assert ssd["verdict"] == "ok"
    assert ssd["checksum"] == {"status": "intact", "date": "2026-11-30"}
    assert ssd["loading"] == {"status": "built", "route": "zoo", "label": "built (zoo)"}  # the later report wins
    assert "network = mshub.load(model, num_classes=81)" in ssd["call"]  # the class count the load found
    assert ssd["assets"][0]["sha256"] == SSD_SHA and not ssd["assets"][0]["weak"]

    lenet = cards["mindspore/1.9/lenet_mnist"]
    assert lenet["checksum"]["status"] == "mismatch"
    assert lenet["loading"]["status"] == "arguments"
    assert any("num_classes" in n for n in lenet["call_notes"])
    assert lenet["versions"] == ["mindspore/1.8/lenet_mnist"]
    assert "介绍" in lenet["twin"]["body"]  # a twin has its own prose and its English card's record
    # the ledger audited another digest than the card's: the card's asset was never audited
    assert cards["mindspore/1.8/lenet_mnist"]["checksum"]["status"] == "never"
    assert cards["mindspore/1.8/lenet_mnist"]["loading"]["status"] == "not surveyed"

    resnet = cards["mindspore/1.9/resnet50_imagenet2012"]
    assert resnet["verdict"] == "warnings" and resnet["assets"][0]["weak"]
    broken = cards["mindspore/1.9/broken_card"]
    assert broken["verdict"] == "rejected" and broken["findings"][0]["field"] == "module-type"
    assert not broken["findings"][0]["path"].startswith("/")  # no local paths on a public page
    assert model["totals"]["verdict"] == {"ok": 4, "rejected": 1, "warnings": 1}


def test_bad_report_and_missing_ledger_are_named(inputs, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"cards": 3}', encoding="utf-8")
    with pytest.raises(ValueError, match="bad.json: no 'outcomes' list"):
        collect([inputs["catalog"]], [bad])
    with pytest.raises(ValueError, match="audit ledger .*missing.db does not exist"):
        collect([inputs["catalog"]], ledger=tmp_path / "missing.db")
    assert not (tmp_path / "missing.db").exists()
    other = tmp_path / "other.db"  # a database, but not a ledger: named, left as it was, never "delete it"
    sqlite3.connect(other).execute("CREATE TABLE notes (x)").connection.commit()
    before = other.read_bytes()
    with pytest.raises(HubError, match=r"other.db cannot be used .*is it the ledger") as caught:
        collect([inputs["catalog"]], ledger=other)
    assert "delete" not in str(caught.value) and other.read_bytes() == before


# --- escaping and links -------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["https://example.com/a?b=1#c", "http://download.mindspore.cn/x.ckpt",
                                 "<https://gitee.com/mindspore/models>"])
def test_http_urls_are_links(url):
    assert http_url(url) == url.strip("<>")


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
                                 "data:text/html,<script>alert(1)</script>", "vbscript:x", "file:///etc/passwd",
                                 "//example.com/x", "/relative/path", "relative.html", "http:///no-host",
                                 'https://example.com/" onmouseover="alert(1)', "https://exa mple.com/",
                                 "https://example.com/\nx", "", None, 42])
def test_other_urls_are_not(url):
    assert http_url(url) == ""


def test_markdown_keeps_html_as_text_and_links_only_http():
    html = Renderer("t").markdown(HOSTILE_BODY)
    assert "<script" not in html and "<img" not in html and "<!--" not in html
    assert "&lt;script&gt;window.__pwned=3&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&quot;window.__pwned=4&quot;&gt;" in html
    assert "&lt;!-- a comment in prose --&gt;" in html
    assert 'href="javascript' not in html.lower() and 'href="data' not in html.lower()
    assert "[click me](javascript:window.__pwned=5)" in html  # an unsafe link stays its text
    hrefs = [part.split('"', 1)[0] for part in html.split('href="')[1:]]
    assert hrefs == ["https://example.com/safe", "https://example.com/picture.png"]
    assert '<a href="https://example.com/picture.png">image: a picture</a>' in html
    assert "<h3>Intro" in html  # the card's top heading sits under the page's h2
    table = Renderer("t").markdown("| a | b |\n| :-: | --: |\n| 1 | 2 |\n")
    assert "style=" not in table and '<td class="align-center">1</td>' in table  # the CSP refuses style=


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_hostile_card_page_has_no_markup_from_the_card(site):
    text = (site / page_path(HOSTILE_UID)).read_text(encoding="utf-8")
    parser = _Tags()
    parser.feed(text)
    for tag, attrs in parser.tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert tag not in ("img", "iframe", "object", "embed", "base", "form")
        if tag == "script":
            assert attrs.get("src", "").endswith("static/card.js"), attrs
        if "href" in attrs:
            href = attrs["href"]
            assert href == "#main" or href.startswith(("https://", "http://", "../")), href
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in text
    assert "&lt;script&gt;window.__pwned=9&lt;/script&gt;" in text  # the report's message too
    assert "&lt;!-- comment in summary --&gt;" in text
    csp = [a["content"] for t, a in parser.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "script-src 'self';" in csp[0] and "default-src 'none'" in csp[0]


def test_card_page_shows_the_preprocessing_and_the_labels_of_the_report(site):
    text = (site / page_path("mindspore/1.9/resnet50_imagenet2012")).read_text(encoding="utf-8")
    section = text[text.index('id="h-preprocessing"'):text.index('id="h-findings"')]
    for shown in ("<code>official/cv/resnet/eval.py</code> (ImageFolderDataset)", "224 × 224, CHW, float32",
                  "256 (bilinear)", "123.675, 116.28, 103.53", "58.395, 57.12, 57.375", "Model.eval at eval.py:88",
                  "1000 class names, from hub/data/labels/imagenet1k.txt (this project)"):
        assert shown in section, shown
    hostile = (site / page_path(HOSTILE_UID)).read_text(encoding="utf-8")
    assert "not known: PreprocessError: &lt;img src=x onerror=alert(1)&gt; at eval.py:3" in hostile


# --- determinism and the command -------------------------------------------------------------------------


def test_rebuild_is_byte_identical(inputs, site, tmp_path, monkeypatch):
    from hub.site import render

    monkeypatch.setattr(render, "PARALLEL_FROM", 1)  # the same bytes when forked workers write the pages
    again = tmp_path / "again"
    build_site(again, [inputs["catalog"]], inputs["reports"], inputs["ledger"], title="Test catalog")
    names = sorted(str(p.relative_to(site)) for p in site.rglob("*") if p.is_file())
    assert names == sorted(str(p.relative_to(again)) for p in again.rglob("*") if p.is_file())
    match, mismatch, errors = filecmp.cmpfiles(site, again, names, shallow=False)
    assert not mismatch and not errors and len(match) == len(names) > 10


def test_page_links_reach_their_files(tmp_path):
    """A uid may hold ``+`` (and a rejected file's name anything): the link is encoded, the file is not."""
    catalog = tmp_path / "catalog"
    put(catalog, "mindspore/1.9/lenet+bn_mnist", card_text("mindspore/1.9/lenet+bn_mnist"))
    put(catalog, "mindspore/1.9/odd name%", "not a card")
    build_site(tmp_path / "out", [catalog])
    index = json.loads((tmp_path / "out" / "index.json").read_text(encoding="utf-8"))
    links = sorted(c["page"] for c in index["cards"])
    assert links == ["cards/mindspore/1.9/lenet%2Bbn_mnist.html", "cards/mindspore/1.9/odd%20name%25.html"]
    for link in links:
        assert (tmp_path / "out" / unquote(link)).is_file()


def test_command_writes_the_site_and_index_json(inputs, tmp_path, capsys):
    out = tmp_path / "out"
    argv = ["site", "--out", str(out), "--catalog", str(inputs["catalog"]), "--ledger", str(inputs["ledger"]),
            "--title", "Mine", "--stamp"]
    for report in inputs["reports"]:
        argv += ["--loadable", str(report)]
    assert main(argv) == 0
    assert "6 cards" in capsys.readouterr().err
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    ssd = next(c for c in index["cards"] if c["uid"] == SSD_UID)
    assert ssd["checksum"]["status"] == "intact" and ssd["loading"]["route"] == "zoo"
    assert ssd["page"] == "cards/mindspore/1.7/ssdresnet50fpn_coco2017.html" and (out / ssd["page"]).is_file()
    assert " on 20" in (out / "index.html").read_text(encoding="utf-8")  # --stamp: the build's date
    # a second build replaces its own output; a directory it did not write is refused
    assert main(argv) == 0
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("x")
    assert main(["site", "--out", str(foreign), "--catalog", str(inputs["catalog"])]) == 2
    assert "not written by `hub site`" in capsys.readouterr().err


# --- in a browser -------------------------------------------------------------------------------------------


def _browser_or_skip():
    """Playwright and system Chromium; in CI (CI=true) their absence fails instead of skipping."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if chromium and sync_playwright:
        return chromium, sync_playwright
    missing = "playwright" if not sync_playwright else "chromium (apt-get install chromium)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests need {missing}")
    pytest.skip(f"browser tests need {missing}")


@pytest.fixture(scope="module")
def browser():
    chromium, sync_playwright = _browser_or_skip()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning")
            else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.problems = problems
    yield page
    context.close()
    assert not problems, problems


def count(page) -> str:
    return page.text_content("#count")


def test_search_filters_and_linked_view(site, page):
    page.goto((site / "index.html").as_uri())
    assert count(page) == "6 of 6 cards"
    page.fill("#q", "ssd resnet50 fpn")
    assert count(page) == "1 of 6 cards"
    assert page.locator("#cards tbody tr").count() == 1
    assert page.text_content("#cards tbody tr .uid") == SSD_UID
    page.fill("#q", "")
    page.select_option("#f-version", "1.9")
    assert count(page) == "4 of 6 cards"
    page.select_option("#f-checksum", "never")
    assert count(page) == "3 of 6 cards"  # resnet50 and the hostile card (no ledger entry), the rejected card
    page.select_option("#f-version", "")
    assert count(page) == "4 of 6 cards"  # widened: lenet 1.8 was audited against another digest
    page.fill("#q", "lenet_mnist")
    page.wait_for_function("() => location.hash.includes('q=lenet_mnist')")  # written once typing pauses
    linked = page.evaluate("location.href")
    assert "q=lenet_mnist" in linked and "checksum=never" in linked
    assert count(page) == "1 of 6 cards"
    # the sort: by version, descending, is in the link too
    page.fill("#q", "")
    page.select_option("#f-checksum", "")
    page.click("#cards th[data-sort=v] button")
    page.click("#cards th[data-sort=v] button")
    assert page.get_attribute("#cards th[data-sort=v]", "aria-sort") == "descending"
    assert page.text_content("#cards tbody tr:first-child .uid").split("/")[1] == "1.9"
    other = page.context.new_page()
    other.goto(linked)
    assert other.input_value("#q") == "lenet_mnist" and other.input_value("#f-checksum") == "never"
    assert count(other) == "1 of 6 cards"
    assert other.text_content("#cards tbody tr .uid") == "mindspore/1.8/lenet_mnist"
    other.click("#clear")
    assert count(other) == "6 of 6 cards" and "#" not in other.evaluate("location.href")
    other.close()


def test_card_page_shows_checksum_audit_and_copies_the_call(site, page):
    page.goto((site / "index.html").as_uri())
    page.fill("#q", "ssd resnet50 fpn")
    page.click("#cards tbody tr a")
    page.wait_for_url("**/ssdresnet50fpn_coco2017.html")
    assert page.text_content(".assets .sha") == SSD_SHA
    assert "intact" in page.text_content(".assets tbody tr") and "2026-11-30" in page.text_content(".assets")
    call = page.text_content("#call")
    assert f'model = "{SSD_UID}"' in call and "mshub.load(model, num_classes=81)" in call
    page.click("button.copy")
    page.wait_for_function("() => document.querySelector('.copied').textContent === 'Copied'")
    assert page.evaluate("navigator.clipboard.readText()") == call
    assert "built (zoo)" in page.text_content(".badges")
    page.click("text=All cards")
    page.wait_for_url("**/index.html")


def test_other_versions_and_twin_are_linked(site, page):
    page.goto((site / page_path("mindspore/1.9/lenet_mnist")).as_uri())
    assert "prefix" not in page.text_content(".assets")
    page.click("nav.versions >> text=mindspore/1.8/lenet_mnist")
    page.wait_for_url("**/1.8/lenet_mnist.html")
    page.goto((site / page_path("mindspore/1.9/lenet_mnist")).as_uri())
    page.click("nav.related a[hreflang=zh]")
    page.wait_for_url("**/lenet_mnist_cn.html")
    assert page.get_attribute("html", "lang") == "zh" and "一个小网络" in page.text_content(".prose")
    page.goto((site / page_path("mindspore/1.9/resnet50_imagenet2012")).as_uri())
    assert "a weak check" in page.text_content(".assets")


def test_hostile_card_shows_as_text_and_runs_nothing(site, page):
    page.goto((site / "index.html").as_uri())
    page.fill("#q", "hostile")
    assert page.text_content("#cards tbody tr a") == HOSTILE_NAME
    page.click("#cards tbody tr a")
    page.wait_for_url("**/hostile_card.html")
    assert page.text_content("h1") == HOSTILE_NAME
    assert page.text_content("p.lead") == HOSTILE_SUMMARY
    prose = page.text_content(".prose")
    for text in ('<img src=x onerror="window.__pwned=4">', "<!-- a comment in prose -->", "[click me]",
                 "<script>window.__pwned=3</script>"):
        assert text in prose
    assert page.evaluate("window.__pwned") is None
    assert page.locator("img").count() == 0
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    assert hrefs and all(h.startswith(("https://", "http://", "file://")) for h in hrefs), hrefs
    assert "https://example.com/safe" in hrefs
    assert "window.__pwned=9" in page.text_content("#h-report + dl")


@pytest.mark.parametrize("which", ["index.html", page_path(SSD_UID), page_path(HOSTILE_UID),
                                   page_path("mindspore/1.9/broken_card"),
                                   page_path("mindspore/1.9/lenet_mnist", twin=True)])
def test_pages_pass_axe(site, page, which):
    from axe_playwright_python.sync_playwright import Axe

    page.goto((site / which).as_uri())
    # preload off: axe would fetch the stylesheet again, which the pages' CSP (connect-src 'none') refuses
    results = Axe().run(page, options={"resultTypes": ["violations"], "preload": False})
    violations = results.response["violations"]
    assert not violations, [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
    checked = {rule["id"] for rule in results.response["passes"]}
    assert {"color-contrast", "heading-order", "document-title", "html-has-lang"} <= checked
    if which == "index.html":  # the page with inputs (card pages have none; no page has images)
        assert "label" in checked


def test_served_over_http_like_a_static_host(site, page):
    """The same files from a plain HTTP server (GitHub Pages, an intranet server) work as from disk."""
    import functools
    import http.server
    import threading

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        page.goto(base + "index.html#q=ssd+resnet50+fpn")
        assert count(page) == "1 of 6 cards"
        page.click("#cards tbody tr a")
        page.wait_for_url("**/ssdresnet50fpn_coco2017.html")
        assert page.text_content(".assets .sha") == SSD_SHA
    finally:
        server.shutdown()
        server.server_close()
