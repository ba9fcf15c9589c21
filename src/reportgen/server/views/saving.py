"""A save, an upload or last year's report kept as the next version: when others saved
meanwhile, merged three ways (``merge``) — what only one side changed is taken, what both
changed differently is shown on the merge page for the clerk to choose."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from ...datafile import dump
from ...errors import ReportgenError
from ...nextyear import next_year_data
from ...yamlio import load_yaml
from .. import auth, store
from ..forms import data_from_form, form_values, zero_tables_of
from ..merge import Merge, merge
from ..uploads import MAX_UPLOAD_BYTES, read_upload
from .base import Views, expired, page, posted_int, posted_version, report_get, report_post, shown_time

MAX_MERGES = 5  # a save merged again at most as often while others keep saving, then the merge page


class SavingViews(Views):
    """Saving, merging, uploads and starting from last year."""

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
        notes_of_office = self._office_facts(row, mine)
        merged = None
        merge_result: Merge | None = None
        for _ in range(MAX_MERGES):
            with self.engine.begin() as conn:
                try:
                    number = store.save(conn, row["id"], dump(mine, edition), origin, session["user_id"], action, zero)
                    return Settled(number, store.report(conn, row["id"]), mine, zero, merged, notes_of_office)
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
            posted = data_from_form(form_values(base_data, edition, loaded.report if loaded else None), edition)[0]
            self._office_facts(row, posted)  # as a save writes them (the form does not ask them)
            mine_base = _normal(posted, edition)
        if theirs is None:
            notes.append(f"第 {against} 版无法读取，未能与之合并（它仍保留在历史版本中）")
            theirs_data, theirs_zero = base_data, base_zero
        else:
            theirs_data, theirs_zero = theirs["data"], theirs["zero_tables"]
        with self.engine.begin() as conn:
            who = store.kept(conn, row["id"], against) or {}
        saved_by = {"number": against, "username": who.get("username", ""), "saved_at": shown_time(who.get("saved_at"))}
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
        origin, against = posted_int(form.get("origin")), posted_int(form.get("against"))
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

    async def autosave(self, request: Request) -> Response:
        """The form's draft kept as the next version (every 30 s and on leaving a changed field),
        answered in JSON for the page's script: the new version, or why it was not kept. A save
        someone made meanwhile is not merged here — the page would not show what they saved, and
        the next save from it would undo it — the clerk is asked to press 保存, which merges."""
        session = self._session(request)
        row = self._report_for(session, request.path_params["report_id"]) if session else None
        form = await self._form(request) if row is not None else None
        if row is None or form is None or not auth.csrf_ok(session, form.get("csrf")):
            return JSONResponse({"message": "草稿未能自动保存：登录已失效或无权修改，请刷新页面"}, status_code=403)
        if self._locked(session, row):
            return JSONResponse({"message": "报告已提交或已审核，不再自动保存"}, status_code=409)
        edition = self._edition(row)
        data, _ = data_from_form(form, edition)
        self._office_facts(row, data)
        zero, origin = zero_tables_of(form, edition), posted_version(form)
        text = dump(data, edition)
        with self.engine.begin() as conn:
            if origin == row["version"]:
                kept = store.kept(conn, row["id"], origin) if origin else None
                if kept is not None and kept["text"] == text and kept["zero_tables"] == zero:
                    return JSONResponse({"version": origin, "message": ""})  # nothing changed
            try:
                number = store.save(conn, row["id"], text, origin, session["user_id"], "autosave", zero)
            except store.Conflict as e:
                return JSONResponse({"message": f"他人已保存第 {e.current} 版，草稿未自动保存：请点击“保存”合并双方的修改"},
                                    status_code=409)
            when = shown_time(store.saved_at(conn, row["id"]))
        return JSONResponse({"version": number, "message": f"草稿已自动保存为第 {number} 版（{when}）"})

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
            return expired()
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
        return self._saved_from_file(session, row, data, posted_version(form), "upload")

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
        if settled.merged or settled.notes:
            return self._form_page(session, settled.row, settled.data, settled.notes, saved=settled.number,
                                   zero=settled.zero, merged=settled.merged)
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
        origin = posted_version(form)
        if origin != row["version"]:  # nothing typed to keep: start again from the newest
            return page("message.html", 409, title="无法开始", message=f"报告已被他人修改（现为第 {row['version']} 版）：请刷新后再试")
        return self._saved_from_file(session, row, data, origin, "from-last-year")



@dataclass
class Settled:
    """A save done: the version's number, the report after it, the data and the tables
    confirmed as empty it keeps, and what merging took from each side (None: no merge)."""

    number: int
    row: dict
    data: dict
    zero: frozenset
    merged: dict | None
    notes: list[str] = field(default_factory=list)  # the office's facts written over the data saved


def _normal(data: dict, edition: Any) -> dict:
    """Data as a save keeps it (written and read back): what the three sides of a merge compare."""
    return load_yaml(dump(data, edition), "合并")[0]


def _unread(messages: list[str]) -> list[str]:
    return [f"您填写的内容中有无法读取的，未计入：{m}" for m in messages]


