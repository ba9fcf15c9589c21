"""HTML output in a real browser (headless Debian Chromium driven by Playwright's Python
package, never a downloaded browser): every example page loads, its tables carry the official
spans, a phone-width page does not scroll sideways, and a screenshot is taken."""
from __future__ import annotations

import shutil

import pytest

from conftest import ROOT
from reportgen.compose import compose
from reportgen.document import Table
from reportgen.loader import load_report
from reportgen.render import render_loaded

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not shutil.which("chromium"), reason="Debian chromium not installed")
EXAMPLES = sorted(p.name for p in (ROOT / "examples").glob("*.yaml"))
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


SPANS_JS = """() => Array.from(document.querySelectorAll('main table')).map(t =>
    Array.from(t.querySelectorAll('th, td')).map(c => [c.textContent, c.rowSpan, c.colSpan]))"""


@pytest.mark.parametrize("example", EXAMPLES)
def test_example_page_in_chromium(browser, tmp_path, example):
    loaded = load_report(str(ROOT / "examples" / example))
    page_file = tmp_path / "report.html"
    page_file.write_bytes(render_loaded(loaded, ["html"])["html"])
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(page_file.as_uri())
    assert page.title() == compose(loaded).properties["title"]
    tables = [b for b in compose(loaded).blocks if isinstance(b, Table)]
    got = page.evaluate(SPANS_JS)
    assert len(got) == len(tables)
    for cells, table in zip(got, tables):
        want = [[c.text, c.rowspan, c.colspan] for c in sorted(table.cells, key=lambda c: (c.row, c.col))]
        assert cells == want
    shot = tmp_path / "desktop.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    # on a phone the text wraps and only the table scrolls, inside its own box
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(tmp_path / "phone.png"))
    page.close()


def test_official_rowspans_in_the_browser(browser, tmp_path):
    for example, span in (("report-2021.yaml", 22), ("seed-004-2019-edition-2020.yaml", 20)):
        path = tmp_path / "r.html"
        path.write_bytes(render_loaded(load_report(str(ROOT / "examples" / example)), ["html"])["html"])
        page = browser.new_page()
        page.goto(path.as_uri())
        cell = page.locator("th", has_text="三、本年度办理结果")
        assert cell.get_attribute("rowspan") == str(span)
        assert page.evaluate("() => document.querySelector('main table[data-table=applications] thead tr').children.length") == 2
        page.close()


def test_print_media_has_no_scroll_box(browser, tmp_path):
    path = tmp_path / "r.html"
    path.write_bytes(render_loaded(load_report(str(ROOT / "examples" / "report-2021.yaml")), ["html"])["html"])
    page = browser.new_page()
    page.goto(path.as_uri())
    page.emulate_media(media="print")
    assert page.evaluate("() => getComputedStyle(document.querySelector('.table-wrap')).overflowX") == "visible"
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF")
    page.close()
