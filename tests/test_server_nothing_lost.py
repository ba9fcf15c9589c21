"""``reportgen serve``, nothing lost (issue #18), over HTTP on SQLite and PostgreSQL: a save made
from an older version is merged three ways — what only one side changed is taken and said, what
both changed differently is the clerk's choice on a page that shows both values with their
Chinese labels, and the choice is what is saved; a blank report cannot be submitted (the
reasons at the top, each a link to its place; a table confirmed as empty is kept with the
version); a version that no longer loads is a page naming it with the earlier ones to restore;
a backup leaves the live sessions behind; the reports zip names its members safely."""
from __future__ import annotations

import html
import io
import json
import re
import zipfile

import pytest

from test_server import EMPTY_TABLES, _client, _csrf, _fill, _form, _login, _unit, fresh, office, postgres  # noqa: F401

from reportgen.server import store  # noqa: E402

OVERVIEW = "field/lines/总体情况/概述"
PROACTIVE = "field/lines/总体情况/主动公开"
ON_REQUEST = "field/lines/总体情况/依申请公开"
NEW = "cell/applications/本年新收/自然人"
NEW_FIRMS = "cell/applications/本年新收/商业企业"
CARRIED = "cell/applications/结转下年度/自然人"
OVERVIEW_LABEL = "一、总体情况 · 概述"
NEW_LABEL = "表三 “一、本年新收政府信息公开申请数量” 自然人"


def _rid(url: str) -> int:
    return int(url.rsplit("/", 1)[1])


def _current(engine, url) -> tuple[int, dict]:
    from reportgen.yamlio import load_yaml

    with engine.begin() as conn:
        rid = _rid(url)
        number = store.report(conn, rid)["version"]
        return number, load_yaml(store.text_of(conn, rid), "x")[0]


def _hidden(page: str) -> dict:
    """The merge page's own inputs (its hidden fields), as the browser would post them."""
    return {name: html.unescape(value) for name, value in
            re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)}


def _second_browser(engine, clerk):
    return _login(engine, *clerk.account)


def test_a_save_from_an_older_version_is_merged_and_the_clerk_decides_each_conflict(office):
    engine, password = office
    admin = _login(engine, "admin", password)
    x, url = _unit(engine, admin, "某县财政局")
    y = _second_browser(engine, x)  # the same unit in a second browser
    form_x, form_y = _form(x, url), _form(y, url)  # both from version 0
    form_x.update({OVERVIEW: "X 写的概述", NEW: "3", NEW_FIRMS: "2", "zero/reviews": "on"})
    assert "已保存为第 1 版" in x.post(url, data=form_x).text
    form_y.update({OVERVIEW: "Y 写的概述", NEW: "4", PROACTIVE: "Y 写的主动公开"})
    merging = y.post(url, data=form_y)
    assert merging.status_code == 409 and "保存前请合并" in merging.text
    assert _current(engine, url)[0] == 1  # nothing saved before the clerk decides
    page = merging.text
    rows = re.findall(r'<tr class="conflict" data-key="([^"]+)"><td>([^<]+)</td>(.*?)</tr>', page, re.S)
    assert [(key, label) for key, label, _ in rows] == [("总体情况/概述", OVERVIEW_LABEL),
                                                        ("收到和处理政府信息公开申请情况/本年新收/自然人", NEW_LABEL)]
    overview = rows[0][2]  # the values side by side: what it was, the clerk's, the version saved since
    assert overview.index("【请填写】") < overview.index("Y 写的概述") < overview.index("X 写的概述")
    assert "保留您的填写" in overview and "采用第 1 版的" in overview
    assert re.search(r">\s*4\s*<.*>\s*3\s*<", rows[1][2], re.S)
    auto = page.split("已自动合并", 1)[1].split("<form", 1)[0]  # what only one side changed, said so
    assert "（一）主动公开" in auto and "Y 写的主动公开" in auto and "您的修改" in auto
    assert "商业企业" in auto and "第 1 版的修改" in auto and "本表确无数据（全部为0）" in auto

    merge = _hidden(page)
    undecided = y.post(url + "/merge", data=dict(merge, **{"choose/总体情况/概述": "theirs"}))
    assert undecided.status_code == 422 and "还有 1 处没有选择" in undecided.text
    assert _current(engine, url)[0] == 1
    done = y.post(url + "/merge", data=dict(merge, **{"choose/总体情况/概述": "theirs",
                                                   "choose/收到和处理政府信息公开申请情况/本年新收/自然人": "mine"}))
    assert done.status_code == 200 and "已合并，已保存为第 2 版" in done.text
    assert "双方都修改了的 2 处，已按您的选择保存" in done.text
    number, data = _current(engine, url)
    assert number == 2
    assert data["总体情况"]["概述"].strip() == "X 写的概述"  # chosen: the other browser's
    assert data["总体情况"]["主动公开"].strip() == "Y 写的主动公开"  # only Y changed it
    table = data["收到和处理政府信息公开申请情况"]["本年新收"]
    assert table["自然人"] == 4 and table["商业企业"] == 2  # chosen: Y's; only X changed it
    assert 'id="zero/reviews" name="zero/reviews" checked' in x.get(url).text  # X's box kept

    # the old form posted again (the clerk clicks 保存 once more): a merge again, never an overwrite
    again = y.post(url, data=form_y)
    assert again.status_code == 409 and "保存前请合并" in again.text
    assert _current(engine, url)[0] == 2


def test_changes_to_different_places_merge_without_asking_and_say_so(office):
    engine, password = office
    admin = _login(engine, "admin", password)
    x, url = _unit(engine, admin, "某县财政局")
    y = _second_browser(engine, x)
    form_x, form_y = _form(x, url), _form(y, url)
    form_x.update({ON_REQUEST: "X 写的依申请公开", NEW: "6"})
    x.post(url, data=form_x)
    form_y.update({CARRIED: "2", "zero/proactive": "on"})
    merged = y.post(url, data=form_y)
    assert merged.status_code == 200 and "已合并，已保存为第 2 版" in merged.text
    assert "在您修改期间，第 1 版已由" in merged.text and "只有一方修改的 4 处已自动合并" in merged.text
    assert "X 写的依申请公开" in merged.text and "第 1 版的修改" in merged.text
    _, data = _current(engine, url)
    assert data["总体情况"]["依申请公开"].strip() == "X 写的依申请公开"
    assert data["收到和处理政府信息公开申请情况"]["本年新收"]["自然人"] == 6
    assert data["收到和处理政府信息公开申请情况"]["结转下年度"]["自然人"] == 2
    page = x.get(url).text
    assert 'name="zero/proactive" checked' in page and 'name="zero/reviews" checked' not in page
    assert re.search(r"<td>合并保存</td><td>某县财政局 2024 年度</td><td>第 2 版</td>", admin.get("/audit").text)


def test_a_merge_met_by_a_third_save_is_merged_again_not_lost(office):
    engine, password = office
    admin = _login(engine, "admin", password)
    x, url = _unit(engine, admin, "某县财政局")
    y = _second_browser(engine, x)
    form_x, form_y = _form(x, url), _form(y, url)
    x.post(url, data=dict(form_x, **{OVERVIEW: "X 的第一稿"}))
    page = y.post(url, data=dict(form_y, **{OVERVIEW: "Y 的稿子"})).text
    merge = _hidden(page)
    x.post(url, data=dict(_form(x, url), **{OVERVIEW: "X 的第二稿", NEW: "9"}))  # while Y decides
    again = y.post(url + "/merge", data=dict(merge, **{"choose/总体情况/概述": "mine"}))
    assert again.status_code == 409 and "第 2 版" in again.text
    assert "X 的第二稿" in again.text and "Y 的稿子" in again.text
    assert _current(engine, url)[0] == 2
    done = y.post(url + "/merge", data=dict(_hidden(again.text), **{"choose/总体情况/概述": "mine"}))
    assert "已保存为第 3 版" in done.text
    _, data = _current(engine, url)
    assert data["总体情况"]["概述"].strip() == "Y 的稿子"
    assert data["收到和处理政府信息公开申请情况"]["本年新收"]["自然人"] == 9  # X's second save kept


def test_the_merge_page_says_what_of_the_form_could_not_be_read(office):
    engine, password = office
    admin = _login(engine, "admin", password)
    x, url = _unit(engine, admin, "某县财政局")
    stale = _form(x, url)
    x.post(url, data=dict(_form(x, url), **{NEW: "3"}))
    page = x.post(url, data=dict(stale, **{NEW: "4", NEW_FIRMS: "五"})).text
    assert "您填写的内容中有无法读取的，未计入" in page and "应为数字，实际为“五”" in page


def test_a_report_naming_a_version_the_database_lacks_is_said_so(office):
    from sqlalchemy import update

    from reportgen.server.db import reports
    engine, password = office
    admin = _login(engine, "admin", password)
    x, url = _unit(engine, admin, "某县财政局")
    x.post(url, data=_form(x, url))
    with engine.begin() as conn:
        conn.execute(update(reports).where(reports.c.id == _rid(url)).values(version=7))
    page = x.get(url)
    assert page.status_code == 422 and "第 7 版无法读取" in page.text and "数据库中没有这一版的数据" in page.text
    assert "恢复第 1 版为最新版" in page.text


def test_an_upload_from_an_older_version_is_merged_too(office):
    engine, password = office
    admin = _login(engine, "admin", password)
    x, url = _unit(engine, admin, "某县财政局")
    stale = _form(x, url)
    x.post(url, data=dict(_form(x, url), **{OVERVIEW: "X 写的概述"}))
    text = x.get(url + "/download/yaml").text.replace("X 写的概述", "文件里的概述")
    response = x.post(url + "/upload", data={"csrf": stale["csrf"], "version": "0", "mode": "data"},
                      files={"file": ("r.yaml", text.encode("utf-8"))})
    assert response.status_code == 409 and OVERVIEW_LABEL in response.text
    assert "X 写的概述" in response.text and "文件里的概述" in response.text


def test_a_broken_merge_form_is_refused_and_nothing_is_saved(office):
    engine, password = office
    admin = _login(engine, "admin", password)
    x, url = _unit(engine, admin, "某县财政局")
    csrf = _csrf(x, url)
    for data in ({"origin": "0", "against": "5", "mine": "版式: '2021'\n"}, {"origin": "0", "against": "0"},
                 {"origin": "x", "against": "1", "mine": "[1"}):
        response = x.post(url + "/merge", data=dict(data, csrf=csrf))
        assert response.status_code == 400 and "合并的表单不完整或已损坏" in response.text
    with engine.begin() as conn:
        assert store.report(conn, _rid(url))["version"] == 0


# --- item 2: a blank report is not submitted -------------------------------------------------

def test_a_blank_report_is_refused_with_every_reason_at_the_top_each_a_link(office):
    engine, password = office
    admin = _login(engine, "admin", password)
    clerk, url = _unit(engine, admin, "某县财政局")
    form = _form(clerk, url)
    unsaved = clerk.post(url + "/submit", data={"csrf": form["csrf"]})
    assert unsaved.status_code == 422 and "报告尚未保存" in unsaved.text
    clerk.post(url, data=form)  # the untouched form saved: every 【请填写】 left, every figure 0
    refused = clerk.post(url + "/submit", data={"csrf": form["csrf"], "version": "1"})
    assert refused.status_code == 422
    page = refused.text
    top = page.split('<div class="refusals"', 1)[1].split("</div>", 1)[0]
    assert page.index('<div class="refusals"') < page.index('<form method="post" action="/reports/')
    links = dict((html.unescape(m), html.unescape(a)) for a, m in re.findall(r'<a href="#([^"]+)">([^<]+)</a>', top))
    assert any("一、总体情况 · 概述：仍是占位文字“【请填写】”" in m for m in links)
    assert any(m.startswith("五、存在的主要问题及改进情况") for m in links)
    for title, box in (("二、主动公开政府信息情况", "zero/proactive"), ("三、收到和处理政府信息公开申请情况", "zero/applications"),
                       ("四、政府信息公开行政复议、行政诉讼情况", "zero/reviews")):
        assert links[next(m for m in links if m.startswith(title + "：各项均为 0"))] == box
    for anchor in links.values():  # every link leads to an element of the page
        assert f'id="{html.escape(anchor)}"' in page, anchor
    with engine.begin() as conn:
        assert store.report(conn, _rid(url))["status"] == "draft"
    # an empty section is refused too, and a box ticked under a table with figures in it
    form = _form(clerk, url)
    for name in list(form):
        if name.startswith("field/") and "【请填写】" in form[name]:
            form[name] = "本年度按要求开展工作。"
    form["field/lines/存在的主要问题及改进情况"] = "  "
    form.update({NEW: "1", "cell/applications/办理结果.予以公开/自然人": "1", "zero/applications": "on", **EMPTY_TABLES})
    clerk.post(url, data=form)
    page = clerk.post(url + "/submit", data={"csrf": form["csrf"], "version": "2"}).text
    top = html.unescape(page.split('<div class="refusals"', 1)[1].split("</div>", 1)[0])
    assert "五、存在的主要问题及改进情况：没有内容" in top and "勾选了“本表确无数据（全部为0）”，但表中填有数字" in top
    assert "仍是占位文字" not in top and "各项均为 0" not in top
    form = _form(clerk, url)
    form.update({"field/lines/存在的主要问题及改进情况": "问题与改进。", **EMPTY_TABLES})
    clerk.post(url, data=form)  # the box under table 三 left unticked
    stale = clerk.post(url + "/submit", data={"csrf": form["csrf"], "version": "2"})
    assert stale.status_code == 409 and "第 3 版" in stale.text
    assert clerk.post(url + "/submit", data={"csrf": form["csrf"], "version": "3"}).status_code == 303
    with engine.begin() as conn:
        assert store.report(conn, _rid(url))["status"] == "submitted"


def test_a_table_confirmed_empty_is_kept_with_its_version(office):
    engine, password = office
    admin = _login(engine, "admin", password)
    clerk, url = _unit(engine, admin, "某县财政局")
    form = _form(clerk, url)
    assert 'name="zero/reviews" checked' not in clerk.get(url).text
    clerk.post(url, data=dict(form, **{"zero/reviews": "on"}))
    assert 'id="zero/reviews" name="zero/reviews" checked' in clerk.get(url).text
    clerk.post(url, data=_form(clerk, url))  # saved without the box: version 2 does not confirm it
    assert 'name="zero/reviews" checked' not in clerk.get(url).text
    clerk.post(url + "/restore/1", data={"csrf": form["csrf"]})
    assert 'name="zero/reviews" checked' in clerk.get(url).text  # version 1 again, its box with it
    docx = clerk.get(url + "/download/yaml").text  # the data file is the report's, the box is not in it
    assert "确无数据" not in docx


def test_the_summary_report_is_held_to_the_same_rules(office):
    engine, password = office
    admin = _login(engine, "admin", password)
    clerk, url = _unit(engine, admin, "甲局")
    _fill(clerk, url, 3, 3)
    summary = admin.post("/aggregate", data={"csrf": _csrf(admin), "agency": "某县人民政府",
                                             "include_submitted": "1"}).headers["location"]
    refused = admin.post(summary + "/submit", data={"csrf": _csrf(admin)})
    assert refused.status_code == 422 and "仍是占位文字" in html.unescape(refused.text)


# --- item 3: a version that no longer loads ---------------------------------------------------

def test_a_version_from_a_tampered_backup_is_a_page_naming_it_with_restore(office, fresh):
    engine, password = office
    admin = _login(engine, "admin", password)
    clerk, url = _unit(engine, admin, "某县财政局")
    clerk.post(url, data=dict(_form(clerk, url), **{OVERVIEW: "第一版的概述"}))
    clerk.post(url, data=dict(_form(clerk, url), **{OVERVIEW: "第二版的概述"}))
    clerk.post(url, data=dict(_form(clerk, url), **{OVERVIEW: "第三版的概述"}))
    snapshot = json.loads(store.backup(engine))
    for row in snapshot["tables"]["versions"]:
        if row["number"] == 3:
            row["data"] = "总体情况: " + "[" * 5000 + "]" * 5000 + "\n"
        if row["number"] == 2:
            row["data"] = "- 不是报告\n"
    new = fresh()
    store.restore(new, json.dumps(snapshot, ensure_ascii=False).encode("utf-8"))
    office2 = _login(new, "admin", password)
    clerk2 = _login(new, *clerk.account)
    for who in (clerk2, office2):
        for suffix in ("", "/preview", "/download/docx", "/download/txt", "/download/pdf", "/findings"):
            response = who.get(url + suffix)
            assert response.status_code == 422, suffix
            assert "第 3 版无法读取" in response.text and "Traceback" not in response.text, suffix
            assert "恢复第 1 版为最新版" in response.text and "恢复第 2 版" not in response.text, suffix
    page = clerk2.get(url).text
    assert "YAML" in page or "格式" in page  # why, in the clerk's words
    assert "/download/yaml" in page and clerk2.get(url + "/download/yaml").text.startswith("总体情况: [[[")
    refused = clerk2.post(url + "/submit", data={"csrf": _csrf(clerk2, "/account")})
    assert refused.status_code == 422 and "第 3 版无法读取" in refused.text
    bad = clerk2.post(url + "/restore/2", data={"csrf": _csrf(clerk2, "/account")})
    assert bad.status_code == 422 and "第 2 版无法读取" in bad.text
    assert clerk2.post(url + "/restore/1", data={"csrf": _csrf(clerk2, "/account")}).status_code == 303
    assert "第一版的概述" in clerk2.get(url).text  # version 4, a copy of version 1
    with new.begin() as conn:
        assert store.report(conn, _rid(url))["version"] == 4
    bundle = zipfile.ZipFile(io.BytesIO(office2.get("/export/reports.zip").content))
    assert bundle.namelist() == ["某县财政局（草稿）.docx"]


def test_a_clerk_saving_over_an_unreadable_version_keeps_their_form(office):
    engine, password = office
    admin = _login(engine, "admin", password)
    clerk, url = _unit(engine, admin, "某县财政局")
    form = _form(clerk, url)
    clerk.post(url, data=dict(form, **{OVERVIEW: "第一版"}))
    stale = _form(clerk, url)
    clerk.post(url, data=dict(stale, **{OVERVIEW: "第二版"}))
    from sqlalchemy import update

    from reportgen.server.db import versions
    with engine.begin() as conn:
        conn.execute(update(versions).where(versions.c.number == 2).values(data="版式: [\n"))
    response = clerk.post(url, data=dict(stale, **{OVERVIEW: "重新写的"}))
    assert response.status_code == 200 and "第 2 版无法读取，未能与之合并" in response.text
    assert "已保存为第 3 版" in response.text
    assert "重新写的" in clerk.get(url).text


# --- item 4: a backup leaves sessions behind ----------------------------------------------------

def test_a_backup_leaves_the_live_sessions_behind(office, fresh):
    engine, password = office
    admin = _login(engine, "admin", password)
    snapshot = store.backup(engine)
    assert "sessions" not in json.loads(snapshot)["tables"]
    new = fresh()
    store.restore(new, snapshot)
    stale = _client(new)
    stale.cookies.set("reportgen_session", admin.cookies.get("reportgen_session"))
    assert stale.get("/").headers["location"] == "/login"
    # an older backup that carried them: they are left out
    from reportgen.server.auth import _digest
    old = json.loads(snapshot)
    old["tables"]["sessions"] = [{"token_hash": _digest(admin.cookies.get("reportgen_session")), "user_id": 1,
                                  "csrf": "x", "expires_at": "2999-01-01T00:00:00"}]
    newer = fresh()
    store.restore(newer, json.dumps(old).encode("utf-8"))
    stale = _client(newer)
    stale.cookies.set("reportgen_session", admin.cookies.get("reportgen_session"))
    assert stale.get("/").headers["location"] == "/login"
    _login(newer, "admin", password)


@pytest.mark.parametrize("broken,said", [
    (b"[" * 100_000 + b"]" * 100_000, "嵌套层次过深"),
    (json.dumps({"format": "reportgen-serve-backup", "tables": {"units": [{"id": 1, "name": {"a": [1]}, "kind": "x"}]}}),
     "units 第 1 行的 name"),
    (json.dumps({"format": "reportgen-serve-backup", "tables": {"units": [{"id": 2**70, "name": "a", "kind": "x"}]}}),
     "units 第 1 行的 id"),
    (json.dumps({"format": "reportgen-serve-backup", "tables": {"audit": [{"id": 1, "at": "昨天", "action": "x",
                                                                          "target": "y"}]}}), "audit 第 1 行的 at"),
])
def test_a_broken_backup_is_a_message(fresh, broken, said):
    with pytest.raises(ValueError, match=said):
        store.restore(fresh(), broken.encode() if isinstance(broken, str) else broken)


# --- item 5: the reports zip's member names ----------------------------------------------------

def test_the_reports_zip_names_its_members_safely(office):
    from reportgen.datafile import dump
    from reportgen.editions import EDITIONS
    from reportgen.scaffold import blank_data

    engine, password = office
    admin = _login(engine, "admin", password)
    units = [("../../x", "submitted"), ("县发改局/县粮食局", "draft"), ("县发改局\\县粮食局", "draft"),
             ("<b>局</b>", "returned"), ("甲局\x07\u202e", "submitted"), ("CON", "draft"), ("x", "submitted"),
             ("X", "submitted"), ("..", "submitted"), ("甲局", "draft")]
    edition = EDITIONS["2021"]
    with engine.begin() as conn:
        for name, status in units:
            unit_id, _, _ = store.add_unit(conn, name, "department", 1)
            row = store.report_of(conn, unit_id, 2024)
            store.save(conn, row["id"], dump(blank_data(edition, "某局", 2024), edition), 0, 1)
            if status != "draft":
                store.set_status(conn, row["id"], status, 1)
    clerk, url = _unit(engine, admin, "乙局")
    _fill(clerk, url, 1, 1)
    members = zipfile.ZipFile(io.BytesIO(admin.get("/export/reports.zip").content)).namelist()
    assert len(members) == len(units) + 1 == len(set(m.casefold() for m in members))
    for m in members:
        assert "/" not in m and "\\" not in m and ".." not in m and not m.startswith(".")
        assert not any(ord(c) < 32 or 0x200b <= ord(c) <= 0x206f for c in m), m
        assert "<" not in m and ">" not in m
    assert members == ["x.docx",                    # ../../x
                       "县发改局_县粮食局（草稿）.docx",
                       "县发改局_县粮食局（草稿）（2）.docx",  # the same name once made safe: numbered
                       "b_局__b（已退回）.docx",
                       "甲局.docx",                  # the bell and the right-to-left override gone
                       "_CON（草稿）.docx",           # a name Windows reserves
                       "x（2）.docx",
                       "X（3）.docx",                 # the same name to Windows
                       "未命名单位.docx",
                       "甲局（草稿）.docx",
                       "乙局.docx"]


# --- the schema: migration 0002 -------------------------------------------------------------

def test_a_database_of_the_previous_schema_is_upgraded_and_its_versions_read(fresh):
    from pathlib import Path

    from alembic import command
    from alembic.config import Config
    from sqlalchemy import inspect, text

    import reportgen.server.db as db

    engine = fresh()
    config = Config()
    config.set_main_option("script_location", str(Path(db.__file__).with_name("migrations")))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0001")
    assert "zero_tables" not in {c["name"] for c in inspect(engine).get_columns("versions")}
    with engine.begin() as conn:  # an office's data as the previous version of reportgen kept it
        from reportgen.server.auth import hash_password
        password = "an-old-admin-password"
        conn.execute(text("INSERT INTO users (username, password_hash, role, unit_id, active) "
                          "VALUES ('admin', :h, 'admin', NULL, true)"), {"h": hash_password(password)})
        conn.execute(text("INSERT INTO units (name, kind) VALUES ('某县财政局', 'department')"))
        conn.execute(text("INSERT INTO users (username, password_hash, role, unit_id, active) "
                          "VALUES ('unit1', 'x', 'clerk', 1, true)"))
        conn.execute(text("INSERT INTO reports (unit_id, year, status, version) VALUES (1, 2024, 'draft', 1)"))
        conn.execute(text("INSERT INTO versions (report_id, number, data, user_id, saved_at) "
                          "VALUES (1, 1, :data, 2, '2025-01-02 03:04:05')"),
                     {"data": "版式: '2021'\n机关名称: 某县财政局\n报告年度: 2024\n总体情况:\n  概述: |\n    旧版本的概述。\n"})
    db.migrate(engine)
    assert "zero_tables" in {c["name"] for c in inspect(engine).get_columns("versions")}
    admin = _login(engine, "admin", password)
    page = admin.get("/reports/1").text
    assert "旧版本的概述。" in page and 'name="zero/reviews" checked' not in page
    form = _form(admin, "/reports/1")
    assert "已保存为第 2 版" in admin.post("/reports/1", data=dict(form, **{"zero/reviews": "on"})).text
    assert 'name="zero/reviews" checked' in admin.get("/reports/1").text
