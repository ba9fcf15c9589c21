"""The routes of ``reportgen serve``: server-rendered Chinese pages (Jinja2, autoescaped), a few
lines of JavaScript for totals and live checks, nothing from a CDN.

The pages: login and one's password; the office's dashboard (units, year and deadline, status
and lateness, password resets, the audit log, the roll-up and the downloads); a report's form
with its history, findings (``reportgen check``), preview, downloads, uploads and start from last
year. Every route but the login page needs a session; every form post needs the session's CSRF
token; every report route checks that the user is the office's administrator or a clerk of the
report's unit — a unit can neither read nor write another unit's report, and a clerk cannot
change a submitted one. Reports are validated with the same loader as the CLI, and the messages
are shown next to their fields and cells.

A save made from a version someone has saved over since is merged three ways (``merge``):
what only one side changed is taken and the page says so; what both changed differently is
shown side by side on the merge page, and the clerk's choice, field by field and cell by cell,
is what is saved. A report is submitted only when ``submission`` finds nothing left of a
blank form, the reasons listed at the top of the form, each a link to its place. A version
that no longer loads is a page naming it, with the earlier versions to restore.
"""
from __future__ import annotations

import datetime as _dt
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import select
from sqlalchemy.engine import Engine
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from ..aggregate import aggregate_loaded, figures_into
from ..check import check_data
from ..datafile import dump
from ..dataset import encode, loaded_rows
from ..editions import EDITIONS, edition_for_year
from ..errors import InputError, ReportgenError, ValidationFailed
from ..loader import validate_data
from ..model import K
from ..nextyear import next_year_data
from ..render import render_loaded
from ..scaffold import blank_data
from ..yamlio import load_yaml
from . import auth, store
from .db import reports, units, users
from .exports import zip_of_reports
from .forms import ZERO_LABEL, data_from_form, field_rows, form_values, table_grid, zero_tables_of
from .merge import Merge, merge
from .submission import refusals
from .uploads import MAX_UPLOAD_BYTES, read_upload

MAX_FORM_BYTES = 2 * 1024 * 1024
MAX_MERGES = 5  # a save merged again at most as often while others keep saving, then the merge page
_TEMPLATES = Environment(loader=FileSystemLoader(str(Path(__file__).with_name("templates"))),
                         autoescape=select_autoescape(default=True, default_for_string=True))


def page(name: str, code: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(_TEMPLATES.get_template(name).render(**context), status_code=code)


def _guarded(check):
    """A route whose handler runs once ``check(self, request)`` lets it: the check's tuple
    (session, report, form … as the check gives them) is passed on; its refusal is the answer.
    A report's version that no longer loads is the page that says so."""
    def wrap(handler):
        @functools.wraps(handler)
        async def route(self, request: Request) -> Response:
            checked = await check(self, request)
            if isinstance(checked, Response):
                return checked
            try:
                return await handler(self, request, *checked)
            except store.Unreadable as e:
                if len(checked) < 2:
                    raise
                return self._unreadable(checked[0], checked[1], e)
        return route
    return wrap


# who may: a report's reader (session, report); the office (session); a post only the office may
# make (session, form); a post about a report (session, report, form) — ``admin``: the office's
# only, ``edit``: a change of its data, which a submitted report's clerk may not make
report_get = _guarded(lambda self, request: self._report_get(request))
office_get = _guarded(lambda self, request: self._office_get(request))
office_post = _guarded(lambda self, request: self._admin_post(request))


def report_post(admin: bool = False, edit: bool = False):
    return _guarded(lambda self, request: self._report_post(request, admin, edit))


class Server:
    """The app around one database."""

    def __init__(self, engine: Engine):
        self.engine = engine
        routes = [
            Route("/login", self.login, methods=["GET", "POST"]),
            Route("/logout", self.logout, methods=["POST"]),
            Route("/", self.home),
            Route("/units", self.add_unit, methods=["POST"]),
            Route("/settings", self.settings, methods=["POST"]),
            Route("/reports/{report_id:int}", self.report_page, methods=["GET", "POST"]),
            Route("/reports/{report_id:int}/check", self.check, methods=["POST"]),
            Route("/reports/{report_id:int}/preview", self.preview),
            Route("/reports/{report_id:int}/download/{fmt}", self.download),
            Route("/reports/{report_id:int}/merge", self.merge, methods=["GET", "POST"]),
            Route("/reports/{report_id:int}/submit", self.submit, methods=["POST"]),
            Route("/reports/{report_id:int}/return", self.give_back, methods=["POST"]),
            Route("/reports/{report_id:int}/history", self.history),
            Route("/reports/{report_id:int}/restore/{number:int}", self.restore, methods=["POST"]),
            Route("/reports/{report_id:int}/upload", self.upload, methods=["POST"]),
            Route("/reports/{report_id:int}/from-last-year", self.from_last_year, methods=["POST"]),
            Route("/reports/{report_id:int}/findings", self.findings),
            Route("/audit", self.audit_log),
            Route("/account", self.account, methods=["GET", "POST"]),
            Route("/units/{unit_id:int}/reset", self.reset_password, methods=["POST"]),
            Route("/aggregate", self.aggregate, methods=["POST"]),
            Route("/export/reports.zip", self.export_reports),
            Route("/export/dataset.{fmt}", self.export_dataset),
        ]
        self.app = Starlette(routes=routes)

    # --- who is asking -------------------------------------------------------------------

    def _session(self, request: Request) -> dict | None:
        with self.engine.begin() as conn:
            return auth.session_of(conn, request.cookies.get(auth.COOKIE))

    async def _form(self, request: Request) -> dict[str, str] | None:
        if int(request.headers.get("content-length") or 0) > MAX_FORM_BYTES:
            return None
        form = await request.form(max_files=0, max_fields=5000)
        return {k: v for k, v in form.items() if isinstance(v, str)}

    def _report_for(self, session: dict, report_id: int) -> dict | None:
        """The report when this user may see it (the office, or a clerk of its unit); None otherwise."""
        with self.engine.begin() as conn:
            row = store.report(conn, report_id)
        if row is None or (session["role"] != "admin" and row["unit_id"] != session["unit_id"]):
            return None
        return row

    async def _report_get(self, request: Request) -> tuple[dict, dict] | Response:
        """(session, report) when this user may read the report of the path; else the refusal."""
        session = self._session(request)
        row = self._report_for(session, request.path_params["report_id"]) if session else None
        return (session, row) if row is not None else self._refused()

    async def _office_get(self, request: Request) -> tuple[dict] | Response:
        """(session,) when it is the office's; else the refusal."""
        session = self._session(request)
        return (session,) if session is not None and session["role"] == "admin" else self._refused()

    async def _admin_post(self, request: Request) -> tuple[dict, dict] | Response:
        """(session, form) of a post only the office may make, its CSRF token checked; else the refusal."""
        got = await self._office_get(request)
        if isinstance(got, Response):
            return got
        form = await self._form(request) or {}
        return (got[0], form) if auth.csrf_ok(got[0], form.get("csrf")) else _expired()

    async def _report_post(self, request: Request, admin: bool = False,
                           edit: bool = False) -> tuple[dict, dict, dict] | Response:
        """(session, report, form) of a post about a report this user may change (``edit``: its
        data, which a submitted report's clerk may not), its CSRF token checked; else the refusal."""
        got = await self._report_get(request)
        if isinstance(got, Response):
            return got
        session, row = got
        form = await self._form(request) or {}
        if admin and session["role"] != "admin":
            return self._refused()
        if not auth.csrf_ok(session, form.get("csrf")):
            return _expired()
        return (edit and self._locked(session, row)) or (session, row, form)

    @staticmethod
    def _locked(session: dict, row: dict) -> Response | None:
        """A submitted report is the office's until it is returned: a clerk's change is refused."""
        if row["status"] == "submitted" and session["role"] != "admin":
            return page("message.html", 409, title="已提交", message="报告已提交，等待审核；如需修改请联系政务公开办退回")
        return None

    @staticmethod
    def _refused() -> Response:
        return page("message.html", 404, title="找不到", message="没有这份报告，或您无权查看")

    # --- login ---------------------------------------------------------------------------

    async def login(self, request: Request) -> Response:
        if request.method == "GET":
            return page("login.html", error=None)
        form = await self._form(request) or {}
        address = request.client.host if request.client else "?"

        def attempt():
            with self.engine.begin() as conn:
                return auth.login(conn, form.get("username", ""), form.get("password", ""), address)

        result = await run_in_threadpool(attempt)  # Argon2 takes its time: the other requests do not wait for it
        if isinstance(result, str):
            return page("login.html", 429 if "过多" in result else 401, error=result)
        token, _user = result
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(auth.COOKIE, token, httponly=True, samesite="strict", secure=request.url.scheme == "https",
                            max_age=auth.SESSION_HOURS * 3600)
        return response

    async def logout(self, request: Request) -> Response:
        session = self._session(request)
        form = await self._form(request) or {}
        if not auth.csrf_ok(session, form.get("csrf")):
            return _expired()
        with self.engine.begin() as conn:
            auth.logout(conn, request.cookies.get(auth.COOKIE))
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(auth.COOKIE)
        return response

    async def account(self, request: Request) -> Response:
        """Change one's own password: the old one, the new one twice; every session then ends."""
        session = self._session(request)
        if session is None:
            return RedirectResponse("/login", status_code=303)
        def answer(status: int = 200, problem: str | None = None) -> Response:
            return page("account.html", status, session=session, minimum=auth.MIN_PASSWORD, problem=problem)

        if request.method == "GET":
            return answer()
        form = await self._form(request) or {}
        if not auth.csrf_ok(session, form.get("csrf")):
            return _expired()
        new, again = form.get("new", ""), form.get("again", "")
        problem = auth.password_problem(new, again)
        if problem:  # the new password first: a typo there costs no guess of the old one
            return answer(400, problem)
        key = f"{session['username']}@password"
        with self.engine.begin() as conn:
            throttled = auth.throttled(conn, key)
            stored = conn.execute(select(users.c.password_hash).where(users.c.id == session["user_id"])).scalar_one()
        if throttled:
            return answer(429, "尝试次数过多，请 10 分钟后再试")
        if not await run_in_threadpool(auth.check_password, stored, form.get("old", "")):
            with self.engine.begin() as conn:
                auth.record_failure(conn, key)
            return answer(400, "原密码不正确")
        hashed = await run_in_threadpool(auth.hash_password, new)
        with self.engine.begin() as conn:
            store.change_password(conn, session["user_id"], hashed)
        response = page("message.html", title="密码已修改", message="密码已修改，请用新密码重新登录。")
        response.delete_cookie(auth.COOKIE)
        return response

    @office_post
    async def reset_password(self, request: Request, session: dict, _form: dict) -> Response:
        """The office gives a unit's clerk a new one-time password (a lost one, a new person)."""
        with self.engine.begin() as conn:
            done = store.reset_clerk(conn, request.path_params["unit_id"], session["user_id"])
        if done is None:
            return self._refused()
        username, password = done
        return page("message.html", title="已重置密码",
                    message=f"填报账号：{username}，新的初始密码：{password}（只显示这一次，请转交该单位；原密码和已登录的会话均已失效）")

    # --- pages ---------------------------------------------------------------------------

    async def home(self, request: Request) -> Response:
        session = self._session(request)
        if session is None:
            return RedirectResponse("/login", status_code=303)
        with self.engine.begin() as conn:
            year = store.current_year(conn)
            deadline = store.setting(conn, "deadline")
            if session["role"] != "admin":
                row = store.report_of(conn, session["unit_id"], year)
                return RedirectResponse(f"/reports/{row['id']}", status_code=303)
            rows = []
            for unit in conn.execute(select(units).order_by(units.c.id)).mappings():
                rep = store.report_of(conn, unit["id"], year)
                rows.append({"unit": dict(unit), "report": rep, "status": store.STATUSES[rep["status"]]})
        days = (_dt.date.fromisoformat(deadline) - _dt.date.today()).days if deadline else None
        return page("dashboard.html", session=session, year=year, deadline=deadline, days=days, rows=rows,
                    kinds=store.KINDS, created=request.query_params.get("created"))

    @office_post
    async def add_unit(self, request: Request, session: dict, form: dict) -> Response:
        name, kind = form.get("name", "").strip(), form.get("kind", "")
        if not name or kind not in store.KINDS:
            return page("message.html", 400, title="无法添加", message="请填写单位名称并选择类别")
        with self.engine.begin() as conn:
            _, username, password = store.add_unit(conn, name, kind, session["user_id"])
        return page("message.html", title="已添加单位",
                    message=f"单位“{name}”的填报账号：{username}，初始密码：{password}（只显示这一次，请转交该单位）")

    @office_post
    async def settings(self, request: Request, session: dict, form: dict) -> Response:
        with self.engine.begin() as conn:
            if form.get("year", "").isdigit():
                store.set_setting(conn, "year", form["year"], session["user_id"])
            if form.get("deadline"):
                try:
                    _dt.date.fromisoformat(form["deadline"])
                except ValueError:
                    return page("message.html", 400, title="日期无效", message="截止日期应为 2026-01-31 的形式")
                store.set_setting(conn, "deadline", form["deadline"], session["user_id"])
        return RedirectResponse("/", status_code=303)

    # --- a report ------------------------------------------------------------------------

    @staticmethod
    def _edition(row: dict) -> Any:
        return EDITIONS[edition_for_year(row["year"])]

    def _kept(self, row: dict, number: int | None = None) -> dict | None:
        """A version of the report (default: the current one) read: its ``number``, ``text``,
        ``data`` and ``zero_tables``; version 0 is the blank report the form starts from, a
        version that does not exist None. ``store.Unreadable`` when it no longer loads."""
        with self.engine.begin() as conn:
            kept = store.kept(conn, row["id"], number) if number != 0 else None
            unit = conn.execute(select(units.c.name).where(units.c.id == row["unit_id"])).scalar_one()
        if kept is None:
            if number is not None and number != 0:
                return None
            if number is None and row["version"]:  # the report names a version the database lacks
                raise store.Unreadable(row["version"], "数据库中没有这一版的数据")
            edition = self._edition(row)
            text = dump(blank_data(edition, unit, row["year"]), edition)  # as a save would keep it
            return {"number": 0, "text": text, "data": store.read_version(text, 0), "zero_tables": frozenset()}
        return dict(kept, data=store.read_version(kept["text"], kept["number"]))

    def _data_of(self, row: dict) -> tuple[dict, str]:
        """The report's current data (a blank one before the first save) and its text."""
        kept = self._kept(row)
        return kept["data"], kept["text"]

    def _last_year(self, row: dict) -> Any:
        """The unit's report of the year before, kept here, validated (None when there is none)."""
        with self.engine.begin() as conn:
            text = store.text_of_year(conn, row["unit_id"], row["year"] - 1)
        return None if text is None else _loaded(text, "去年的报告")

    def _validate(self, data: dict) -> tuple[Any, list]:
        """(the loaded report or None, the problems and warnings), as the CLI finds them."""
        try:
            loaded = validate_data(data, None, "报告")
            return loaded, loaded.warnings
        except ValidationFailed as e:
            return None, e.problems
        except ReportgenError as e:
            return None, [e]

    def _placed(self, row: dict, data: dict, extra: list = (), zero: frozenset = frozenset(),
                submitting: bool = False) -> dict:
        """The data validated once and laid out for the form page: its fields, table grids,
        messages by input name, messages with no input (``extra``: those of reading the form
        itself), whether it validates, and — ``submitting`` — why it may not be submitted, each
        reason with the input it links to."""
        loaded, problems = self._validate(data)
        if loaded is not None:
            edition, report = loaded.edition, loaded.report
        else:
            edition, report = self._edition(row), None
        fields = field_rows(data, edition)
        grids = [table_grid(spec, report, data.get(spec.key)) for spec in edition.tables]
        by_place = {tuple(f["place"]): f["name"] for f in fields}
        by_place.update({tuple(cell["place"]): cell["name"] for grid in grids for cells in grid["rows"]
                         for cell in cells if "place" in cell})

        def input_of(path) -> str | None:
            path = tuple(path or ())
            return next((by_place[path[:k]] for k in range(len(path), 0, -1) if path[:k] in by_place), None)

        messages: dict[str, list[str]] = {}
        general: list[str] = []
        for p in problems:
            target = input_of(getattr(p, "path", ()))
            text = getattr(p, "message", str(p))
            (messages.setdefault(target, []) if target else general).append(text)
        errors = [p for p in problems if getattr(p, "severity", "error") == "error"]
        valid = loaded is not None and not errors
        reasons = []
        if submitting:
            if row["version"] == 0:
                reasons.append({"message": "报告尚未保存：请填写并保存后再提交", "anchor": "report"})
            if not valid:
                first = next((input_of(getattr(p, "path", ())) for p in errors if input_of(getattr(p, "path", ()))), None)
                reasons.append({"message": f"报告未通过校验（{max(len(errors), 1)} 处错误），请按各栏旁的说明改正",
                                "anchor": first})
            reasons += [{"message": r.message, "anchor": r.anchor or input_of(r.path)}
                        for r in refusals(data, edition, zero, loaded if valid else None)]
        return {"fields": fields, "grids": grids, "messages": messages, "general": general + list(extra),
                "valid": valid, "refusals": reasons}

    def _form_page(self, session: dict, row: dict, data: dict, extra: list = (), status: int = 200,
                   saved: int | None = None, zero: frozenset = frozenset(), submitting: bool = False,
                   merged: dict | None = None) -> Response:
        """The report's form filled with ``data`` (``zero``: the tables confirmed as empty);
        ``saved``: the version just saved, ``merged``: what a merge took from each side."""
        placed = self._placed(row, data, extra, zero, submitting)
        return page("report.html", status, session=session, report=row, state=store.STATUSES[row["status"]],
                    saved=saved, zero=zero, zero_label=ZERO_LABEL, merged=merged, **placed)

    async def report_page(self, request: Request) -> Response:
        session = self._session(request)
        if session is None:
            return RedirectResponse("/login", status_code=303)
        row = self._report_for(session, request.path_params["report_id"])
        if row is None:
            return self._refused()
        try:
            if request.method == "GET":
                kept = self._kept(row)
                return self._form_page(session, row, kept["data"], zero=kept["zero_tables"])
            form = await self._form(request)
            if form is None:
                return page("message.html", 413, title="内容过大", message="提交的内容超过 2 MB")
            if not auth.csrf_ok(session, form.get("csrf")):
                return _expired()
            if locked := self._locked(session, row):
                return locked
            edition = self._edition(row)
            data, unreadable = data_from_form(form, edition)
            settled = self._settle(session, row, data, zero_tables_of(form, edition), _base(form), "save", True,
                                   unreadable)
        except store.Unreadable as e:
            return self._unreadable(session, row, e)
        if isinstance(settled, Response):
            return settled
        return self._form_page(session, settled.row, settled.data, unreadable, saved=settled.number,
                               zero=settled.zero, merged=settled.merged)

    # --- a save that met a newer version ---------------------------------------------------

    def _settle(self, session: dict, row: dict, mine: dict, zero: frozenset, origin: int, action: str,
                from_form: bool, unread: list[str] = ()) -> "Settled | Response":
        """Save the clerk's data ``mine`` (``zero``: the tables confirmed as empty), made from
        version ``origin``, as the next version. When others saved meanwhile it is merged three
        ways with what they saved and the merge saved when no value was changed differently by
        both; else the merge page, where the clerk chooses (``from_form``: ``mine`` is a posted
        form, compared with the form the origin gave; ``unread``: what of the form could not be
        read, said on the merge page too)."""
        edition = self._edition(row)
        merged = None
        merge_result: Merge | None = None
        for _ in range(MAX_MERGES):
            with self.engine.begin() as conn:
                try:
                    number = store.save(conn, row["id"], dump(mine, edition), origin, session["user_id"], action, zero)
                    return Settled(number, store.report(conn, row["id"]), mine, zero, merged)
                except store.Conflict as conflict:
                    against = conflict.current
            merge_result, notes, saved_by = self._merge(row, origin, against, mine, zero, from_form)
            if merge_result.conflicts:
                return self._merge_page(session, row, origin, against, mine, zero, from_form, merge_result,
                                        _unread(unread) + notes, saved_by)
            merged = merged or {"auto": [], "notes": [], "versions": [], "chosen": 0}
            merged["auto"] += merge_result.auto
            merged["notes"] += notes
            merged["versions"].append(saved_by)
            mine, zero, origin, from_form, action = merge_result.result(), merge_result.zero_tables, against, False, "merge"
        # others kept saving: the clerk's data stays on the merge page, to be saved again
        return self._merge_page(session, row, origin, against, mine, zero, from_form, merge_result,
                                _unread(unread) + notes, saved_by)

    def _merge(self, row: dict, origin: int, against: int, mine: dict, zero: frozenset,
               from_form: bool) -> tuple[Merge, list[str], dict]:
        """``mine`` made from version ``origin`` merged with version ``against`` saved since:
        (the merge, notes for the clerk, who saved ``against`` and when). A base that is not
        known (no such version, or one that no longer loads) makes every difference a choice;
        a version saved since that no longer loads cannot be merged and is said so (it stays in
        the history)."""
        edition = self._edition(row)

        def read(number: int) -> dict | None:
            try:
                return self._kept(row, number)
            except store.Unreadable:
                return None

        notes = []
        base = read(origin) if 0 <= origin < against else None
        theirs = read(against)
        base_data = base["data"] if base else {}
        base_zero = base["zero_tables"] if base else frozenset()
        mine = _normal(mine, edition)
        mine_base = base_data
        if from_form and base is not None:  # what the form would have posted had the clerk changed nothing
            loaded, _ = self._validate(base_data)
            mine_base = _normal(data_from_form(form_values(base_data, edition, loaded.report if loaded else None),
                                               edition)[0], edition)
        if theirs is None:
            notes.append(f"第 {against} 版无法读取，未能与之合并（它仍保留在历史版本中）")
            theirs_data, theirs_zero = base_data, base_zero
        else:
            theirs_data, theirs_zero = theirs["data"], theirs["zero_tables"]
        with self.engine.begin() as conn:
            who = store.kept(conn, row["id"], against) or {}
        saved_by = {"number": against, "username": who.get("username", ""), "saved_at": _shown_time(who.get("saved_at"))}
        result = merge(base_data, theirs_data, mine, edition, mine_base, (base_zero, theirs_zero, zero), against)
        return result, notes, saved_by

    def _merge_page(self, session: dict, row: dict, origin: int, against: int, mine: dict, zero: frozenset,
                    from_form: bool, result: Merge, notes: list[str], saved_by: dict, choices: dict | None = None,
                    status: int = 409) -> Response:
        """The merge to decide: what was taken from one side, and each value both changed,
        side by side, with a choice the clerk must make. The clerk's data rides along in the
        page (the YAML a save writes), so nothing typed is lost."""
        with self.engine.begin() as conn:
            row = store.report(conn, row["id"])
        missing = len(result.missing(choices)) if choices is not None else 0
        return page("merge.html", status, session=session, report=row, origin=origin, against=against,
                    saved_by=saved_by, auto=result.auto, conflicts=result.conflicts, notes=notes,
                    mine=dump(mine, self._edition(row)), zero_mine=" ".join(sorted(zero)),
                    source="form" if from_form else "data", choices=choices or {}, missing=missing)

    async def merge(self, request: Request) -> Response:
        if request.method == "GET":  # the merge page's address opened again: the report
            return RedirectResponse(f"/reports/{request.path_params['report_id']}", status_code=303)
        return await self._merge_post(request)

    @report_post(edit=True)
    async def _merge_post(self, request: Request, session: dict, row: dict, form: dict) -> Response:
        """The clerk's choices on the merge page: every conflict decided, the merge saved (and
        merged again should someone have saved meanwhile)."""
        origin, against = _int(form.get("origin")), _int(form.get("against"))
        try:
            mine, _ = load_yaml(form.get("mine", "").replace("\r\n", "\n"), "合并表单")
        except ReportgenError:
            mine = None
        if origin is None or against is None or not 0 <= origin < against <= row["version"] or not isinstance(mine, dict):
            return page("message.html", 400, title="无法合并", message="合并的表单不完整或已损坏：请回到报告，重新填写后保存")
        zero = frozenset(form.get("zero_mine", "").split())
        from_form = form.get("source") == "form"
        result, notes, saved_by = self._merge(row, origin, against, mine, zero, from_form)
        choices = {k.removeprefix("choose/"): v for k, v in form.items() if k.startswith("choose/")}
        if result.missing(choices):
            return self._merge_page(session, row, origin, against, mine, zero, from_form, result, notes, saved_by,
                                    choices, 422)
        settled = self._settle(session, row, result.result(choices), result.zero_tables, against, "merge", False)
        if isinstance(settled, Response):
            return settled
        merged = settled.merged or {"auto": [], "notes": [], "versions": [], "chosen": 0}
        merged["auto"] = result.auto + merged["auto"]
        merged["notes"] = notes + merged["notes"]
        merged["versions"] = [saved_by] + merged["versions"]
        merged["chosen"] = len(result.conflicts)
        return self._form_page(session, settled.row, settled.data, saved=settled.number, zero=settled.zero,
                               merged=merged)

    async def check(self, request: Request) -> Response:
        """The form as it stands, validated: each message with the input it belongs to."""
        session = self._session(request)
        if session is None:
            return JSONResponse({"error": "未登录"}, status_code=401)
        row = self._report_for(session, request.path_params["report_id"])
        form = await self._form(request)
        if row is None or form is None or not auth.csrf_ok(session, form.get("csrf")):
            return JSONResponse({"error": "无权访问"}, status_code=403)
        data, unreadable = data_from_form(form, self._edition(row))
        placed = self._placed(row, data, unreadable)
        found = [{"name": name, "message": m} for name, items in placed["messages"].items() for m in items]
        found += [{"name": None, "message": m} for m in placed["general"]]
        return JSONResponse({"problems": found})

    @report_get
    async def preview(self, request: Request, session: dict, row: dict) -> Response:
        loaded, _ = self._validate(self._data_of(row)[0])
        if loaded is None:
            return page("message.html", 422, title="无法预览", message="报告数据未通过校验，请先改正后再预览")
        # the HTML takes a few ms: made in place (a thread hand-off costs more under load, measured)
        return HTMLResponse(render_loaded(loaded, ["html"])["html"].decode("utf-8"))

    @report_get
    async def download(self, request: Request, session: dict, row: dict) -> Response:
        fmt = request.path_params["fmt"]
        if fmt not in ("docx", "txt", "pdf", "yaml"):
            return self._refused()
        name = f"report-{row['year']}-{row['unit_id']}.{fmt}"
        if fmt == "yaml":  # the text as kept, even when it no longer loads: a copy to look into
            with self.engine.begin() as conn:
                kept = store.kept(conn, row["id"])
            text = kept["text"] if kept else self._kept(row)["text"]
            return Response(text.encode("utf-8"), media_type="text/yaml; charset=utf-8",
                            headers={"Content-Disposition": f'attachment; filename="{name}"'})
        loaded, _ = self._validate(self._data_of(row)[0])
        if loaded is None:
            return page("message.html", 422, title="无法生成", message="报告数据未通过校验，请先改正")
        with self.engine.begin() as conn:  # a version's Word file is the same file whenever it is made
            when = store.saved_at(conn, row["id"])
        try:  # a PDF goes through LibreOffice: the other requests do not wait for it
            blob = (await run_in_threadpool(lambda: render_loaded(loaded, [fmt], when=when)))[fmt]
        except ReportgenError as e:
            return page("message.html", 500, title="无法生成", message=e.message)
        media = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 "txt": "text/plain; charset=utf-8", "pdf": "application/pdf"}[fmt]
        return Response(blob, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})

    @report_post()
    async def submit(self, request: Request, session: dict, row: dict, form: dict) -> Response:
        """The current version submitted, when ``submission`` finds nothing against it; else the
        form with the reasons at the top. A page showing an older version than the current one
        submits nothing: the clerk sees the newest first."""
        kept = self._kept(row)
        seen = _int(form.get("version"))
        if seen is not None and seen != row["version"]:
            return page("message.html", 409, title="无法提交",
                        message=f"报告已有新的第 {row['version']} 版（您看到的是第 {seen} 版）：请打开报告查看后再提交")
        placed = self._placed(row, kept["data"], zero=kept["zero_tables"], submitting=True)
        if placed["refusals"]:
            return self._form_page(session, row, kept["data"], status=422, zero=kept["zero_tables"], submitting=True)
        with self.engine.begin() as conn:
            store.set_status(conn, row["id"], "submitted", session["user_id"])
        return RedirectResponse(f"/reports/{row['id']}", status_code=303)

    @report_post(admin=True)
    async def give_back(self, request: Request, session: dict, row: dict, form: dict) -> Response:
        with self.engine.begin() as conn:
            store.set_status(conn, row["id"], "returned", session["user_id"], form.get("comment", "").strip() or None)
        return RedirectResponse("/", status_code=303)

    @report_get
    async def history(self, request: Request, session: dict, row: dict) -> Response:
        with self.engine.begin() as conn:
            versions = store.history(conn, row["id"])
        return page("history.html", session=session, report=row, versions=versions)

    @report_post(edit=True)
    async def restore(self, request: Request, session: dict, row: dict, _form: dict) -> Response:
        number = request.path_params["number"]
        with self.engine.begin() as conn:
            try:
                store.restore_version(conn, row["id"], number, session["user_id"])
            except ValueError:
                return self._refused()
            except store.Unreadable as e:
                return page("message.html", 422, title="无法恢复", message=f"{e}：恢复它只会让最新版也无法读取，请选择其他版本")
        return RedirectResponse(f"/reports/{row['id']}", status_code=303)

    def _unreadable(self, session: dict, row: dict, error: store.Unreadable) -> Response:
        """A version that no longer loads: which, why, and the earlier versions that load, to
        restore (when this user may change the report), its text to download."""
        with self.engine.begin() as conn:
            row = store.report(conn, row["id"])
            kept = store.kept(conn, row["id"], error.number) or {}
            earlier = store.readable_before(conn, row["id"], error.number)
            unit = conn.execute(select(units.c.name).where(units.c.id == row["unit_id"])).scalar_one()
        for version in earlier:
            version["saved_at"] = _shown_time(version["saved_at"])
        return page("unreadable.html", 422, session=session, report=row, unit=unit, error=error,
                    saved_at=_shown_time(kept.get("saved_at")), username=kept.get("username", ""), earlier=earlier,
                    current=error.number == row["version"], may_restore=self._locked(session, row) is None)


    # --- starting from a file ------------------------------------------------------------

    @report_get
    async def upload(self, request: Request, session: dict, row: dict) -> Response:
        """This year's data from a workbook or YAML file, or last year's data or published report
        to start from (as ``init --from``): size-limited, read with the CLI's own guards. A
        multipart post: its CSRF token is checked here, once the form is read."""
        too_large = page("message.html", 413, title="文件过大", message=f"上传的文件不能超过 {MAX_UPLOAD_BYTES // 2**20} MB")
        if int(request.headers.get("content-length") or 0) > MAX_UPLOAD_BYTES:
            return too_large
        form = await request.form(max_files=1, max_fields=10)
        if not auth.csrf_ok(session, form.get("csrf") if isinstance(form.get("csrf"), str) else None):
            return _expired()
        if locked := self._locked(session, row):
            return locked
        upload = form.get("file")
        if upload is None or isinstance(upload, str) or not upload.filename:
            return page("message.html", 400, title="没有文件", message="请选择要上传的文件")
        raw = await upload.read(MAX_UPLOAD_BYTES + 1)
        if len(raw) > MAX_UPLOAD_BYTES:
            return too_large
        try:
            data = await read_upload(raw, Path(upload.filename).name, form.get("mode") == "previous", row["year"])
        except ReportgenError as e:
            return page("message.html", 422, title="无法读取", message=e.message)
        return self._saved_from_file(session, row, data, _base(form), "upload")

    def _saved_from_file(self, session: dict, row: dict, data: dict, origin: int, action: str) -> Response:
        """Data from a file (an upload, last year's report) saved as the next version: the tables
        confirmed as empty stay as the version it was made from has them; merged like a form
        when others saved meanwhile."""
        try:
            kept = self._kept(row, origin)
        except store.Unreadable:
            kept = None
        zero = kept["zero_tables"] if kept else frozenset()
        settled = self._settle(session, row, data, zero, origin, action, False)
        if isinstance(settled, Response):
            return settled
        if settled.merged:
            return self._form_page(session, settled.row, settled.data, saved=settled.number, zero=settled.zero,
                                   merged=settled.merged)
        return RedirectResponse(f"/reports/{row['id']}", status_code=303)

    @report_post(edit=True)
    async def from_last_year(self, request: Request, session: dict, row: dict, form: dict) -> Response:
        """Start this year's report from the unit's report of last year kept here (``init --from``)."""
        try:
            previous = self._last_year(row)
        except ReportgenError as e:
            return page("message.html", 422, title="去年的报告未通过校验", message=e.message)
        if previous is None:
            return page("message.html", 404, title="没有去年的报告", message=f"系统中没有本单位 {row['year'] - 1} 年度的报告")
        data = next_year_data(previous, row["year"])
        origin = _base(form)
        if origin != row["version"]:  # nothing typed to keep: start again from the newest
            return page("message.html", 409, title="无法开始", message=f"报告已被他人修改（现为第 {row['version']} 版）：请刷新后再试")
        return self._saved_from_file(session, row, data, origin, "from-last-year")

    @report_get
    async def findings(self, request: Request, session: dict, row: dict) -> Response:
        """What ``reportgen check`` finds in the report: the 勾稽 arithmetic, blanks, the year,
        the deadline, the link with last year's report kept here."""
        data, _ = self._data_of(row)
        try:
            previous = self._last_year(row)
        except ReportgenError:
            previous = None  # last year's report does not validate: no link to check against
        with self.engine.begin() as conn:
            unit = conn.execute(select(units).where(units.c.id == row["unit_id"])).mappings().first()
        kind = "government" if unit["kind"] == "government" else "department"
        result = await run_in_threadpool(check_data, data, unit["name"], previous, kind)
        return page("findings.html", session=session, report=row, unit=unit, result=result)

    @office_get
    async def audit_log(self, request: Request, session: dict) -> Response:
        with self.engine.begin() as conn:
            rows = store.audit_rows(conn)
        return page("audit.html", session=session, rows=rows)

    # --- the office: the summary and everything out ---------------------------------------

    def _submitted(self, conn, year: int) -> list:
        out = []
        for rep in conn.execute(select(reports, units.c.name).join(units, units.c.id == reports.c.unit_id)
                                .where(reports.c.year == year, reports.c.status == "submitted",
                                       units.c.kind != "government")  # not the summary itself
                                .order_by(reports.c.unit_id)).mappings():
            out.append(_loaded(store.text_of(conn, rep["id"]) or "", rep["name"]))  # a failure names the unit
        return out

    @office_post
    async def aggregate(self, request: Request, session: dict, form: dict) -> Response:
        with self.engine.begin() as conn:
            year = store.current_year(conn)
            agency = form.get("agency", "").strip() or None
            try:
                data, summary = aggregate_loaded(self._submitted(conn, year), agency)
            except ReportgenError as e:
                return page("message.html", 422, title="无法汇总", message=str(e))  # names the unit
            unit = conn.execute(select(units).where(units.c.kind == "government")).mappings().first()
            unit_id = unit["id"] if unit else store.add_unit(conn, SUMMARY_UNIT, "government", session["user_id"])[0]
            row = store.report_of(conn, unit_id, year)
            before = store.kept(conn, row["id"])
            zero = frozenset()
            if before is not None:  # done again (a late unit): the figures anew, the office's text kept
                try:
                    existing = store.read_version(before["text"], before["number"])
                except store.Unreadable as e:
                    return self._unreadable(session, row, e)
                data = figures_into(existing, data, summary.edition)
                zero = before["zero_tables"]
                if agency:
                    data[K.agency] = agency
            try:
                store.save(conn, row["id"], dump(data, summary.edition), row["version"], session["user_id"], "aggregate",
                           zero)
            except store.Conflict as e:
                return page("message.html", 409, title="无法汇总", message=f"{e}：请稍后再汇总")
        return RedirectResponse(f"/reports/{row['id']}", status_code=303)

    @office_get
    async def export_reports(self, request: Request, session: dict) -> Response:
        """Every unit's report of the year as Word files, in one zip."""
        with self.engine.begin() as conn:
            year = store.current_year(conn)
            texts = [{"unit": rep["name"], "status": rep["status"], "text": store.text_of(conn, rep["id"]) or "",
                      "saved_at": store.saved_at(conn, rep["id"])} for rep in conn.execute(
                select(reports, units.c.name).join(units, units.c.id == reports.c.unit_id)
                .where(reports.c.year == year, reports.c.version > 0).order_by(units.c.id)).mappings()]
        blob = await run_in_threadpool(zip_of_reports, texts)
        return Response(blob, media_type="application/zip",
                        headers={"Content-Disposition": 'attachment; filename="reports.zip"'})

    @office_get
    async def export_dataset(self, request: Request, session: dict) -> Response:
        """Every submitted unit's cells in long form with the key figures (as ``parse --table``)."""
        fmt = request.path_params["fmt"]
        if fmt not in ("xlsx", "csv"):
            return self._refused()
        with self.engine.begin() as conn:
            year = store.current_year(conn)
            rows, figures = [], []
            try:
                submitted = self._submitted(conn, year)
            except ReportgenError as e:
                return page("message.html", 422, title="无法导出", message=str(e))
            for loaded in submitted:
                cells, figure = loaded_rows(loaded, loaded.report.agency)
                rows += cells
                figures.append(figure)
        files = await run_in_threadpool(encode, Path(f"dataset.{fmt}"), rows, figures, [])
        if fmt == "xlsx":
            blob, media = files[Path("dataset.xlsx")], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        else:
            blob, media = files[Path("dataset.csv")], "text/csv; charset=utf-8"
        return Response(blob, media_type=media, headers={"Content-Disposition": f'attachment; filename="dataset.{fmt}"'})


def _base(form: Any) -> int:
    """The version a post was made from (-1 when absent or not a number: it can match none)."""
    number = _int(form.get("version"))
    return -1 if number is None else number


def _expired() -> Response:
    return page("message.html", 403, title="请求无效", message="表单已过期，请刷新页面后重试")


SUMMARY_UNIT = "本级政府（汇总）"


def _loaded(text: str, name: str) -> Any:
    """A kept version's data, validated as the CLI validates a data file (``name`` in messages;
    one that no longer loads is an ``InputError`` naming it)."""
    try:
        data = store.read_version(text, 0)
    except store.Unreadable as e:
        raise InputError(f"数据无法读取：{e.reason}", name) from None
    return validate_data(data, None, name)


@dataclass
class Settled:
    """A save done: the version's number, the report after it, the data and the tables
    confirmed as empty it keeps, and what merging took from each side (None: no merge)."""

    number: int
    row: dict
    data: dict
    zero: frozenset
    merged: dict | None


def _normal(data: dict, edition: Any) -> dict:
    """Data as a save keeps it (written and read back): what the three sides of a merge compare."""
    return load_yaml(dump(data, edition), "合并")[0]


def _int(value: Any) -> int | None:
    """A version number posted (None when absent or not one)."""
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 10 else None


def _unread(messages: list[str]) -> list[str]:
    return [f"您填写的内容中有无法读取的，未计入：{m}" for m in messages]


def _shown_time(when: Any) -> str:
    return when.strftime("%Y-%m-%d %H:%M:%S") if hasattr(when, "strftime") else ""


def create_app(engine: Engine) -> Starlette:
    return Server(engine).app


DATABASE_ENV = "REPORTGEN_SERVE_DATABASE"


def app_from_environment() -> Starlette:
    """The app of the database named in the environment: what each of ``serve --workers``'
    processes builds (uvicorn starts them by import path)."""
    import os

    from .db import make_engine

    return create_app(make_engine(os.environ[DATABASE_ENV]))


__all__ = ["DATABASE_ENV", "Server", "app_from_environment", "create_app"]
