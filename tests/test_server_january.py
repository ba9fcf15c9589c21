"""A whole January of ``reportgen serve`` in Chromium, as a county 政务公开办 lives it (issue #21):
the office starts with a one-time password and changes it, adds five units, sets the year and
the deadline, posts a notice; three clerks work at once — one from a blank form, one from last
year's published PDF, one from an Excel workbook — each first changing their one-time password,
reading the notice, typing, being told where the arithmetic is wrong, fixing it, submitting; the
office returns one with a comment, the clerk mends and submits again, the office approves three,
makes the summary from the approved reports, and downloads everything. axe-core runs on every
page visited, and no visited page is wider than its screen."""
from __future__ import annotations

import io
import re
import shutil
import zipfile

import pytest

playwright = pytest.importorskip("playwright.sync_api")
uvicorn = pytest.importorskip("uvicorn")
pytestmark = [pytest.mark.slow, pytest.mark.skipif(not shutil.which("chromium"), reason="Debian chromium not installed")]

from playwright.sync_api import expect  # noqa: E402

from axe import script, violations  # noqa: E402
from conftest import ROOT  # noqa: E402
from test_server_browser import new_office, serving  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
UNITS = ["县财政局", "县教育局", "县卫生健康委员会", "县市场监督管理局", "某镇人民政府"]


class Walk:
    """One browser page that checks every page it arrives at with axe and for width."""

    def __init__(self, page, axe_js: str, seen: list[str]):
        self.page, self.axe_js, self.seen = page, axe_js, seen

    def check(self, where: str) -> None:
        found = violations(self.page, self.axe_js)
        assert not found, f"{where}: " + "; ".join(f"{v['id']}: {v['help']} at {v['nodes']}" for v in found)
        width = self.page.viewport_size["width"]
        assert self.page.evaluate("document.documentElement.scrollWidth") <= width, f"{where} wider than {width} px"
        self.seen.append(where)

    def goto(self, url: str, where: str) -> None:
        self.page.goto(url)
        self.check(where)


@pytest.fixture
def office(tmp_path):
    engine, password = new_office(tmp_path)
    with serving(engine) as base:
        yield base, password


def _first_login(walk: Walk, base: str, username: str, one_time: str, chosen: str, where: str) -> None:
    page = walk.page
    walk.goto(base + "/login", "login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", one_time)
    page.click("main button")
    assert page.url.endswith("/account") and "初始密码" in page.content()
    walk.check(f"{where}: first password")
    page.fill("#old", one_time)
    page.fill("#new", chosen)
    page.fill("#again", chosen)
    page.click("main button")
    assert "密码已修改" in page.content()
    page.goto(base + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", chosen)
    page.click("main button")


def _save(page) -> None:
    with page.expect_navigation():
        page.click("#report button")


def _write_text(page) -> None:
    """The narrative a clerk writes, and the empty tables confirmed as empty."""
    for area in page.locator("#report textarea").all():
        if "【请填写】" in area.input_value():
            area.fill("本年度按照条例要求开展政府信息公开工作。")
    for box in page.locator("#report input[type=checkbox]").all():
        table = box.get_attribute("name").split("/", 1)[1]
        cells = page.locator(f"#report input[name^='cell/{table}/']").all()
        if all((c.input_value() or "0") == "0" for c in cells):
            box.check()


def test_a_whole_january_in_chromium(office, tmp_path):
    from reportgen.convert import converted

    axe_js = script()
    base, admin_password = office
    seen: list[str] = []
    workbook = tmp_path / "县市场监督管理局.xlsx"
    workbook.write_bytes(converted(str(ROOT / "examples" / "report-2021.yaml"), str(workbook)))
    last_year_pdf = ROOT / "tests" / "fixtures" / "corpus" / "052_huaian-city-2024.pdf"
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)

        def walk(width: int = 1366) -> Walk:
            context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": 900},
                                          accept_downloads=True)
            return Walk(context.new_page(), axe_js, seen)

        # --- the office sets up the year ---------------------------------------------------
        office = walk()
        _first_login(office, base, "admin", admin_password, "office-password-2025", "office")
        page = office.page
        office.check("dashboard, empty")
        page.fill("#year", "2024")
        page.fill("#deadline", "2025-01-31")
        page.click("form[action='/settings'] button")
        accounts = {}
        for name in UNITS:
            page.fill("#unit-name", name)
            page.select_option("#unit-kind", "township" if "镇" in name else "department")
            page.click("form[action='/units'] button")
            office.check("unit added")
            accounts[name] = re.search(r"填报账号：(\w+)，初始密码：(\w+)", page.content()).groups()
            page.goto(base + "/")
        page.fill("#notice-text", "请各单位于1月31日前完成年报填报。")
        page.click("form[action='/notices'] button")
        office.check("dashboard with a notice")
        assert "未读（5）" in page.content()

        # --- three clerks at once ---------------------------------------------------------
        clerks = {}
        for name, width in (("县财政局", 1366), ("县教育局", 390), ("县市场监督管理局", 1366)):
            clerk = walk(width)
            username, one_time = accounts[name]
            _first_login(clerk, base, username, one_time, f"{username}-password-2025", name)
            clerk.check(f"{name}: form")
            assert "请各单位于1月31日前完成年报填报。" in clerk.page.content()
            clerk.page.click("form[action^='/notices/'] button")  # 已读
            clerks[name] = clerk

        # 县财政局 from a blank form: a slip in the arithmetic, told at the cell, mended
        finance = clerks["县财政局"].page
        new = "input[name='cell/applications/本年新收/自然人']"
        finance.fill(new, "12")
        expect(finance.locator(new)).to_have_class(re.compile(r"\bbad\b"), timeout=10000)
        assert finance.locator("#problems a", has_text="勾稽").count() >= 1
        clerks["县财政局"].check("县财政局: live messages")
        finance.fill("input[name='cell/applications/办理结果.予以公开/自然人']", "10")
        finance.fill("input[name='cell/applications/办理结果.部分公开/自然人']", "2")
        expect(finance.locator(new)).not_to_have_class(re.compile(r"\bbad\b"), timeout=10000)
        _write_text(finance)
        _save(finance)
        assert "校验通过" in finance.content()
        finance.click("#submit button")
        assert "已提交" in finance.inner_text("h2")
        clerks["县财政局"].check("县财政局: submitted")

        # 县教育局 on a phone, from last year's published PDF
        education = clerks["县教育局"].page
        education.select_option("#upload-mode", "previous")
        education.set_input_files("#upload-file", str(last_year_pdf))
        with education.expect_navigation():
            education.click("form[action$='/upload'] button")
        assert "已改为“县教育局”" in education.content()  # the other government's name was not kept
        clerks["县教育局"].check("县教育局: started from last year's PDF")
        assert education.input_value("input[name='cell/applications/上年结转/自然人']") == "103"
        _write_text(education)
        _save(education)
        education.click("#submit button")
        if "无法提交" in education.content():  # what is left is listed at the top, each a link
            clerks["县教育局"].check("县教育局: refused submit")
            for link in education.locator(".refusals a").all()[:1]:
                link.click()
            pytest.fail("县教育局 could not submit: " + education.inner_text(".refusals"))
        assert "已提交" in education.inner_text("h2")

        # 县市场监督管理局 from its Excel workbook
        market = clerks["县市场监督管理局"].page
        market.select_option("#upload-mode", "data")
        market.set_input_files("#upload-file", str(workbook))
        with market.expect_navigation():
            market.click("form[action$='/upload'] button")
        clerks["县市场监督管理局"].check("县市场监督管理局: from a workbook")
        assert market.input_value(new) == "126"
        _write_text(market)
        _save(market)
        market.click("#submit button")
        assert "已提交" in market.inner_text("h2")

        # --- the office reviews -----------------------------------------------------------
        page.goto(base + "/")
        office.check("dashboard, three submitted")
        assert "已提交</span> 3" in page.content()
        row = page.locator("tr", has_text="县教育局")
        row.locator("input[name=comment]").fill("请核对上年结转的数据")
        row.locator("button", has_text="退回").click()
        office.check("dashboard after a return")
        for name in ("县财政局", "县市场监督管理局"):
            page.locator("tr", has_text=name).locator("button", has_text="审核通过").click()
        # the clerk sees why, mends, submits again; the office approves
        education.goto(education.url)
        assert "请核对上年结转的数据" in education.content()
        clerks["县教育局"].check("县教育局: returned")
        education.fill("input[name='cell/applications/本年新收/自然人']", "5")
        education.fill("input[name='cell/applications/办理结果.予以公开/自然人']", "5")
        _save(education)
        education.click("#submit button")
        assert "已提交" in education.inner_text("h2")
        page.goto(base + "/")
        page.locator("tr", has_text="县教育局").locator("button", has_text="审核通过").click()
        assert "审核通过</span> 3" in page.content()
        page.wait_for_load_state("load")  # the picture drawn and shown
        assert page.locator("img[src='/dashboard.png']").evaluate("i => i.complete && i.naturalWidth > 0")
        row = page.locator("tr", has_text="县教育局")
        with page.expect_navigation():
            row.locator("a", has_text="记录").click()
        office.check("history of 县教育局")
        assert "请核对上年结转的数据" in page.content() and page.content().count("<td>提交</td>") == 2
        page.goto(base + "/")
        assert "未读（2）" in page.content()  # the two units whose clerks never came

        # --- the summary and the downloads --------------------------------------------------
        page.fill("#agency", "某县人民政府")
        with page.expect_navigation():
            page.click("form[action='/aggregate'] button")
        office.check("the summary's form")
        summary = page.url
        assert page.input_value("input[name='field/text/机关名称']") == "某县人民政府"
        for link, where in (("/findings", "summary findings"), ("/history", "summary history"), ("/preview", "summary preview")):
            office.goto(summary + link, where)
        office.goto(base + "/audit", "audit log")
        word = page.request.get(summary + "/download/docx").body()
        assert word[:2] == b"PK"
        picture = page.request.get(summary + "/download/png").body()
        assert picture[:4] == b"\x89PNG"
        bundle = zipfile.ZipFile(io.BytesIO(page.request.get(base + "/export/reports.zip").body()))
        assert {"县财政局.docx", "县教育局.docx", "县市场监督管理局.docx"} <= set(bundle.namelist())
        book = page.request.get(base + "/export/dataset.xlsx").body()
        from openpyxl import load_workbook
        figures = list(load_workbook(io.BytesIO(book))["关键数字"].iter_rows(values_only=True))
        assert len(figures) == 4  # a header and the three units
        browser.close()
    assert len(seen) >= 25, seen
