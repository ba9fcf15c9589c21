"""``reportgen serve`` in headless Debian Chromium (Playwright, as the HTML tests): a clerk logs in,
types table 三, sees the 勾稽 message appear beside the cell as they type, fixes it, saves, is
refused at 提交 with the reasons at the top (each a link to its place), writes the text, ticks
本表确无数据 under the empty tables and submits; the office sees it submitted, returns another
unit's report with a comment, aggregates three units and downloads the summary docx, which
python-docx opens with the summed cells. Two browsers of one unit save from the same version:
the second gets the merge page, both values side by side under Chinese labels, and what the
clerk chooses is what is saved, with nothing the first browser saved lost."""
from __future__ import annotations

import contextlib
import io
import re
import shutil
import socket
import threading
import time

import pytest

playwright = pytest.importorskip("playwright.sync_api")
uvicorn = pytest.importorskip("uvicorn")
pytestmark = pytest.mark.skipif(not shutil.which("chromium"), reason="Debian chromium not installed")

from playwright.sync_api import expect  # noqa: E402

from reportgen.datafile import dump  # noqa: E402
from reportgen.editions import EDITIONS  # noqa: E402
from reportgen.scaffold import blank_data  # noqa: E402
from reportgen.server import store  # noqa: E402
from reportgen.server.app import create_app  # noqa: E402
from reportgen.server.db import make_engine, migrate  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def new_office(tmp_path):
    """A fresh migrated SQLite database with its administrator: (engine, one-time password)."""
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    migrate(engine)
    with engine.begin() as conn:
        return engine, store.ensure_admin(conn)


@pytest.fixture
def server(tmp_path):
    engine, admin_password = new_office(tmp_path)
    with engine.begin() as conn:
        store.set_setting(conn, "year", "2024", 1)
        accounts = {name: store.add_unit(conn, name, "department", 1) for name in ("甲局", "乙局", "丙局", "丁局")}
        for name, new in (("乙局", 2), ("丙局", 4), ("丁局", 6)):  # three units that submitted already
            unit_id, _, _ = accounts[name]
            data = blank_data(EDITIONS["2021"], name, 2024)
            data["收到和处理政府信息公开申请情况"]["本年新收"]["自然人"] = new
            data["收到和处理政府信息公开申请情况"]["办理结果"]["予以公开"]["自然人"] = new
            row = store.report_of(conn, unit_id, 2024)
            store.save(conn, row["id"], dump(data, EDITIONS["2021"]), 0, 1)
            store.set_status(conn, row["id"], "submitted", 1)
    with serving(engine) as base:
        yield base, admin_password, accounts


@contextlib.contextmanager
def serving(engine):
    """The app of ``engine`` served by uvicorn on a free loopback port, in a thread: its base URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    instance = uvicorn.Server(uvicorn.Config(create_app(engine), host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    for _ in range(100):
        if instance.started:
            break
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        instance.should_exit = True
        thread.join(10)


def _save(page):
    """保存, waited for: the page may first wait for a draft being kept (autosave)."""
    with page.expect_navigation():
        page.click("#report button")


_CHOSEN: dict[tuple[str, str], str] = {}  # (user, one-time password) → the password the browser chose


def _login(page, base, username, password):
    """Logged in; a one-time password is changed on the page the server shows first, as a clerk
    would (and the chosen one used at the next login with it)."""
    chosen = _CHOSEN.get((username, password))
    page.goto(base + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", chosen or password)
    page.click("button")
    if page.url.endswith("/account"):
        chosen = password + "-chosen"
        page.fill("#old", password)
        page.fill("#new", chosen)
        page.fill("#again", chosen)
        page.click("main button")
        _CHOSEN[(username, password)] = chosen
        _login(page, base, username, password)


def test_clerk_and_office_in_chromium(server):
    import docx

    base, admin_password, accounts = server
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        clerk = browser.new_context().new_page()
        _, username, password = accounts["甲局"]
        _login(clerk, base, username, password)
        new = "input[name='cell/applications/本年新收/自然人']"
        clerk.fill(new, "5")
        # the page's own script only (its Content-Security-Policy forbids eval): waited for by locator
        expect(clerk.locator(new)).to_have_class(re.compile(r"\bbad\b"), timeout=10000)
        # the message on the cell typed (named to a screen reader) and in the list at the top, a link to it
        assert "勾稽" in clerk.inner_text("[id='msg-cell/applications/本年新收/自然人']")
        assert clerk.get_attribute(new, "aria-describedby") == "msg-cell/applications/本年新收/自然人"
        assert clerk.locator("#problems a[href='#cell/applications/本年新收/自然人']", has_text="勾稽").count() >= 1
        assert clerk.input_value("input[name='cell/applications/本年新收/总计']") == ""  # computed, shown as a hint
        assert clerk.get_attribute("input[name='cell/applications/本年新收/总计']", "placeholder") == "5"
        clerk.fill("input[name='cell/applications/办理结果.予以公开/自然人']", "5")
        expect(clerk.locator(new)).not_to_have_class(re.compile(r"\bbad\b"), timeout=10000)
        _save(clerk)
        assert "校验通过" in clerk.content()
        clerk.click("#submit button")
        reasons = clerk.locator(".refusals li")
        assert "无法提交" in clerk.inner_text(".refusals") and reasons.count() >= 4
        assert "仍是占位文字" in reasons.first.inner_text()
        clerk.click(".refusals a:has-text('四、政府信息公开行政复议、行政诉讼情况')")
        assert clerk.url.endswith("#zero/reviews")  # the link leads to the box under table 四
        assert clerk.evaluate("document.querySelector(':target').id") == "zero/reviews"
        clerk.check("input[name='zero/reviews']")
        clerk.check("input[name='zero/proactive']")
        for area in clerk.locator("#report textarea").all():
            if "【请填写】" in area.input_value():
                area.fill("本年度按要求开展工作。")
        _save(clerk)
        assert "校验通过" in clerk.content()
        clerk.click("#submit button")
        assert "已提交" in clerk.content() and "无法提交" not in clerk.content()

        office = browser.new_context().new_page()
        _login(office, base, "admin", admin_password)
        row = office.locator("tr", has_text="甲局")
        assert "已提交" in row.inner_text()
        returned = office.locator("tr", has_text="乙局")
        returned.locator("text=退回").click()  # no comment: the browser does not send it (required)
        assert "已提交" in office.locator("tr", has_text="乙局").inner_text()
        returned.locator("input[name=comment]").fill("请核对第二十条数据")
        returned.locator("text=退回").click()
        assert "已退回" in office.locator("tr", has_text="乙局").inner_text()
        assert "请核对第二十条数据" in office.locator("tr", has_text="乙局").inner_text()
        for unit in ("甲局", "丙局", "丁局"):  # the office reviews and approves the others
            office.locator("tr", has_text=unit).locator("button", has_text="审核通过").click()
            assert "审核通过" in office.locator("tr", has_text=unit).locator(".status").inner_text()
        office.fill("input[name=agency]", "某县人民政府")
        office.click("text=汇总审核通过的报告")
        summary_url = office.url
        word = office.request.get(summary_url + "/download/docx").body()
        browser.close()
    cells = [c.text for t in docx.Document(io.BytesIO(word)).tables for row in t.rows for c in row.cells]
    assert "15" in cells  # 甲局 5 + 丙局 4 + 丁局 6 (乙局 was returned)
    assert re.search("甲局", " ".join(cells)) and "乙局" not in " ".join(cells)


def test_two_browsers_of_one_unit_save_from_one_version_and_the_clerk_merges(server):
    base, _, accounts = server
    overview, proactive = "textarea[name='field/lines/总体情况/概述']", "textarea[name='field/lines/总体情况/主动公开']"
    new, firms = "input[name='cell/applications/本年新收/自然人']", "input[name='cell/applications/本年新收/商业企业']"
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        _, username, password = accounts["甲局"]
        x, y = browser.new_context().new_page(), browser.new_context().new_page()
        _login(x, base, username, password)
        _login(y, base, username, password)  # both show version 0
        x.fill(overview, "X 写的概述")
        x.fill(new, "3")
        x.fill(firms, "2")
        _save(x)  # the drafts kept as x typed are versions too: the number varies
        saved = int(re.search(r"已保存为第 (\d+) 版", x.content()).group(1))

        y.fill(overview, "Y 写的概述")
        y.fill(new, "4")
        y.fill(proactive, "Y 写的主动公开")
        _save(y)
        assert "保存前请合并" in y.content() and "尚未保存" in y.content()
        rows = y.locator("tr.conflict")
        assert rows.count() == 2
        first, second = rows.nth(0), rows.nth(1)
        assert first.locator("td").first.inner_text() == "一、总体情况 · 概述"
        assert second.locator("td").first.inner_text() == \
            "表三 “一、本年新收政府信息公开申请数量” 自然人"
        mine, theirs = first.locator("td.mine"), first.locator("td.theirs")
        assert "Y 写的概述" in mine.inner_text() and "保留您的填写" in mine.inner_text()
        assert "X 写的概述" in theirs.inner_text() and f"采用第 {saved} 版的" in theirs.inner_text()
        left, right = mine.bounding_box(), theirs.bounding_box()
        assert left["x"] + left["width"] <= right["x"] + 1 and abs(left["y"] - right["y"]) < 2  # side by side
        assert second.locator("td.mine .value").inner_text() == "4"
        assert second.locator("td.theirs .value").inner_text() == "3"
        auto = y.inner_text("table.merge >> nth=0")  # merged without asking: one side's changes
        assert "（一）主动公开" in auto and "Y 写的主动公开" in auto and "商业企业" in auto

        y.click("#merge button")  # nothing chosen: the browser does not send it
        assert y.evaluate("document.getElementById('merge').checkValidity()") is False
        assert "保存前请合并" in y.content()
        first.locator("input[value=theirs]").check()
        second.locator("input[value=mine]").check()
        y.click("#merge button")
        assert f"已合并，已保存为第 {saved + 1} 版" in y.content()
        assert "已按您的选择保存" in y.content()

        x.goto(x.url)  # the first browser opens the report again
        assert f"第 {saved + 1} 版" in x.inner_text("h2")
        assert x.input_value(overview).strip() == "X 写的概述"        # chosen: the first browser's
        assert x.input_value(proactive).strip() == "Y 写的主动公开"   # only the second changed it
        assert x.input_value(new) == "4"                              # chosen: the second browser's
        assert x.input_value(firms) == "2"                            # only the first changed it
        browser.close()


def test_the_form_guides_the_keyboard_and_keeps_the_draft(server):
    """Enter moves down a column and never sends the form; the arrows move between cells; a value
    typed is kept as a draft when the field is left, and leaving with unsaved changes asks first."""
    base, _, accounts = server
    cell = "input[name='cell/applications/{}/{}']"
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_context().new_page()
        _, username, password = accounts["甲局"]
        _login(page, base, username, password)
        form_url = page.url
        page.click(cell.format("本年新收", "自然人"))
        page.keyboard.type("8")
        page.keyboard.press("Enter")  # down the column: 二、上年结转 自然人, the page not sent
        assert page.url == form_url and "已保存为第" not in page.content()
        focused = lambda: page.evaluate("document.activeElement.name")  # noqa: E731
        assert focused() == "cell/applications/上年结转/自然人"
        page.keyboard.press("ArrowDown")
        assert focused() == "cell/applications/办理结果.予以公开/自然人"
        page.keyboard.press("End")
        page.keyboard.press("ArrowRight")  # at the end of the value: the next cell of the row
        assert focused() == "cell/applications/办理结果.予以公开/商业企业"
        page.keyboard.press("ArrowUp")
        page.keyboard.press("ArrowUp")
        assert focused() == "cell/applications/本年新收/商业企业"
        # leaving the changed field kept the draft as version 1
        expect(page.locator("#autosave")).to_contain_text("草稿已自动保存为第 1 版", timeout=10000)
        assert page.locator("#report input[name=version]").input_value() == "1"
        page.keyboard.type("3")  # typed, not yet kept: leaving asks
        asked = []
        page.on("dialog", lambda d: (asked.append(d.type), d.dismiss()))
        with pytest.raises(playwright.Error):  # the navigation the clerk declined
            page.goto(base + "/account")
        assert asked == ["beforeunload"]
        assert page.url == form_url  # the clerk stayed
        again = page.context.new_page()  # the report opened anew: the kept draft is what it holds
        again.goto(form_url)
        assert again.input_value(cell.format("本年新收", "自然人")) == "8"
        browser.close()
