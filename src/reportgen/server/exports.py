"""The office's zip of every unit's report: one member a unit, named safely from the unit's name.

A unit's name is whatever the office typed; a zip member's name is a path to whoever unpacks
it. So a member's name is made a plain file name (``member_name``): no path separator, no
``..``, no control or invisible formatting character, none of the characters Windows refuses
(``<>:"/\\|?*``, which also takes markup apart), no name Windows reserves (CON, NUL …), no
leading or trailing dot or space, at most ``MAX_STEM`` characters. A report not submitted is
marked in its name (（草稿）, （已退回）), one that does not validate is its data file marked
（未通过校验）, one whose version no longer loads its text marked （无法读取）; names that would
coincide (also as Windows compares them, case aside) are numbered （2）, （3）….
"""
from __future__ import annotations

import io
import re
import unicodedata
import zipfile

from ..errors import ReportgenError
from ..loader import validate_data
from ..render import render_loaded
from .store import Unreadable, read_version

MAX_STEM = 80
_FORBIDDEN = re.compile(r'[<>:"/\\|?*]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
MARKS = {"draft": "草稿", "returned": "已退回"}  # a status other than submitted, as the name shows it


def safe_stem(name: str) -> str:
    """A unit's name as a plain file name without its suffix (never empty)."""
    text = unicodedata.normalize("NFC", name)
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" and unicodedata.category(ch) not in ("Zl", "Zp"))
    text = _FORBIDDEN.sub("_", text)
    text = re.sub(r"\.{2,}", ".", text)
    text = re.sub(r"\s+", " ", text).strip(" ._")
    text = text[:MAX_STEM].rstrip(" .")
    if not text:
        text = "未命名单位"
    if text.split(".")[0].upper() in _RESERVED:
        text = "_" + text
    return text


def member_name(unit: str, status: str, suffix: str, taken: set[str], extra: str = "") -> str:
    """The zip member for a unit's report (``status``'s mark, then ``extra``), numbered when the
    name is taken; the name is added to ``taken`` (kept case-folded)."""
    stem = safe_stem(unit) + (f"（{MARKS[status]}）" if status in MARKS else "") + (f"（{extra}）" if extra else "")
    name, n = f"{stem}{suffix}", 1
    while name.casefold() in taken:
        n += 1
        name = f"{stem}（{n}）{suffix}"
    taken.add(name.casefold())
    return name


def zip_of_reports(reports: list[dict]) -> bytes:
    """Each unit's report (``unit``, ``status``, ``text``, ``saved_at``) as Word; its data file
    when it no longer loads, does not validate or cannot be written as Word, named so."""
    out = io.BytesIO()
    taken: set[str] = set()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for rep in reports:
            unit, status, text = rep["unit"], rep["status"], rep["text"]
            try:
                loaded = validate_data(read_version(text, 0), None, unit)
            except Unreadable:
                z.writestr(member_name(unit, status, ".yaml", taken, "无法读取"), text)
                continue
            except ReportgenError:
                z.writestr(member_name(unit, status, ".yaml", taken, "未通过校验"), text)
                continue
            try:
                blob = render_loaded(loaded, ["docx"], when=rep["saved_at"])["docx"]
            except ReportgenError:
                z.writestr(member_name(unit, status, ".yaml", taken, "无法生成"), text)
                continue
            z.writestr(member_name(unit, status, ".docx", taken), blob)
    return out.getvalue()


__all__ = ["MARKS", "MAX_STEM", "member_name", "safe_stem", "zip_of_reports"]
