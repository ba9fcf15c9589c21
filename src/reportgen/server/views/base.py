"""What every page of ``reportgen serve`` shares: the page templates, who is asking (the session,
the form with its size limit, whether this user may read or change a report: the office, or a
clerk of the report's unit, a submitted report locked to its clerk), the guards that wrap a
route in those checks, and a report's kept versions read and validated as the CLI validates a
data file. The views (``access``, ``office``, ``form``, ``saving``) stand on it."""
from __future__ import annotations

import datetime as _dt
import functools
import os
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jinja2 import Environment, FileSystemLoader, select_autoescape
from python_multipart.multipart import parse_options_header
from sqlalchemy import select
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from ...datafile import dump
from ...editions import EDITIONS, edition_for_year
from ...errors import InputError, ReportgenError, ValidationFailed
from ...loader import validate_data
from ...model import K
from ...scaffold import blank_data
from .. import auth, store
from ..db import units

MAX_FORM_BYTES = 2 * 1024 * 1024
ZONE_ENV = "REPORTGEN_TIMEZONE"
PROXIES_ENV = "REPORTGEN_TRUSTED_PROXIES"  # serve --trusted-proxy: the proxies whose X-Forwarded-For counts
DEFAULT_ZONE = "Asia/Shanghai"
_TEMPLATES = Environment(loader=FileSystemLoader(str(Path(__file__).parent.parent / "templates")),
                         autoescape=select_autoescape(default=True, default_for_string=True))
_TEMPLATES.filters["shown"] = lambda when: shown_time(when)  # a kept time in the office's zone


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



class Views:
    """The app's views around one database: ``self.engine``."""

    engine: Any

    # --- who is asking -------------------------------------------------------------------

    def _session(self, request: Request, first_password: bool = False) -> dict | None:
        """The session of the request's cookie (None: not logged in). A user still holding a
        one-time password gets nothing but the page to change it (``FirstPassword``), unless
        ``first_password``: that page itself, and logging out."""
        with self.engine.begin() as conn:
            session = auth.session_of(conn, request.cookies.get(auth.COOKIE))
        if session is not None and session.get("must_change") and not first_password:
            raise FirstPassword()
        return session

    async def _form(self, request: Request) -> dict[str, str] | None:
        if int(request.headers.get("content-length") or 0) > MAX_FORM_BYTES:
            return None
        content_type, _ = parse_options_header(request.headers.get("content-type"))
        if content_type == b"application/x-www-form-urlencoded":  # every form but an upload's
            return form_fields(await request.body())
        form = await request.form(max_files=0, max_fields=MAX_FIELDS)
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
        return (got[0], form) if auth.csrf_ok(got[0], form.get("csrf")) else expired()

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
            return expired()
        return (edit and self._locked(session, row)) or (session, row, form)

    @staticmethod
    def _locked(session: dict, row: dict) -> Response | None:
        """A submitted report is the office's until it is returned: a clerk's change is refused;
        an approved one is nobody's to change until the office returns it."""
        if row["status"] == "approved":
            return page("message.html", 409, title="已审核通过", message="报告已审核通过，不能再修改；如需修改请政务公开办退回")
        if row["status"] == "submitted" and session["role"] != "admin":
            return page("message.html", 409, title="已提交", message="报告已提交，等待审核；如需修改请联系政务公开办退回")
        return None

    @staticmethod
    def _refused() -> Response:
        return page("message.html", 404, title="找不到", message="没有这份报告，或您无权查看")

    # --- a report ------------------------------------------------------------------------

    @staticmethod
    def _edition(row: dict) -> Any:
        return EDITIONS[edition_for_year(row["year"])]

    def _unit_of(self, row: dict) -> dict:
        """The report's unit: its name and kind."""
        with self.engine.begin() as conn:
            return dict(conn.execute(select(units.c.name, units.c.kind).where(units.c.id == row["unit_id"])).mappings().one())

    def _office_facts(self, row: dict, data: dict) -> list[str]:
        """The facts the office sets, written over what a save brings (a form, an upload, last
        year's report): 报告年度 and 版式 from the report's year, 机关名称 from the unit's name (the
        summary's is the office's own, kept). Returns what was changed, in the clerk's words."""
        unit = self._unit_of(row)
        wanted = {K.year: row["year"], K.edition: edition_for_year(row["year"])}
        if unit["kind"] != SUMMARY_KIND:
            wanted[K.agency] = unit["name"]
        notes = []
        for key, value in wanted.items():
            given = data.get(key)
            if given not in (None, "") and str(given) != str(value):
                notes.append(f"{key}“{given}”由政务公开办设定，已改为“{value}”")
                closing = data.get(K.closing)
                if key == K.agency and isinstance(closing, list) and given in closing:  # the signature's name too
                    data[K.closing] = [value if line == given else line for line in closing]
            data[key] = value
        return notes

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
        return None if text is None else loaded_text(text, "去年的报告")

    def _validate(self, data: dict) -> tuple[Any, list]:
        """(the loaded report or None, the problems and warnings), as the CLI finds them."""
        try:
            loaded = validate_data(data, None, "报告")
            return loaded, loaded.warnings
        except ValidationFailed as e:
            return None, e.problems
        except ReportgenError as e:
            return None, [e]

    def _unreadable(self, session: dict, row: dict, error: store.Unreadable) -> Response:
        """A version that no longer loads: which, why, and the earlier versions that load, to
        restore (when this user may change the report), its text to download."""
        with self.engine.begin() as conn:
            row = store.report(conn, row["id"])
            kept = store.kept(conn, row["id"], error.number) or {}
            earlier = store.readable_before(conn, row["id"], error.number)
            unit = conn.execute(select(units.c.name).where(units.c.id == row["unit_id"])).scalar_one()
        return page("unreadable.html", 422, session=session, report=row, unit=unit, error=error,
                    saved_at=shown_time(kept.get("saved_at")), username=kept.get("username", ""), earlier=earlier,
                    current=error.number == row["version"], may_restore=self._locked(session, row) is None)




class FirstPassword(Exception):
    """A user with a one-time password asked for a page: they are sent to change it first."""


def first_password(request: Request, _exc: Exception) -> Response:
    """The answer to ``FirstPassword``: the password page (a page), a refusal (anything else)."""
    if request.method == "GET":
        return RedirectResponse("/account", status_code=303)
    return page("message.html", 403, title="请先修改密码", message="首次登录（或密码被重置后）请先修改密码，再进行其他操作")


MAX_FIELDS = 5000  # a report's form has some 650
MAX_FIELD_BYTES = 1024 * 1024  # a field's name and value together, as starlette's form parser allows


def form_fields(body: bytes) -> dict[str, str]:
    """An urlencoded body's fields (name → value, the last of a repeated name), read exactly as
    starlette's ``request.form()`` reads them — pieces split at "&", the name before the first
    "=", each unquoted with "+" as a space, UTF-8, errors replaced; too many fields or too
    large a field a 400 — but a field's name decoded once (``_field_name``): a save posts some
    650 names of percent-encoded Chinese, and decoding them was a third of its time."""
    out: dict[str, str] = {}
    count = 0
    for piece in body.split(b"&"):
        if not piece:
            continue
        count += 1
        if count > MAX_FIELDS:
            raise HTTPException(status_code=400, detail=f"Too many fields. Maximum number of fields is {MAX_FIELDS}.")
        name, _, value = piece.partition(b"=")
        if len(name) + len(value) > MAX_FIELD_BYTES:
            raise HTTPException(status_code=400, detail=f"Field exceeded maximum size of {MAX_FIELD_BYTES // 1024}KB.")
        out[_field_name(name) if len(name) <= 512 else unquote_plus(name.decode("latin-1"))] = \
            unquote_plus(value.decode("latin-1"))
    return out


@functools.lru_cache(maxsize=4096)
def _field_name(raw: bytes) -> str:
    return unquote_plus(raw.decode("latin-1"))


def posted_version(form: Any) -> int:
    """The version a post was made from (-1 when absent or not a number: it can match none)."""
    number = posted_int(form.get("version"))
    return -1 if number is None else number


def expired() -> Response:
    return page("message.html", 403, title="请求无效", message="表单已过期，请刷新页面后重试")


SUMMARY_UNIT = "本级政府（汇总）"
SUMMARY_KIND = "government"  # the level's own report, the summary the office makes: no clerk, never late


def loaded_text(text: str, name: str) -> Any:
    """A kept version's data, validated as the CLI validates a data file (``name`` in messages;
    one that no longer loads is an ``InputError`` naming it)."""
    try:
        data = store.read_version(text, 0)
    except store.Unreadable as e:
        raise InputError(f"数据无法读取：{e.reason}", name) from None
    return validate_data(data, None, name)


def posted_int(value: Any) -> int | None:
    """A version number posted (None when absent or not one)."""
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 10 else None


def office_zone() -> ZoneInfo:
    """The office's time zone (``serve --timezone``, kept in the environment so that every worker
    process has it; default Asia/Shanghai): times are kept in UTC and shown in it."""
    try:
        return ZoneInfo(os.environ.get(ZONE_ENV) or DEFAULT_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def shown_time(when: Any) -> str:
    """A kept time (UTC, naive as the database gives it) as the office reads it, in its zone."""
    if not hasattr(when, "strftime"):
        return ""
    if when.tzinfo is None:
        when = when.replace(tzinfo=_dt.timezone.utc)
    return when.astimezone(office_zone()).strftime("%Y-%m-%d %H:%M:%S")


