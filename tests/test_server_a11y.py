"""Every page of ``reportgen serve`` checked as GB/T 37668 assessors check government sites:
axe-core (WCAG 2.1 A and AA) in Debian's Chromium finds no violation on any page the office or a
clerk visits — login, dashboard, account, audit log, the report's form (blank, with messages, after
a save), history, findings, preview, the merge page, a message page — and no page is wider than a
390-px phone, while table 四 fits a 1366-px screen."""
from __future__ import annotations

import re

import pytest

from axe import script, violations
from test_server_browser import ARGS, CHROMIUM, _login, _save, playwright, server  # noqa: F401  (the fixture)

NEW = "input[name='cell/applications/本年新收/自然人']"


def _clean(page, where: str, axe_js: str) -> None:
    found = violations(page, axe_js)
    assert not found, f"{where}: " + "; ".join(f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes']}" for v in found)


def _fits(page, where: str, width: int) -> None:
    """Nothing sticks out of the screen except inside a box that scrolls by itself."""
    wide = page.evaluate("""(w) => [...document.querySelectorAll('body *')].filter(e =>
        e.getBoundingClientRect().right > w + 1 && !e.closest('.scroll')).slice(0, 5).map(e => e.tagName + '.' + e.className)""", width)
    assert page.evaluate("document.documentElement.scrollWidth") <= width and not wide, f"{where} at {width} px: {wide}"


def test_every_page_has_no_axe_violation_and_fits_a_phone(server):
    axe_js = script()
    base, admin_password, accounts = server
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        # the page's own Content-Security-Policy forbids inline scripts: axe is injected past it
        office = browser.new_context(bypass_csp=True).new_page()
        office.goto(base + "/login")
        _clean(office, "login", axe_js)
        _login(office, base, "admin", admin_password)
        visited = {}
        for path in ["/", "/account", "/audit"]:
            office.goto(base + path)
            _clean(office, path, axe_js)
            visited[path] = office.url
        office.goto(base + "/")
        submitted = office.locator("tr", has_text="乙局").locator("a", has_text="查看").get_attribute("href")
        for path in [submitted, submitted + "/findings", submitted + "/history", submitted + "/preview"]:
            office.goto(base + path)
            _clean(office, path, axe_js)
        office.goto(base + "/reports/99999")  # a message page
        _clean(office, "message", axe_js)

        clerk = browser.new_context(bypass_csp=True).new_page()
        _, username, password = accounts["甲局"]
        _login(clerk, base, username, password)
        _clean(clerk, "blank form", axe_js)
        clerk.fill(NEW, "5")  # a broken 勾稽: messages on the cell and at the top
        clerk.locator("[id='msg-cell/applications/本年新收/自然人']").filter(has_text="勾稽").wait_for(timeout=10000)
        _clean(clerk, "form with live messages", axe_js)
        _save(clerk)
        assert "已保存为第" in clerk.content()
        _clean(clerk, "form after a save", axe_js)
        form_url = clerk.url

        other = browser.new_context(bypass_csp=True).new_page()  # a second browser of the unit: the merge page
        _login(other, base, username, password)
        other.goto(form_url)
        clerk.fill(NEW, "7")
        _save(clerk)
        other.fill(NEW, "9")
        _save(other)
        assert "保存前请合并" in other.content()
        _clean(other, "merge page", axe_js)

        for page, where in ((office, "dashboard"), (clerk, "form")):
            page.set_viewport_size({"width": 390, "height": 844})
            page.goto(base + "/" if where == "dashboard" else form_url)
            _fits(page, where, 390)
        clerk.set_viewport_size({"width": 1366, "height": 900})
        clerk.goto(form_url)
        table_four = clerk.locator(".scroll[aria-label^='四、']")
        assert table_four.evaluate("s => s.scrollWidth <= s.clientWidth"), "table 四 overflows a 1366-px screen"
        browser.close()


def test_security_headers_on_every_response(server):
    import httpx

    base, _, _ = server
    for path in ["/login", "/static/site.css", "/reports/1"]:
        headers = httpx.get(base + path, follow_redirects=False).headers
        csp = headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and re.search(r"script-src 'self'(;|$)", csp), (path, csp)
        assert headers["x-content-type-options"] == "nosniff" and headers["referrer-policy"], path
