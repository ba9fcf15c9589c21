"""``reportgen check``: audit a report (data file or published txt/docx/html) and explain
every finding, deterministically.

What is checked, each finding with a severity, a place and an explanation in Chinese:

* the statutory structure: sections and tables of the edition (the six content items of the
  2008 条例 for free-form reports);
* the arithmetic: the official 勾稽 rule per column, and the derived sums (总计 column,
  （七）总计, table 四 totals), with the numbers;
* what reading found: blank cells, labels of another edition, data that does not validate;
* dates: a year that disagrees with the title or the publication date, and the statutory
  deadline (条例 第四十九条: 1月31日 for departments, 3月31日 for a government's summary report;
  3月31日 for every report under the 2008 条例) when the publication date is known;
* with ``--previous``, the link between years (上年结转 = last year's 结转下年度).
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .batch import Job, Outcome, guarded
from .config import profile_for
from .document import one_line
from .dates import date_warnings, unit_kind
from .editions import EDITIONS
from .extract import stated_fee_amount
from .errors import READING_NOTE, InputError, Problem, ReportgenError, ValidationFailed, display_name, kind_of
from .loader import read_data_file, validate_data
from .model import K
from .reading import DATA_SUFFIXES, ParseResult, parse_file, previous_report
from .rules import link_problems

SEVERITIES = ("info", "warning", "error")
LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
# how serious a finding of each code is when reading a published report found it
_READING_SEVERITY = {"missing-table": "error", "blank": "info"}


@dataclass
class Finding:
    severity: str      # error | warning | info
    code: str          # the stable code of the finding (``errors.Problem``): balance, sum, missing-table …
    place: str         # where, in a clerk's words (section / table / row / column, or key path)
    message: str
    line: int | None = None
    kind: str = ""     # 报告问题 or 读取说明 (``errors.KINDS``), set from the code
    path: tuple = ()   # the data file's key path, when the finding has one (for programs)

    def __post_init__(self) -> None:
        self.kind = kind_of(self.code)

    @property
    def reading(self) -> bool:
        """A note on how the file could be read, not a fault of the report."""
        return self.kind == READING_NOTE

    @property
    def rule(self) -> str:  # the name the first versions gave the code
        return self.code


@dataclass
class CheckResult:
    file: str
    format: str                     # data, txt, docx, html or md
    readable: bool = True
    edition: str | None = None
    year: int | None = None
    agency: str | None = None
    unit: str | None = None         # department or government (for the deadline)
    findings: list[Finding] = field(default_factory=list)

    def faults(self) -> list[Finding]:
        """The report's own faults (reading notes left out)."""
        return [f for f in self.findings if not f.reading]

    def notes(self) -> list[Finding]:
        """The reading notes (读取说明)."""
        return [f for f in self.findings if f.reading]

    def worst(self, strict: bool = False) -> str | None:
        """The worst severity among the report's faults (with ``strict``, the reading notes too)."""
        ranks = [SEVERITIES.index(f.severity) for f in (self.findings if strict else self.faults())]
        return SEVERITIES[max(ranks)] if ranks else None

    def to_dict(self) -> dict:
        out = asdict(self)
        for f in out["findings"]:
            f["rule"] = f["code"]
        return out


def _place(problem: Problem) -> str:
    return problem.place or ".".join(str(p) for p in problem.path)


def _finding(problem: Problem, severity: str | None = None) -> Finding:
    sev = severity or ("error" if problem.severity == "error" else "warning")
    return Finding(sev, problem.code, _place(problem), problem.message, problem.line, path=tuple(problem.path))


def check_file(path: str, previous: Any = None, unit: str | None = None, fmt: str | None = None) -> CheckResult:
    """Check one input. An unreadable input gives ``readable=False`` and one error finding."""
    is_data = fmt == "data" or (fmt is None and Path(path).suffix.lower() in DATA_SUFFIXES)
    result = CheckResult(path, "data" if is_data else (fmt or ""))
    parsed = None
    try:
        if is_data:
            data, lines = read_data_file(path)
            data = profile_for(path).data_defaults(data)
            extra: list[Finding] = []
        else:
            parsed = parse_file(path, fmt)
            result.format = parsed.format
            data, lines = parsed.data, {}
            extra = _reading_findings(parsed)
    except InputError as e:
        result.readable = False
        result.findings.append(Finding("error", "unreadable", "", e.message, e.line))
        return result
    except ValidationFailed as e:  # YAML that does not parse
        result.readable = False
        result.findings += [_finding(p) for p in e.problems]
        return result
    result.findings += extra
    return _checked(result, data, lines, parsed, previous, unit)


def check_data(data: dict, name: str, previous: Any = None, unit: str | None = None) -> CheckResult:
    """``check`` of report data already in memory (a report the server keeps): the findings its
    data file would give."""
    return _checked(CheckResult(name, "data"), data, {}, None, previous, unit)


def _checked(result: CheckResult, data: Any, lines: dict, parsed: ParseResult | None, previous: Any,
             unit: str | None) -> CheckResult:
    """The findings of read data: validation, warnings, dates, the link with the year before."""
    path = result.file
    if isinstance(data, dict):
        result.agency = data.get("机关名称") if isinstance(data.get("机关名称"), str) else None
        result.year = data.get("报告年度") if isinstance(data.get("报告年度"), int) else None
    try:
        if parsed is not None and parsed.loaded is None:  # reading validated them already
            raise ValidationFailed(parsed.problems, path)
        loaded = parsed.loaded if parsed is not None else validate_data(data, lines, path)
    except ValidationFailed as e:
        result.findings += [_finding(p) for p in e.problems if not _duplicate(p, result.findings)]
        return result
    except ReportgenError as e:
        result.findings.append(Finding("error", "invalid", "", e.message))
        return result
    report = loaded.report
    result.edition, result.year, result.agency = loaded.edition.id, report.year, report.agency
    result.findings += [_finding(w) for w in loaded.warnings if not _duplicate(w, result.findings) and not _dated(w)]
    result.findings = [_fee_note(f, data) if f.code == "fee-statement" else f for f in result.findings]
    result.unit = unit or unit_kind(report.agency)
    result.findings += _date_findings(loaded, result.unit)
    if previous is not None:
        result.findings += [_finding(p) for p in link_problems(loaded, previous)]
    return result


def _dated(w: Problem) -> bool:
    """A date warning of validate's: check judges the dates itself, for the unit it was told
    (validate judged them for the unit it inferred)."""
    return w.code in ("deadline", "year") and bool(w.path) and w.path[0] in (K.publish_date, K.closing, K.publication)


def _fee_note(finding: Finding, data: Any) -> Finding:
    """A missing 信息处理费 statement, unless the section's text states the amount charged
    without the number of notices: then a reading note saying what was read."""
    key = finding.path[0] if finding.path else None
    section = data.get(key) if isinstance(data, dict) and key else None
    texts = [t for _, t in _strings(section)]
    amount = next((a for a in map(stated_fee_amount, texts) if a is not None), None)
    if amount is None:
        return finding
    return Finding("info", "fee-partial", finding.place,
                   f"信息处理费：正文写明收取 {amount:f} 元，未写明收费通知件数，未填入数据", path=finding.path)


def _strings(value: Any, path: tuple = ()):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, (*path, i))


def _duplicate(problem: Problem, findings: list[Finding]) -> bool:
    return any(f.message == problem.message for f in findings)


def _reading_findings(parsed: ParseResult) -> list[Finding]:
    out = []
    for w in parsed.warnings:
        if w.message.startswith("读出的数据未通过校验"):
            continue  # validated again below, with the full messages and severities
        if w.code == "blank" or _dated(w):
            continue  # listed cell by cell below; dates judged below
        out.append(Finding(_READING_SEVERITY.get(w.code, "warning"), w.code, _place(w), w.message, path=tuple(w.path)))
    for cell in parsed.blanks:
        out.append(Finding("warning", "blank", cell, "单元格为空白或“-”“/”“无”，按 0 读取；请核实是 0 还是漏填"))
    if parsed.foreign_labels:
        others = "、".join(EDITIONS[e].short_name() for e in parsed.foreign_editions if e in EDITIONS) or "其他版式"
        out.append(Finding("warning", "foreign-label", "统计表",
                           f"表中有{others}格式的项目：{'、'.join(parsed.foreign_labels[:6])}"
                           f"；本报告按{EDITIONS[parsed.edition].short_name()}读取"))
    return out


# --- dates -----------------------------------------------------------------------------

def _date_findings(loaded, unit: str) -> list[Finding]:
    report = loaded.report
    out = []
    title = report.title_text or ""
    m = re.search(r"((?:19|20)\d{2})\s*年", title)
    if m and int(m.group(1)) != report.year:
        out.append(Finding("warning", "year", "标题", f"标题中的年度 {m.group(1)} 与报告年度 {report.year} 不一致"))
    out += [Finding("warning", code, place, message) for place, code, message in date_warnings(report, unit)]
    return out


def check_worker(job: Job) -> Outcome:
    """One input of ``reportgen check`` (run in a batch worker)."""
    def work() -> Outcome:
        o = job.options
        last = previous_report(o["previous"]) if o.get("previous") else None
        result = check_file(job.path, last, o.get("unit"), o.get("fmt"))
        fail_on = SEVERITIES.index(o.get("fail_on", "error"))
        worst = result.worst(o.get("strict", False))
        code = 2 if not result.readable else 1 if worst and SEVERITIES.index(worst) >= fail_on else 0
        return Outcome(job.path, code == 0, code, [], [], result, findings=code == 1)

    return guarded(job, work)


# --- reporting -------------------------------------------------------------------------

def format_result(result: CheckResult, verbose: bool = False) -> str:
    """The findings for a reader: the report's faults counted, then the reading notes in their
    own short section (one line each; the full text with ``verbose``)."""
    head = display_name(result.file)
    facts = [x for x in (one_line(result.agency or ""), f"{result.year}年度" if result.year else None,
                         EDITIONS[result.edition].short_name() if result.edition in EDITIONS else None)
             if x]
    counts = {s: sum(1 for f in result.faults() if f.severity == s) for s in SEVERITIES}
    summary = "，".join(f"{LABELS[s]} {n}" for s, n in reversed(counts.items()) if n) or "未发现问题"
    lines = [f"{head}（{'，'.join(facts)}）：{summary}" if facts else f"{head}：{summary}"]
    notes = result.notes()
    if notes:
        lines[0] += f"；{READING_NOTE} {len(notes)} 条"
    for f in sorted(result.faults(), key=lambda f: -SEVERITIES.index(f.severity)):
        where = f" {f.place}" if f.place else ""
        line = f":{f.line}" if f.line else ""
        lines.append(f"  [{LABELS[f.severity]}]{line}{where}：{f.message}")
    if notes:
        lines.append(f"  {READING_NOTE}（不计入报告的问题）：")
        for f in notes:
            where = f"{f.place}：" if f.place else ""
            lines.append(f"    - {where}{f.message if verbose else _short(f.message)}")
    return "\n".join(lines)


def _short(message: str, limit: int = 80) -> str:
    """A reading note in one short line: its details in brackets (digit-run readings, cell
    lists) left out, at most ``limit`` characters (the full text with -v/--json)."""
    text = re.sub(r"（[^（）]*）", "", one_line(message))
    return text if len(text) <= limit else text[:limit - 1] + "…"
