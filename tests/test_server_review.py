"""The office's review of a January (issue #21), through the HTTP interface on SQLite and
PostgreSQL: 审核通过 locks a report for everyone until the office returns it (a return needs a
comment), the dashboard counts the states and shows who submitted which version when (in the
office's time zone), a report's history lists its submits, returns and approvals, the summary is
not a unit (no clerk, never late, its own section), the office's facts (机关名称, 报告年度, 版式)
cannot be changed by a clerk, and the dashboard's picture, the 图解 and the print views are there."""
from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from test_server import EMPTY_TABLES, _approve, _csrf, _fill, _form, _login, _unit, fresh, office, postgres  # noqa: F401

from reportgen.server import store  # noqa: E402


def _text(response) -> str:
    return html.unescape(response.text)


def test_approval_locks_until_returned_and_the_history_tells_the_path(office):
    engine, password = office
    admin = _login(engine, "admin", password)
    clerk, url = _unit(engine, admin, "甲局")
    _fill(clerk, url, 3, 3)
    dashboard = _text(admin.get("/"))
    assert re.search(r"第 1 版，\d{4}-\d\d-\d\d \d\d:\d\d:\d\d，unit\d+", dashboard)  # who submitted which, when
    assert re.search(r"已提交</span> 1", dashboard)  # the count per state at the top
    # a return without a comment is refused; with one it goes back, and the clerk sees why
    refused = admin.post(url + "/return", data={"csrf": _csrf(admin), "comment": "  "})
    assert refused.status_code == 400 and "请填写退回意见" in _text(refused)
    assert admin.post(url + "/return", data={"csrf": _csrf(admin), "comment": "请补充第二十条"}).status_code == 303
    assert "退回意见：请补充第二十条" in _text(clerk.get(url))
    assert admin.post(url + "/approve", data={"csrf": _csrf(admin)}).status_code == 409  # only a submitted one
    form = dict(_form(clerk, url), **EMPTY_TABLES)  # the boxes ticked, as the page shows them
    overview = next(n for n in form if n.startswith("field/") and "总体情况" in n)
    form[overview] = "本年度补充了第二十条的数据。"
    assert "校验通过" in clerk.post(url, data=form).text
    assert clerk.post(url + "/submit", data={"csrf": _csrf(clerk, url)}).status_code == 303
    _approve(admin, url)
    assert "审核通过</span> 1" in _text(admin.get("/"))
    # approved: locked for the clerk and the office alike
    form = _form(clerk, url)
    form[overview] = "审核后又改的概述。"
    locked = clerk.post(url, data=form)
    assert locked.status_code == 409 and "已审核通过" in _text(locked)
    assert admin.post(url, data=dict(_form(admin, url), csrf=_csrf(admin))).status_code == 409
    assert clerk.post(url + "/autosave", data=form).status_code == 409
    assert "恢复为最新版" not in _text(clerk.get(url + "/history"))
    # the path through review, oldest first
    path = _text(admin.get(url + "/history"))
    events = re.findall(r"<td>(提交|已退回|审核通过)</td><td>第 (\d+) 版</td><td>(\w+)</td><td>([^<]*)</td>", path)
    assert [(e[0], e[3]) for e in events] == [("提交", ""), ("已退回", "请补充第二十条"), ("提交", ""), ("审核通过", "")]
    assert events[0][1] == "1" and events[2][1] == "2"
    # the office reopens it by returning it
    assert admin.post(url + "/return", data={"csrf": _csrf(admin), "comment": "数据有误"}).status_code == 303
    assert clerk.post(url, data=form).status_code == 200


def test_the_summary_is_not_a_unit_and_the_office_sets_its_facts(office):
    engine, password = office
    admin = _login(engine, "admin", password)
    with engine.begin() as conn:
        store.set_setting(conn, "deadline", "2020-01-31", 1)  # long past: the units are late
    clerk, url = _unit(engine, admin, "甲局")
    # a clerk cannot change the office's facts: posted values are written over, and the form says so
    form = _form(clerk, url)
    assert "field/text/机关名称" not in form and "field/number/报告年度" not in form  # shown, not asked
    form["field/text/机关名称"] = "淮安市人民政府"
    form["field/number/报告年度"] = "1999"
    saved = _text(clerk.post(url, data=form))
    assert "机关名称“淮安市人民政府”由政务公开办设定，已改为“甲局”" in saved
    assert "报告年度“1999”由政务公开办设定" in saved
    assert "甲局" in _text(clerk.get(url + "/download/yaml")) and "淮安市人民政府" not in clerk.get(url + "/download/yaml").text
    _fill(clerk, url, 3, 3)
    _approve(admin, url)
    summary = admin.post("/aggregate", data={"csrf": _csrf(admin), "agency": "某县人民政府"}).headers["location"]
    dashboard = _text(admin.get("/"))
    units_table = dashboard.split("<h3>本级政府（汇总）报告</h3>")[0]
    assert "本级政府（汇总）" not in units_table.split("<h3>各单位</h3>")[1]  # its own section, not a unit
    assert f'href="{summary}"' in dashboard.split("<h3>本级政府（汇总）报告</h3>")[1]
    assert dashboard.count("逾期未交") == 0  # 甲局 approved; the summary is never late
    with engine.begin() as conn:
        clerks = conn.execute(store.select(store.users.c.username).where(store.users.c.role == "clerk")).scalars().all()
    assert len(clerks) == 1  # the summary has no clerk account and no unseen password
    # the office names the summary's agency itself
    form = _form(admin, summary)
    assert form["field/text/机关名称"] == "某县人民政府"


def test_times_in_the_office_zone_pictures_and_print_views(office, monkeypatch):
    pytest.importorskip("matplotlib")
    engine, password = office
    admin = _login(engine, "admin", password)
    clerk, url = _unit(engine, admin, "甲局")
    _fill(clerk, url, 3, 3)
    with engine.begin() as conn:
        saved = store.saved_at(conn, int(url.rsplit("/", 1)[1]))  # kept in UTC
    shanghai = (saved + dt.timedelta(hours=8)).strftime("%Y-%m-%d %H:%M")
    assert shanghai in _text(admin.get(url + "/history"))
    monkeypatch.setenv("REPORTGEN_TIMEZONE", "Asia/Tokyo")  # serve --timezone: another office's zone
    assert (saved + dt.timedelta(hours=9)).strftime("%Y-%m-%d %H:%M") in _text(admin.get(url + "/history"))
    monkeypatch.delenv("REPORTGEN_TIMEZONE")
    picture = admin.get("/dashboard.png")
    assert picture.status_code == 200 and picture.content[:8] == b"\x89PNG\r\n\x1a\n"
    alt = re.search(r'<img src="/dashboard.png" alt="([^"]+)"', admin.get("/").text).group(1)
    assert "已提交 1 个" in html.unescape(alt) and "甲局 3 件" in html.unescape(alt)
    assert clerk.get("/dashboard.png").status_code == 404  # the office's
    tujie = clerk.get(url + "/download/png")
    assert tujie.status_code == 200 and tujie.content[:4] == b"\x89PNG"
    printed = admin.get(url + "/print")
    assert '<script src="/static/print.js"' in printed.text and "script-src 'self'" in printed.headers["content-security-policy"]
    assert '<script src="/static/print.js"' in admin.get("/print").text
    assert '<script src="/static/print.js"' not in admin.get("/").text


def test_notices_to_all_or_the_late_read_by_clerks_and_mailed(office, monkeypatch):
    """The office posts a notice to the units that have not submitted; each such unit's clerk
    sees it on their page until they mark it read, the dashboard lists who has not, and units
    with an address get it by mail from a real SMTP server (aiosmtpd); without a server nothing
    is mailed and nothing fails."""
    from aiosmtpd.controller import Controller

    engine, password = office
    admin = _login(engine, "admin", password)
    early, early_url = _unit(engine, admin, "甲局")
    _fill(early, early_url, 3, 3)  # submitted: not late
    late, late_url = _unit(engine, admin, "乙局")
    silent, silent_url = _unit(engine, admin, "丙局")
    emails = dict(re.findall(r'<label for="email-(\d+)">([^<]+)</label>', admin.get("/").text))
    by_name = {v: k for k, v in emails.items()}
    assert admin.post("/units/emails", data={"csrf": _csrf(admin), f"email/{by_name['乙局']}": "yiju@example.gov.cn",
                                             f"email/{by_name['甲局']}": "jiaju@example.gov.cn"}).status_code == 303
    assert admin.post("/units/emails", data={"csrf": _csrf(admin), f"email/{by_name['丙局']}": "不是邮箱"}).status_code == 400

    received = []

    class Inbox:
        async def handle_DATA(self, server, session, envelope):
            received.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
            return "250 OK"

    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(Inbox(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        monkeypatch.setenv("REPORTGEN_SMTP", f"smtp://127.0.0.1:{port}")
        monkeypatch.setenv("REPORTGEN_MAIL_FROM", "office@example.gov.cn")
        posted = admin.post("/notices", data={"csrf": _csrf(admin), "text": "请于1月31日前提交年报。", "audience": "late"})
        assert posted.status_code == 303
    finally:
        controller.stop()
    assert [r[0] for r in received] == [["yiju@example.gov.cn"]]  # the late unit with an address; not 甲局
    assert "=?utf-8?" in received[0][1] or "政务公开办通知" in received[0][1]
    # the late clerks see it until they mark it read; the submitted one never does
    assert "请于1月31日前提交年报。" in _text(late.get(late_url)) and "请于1月31日前提交年报。" in _text(silent.get(silent_url))
    assert "请于1月31日前提交年报。" not in _text(early.get(early_url))
    board = _text(admin.get("/")).split('id="notices"')[1]
    assert "未读（2）：乙局、丙局" in board and "已发送至 yiju@example.gov.cn" in board and "丙局：未设置邮箱" in board
    notice_id = re.search(r'action="/notices/(\d+)/read"', late.get(late_url).text).group(1)
    assert early.post(f"/notices/{notice_id}/read", data={"csrf": _csrf(early, early_url)}).status_code == 303  # not its: no-op
    assert late.post(f"/notices/{notice_id}/read", data={"csrf": _csrf(late, late_url)}).status_code == 303
    assert "请于1月31日前提交年报。" not in _text(late.get(late_url))
    assert "未读（1）：丙局" in _text(admin.get("/")).split('id="notices"')[1]
    # no mail server: posted all the same, nothing mailed
    monkeypatch.delenv("REPORTGEN_SMTP")
    assert admin.post("/notices", data={"csrf": _csrf(admin), "text": "第二份通知", "audience": "all"}).status_code == 303
    assert "第二份通知" in _text(early.get(early_url)) and len(received) == 1
