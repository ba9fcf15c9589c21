"""A report's dates against the law: which kind of unit a report is of, its statutory
publication deadline (declared with the editions), the date its 落款 gives, and the warnings
for a date after the deadline or before the year has ended. ``validate`` and ``check`` both
use them, so a clerk hears of a late date while filling in, an assessor when reading."""
from __future__ import annotations

import datetime as _dt
import re

from .editions import EDITIONS, edition_for_year

_CLOSING_DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def unit_kind(agency: str | None) -> str:
    """government for a people's government's own (summary) report, else department."""
    name = (agency or "").strip()
    return "government" if re.search(r"人民政府$", name) and "办公" not in name else "department"


def deadline(year: int, unit: str) -> tuple[_dt.date, str]:
    """The statutory publication deadline of a report on ``year`` (its edition declares it), and its basis."""
    due = EDITIONS[edition_for_year(year)].deadlines[unit]
    return _dt.date(year + 1, due.month, due.day), due.basis


def closing_date(lines: list[str]) -> _dt.date | None:
    """The date the 落款 gives (its last line with a date: 2025年1月20日), if it is a real date."""
    for line in reversed(lines or []):
        m = _CLOSING_DATE.search(str(line))
        if m:
            try:
                return _dt.date(*map(int, m.groups()))
            except ValueError:
                return None
    return None


def date_warnings(report, unit: str | None = None) -> list[tuple[str, str, str]]:
    """(place, code, message) for the report's date that falls before the year's end or after
    the statutory deadline: the 发布日期 (the deadline is one of publication), else — a report
    not yet published, as a clerk fills it in — the 落款's date."""
    unit = unit or unit_kind(report.agency)
    due, basis = deadline(report.year, unit)
    kind = "本级政府年度报告" if unit == "government" else "部门年度报告"
    out = []
    dated = [("发布日期", report.published)] if report.published else [("落款", closing_date(report.closing))]
    for place, date in dated:
        if date is None:
            continue
        if date.year <= report.year:
            out.append((place, "year", f"{place} {date.isoformat()} 在报告年度 {report.year} 结束之前"))
        elif date > due:
            out.append((place, "deadline", f"{place} {date.isoformat()} 晚于法定期限 {due.isoformat()} "
                                           f"{(date - due).days} 天（按{kind}：{basis}）"))
    return out


__all__ = ["closing_date", "date_warnings", "deadline", "unit_kind"]
