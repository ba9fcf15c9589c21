"""``reportgen serve`` (issue #14), through its HTTP interface, on SQLite and on PostgreSQL: the
office's administrator made on the first start, units and their clerks, the report form
generated from the declarations with every message beside its cell, versions and conflicts,
submit and return, starting from a file or from last year's report, the findings and audit
pages, aggregation and exports, and the guards — a unit cannot read or write another unit's
report on any route, forms without the CSRF token are refused, logins are throttled, a cookie is
worthless after logout, a clerk's text is shown as text, an upload is limited in size and time.
A backup restored into a fresh database gives the same docx, byte for byte."""
from __future__ import annotations

import io
import html
import re
from html.parser import HTMLParser
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("sqlalchemy")
with __import__("warnings").catch_warnings():
    __import__("warnings").simplefilter("ignore")
    from starlette.testclient import TestClient  # noqa: E402

from reportgen.server import store  # noqa: E402
from reportgen.server.app import create_app  # noqa: E402
from reportgen.server.db import make_engine, migrate  # noqa: E402


def _postgres_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return found[-1].parent if found else None


@pytest.fixture(scope="session")
def postgres():
    """A throwaway PostgreSQL cluster on a Unix socket in a temporary folder (Debian's postgresql;
    as root, run as the postgres user), or a skip where there is none."""
    import os
    import shutil
    import subprocess

    pytest.importorskip("psycopg")
    bindir = _postgres_bin()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed")
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="reportgen-pg-"))  # pytest's own folders are closed to other users
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(sock, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    subprocess.run([*as_user, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                    "-E", "UTF8", "--locale=C.UTF-8"], check=True, capture_output=True)
    subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-w", "-l", str(root / "log"),
                    "-o", f"-k {sock} -c listen_addresses='' -c fsync=off", "start"], check=True, capture_output=True)
    yield sock
    subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], capture_output=True)
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh(request, tmp_path):
    """Makes new empty, migrated databases of one kind (SQLite, or PostgreSQL when installed)."""
    made = []

    def make():
        name = f"db{len(made)}"
        if request.param == "sqlite":
            engine = make_engine(f"sqlite:///{tmp_path / (name + '.sqlite3')}")
        else:
            import psycopg

            sock = request.getfixturevalue("postgres")
            name = "t" + tmp_path.name.replace("-", "_").lower()[-40:] + name
            with psycopg.connect(f"host={sock} user=postgres dbname=postgres", autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            engine = make_engine(f"postgresql+psycopg://postgres@/{name}?host={sock}")
        migrate(engine)
        made.append(engine)
        return engine

    yield make
    for engine in made:
        engine.dispose()


@pytest.fixture
def office(fresh):
    engine = fresh()
    with engine.begin() as conn:
        password = store.ensure_admin(conn)
        store.set_setting(conn, "year", "2024", 1)
    return engine, password


def _client(engine) -> TestClient:
    return TestClient(create_app(engine), follow_redirects=False)


_CHOSEN: dict[tuple[str, str], str] = {}  # (user, one-time password) → the password chosen


def _login(engine, username, password) -> TestClient:
    """A logged-in client. A one-time password is changed first, as the server demands (to one
    derived from it, remembered: a later login with the one-time password uses the chosen one)."""
    client = _client(engine)
    key = (username, password)  # a restored copy of the database knows the chosen one too
    response = client.post("/login", data={"username": username, "password": _CHOSEN.get(key, password)})
    assert response.status_code == 303, response.text
    if response.headers["location"] == "/account":
        chosen = password + "-chosen"
        assert client.get("/").headers["location"] == "/account"  # nothing else before the password is changed
        changed = client.post("/account", data={"csrf": _csrf(client, "/account"), "old": password, "new": chosen,
                                                "again": chosen})
        assert changed.status_code == 200 and "密码已修改" in changed.text, changed.text
        _CHOSEN[key] = chosen
        client = _client(engine)
        assert client.post("/login", data={"username": username, "password": chosen}).headers["location"] == "/"
    return client


def _csrf(client, path="/") -> str:
    page = client.get(path, follow_redirects=True).text
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def _unit(engine, admin, name):
    csrf = _csrf(admin)
    page = admin.post("/units", data={"csrf": csrf, "name": name, "kind": "department"}).text
    username, password = re.search(r"填报账号：(\w+)，初始密码：(\w+)", page).groups()
    clerk = _login(engine, username, password)
    clerk.account = (username, password)  # a second browser of the same unit logs in with it
    report_url = clerk.get("/").headers["location"]
    return clerk, report_url


def _form(client, url) -> dict:
    """The report form's inputs and text areas with their values, as a browser would post them."""
    return _inputs(client.get(url).text)


class _Inputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self.area: str | None = None
        self.messages: dict[str, str] = {}  # a message box's id → its text
        self.box: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name") and a.get("type") not in ("checkbox", "file"):
            self.values[a["name"]] = a.get("value") or ""
        elif tag == "textarea" and a.get("name"):
            self.area = a["name"]
            self.values[self.area] = ""
        elif tag == "div" and (a.get("id") or "").startswith("msg-"):
            self.box = a["id"]
            self.messages[self.box] = ""

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.area = None
        elif tag == "td":
            self.box = None

    def handle_data(self, data):
        if self.area:
            self.values[self.area] += data
        if self.box:
            self.messages[self.box] += data


def _inputs(page: str) -> dict:
    parser = _Inputs()
    parser.feed(page)
    return parser.values


def _message_beside(page: str, name: str) -> str:
    """The message box under an input (what aria-describedby names)."""
    parser = _Inputs()
    parser.feed(page)
    return parser.messages.get(f"msg-{name}", "")


def test_first_start_makes_the_admin_and_units_get_clerks(office):
    engine, password = office
    assert password and len(password) == 16
    with engine.begin() as conn:
        assert store.ensure_admin(conn) is None  # only once
    admin = _login(engine, "admin", password)
    clerk, url = _unit(engine, admin, "某县财政局")
    assert url.startswith("/reports/")
    page = clerk.get(url).text
    assert "收到和处理政府信息公开申请情况" in page and "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）" in page
    assert "某县财政局" in admin.get("/").text and "逾期未交" not in admin.get("/").text
    assert admin.post("/settings", data={"csrf": _csrf(admin), "deadline": "2025-01-31"}).status_code == 303
    dashboard = admin.get("/").text
    assert "已过" in dashboard and "逾期未交" in dashboard  # the late ones, to chase
    bad = admin.post("/settings", data={"csrf": _csrf(admin), "deadline": "一月底"})
    assert bad.status_code == 400 and "2026-01-31" in bad.text


def test_a_clerk_fills_table_three_sees_the_rule_beside_the_cell_fixes_it_and_submits(office):
    engine, password = office
    admin = _login(engine, "admin", password)
    clerk, url = _unit(engine, admin, "某县财政局")
    form = _form(clerk, url)
    form["cell/applications/本年新收/自然人"] = "5"  # 5 new, nothing handled, nothing carried: 勾稽 broken
    response = clerk.post(url, data=form)
    assert response.status_code == 200 and "已保存为第 1 版" in response.text
    assert "勾稽" in _message_beside(response.text, "cell/applications/本年新收/自然人")
    live = clerk.post(url + "/check", data=form).json()["problems"]
    assert any(p["name"] == "cell/applications/本年新收/自然人" and "勾稽" in p["message"] for p in live)
    form = _form(clerk, url)
    form["cell/applications/办理结果.予以公开/自然人"] = "5"
    for name in list(form):
        if name.startswith("field/") and form[name].startswith("【请填写】"):
            form[name] = "本年度按要求开展工作。"
    response = clerk.post(url, data=form)
    assert "已保存为第 2 版，校验通过" in response.text
    refused = clerk.post(url + "/submit", data={"csrf": form["csrf"], "version": "2"})  # tables 二 and 四 are all 0
    assert refused.status_code == 422 and "无法提交" in refused.text
    clerk.post(url, data=dict(_form(clerk, url), **EMPTY_TABLES))  # the clerk confirms they are empty
    assert clerk.post(url + "/submit", data={"csrf": form["csrf"], "version": "3"}).status_code == 303
    assert "已提交" in clerk.get(url).text
    # a submitted report is the office's until returned: the clerk changes it by no route
    for suffix in ("", "/restore/1", "/from-last-year", "/merge"):
        assert clerk.post(url + suffix, data=dict(form, version="3")).status_code == 409, suffix
    upload = clerk.post(url + "/upload", data={"csrf": form["csrf"], "version": "3", "mode": "data"},
                        files={"file": ("r.yaml", b"x: 1\n")})
    assert upload.status_code == 409
    with engine.begin() as conn:
        assert store.report(conn, int(url.rsplit("/", 1)[1]))["version"] == 3
    docx = clerk.get(url + "/download/docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    dashboard = admin.get("/").text
    assert "已提交" in dashboard
    report_id = url.rsplit("/", 1)[1]
    assert admin.post(f"/reports/{report_id}/return", data={"csrf": _csrf(admin), "comment": "请补充说明"}).status_code == 303
    assert "退回意见：请补充说明" in clerk.get(url).text


def test_history_and_restore_keep_every_version(office):
    engine, password = office
    admin = _login(engine, "admin", password)
    clerk, url = _unit(engine, admin, "某县财政局")
    for value in ("1", "2"):
        form = _form(clerk, url)
        form["cell/applications/本年新收/自然人"] = value
        clerk.post(url, data=form)
    assert "第 2 版" in clerk.get(url + "/history").text
    assert clerk.post(url + "/restore/1", data={"csrf": _csrf(clerk, url)}).status_code == 303
    with engine.begin() as conn:
        rid = int(url.rsplit("/", 1)[1])
        assert store.report(conn, rid)["version"] == 3 and "自然人: 1" in store.text_of(conn, rid)


def test_a_unit_cannot_reach_another_units_report_on_any_route(office):
    engine, password = office
    admin = _login(engine, "admin", password)
    one, url_one = _unit(engine, admin, "甲局")
    two, _ = _unit(engine, admin, "乙局")
    csrf = _csrf(two)
    gets = ["", "/preview", "/download/docx", "/download/yaml", "/history", "/findings"]
    posts = ["", "/check", "/submit", "/restore/1", "/return", "/upload", "/from-last-year", "/merge"]
    for suffix in gets:
        assert two.get(url_one + suffix).status_code == 404, suffix
    for suffix in posts:
        assert two.post(url_one + suffix, data={"csrf": csrf, "version": "0"}).status_code in (403, 404), suffix
    assert two.post("/units", data={"csrf": csrf, "name": "丙局", "kind": "department"}).status_code == 404
    for office_only in ("/audit", "/export/reports.zip", "/export/dataset.csv", "/export/dataset.xlsx"):
        assert two.get(office_only).status_code == 404, office_only
    for office_only in ("/aggregate", "/settings"):
        assert two.post(office_only, data={"csrf": csrf, "year": "2030"}).status_code == 404, office_only
    with engine.begin() as conn:
        assert store.report(conn, int(url_one.rsplit("/", 1)[1]))["version"] == 0  # nothing was written


def test_forms_without_the_csrf_token_are_refused(office):
    engine, password = office
    admin = _login(engine, "admin", password)
    clerk, url = _unit(engine, admin, "某县财政局")
    form = _form(clerk, url)
    for bad in (None, "forged"):
        data = dict(form)
        if bad is None:
            del data["csrf"]
        else:
            data["csrf"] = bad
        assert clerk.post(url, data=data).status_code == 403
    assert admin.post("/units", data={"name": "x", "kind": "department"}).status_code == 403


def test_logins_are_throttled_and_a_cookie_is_worthless_after_logout(office):
    engine, password = office
    client = _client(engine)
    for _ in range(5):
        assert client.post("/login", data={"username": "admin", "password": "wrong"}).status_code == 401
    assert client.post("/login", data={"username": "admin", "password": password}).status_code == 429
    with engine.begin() as conn:  # the window passes
        from reportgen.server.db import attempts
        conn.execute(attempts.delete())
    admin = _login(engine, "admin", password)
    cookie = admin.cookies.get("reportgen_session")
    assert admin.post("/logout", data={"csrf": _csrf(admin)}).status_code == 303
    stale = _client(engine)
    stale.cookies.set("reportgen_session", cookie)
    assert stale.get("/").headers["location"] == "/login"


def test_a_clerks_script_is_shown_as_text(office):
    engine, password = office
    admin = _login(engine, "admin", password)
    clerk, url = _unit(engine, admin, "某县<script>alert(1)</script>局")
    form = _form(clerk, url)
    name = next(n for n in form if n.startswith("field/") and "总体情况" in n)
    form[name] = "<script>alert('x')</script>"
    page = clerk.post(url, data=form).text
    assert "<script>alert(" not in page and "&lt;script&gt;alert(" in page
    assert "<script>alert(1)</script>" not in admin.get("/").text


def test_a_backup_restored_into_a_fresh_folder_gives_the_same_docx(office, fresh):
    engine, password = office
    admin = _login(engine, "admin", password)
    clerk, url = _unit(engine, admin, "某县财政局")
    form = _form(clerk, url)
    form["cell/applications/本年新收/自然人"] = "3"
    form["cell/applications/办理结果.予以公开/自然人"] = "3"
    clerk.post(url, data=form)
    snapshot = store.backup(engine)
    new = fresh()
    store.restore(new, snapshot)
    with pytest.raises(ValueError, match="数据库不是空的"):
        store.restore(new, snapshot)
    for broken in (b"\xff", b"[]", b'{"format": "reportgen-serve-backup", "tables": {"units": [{"x": 1}]}}'):
        with pytest.raises(ValueError, match="备份文件"):
            store.restore(fresh(), broken)
    again = _login(new, "admin", password)

    first = admin.get(url + "/download/docx").content
    assert again.get(url + "/download/docx").content == first  # the whole file, its date included
    assert admin.get(url + "/download/docx").content == first  # and the same whenever it is made
    _unit(new, again, "新增的局")  # the restored database goes on: new rows get new ids


EMPTY_TABLES = {"zero/proactive": "on", "zero/reviews": "on"}  # 本表确无数据 ticked under tables 二 and 四


def _fill(clerk, url, new: int, granted: int, carried: int = 0):
    form = dict(_form(clerk, url), **EMPTY_TABLES)
    form["cell/applications/本年新收/自然人"] = str(new)
    form["cell/applications/办理结果.予以公开/自然人"] = str(granted)
    form["cell/applications/结转下年度/自然人"] = str(carried)
    for name in list(form):
        if name.startswith("field/") and form[name].startswith("【请填写】"):
            form[name] = "本年度按要求开展工作。"
    assert "校验通过" in clerk.post(url, data=form).text
    assert clerk.post(url + "/submit", data={"csrf": form["csrf"]}).status_code == 303


def _approve(admin, url):
    version = re.search(r'action="' + re.escape(url) + r'/approve".*?name="version" value="(\d+)"', admin.get("/").text, re.S)
    assert version, "no 审核通过 button for " + url
    assert admin.post(url + "/approve", data={"csrf": _csrf(admin), "version": version.group(1)}).status_code == 303


def test_the_office_aggregates_three_units_and_downloads_everything(office):
    import docx
    from openpyxl import load_workbook

    engine, password = office
    admin = _login(engine, "admin", password)
    urls = {}
    for name, new in (("甲局", 3), ("乙局", 4), ("丙局", 5)):
        clerk, urls[name] = _unit(engine, admin, name)
        _fill(clerk, urls[name], new, new)
    refused = admin.post("/aggregate", data={"csrf": _csrf(admin), "agency": "某县人民政府"})
    assert refused.status_code == 422 and "还没有审核通过的报告" in refused.text and "丙局" in refused.text
    _approve(admin, urls["甲局"])
    _approve(admin, urls["乙局"])  # 丙局 stays submitted, not yet reviewed
    response = admin.post("/aggregate", data={"csrf": _csrf(admin), "agency": "某县人民政府"})
    assert response.status_code == 303
    summary = response.headers["location"]
    assert _form(admin, summary)["cell/applications/本年新收/自然人"] == "7"  # the approved: 3 + 4
    assert "未计入（已提交待审核）：丙局" in admin.get("/audit").text
    response = admin.post("/aggregate", data={"csrf": _csrf(admin), "include_submitted": "1"})
    assert response.headers["location"] == summary
    word = admin.get(summary + "/download/docx")
    cells = [c.text for t in docx.Document(io.BytesIO(word.content)).tables for row in t.rows for c in row.cells]
    assert "12" in cells  # 3 + 4 + 5 new applications
    assert "甲局" in cells and "丙局" in cells  # the units appendix
    # the office writes its own overview, then a late unit submits and the roll-up is done again:
    # the figures are new, the office's text stays
    form = _form(admin, summary)
    intro = next(n for n in form if n.startswith("field/") and "总体情况" in n)
    form[intro] = "本县政务公开工作稳步推进。"
    admin.post(summary, data=form)
    clerk, url = _unit(engine, admin, "丁局")
    _fill(clerk, url, 6, 6)
    _approve(admin, url)
    assert admin.post("/aggregate", data={"csrf": _csrf(admin), "include_submitted": "1"}).headers["location"] == summary
    again = _form(admin, summary)
    assert again[intro] == "本县政务公开工作稳步推进。"
    assert again["cell/applications/本年新收/自然人"] == "18"  # 3 + 4 + 5 + 6
    assert "丁局" in admin.get(summary).text
    form = dict(_form(admin, summary), **EMPTY_TABLES)  # the office writes the rest before it submits
    for name in list(form):
        if name.startswith("field/") and "【请填写】" in form[name]:
            form[name] = "本县按要求开展工作。"
    admin.post(summary, data=form)
    assert admin.post(summary + "/submit", data={"csrf": _csrf(admin)}).status_code == 303
    admin.post("/aggregate", data={"csrf": _csrf(admin), "include_submitted": "1"})  # the summary is not a unit
    assert _form(admin, summary)["cell/applications/本年新收/自然人"] == "18"
    bundle = zipfile.ZipFile(io.BytesIO(admin.get("/export/reports.zip").content))
    assert {"甲局.docx", "乙局.docx", "丙局.docx"} <= set(bundle.namelist())
    book = load_workbook(io.BytesIO(admin.get("/export/dataset.xlsx").content))
    figures = list(book["关键数字"].iter_rows(values_only=True))
    assert sorted(r[4] for r in figures[1:]) == [3, 4, 5, 6]  # the units, not the summary


def test_a_clerk_starts_from_a_workbook_or_last_years_report(office, tmp_path):
    from reportgen.convert import converted

    engine, password = office
    admin = _login(engine, "admin", password)
    clerk, url = _unit(engine, admin, "云溪市市场监督管理局")
    csrf = _csrf(clerk, url)
    from conftest import ROOT
    book = converted(str(ROOT / "examples" / "report-2021.yaml"), str(tmp_path / "r.xlsx"))
    response = clerk.post(url + "/upload", data={"csrf": csrf, "version": "0", "mode": "data"},
                          files={"file": ("report.xlsx", book)})
    assert response.status_code in (200, 303)  # 200: with a note of what the office's facts changed
    assert 'value="126"' in clerk.get(url).text  # 本年新收 自然人 of the example
    pdf = (ROOT / "tests" / "fixtures" / "corpus" / "052_huaian-city-2024.pdf").read_bytes()
    response = clerk.post(url + "/upload", data={"csrf": csrf, "version": "1", "mode": "previous"},
                          files={"file": ("2023.pdf", pdf)})
    # another government's report to start from: its 机关名称 is not this unit's, and the form says so
    assert response.status_code == 200
    assert "机关名称“淮安市人民政府”由政务公开办设定，已改为“云溪市市场监督管理局”" in html.unescape(response.text)
    page = clerk.get(url).text
    assert "淮安市人民政府" not in page and "云溪市市场监督管理局" in page
    assert 'name="cell/applications/上年结转/自然人" value="103"' in page  # last year's 结转下年度
    too_big = clerk.post(url + "/upload", data={"csrf": csrf, "version": "2", "mode": "data"},
                         files={"file": ("big.yaml", b"x" * (9 * 2**20))})
    assert too_big.status_code == 413
    not_data = clerk.post(url + "/upload", data={"csrf": csrf, "version": "2", "mode": "data"},
                          files={"file": ("r.pdf", pdf)})
    assert not_data.status_code == 422 and "不是数据文件" in not_data.text
    broken = clerk.post(url + "/upload", data={"csrf": csrf, "version": "2", "mode": "data"},
                        files={"file": ("数据.yaml", "报告年度: [2024\n".encode())})
    assert broken.status_code == 422 and "数据.yaml" in broken.text and "reportgen-upload-" not in broken.text


def test_an_upload_that_takes_too_long_is_stopped_and_the_server_keeps_serving(office, monkeypatch):
    from reportgen.server import uploads

    engine, password = office
    admin = _login(engine, "admin", password)
    clerk, url = _unit(engine, admin, "某县财政局")
    csrf = _csrf(clerk, url)
    monkeypatch.setattr(uploads, "UPLOAD_SECONDS", 0.05)  # less than the reader needs to start
    from conftest import ROOT
    pdf = (ROOT / "tests" / "fixtures" / "corpus" / "052_huaian-city-2024.pdf").read_bytes()
    slow = clerk.post(url + "/upload", data={"csrf": csrf, "version": "0", "mode": "previous"},
                      files={"file": ("2023.pdf", pdf)})
    assert slow.status_code == 422 and "超过 0.05 秒，已停止" in slow.text
    assert clerk.get(url).status_code == 200
    with engine.begin() as conn:
        assert store.report(conn, int(url.rsplit("/", 1)[1]))["version"] == 0  # nothing was saved


def test_next_year_starts_from_last_years_report_and_the_findings_and_audit_pages_show_what_happened(office):
    engine, password = office
    admin = _login(engine, "admin", password)
    assert admin.post("/settings", data={"csrf": _csrf(admin), "year": "2023"}).status_code == 303
    clerk, url_2023 = _unit(engine, admin, "某县财政局")
    _fill(clerk, url_2023, 7, 5, carried=2)
    assert admin.post("/settings", data={"csrf": _csrf(admin), "year": "2024"}).status_code == 303
    url = clerk.get("/").headers["location"]
    assert url != url_2023
    form = _form(clerk, url)
    assert clerk.post(url + "/from-last-year", data={"csrf": form["csrf"], "version": form["version"]}).status_code == 303
    page = clerk.get(url).text
    assert 'name="cell/applications/上年结转/自然人" value="2"' in page  # last year's 结转下年度
    assert 'name="cell/applications/本年新收/自然人" value="7"' not in page  # this year's numbers start empty
    # the findings page is check's: 上年结转 against last year's report, the 勾稽 arithmetic
    form = _form(clerk, url)
    form["cell/applications/上年结转/自然人"] = "3"  # not what last year carried over, though 勾稽 holds
    form["cell/applications/本年新收/自然人"] = "1"
    form["cell/applications/办理结果.予以公开/自然人"] = "4"
    form["cell/applications/结转下年度/自然人"] = "0"
    assert "校验通过" in clerk.post(url, data=form).text
    findings = clerk.get(url + "/findings").text
    assert re.search(r"为 3，但上一年度报告[^<]*结转下年度[^<]*为 2", findings) and "“二、上年结转" in findings, findings
    # starting again from last year is a version of its own, refused when the form is stale
    stale = clerk.post(url + "/from-last-year", data={"csrf": form["csrf"], "version": "1"})
    assert stale.status_code == 409
    log = admin.get("/audit").text
    assert re.search(r"unit1</td><td>从去年的报告开始</td><td>某县财政局 2024 年度</td>", log), log
    assert clerk.get("/audit").status_code == 404


def test_a_user_changes_their_password_and_the_office_resets_a_clerks(office):
    engine, password = office
    admin = _login(engine, "admin", password)
    clerk, url = _unit(engine, admin, "某县财政局")
    csrf = _csrf(clerk, "/account")
    for old, new, again, said in (("wrong-password", "a-new-password", "a-new-password", "原密码不正确"),
                                  (None, "a-new-password", "another-one!", "两次输入的新密码不一致"),
                                  (None, "short", "short", "至少 10 个字符")):
        with engine.begin() as conn:
            from reportgen.server.db import attempts
            conn.execute(attempts.delete())
        response = clerk.post("/account", data={"csrf": csrf, "old": old or "x", "new": new, "again": again})
        assert response.status_code in (400, 403) and said in response.text, said
    # the clerk's one-time password, as the office handed it out, is what _unit logged in with
    page = admin.post("/units", data={"csrf": _csrf(admin), "name": "乙局", "kind": "department"}).text
    username, first = re.search(r"填报账号：(\w+)，初始密码：(\w+)", page).groups()
    other = _client(engine)
    # a one-time password: nothing but the page to change it until it is changed
    assert other.post("/login", data={"username": username, "password": first}).headers["location"] == "/account"
    assert other.get("/").headers["location"] == "/account"
    assert other.get(url).headers["location"] == "/account"
    assert "初始密码" in other.get("/account").text
    refused = other.post("/notices/1/read", data={"csrf": _csrf(other, "/account")})
    assert refused.status_code == 403 and "请先修改密码" in refused.text
    same = other.post("/account", data={"csrf": _csrf(other, "/account"), "old": first, "new": first, "again": first})
    assert same.status_code == 400 and "不能与原密码相同" in same.text
    assert other.post("/account", data={"csrf": _csrf(other, "/account"), "old": first, "new": "a-new-password",
                                        "again": "a-new-password"}).status_code == 200
    assert other.get("/").headers["location"] == "/login"  # the session ended with the old password
    assert _client(engine).post("/login", data={"username": username, "password": first}).status_code == 401
    again = _login(engine, username, "a-new-password")
    # the office resets it: the clerk's sessions end, the new one-time password works
    unit_id = re.search(r'action="/units/(\d+)/reset"', admin.get("/").text.split("乙局", 1)[1]).group(1)
    assert clerk.post(f"/units/{unit_id}/reset", data={"csrf": _csrf(clerk, url)}).status_code == 404
    asked = admin.post(f"/units/{unit_id}/reset", data={"csrf": _csrf(admin)}).text  # first: are you sure?
    assert "确定要重置“乙局”的填报账号密码吗" in html.unescape(asked) and 'name="confirm" value="yes"' in asked
    assert _login(engine, username, "a-new-password")  # nothing reset yet
    page = admin.post(f"/units/{unit_id}/reset", data={"csrf": _csrf(admin), "confirm": "yes"}).text
    fresh_password = re.search(r"新的初始密码：(\w+)", page).group(1)
    assert again.get("/").headers["location"] == "/login"
    reset = _client(engine)  # a reset password is one-time too
    assert reset.post("/login", data={"username": username, "password": fresh_password}).headers["location"] == "/account"
    assert "重置密码" in admin.get("/audit").text and "修改密码" in admin.get("/audit").text


def test_guessing_the_old_password_is_throttled(office):
    engine, password = office
    admin = _login(engine, "admin", password)
    csrf = _csrf(admin, "/account")
    data = {"csrf": csrf, "old": "wrong-password", "new": "a-new-password", "again": "a-new-password"}
    for _ in range(5):
        assert admin.post("/account", data=data).status_code == 400
    assert admin.post("/account", data=dict(data, old=password)).status_code == 429
