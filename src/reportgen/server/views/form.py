"""A report's form and what is done from it: the form filled and its messages placed by input,
the live check, the preview and downloads, submitting and returning, the history and
restoring a version, and the findings of ``reportgen check``."""
from __future__ import annotations

from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from ...check import check_data
from ...errors import ReportgenError
from ...model import K
from ...render import render_loaded
from .. import auth, store
from ..db import units
from ..forms import ZERO_LABEL, data_from_form, field_rows, table_grid, zero_tables_of
from ..submission import refusals
from .base import SUMMARY_KIND, Views, expired, page, posted_int, posted_version, report_get, report_post


class FormViews(Views):
    """The report's form, its checks, previews, downloads, states and history."""

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
        fixed = {(K.year,), (K.edition,)} | ({(K.agency,)} if self._unit_of(row)["kind"] != SUMMARY_KIND else set())
        for f in fields:  # what the office sets is shown, not asked (``_office_facts`` writes it on save)
            f["fixed"] = tuple(f["place"]) in fixed
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
        labels = {f["name"]: f["label"] for f in fields}  # what the list of messages calls each input
        labels.update({cell["name"]: cell["label"] for grid in grids for cells in grid["rows"] for cell in cells
                       if "label" in cell})
        return {"fields": fields, "grids": grids, "messages": messages, "labels": labels, "general": general + list(extra),
                "valid": valid, "refusals": reasons}

    def _form_page(self, session: dict, row: dict, data: dict, extra: list = (), status: int = 200,
                   saved: int | None = None, zero: frozenset = frozenset(), submitting: bool = False,
                   merged: dict | None = None) -> Response:
        """The report's form filled with ``data`` (``zero``: the tables confirmed as empty);
        ``saved``: the version just saved, ``merged``: what a merge took from each side."""
        placed = self._placed(row, data, extra, zero, submitting)
        for grid in placed["grids"]:  # a value cell with no message on it: its markup whole (report.html writes it)
            for cells in grid["rows"]:
                for cell in cells:
                    if "before" in cell and not placed["messages"].get(cell["name"]):
                        cell["html"] = cell["before"] + cell["value"] + cell["after"]  # the value escaped
        with self.engine.begin() as conn:  # the office's notices to this unit, until a clerk marks them read
            notices = store.unread_notices(conn, row["unit_id"]) if session["role"] != "admin" else []
        return page("report.html", status, session=session, report=row, state=store.STATUSES[row["status"]], notices=notices,
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
                return expired()
            if locked := self._locked(session, row):
                return locked
            edition = self._edition(row)
            data, unreadable = data_from_form(form, edition)
            settled = self._settle(session, row, data, zero_tables_of(form, edition), posted_version(form), "save", True,
                                   unreadable)
        except store.Unreadable as e:
            return self._unreadable(session, row, e)
        if isinstance(settled, Response):
            return settled
        return self._form_page(session, settled.row, settled.data, list(unreadable) + settled.notes,
                               saved=settled.number, zero=settled.zero, merged=settled.merged)

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
        self._office_facts(row, data)
        placed = self._placed(row, data, unreadable)
        found = [{"name": name, "message": m} for name, items in placed["messages"].items() for m in items]
        found += [{"name": None, "message": m} for m in placed["general"]]
        return JSONResponse({"problems": found})

    @report_get
    async def preview(self, request: Request, session: dict, row: dict) -> Response:
        """The report as it will be published (its HTML); ``/print``: the same, printing itself."""
        loaded, _ = self._validate(self._data_of(row)[0])
        if loaded is None:
            return page("message.html", 422, title="无法预览", message="报告数据未通过校验，请先改正后再预览")
        # the HTML takes a few ms: made in place (a thread hand-off costs more under load, measured)
        html = render_loaded(loaded, ["html"])["html"].decode("utf-8")
        script = "'none'"
        if request.url.path.endswith("/print"):
            html = html.replace("</body>", '<script src="/static/print.js" defer></script></body>', 1)
            script = "'self'"
        return HTMLResponse(html, headers={  # the report's HTML: its style inline, no script of its own
            "Content-Security-Policy": f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                                       f"script-src {script}; frame-ancestors 'none'"})

    @report_get
    async def download(self, request: Request, session: dict, row: dict) -> Response:
        fmt = request.path_params["fmt"]
        if fmt not in ("docx", "txt", "pdf", "yaml", "png", "svg"):
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
                 "txt": "text/plain; charset=utf-8", "pdf": "application/pdf", "png": "image/png",
                 "svg": "image/svg+xml"}[fmt]  # png, svg: the 图解
        return Response(blob, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})

    @report_post(edit=True)
    async def submit(self, request: Request, session: dict, row: dict, form: dict) -> Response:
        """The current version submitted, when ``submission`` finds nothing against it; else the
        form with the reasons at the top. A page showing an older version than the current one
        submits nothing: the clerk sees the newest first."""
        kept = self._kept(row)
        seen = posted_int(form.get("version"))
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
        """The office returns a submitted (or approved) report to its clerk, saying why."""
        comment = form.get("comment", "").strip()
        if row["status"] not in store.LOCKED:
            return page("message.html", 409, title="无法退回", message="只有已提交或已审核通过的报告才能退回")
        if not comment:
            return page("message.html", 400, title="无法退回", message="请填写退回意见：告诉填报单位需要修改什么")
        with self.engine.begin() as conn:
            store.set_status(conn, row["id"], "returned", session["user_id"], comment[:2000])
        return RedirectResponse("/", status_code=303)

    @report_post(admin=True)
    async def approve(self, request: Request, session: dict, row: dict, form: dict) -> Response:
        """The office approves the submitted version (审核通过): locked, and counted in the summary."""
        seen = posted_int(form.get("version"))
        if row["status"] != "submitted" or (seen is not None and seen != row["version"]):
            return page("message.html", 409, title="无法审核",
                        message="只有已提交的报告才能审核通过（报告可能已被退回或已有新版本）：请刷新总览后再试")
        with self.engine.begin() as conn:
            store.set_status(conn, row["id"], "approved", session["user_id"])
        return RedirectResponse("/", status_code=303)

    async def read_notice(self, request: Request) -> Response:
        """A clerk marks the office's notice read: it leaves the unit's page, and the dashboard
        no longer lists the unit under 未读."""
        session = self._session(request)
        form = await self._form(request) or {}
        if session is None or session["role"] == "admin":
            return self._refused()
        if not auth.csrf_ok(session, form.get("csrf")):
            return expired()
        with self.engine.begin() as conn:
            store.mark_read(conn, request.path_params["notice_id"], session["unit_id"], session["user_id"])
        return RedirectResponse("/", status_code=303)

    @report_get
    async def history(self, request: Request, session: dict, row: dict) -> Response:
        """The report's versions (each to restore) and its path through review: every submit,
        return (with the office's comment) and approval."""
        with self.engine.begin() as conn:
            versions = store.history(conn, row["id"])
            events = store.review_events(conn, [row["id"]]).get(row["id"], [])
        return page("history.html", session=session, report=row, versions=versions, events=events,
                    may_restore=self._locked(session, row) is None)

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

