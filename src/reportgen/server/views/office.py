"""The office's pages: the dashboard of units and their reports, adding units, the year and
deadline, the audit log, the roll-up of the submitted reports into the summary, and the
downloads of every report and of the dataset."""
from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path

from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ...aggregate import aggregate_loaded, figures_into
from ...datafile import dump
from ...dataset import encode, loaded_rows
from ...errors import ReportgenError
from ...model import K
from .. import mail, pictures, store
from ..db import reports, units
from ..exports import zip_of_reports
from .base import SUMMARY_KIND, SUMMARY_UNIT, Views, loaded_text, office_get, office_post, page

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class OfficeViews(Views):
    """The dashboard, units, settings, the audit log, the summary and the exports."""

    # --- pages ---------------------------------------------------------------------------

    async def home(self, request: Request) -> Response:
        """A clerk's home is the unit's report; the office's is the dashboard: the year and the
        deadline, how many reports stand in each state, the units (state, the version submitted,
        when and by whom, what to do next), and the summary report in a section of its own."""
        session = self._session(request)
        if session is None:
            return RedirectResponse("/login", status_code=303)
        with self.engine.begin() as conn:
            year = store.current_year(conn)
            deadline = store.setting(conn, "deadline")
            if session["role"] != "admin":
                row = store.report_of(conn, session["unit_id"], year)
                return RedirectResponse(f"/reports/{row['id']}", status_code=303)
            rows, summary = [], None
            for unit in conn.execute(select(units).order_by(units.c.id)).mappings():
                rep = store.report_of(conn, unit["id"], year)
                entry = {"unit": dict(unit), "report": rep, "status": store.STATUSES[rep["status"]]}
                if unit["kind"] == SUMMARY_KIND:
                    summary = entry
                else:
                    rows.append(entry)
            events = store.review_events(conn, [r["report"]["id"] for r in rows])
            board = store.notice_board(conn)
        days = (_dt.date.fromisoformat(deadline) - _dt.date.today()).days if deadline else None
        for r in rows:
            submits = [e for e in events.get(r["report"]["id"], []) if e["action"] == "submitted"]
            r["submitted"] = submits[-1] if submits and r["report"]["status"] in store.LOCKED else None
            r["late"] = days is not None and days < 0 and r["report"]["status"] not in store.LOCKED
        counts = _state_counts([r["report"]["status"] for r in rows])
        return page("dashboard.html", session=session, year=year, deadline=deadline, days=days, rows=rows,
                    summary=summary, counts=counts, kinds={k: v for k, v in store.KINDS.items() if k != SUMMARY_KIND},
                    all_kinds=store.KINDS, picture=pictures.words(self._progress(counts, year)),
                    drawn=pictures.available(), printing=request.url.path == "/print", notices=board,
                    audiences=store.AUDIENCES, mailing=mail.configured() is not None)

    def _progress(self, counts: dict[str, int], year: int) -> pictures.Progress:
        """The dashboard picture's figures: the units in hand (submitted or approved) and the
        summary (when it validates). Reading them validates every such report: that is done
        once for the versions in hand and kept (the dashboard and its picture ask it again on
        every view; a new save, submit or roll-up changes the versions and reads them anew)."""
        with self.engine.begin() as conn:
            in_hand = tuple(tuple(r) for r in conn.execute(
                select(reports.c.id, reports.c.version, reports.c.status, units.c.kind)
                .join(units, units.c.id == reports.c.unit_id).where(reports.c.year == year)
                .order_by(reports.c.id)))
            key = (year, in_hand)
            memo = self.__dict__.setdefault("_progress_memo", {})
            if key not in memo:
                try:
                    taken, _ = self._reviewed(conn, year, store.LOCKED)
                except ReportgenError:
                    taken = []  # a unit's report that no longer validates: its findings page says so
                unit = conn.execute(select(units).where(units.c.kind == SUMMARY_KIND)).mappings().first()
                text = store.text_of(conn, store.report_of(conn, unit["id"], year)["id"]) if unit else None
                try:
                    summary = loaded_text(text, SUMMARY_UNIT) if text else None
                except ReportgenError:
                    summary = None
                memo.clear()  # only the newest figures are asked for again
                memo[key] = (taken, summary)
            taken, summary = memo[key]
        return pictures.progress(year, counts, taken, summary)

    @office_get
    async def dashboard_picture(self, request: Request, session: dict) -> Response:
        """The dashboard's picture (PNG): progress, applications per unit, the summary's outcomes."""
        if not pictures.available():
            return self._refused()
        with self.engine.begin() as conn:
            year = store.current_year(conn)
            statuses = [store.report_of(conn, u, year)["status"] for u in conn.execute(
                select(units.c.id).where(units.c.kind != SUMMARY_KIND)).scalars()]
        blob = await run_in_threadpool(pictures.drawn, self._progress(_state_counts(statuses), year))
        return Response(blob, media_type="image/png", headers={"Cache-Control": "private, no-cache"})

    @office_post
    async def add_unit(self, request: Request, session: dict, form: dict) -> Response:
        name, kind = form.get("name", "").strip(), form.get("kind", "")
        if not name or kind not in store.KINDS or kind == SUMMARY_KIND:  # the summary is made by 汇总
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

    # --- notices --------------------------------------------------------------------------

    @office_post
    async def post_notice(self, request: Request, session: dict, form: dict) -> Response:
        """A notice to every unit, or to those that have not yet submitted; mailed afterwards to
        the units with an address when the office named a mail server."""
        text, audience = form.get("text", "").strip(), form.get("audience", "all")
        if not text or len(text) > 5000 or audience not in store.AUDIENCES:
            return page("message.html", 400, title="无法发布", message="请填写通知内容（5000 字以内）并选择发给哪些单位")
        with self.engine.begin() as conn:
            year = store.current_year(conn)
            chosen = []
            for unit in conn.execute(select(units).where(units.c.kind != SUMMARY_KIND)).mappings():
                if audience == "late" and store.report_of(conn, unit["id"], year)["status"] in store.LOCKED:
                    continue
                chosen.append(dict(unit))
            notice_id = store.post_notice(conn, text, audience, session["user_id"], [u["id"] for u in chosen])
        mailer = mail.configured()
        task = BackgroundTask(self._mail_notice, mailer, notice_id, text, chosen) if mailer else None
        return RedirectResponse("/#notices", status_code=303, background=task)

    def _mail_notice(self, mailer: mail.Mailer, notice_id: int, text: str, chosen: list[dict]) -> None:
        """The notice mailed to the chosen units that have an address; each outcome kept."""
        to = [(u["name"], u["email"]) for u in chosen if u.get("email")]
        outcomes = mailer.send(to, "【政府信息公开工作年度报告】政务公开办通知", text) if to else {}
        with self.engine.begin() as conn:
            for u in chosen:
                store.note_mailed(conn, notice_id, u["id"], outcomes.get(u.get("email") or "", "未设置邮箱，未发送邮件"))

    @office_post
    async def unit_emails(self, request: Request, session: dict, form: dict) -> Response:
        """The units' e-mail addresses for notices (``email/<unit id>`` fields)."""
        with self.engine.begin() as conn:
            known = {u["id"]: u["email"] or "" for u in conn.execute(select(units.c.id, units.c.email)).mappings()}
            for key, value in form.items():
                ident = key.removeprefix("email/")
                if not key.startswith("email/") or not ident.isdigit() or int(ident) not in known:
                    continue
                value = value.strip()
                if value and not EMAIL.fullmatch(value):
                    return page("message.html", 400, title="邮箱无效", message=f"“{value}”不是电子邮件地址")
                if value != known[int(ident)]:
                    store.set_email(conn, int(ident), value, session["user_id"])
        return RedirectResponse("/#units", status_code=303)

    @office_get
    async def audit_log(self, request: Request, session: dict) -> Response:
        with self.engine.begin() as conn:
            rows = store.audit_rows(conn)
        return page("audit.html", session=session, rows=rows)

    # --- the office: the summary and everything out ---------------------------------------

    def _reviewed(self, conn, year: int, states: tuple[str, ...] = ("approved",)) -> tuple[list, list[str]]:
        """The units' reports of ``year`` in ``states`` (default: approved), validated — a failure
        names the unit — and the names of the units whose report is only submitted and not taken."""
        taken, waiting = [], []
        for rep in conn.execute(select(reports, units.c.name).join(units, units.c.id == reports.c.unit_id)
                                .where(reports.c.year == year, reports.c.status.in_(store.LOCKED),
                                       units.c.kind != SUMMARY_KIND)  # not the summary itself
                                .order_by(reports.c.unit_id)).mappings():
            if rep["status"] in states:
                taken.append(loaded_text(store.text_of(conn, rep["id"]) or "", rep["name"]))
            else:
                waiting.append(rep["name"])
        return taken, waiting

    @office_post
    async def aggregate(self, request: Request, session: dict, form: dict) -> Response:
        """The summary (本级政府（汇总）) of the approved reports — and of the submitted ones too
        when the office ticks it — made again from the figures each time, the office's text kept."""
        states = store.LOCKED if form.get("include_submitted") else ("approved",)
        with self.engine.begin() as conn:
            year = store.current_year(conn)
            agency = form.get("agency", "").strip() or None
            try:
                taken, waiting = self._reviewed(conn, year, states)
                if not taken:
                    return page("message.html", 422, title="无法汇总",
                                message="还没有审核通过的报告" + ("（已提交待审核：" + "、".join(waiting) + "；可勾选“包括已提交、尚未审核的报告”）" if waiting else ""))
                data, summary = aggregate_loaded(taken, agency)
            except ReportgenError as e:
                return page("message.html", 422, title="无法汇总", message=str(e))  # names the unit
            unit = conn.execute(select(units).where(units.c.kind == SUMMARY_KIND)).mappings().first()
            unit_id = unit["id"] if unit else store.add_unit(conn, SUMMARY_UNIT, SUMMARY_KIND, session["user_id"], clerk=False)[0]
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
            store.log(conn, session["user_id"], "aggregate-units", f"report:{row['id']}",
                      f"汇总 {len(taken)} 个单位" + (f"；未计入（已提交待审核）：{'、'.join(waiting)}" if waiting else ""))
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
        """Every submitted or approved unit's cells in long form with the key figures (as ``parse --table``)."""
        fmt = request.path_params["fmt"]
        if fmt not in ("xlsx", "csv"):
            return self._refused()
        with self.engine.begin() as conn:
            year = store.current_year(conn)
            rows, figures = [], []
            try:
                submitted, _ = self._reviewed(conn, year, store.LOCKED)
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


def _state_counts(statuses: list[str]) -> dict[str, int]:
    """How many units stand in each state, by the state's shown name (every state, zeros too)."""
    return {label: statuses.count(key) for key, label in store.STATUSES.items()}
