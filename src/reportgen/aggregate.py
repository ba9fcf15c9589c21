"""``reportgen aggregate``: a government's summary data from its subordinate units' data.

The units are streamed: each unit's file is read and validated (in worker processes with
``jobs`` > 1), reduced to what the roll-up needs (``Unit``: its detail cells, its fees, its
appendix row, its name, edition and year) and added to the running sums (``RollUp``); no
loaded unit is kept, so memory does not grow with the number of units.

Every unit is checked, and all that stop the roll-up are named at once: a unit that does not
validate or cannot be read, units of another edition or year than the others (the most common
edition and year are the reference), a unit given twice (names compared across scripts), a
free-form unit (no tables to sum). From the first such unit on the sums are dropped, and the
roll-up is refused (``AggregateError`` with every problem) before anything is written.

The statutory tables are summed cell by cell over the detail cells; totals are left to be
derived again and every rule is re-verified by validating the summary. Each unit's figures, as
the edition declares them (``Edition.unit_figures``), go into ``下级单位``, which the default
templates print as an appendix table.
"""
from __future__ import annotations

import gc
import os
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator

from .batch import Job, Outcome, guarded, run
from .config import Profile, find_config, load_config
from .datafile import dump
from .editions import EDITIONS, Edition
from .errors import Problem, ReportgenError, ValidationFailed, display_name
from .loader import WORKBOOK_SUFFIXES, LoadedReport, known_keys, load_report, validate_data
from .model import PLACEHOLDER, K
from .outputs import source_key, write_new
from .resources import CONFIG_NAME
from .scaffold import blank_data, drop_none
from .schema import schema_file_name
from .script import to_simplified
from .tables.spec import COUNT, TableSpec
from .yamlio import load_plain


class AggregateError(ReportgenError):
    """The units cannot be rolled up together: ``problems`` names every unit that stops it."""

    def __init__(self, message: str, file: str | None = None, problems: Iterable[Problem] = ()):
        self.problems = list(problems)
        super().__init__(message, file)

    def __str__(self) -> str:
        return "\n".join([*(str(p) for p in self.problems), super().__str__()])


def unit_figures(loaded: LoadedReport) -> dict[str, Any]:
    """A unit's row of the appendix: each declared figure, the sum of its cells."""
    row: dict[str, Any] = {K.unit_name: loaded.report.agency}
    for f in loaded.edition.unit_figures:
        row[f.key] = sum(loaded.cells(table)[(r, c)] or 0 for table, r, c in f.cells)
    return row


def unit_key(name: str, script: str = "zh-Hans") -> str:
    """A unit's name as compared between files: Simplified script, NFKC, no spaces, so 雲溪市財政局
    and 云溪市财政局 are one unit."""
    if not name.isascii():
        name = to_simplified(name, script if script != "zh-Hans" else "zh-Hant")
    return "".join(unicodedata.normalize("NFKC", name).split())


@lru_cache(maxsize=None)
def detail_cells(spec: TableSpec) -> tuple:
    """The cells of a table that are summed: every cell but the totals (derived again)."""
    totals = spec.total_cells
    return tuple(cid for cid in spec.cell_ids() if cid not in totals)


# --- one unit, reduced to what the roll-up needs -------------------------------------------

@dataclass
class Unit:
    """What the roll-up keeps of a unit while it adds it (small and picklable, so a worker
    process can send it): the detail cells of each table (``or 0``: an empty cell counts 0),
    the fee values of each section that states them, and the appendix row."""

    file: str | None
    edition: str
    year: int
    agency: str
    script: str
    tables: dict[str, tuple] = field(default_factory=dict)             # table name → detail values
    fees: dict[str, tuple | None] = field(default_factory=dict)        # section key → values, or None
    figures: dict[str, Any] = field(default_factory=dict)              # the appendix row


def unit_of(loaded: LoadedReport) -> Unit:
    edition = loaded.edition
    unit = Unit(loaded.file, edition.id, loaded.report.year, loaded.report.agency, loaded.script)
    if edition.freeform:
        return unit
    for spec in edition.tables:
        cells = loaded.cells(spec.name)
        unit.tables[spec.name] = tuple(cells[cid] or 0 for cid in detail_cells(spec))
    for section in edition.sections:
        if section.values is not None:
            part = getattr(loaded.report, section.attr)
            fees = part.fees if part is not None else None
            unit.fees[section.key] = None if fees is None else \
                tuple(getattr(fees, c.en) for c in section.values.children)
    unit.figures = unit_figures(loaded)
    return unit


# --- the running roll-up --------------------------------------------------------------------

class RollUp:
    """Units added one by one: their sums while every unit so far can be rolled up, and what
    is needed to name every unit that cannot (the files of each edition and year, each unit's
    name). ``result`` refuses, naming them, or gives the summary."""

    def __init__(self) -> None:
        self.count = 0
        self.problems: list[Problem] = []
        self.first: Unit | None = None
        self.groups: dict[str, dict[int, list[str]]] = {}   # edition → year → files, in order
        self.seen: dict[str, tuple[str, str | None]] = {}   # unit key → (name, file)
        self.sums: dict[str, list] = {}
        self.fees: dict[str, list | None] = {}
        self.rows: list[dict] = []

    def refuse(self, problems: list[Problem]) -> None:
        """A unit that could not be read or validated: no sums from here on."""
        self.count += 1
        self.problems += problems

    def add(self, unit: Unit) -> None:
        self.count += 1
        self.groups.setdefault(unit.edition, {}).setdefault(unit.year, []).append(_name(unit.file))
        key = unit_key(unit.agency, unit.script)
        if key in self.seen:
            name, file = self.seen[key]
            self.problems.append(Problem(f"同一单位出现了不止一次：{name}（{_name(file)}）与 {unit.agency}（{_name(unit.file)}）"
                                         "是同一单位（会重复计数）", unit.file, code="aggregate"))
        else:
            self.seen[key] = (unit.agency, unit.file)
        if self.first is None:
            self.first = unit
            if not EDITIONS[unit.edition].freeform:
                self.sums = {name: list(values) for name, values in unit.tables.items()}
                self.fees = {k: None if v is None else list(v) for k, v in unit.fees.items()}
        elif self.problems or unit.edition != self.first.edition or unit.year != self.first.year:
            self.sums = {}  # this roll-up is refused: stop summing, keep checking
        elif self.sums:
            for name, values in unit.tables.items():
                acc = self.sums[name]
                for i, v in enumerate(values):
                    acc[i] += v
            for k, values in unit.fees.items():
                if values is not None:
                    self.fees[k] = list(values) if self.fees[k] is None else [a + v for a, v in zip(self.fees[k], values)]
        self.rows.append(unit.figures)

    def _mismatches(self) -> list[Problem]:
        """Units of another edition or year than most, each kind in one problem naming them."""
        out: list[Problem] = []
        counts = {ed: sum(map(len, years.values())) for ed, years in self.groups.items()}
        for ed, years in self.groups.items():
            if EDITIONS[ed].freeform:
                files = [f for fs in years.values() for f in fs]
                out.append(Problem(f"{EDITIONS[ed].display_name()}的报告没有统一的统计表，无法汇总：{_files(files)}",
                                   files[0], code="aggregate"))
        tabled = [ed for ed in counts if not EDITIONS[ed].freeform]
        if not tabled:
            return out
        ref = max(tabled, key=lambda ed: counts[ed])  # the first seen of the most common
        ref_files = [f for fs in self.groups[ref].values() for f in fs]
        for ed in tabled:
            if ed != ref:
                files = [f for fs in self.groups[ed].values() for f in fs]
                out.append(Problem(f"版式不同：{len(files)} 个单位为 {EDITIONS[ed].display_name()}：{_files(files)}；"
                                   f"而 {_count(ref_files)}为 {EDITIONS[ref].display_name()}；只能汇总同一版式的报告",
                                   files[0], code="aggregate"))
        years = self.groups[ref]
        ref_year = max(years, key=lambda y: len(years[y]))
        for year, files in years.items():
            if year != ref_year:
                out.append(Problem(f"报告年度不同：{len(files)} 个单位为 {year} 年：{_files(files)}；"
                                   f"而 {_count(years[ref_year])}为 {ref_year} 年；只能汇总同一年度的报告",
                                   files[0], code="aggregate"))
        return out

    def result(self, agency: str | None = None) -> tuple[dict, LoadedReport]:
        """(summary data, the summary validated), or ``AggregateError`` naming every unit
        that stops the roll-up."""
        if not self.count:
            raise AggregateError("没有可汇总的单位报告")
        problems = self._mismatches() + self.problems
        if problems:
            raise AggregateError(f"以上单位的数据不能汇总（共 {self.count} 个单位），汇总已停止，没有写出汇总数据",
                                 problems=problems)
        first = self.first
        edition = EDITIONS[first.edition]
        data = blank_data(edition, agency or f"{PLACEHOLDER}本级人民政府", first.year)
        overview = next((s for s in edition.sections if s.kind == "overview"), None)
        if overview is not None:
            data[overview.key] = {K.intro: [f"{PLACEHOLDER}本级政府信息公开工作总体情况（本报告汇总了{self.count}个单位的数据）"]}
        for section in edition.sections:
            spec = section.table
            if spec is not None:
                summed = (Decimal(0) + v if isinstance(v, Decimal) else v for v in self.sums[spec.name])
                data[section.key] = drop_none(spec.data_from_cells(dict(zip(detail_cells(spec), summed))))
            elif section.values is not None:
                stated = self.fees.get(section.key)
                if stated is not None or edition.fee_statement:
                    children = section.values.children
                    values = stated or [0] * len(children)
                    data[section.key] = {section.values.key: {  # amounts a Decimal (even when none is stated)
                        c.key: v if c.kind == COUNT else Decimal(0) + v for c, v in zip(children, values)}}
        data[K.units] = self.rows
        summary = validate_data(data, None, "<汇总>")  # every total derived again, every rule re-verified
        return data, summary


def _name(file: str | None) -> str:
    return display_name(file) if file else "<数据>"


def _count(files: list[str]) -> str:
    return f"{len(files)} 个单位（如 {files[0]}）"


def _files(files: list[str], shown: int = 10) -> str:
    return "、".join(files[:shown]) + (f" 等 {len(files)} 个" if len(files) > shown else "")


# --- the roll-up of data files, streamed ------------------------------------------------------

def unit_problems(error: ReportgenError, path: str) -> list[Problem]:
    """Why a unit's file stops the roll-up: its problems, and the file named."""
    if isinstance(error, ValidationFailed):
        return error.problems + [Problem(f"单位数据文件 {display_name(path)} 未通过校验，不能汇总", path)]
    return [Problem(error.message, error.file or path, line=error.line, code="unreadable"),
            Problem(f"单位数据文件 {display_name(path)} 无法读取，不能汇总", path, code="unreadable")]


_PROFILES: dict[str, Profile] = {}               # this run's: config file → profile
_CONFIGS: dict[str, str | None] = {}             # this run's: directory → its config file


@contextmanager
def _collector_held() -> Iterator[None]:
    """The cyclic garbage collector held off while one unit is read: reading builds thousands
    of short-lived objects, whose collections took a quarter of the time (bench_aggregate); the
    few cycles a unit leaves are collected after it, so memory stays flat."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_unit(path: str) -> Unit:
    """A unit's file read, validated (with the ``reportgen.yaml`` beside it) and reduced. A
    plain YAML file is read by the fast path (``yamlio.load_plain``, no lines); anything else,
    and any unit that does not validate, by ``load_report``, whose problems name the lines."""
    with _collector_held():
        return _read_unit(path)


def _profile(path: str) -> Profile | None:
    """The ``reportgen.yaml`` beside a unit's file, as ``profile_for`` finds it, each directory's
    looked for and read once."""
    directory = os.path.dirname(path)
    if os.path.basename(path) == CONFIG_NAME:  # the config file itself given as a unit: not its own profile
        found = find_config(path)
        config = None if found is None else str(found)
    else:
        if directory not in _CONFIGS:
            found = find_config(path)
            _CONFIGS[directory] = None if found is None else str(found)
        config = _CONFIGS[directory]
    if config is None:
        return None
    if config not in _PROFILES:
        _PROFILES[config] = load_config(config)
    return _PROFILES[config]


def _read_unit(path: str) -> Unit:
    profile = _profile(path)
    data = None if path.lower().endswith(WORKBOOK_SUFFIXES) else load_plain(path, known_keys())
    if data is not None:
        if profile is not None:
            data = profile.data_defaults(data)
        try:
            return unit_of(validate_data(data, None, path))
        except ValidationFailed:
            pass  # read again with lines, to place every problem
    return unit_of(load_report(path, profile))


def unit_worker(job: Job) -> Outcome:
    """One unit of ``reportgen aggregate`` (run in a batch worker): its ``Unit``, or the
    problems that stop the roll-up (an internal error: ``guarded``'s message)."""
    def work() -> Outcome:
        try:
            return Outcome(job.path, True, payload=read_unit(job.path))
        except ReportgenError as e:  # the unit's own problems: named with the others, even with --debug
            return Outcome(job.path, False, e.exit_code, payload=unit_problems(e, job.path))

    return guarded(job, work)


def aggregate(paths: list[str], agency: str | None = None, jobs: int | None = 1,
              debug: bool = False) -> tuple[dict, LoadedReport]:
    """(summary data, the summary validated), the units streamed (``jobs``: worker processes;
    None: one per core; ``debug``: an internal error raised, not reported). Raises
    ``AggregateError`` naming every unit that stops the roll-up."""
    if not paths:
        raise AggregateError("没有给出要汇总的单位数据文件")
    _PROFILES.clear()
    _CONFIGS.clear()
    roll = RollUp()
    units = [Job(str(p), None, {"debug": debug}) for p in paths]
    known_keys()  # every edition's model built once, before the workers are forked from this process
    for outcome in run(units, unit_worker, 1 if debug else jobs, "汇总"):
        if outcome.ok:
            roll.add(outcome.payload)
        elif isinstance(outcome.payload, list):
            roll.refuse(outcome.payload)
        else:  # an internal error in a worker (guarded's message)
            roll.refuse([Problem("；".join(outcome.messages), outcome.path, code="unreadable")])
    return roll.result(agency)


def aggregate_loaded(units: list[LoadedReport], agency: str | None = None) -> tuple[dict, LoadedReport]:
    """``aggregate`` of reports already loaded (the server's submitted units)."""
    roll = RollUp()
    for u in units:
        roll.add(unit_of(u))
    return roll.result(agency)


def figures_into(existing: dict, fresh: dict, edition) -> dict:
    """``existing`` summary data (the office's own text in it) with the figures of ``fresh``: the
    statutory tables, the fee values and the units appendix replaced, everything else kept —
    a roll-up done again when a late unit submits keeps what the office wrote."""
    if existing.get(K.edition, edition.id) != edition.id or existing.get(K.year) != fresh.get(K.year):
        return fresh
    merged = dict(existing)
    for section in edition.sections:
        if section.table is not None or section.values is not None:
            if section.key in fresh:
                if section.values is not None and isinstance(existing.get(section.key), dict):
                    merged[section.key] = {**existing[section.key], **fresh[section.key]}  # its text stays
                else:
                    merged[section.key] = fresh[section.key]
            else:
                merged.pop(section.key, None)
    merged[K.units] = fresh[K.units]
    return merged


def summary_bytes(data: dict, edition: Edition, sources: list[str]) -> bytes:
    header = [f"由 reportgen aggregate 汇总 {len(sources)} 个单位的数据生成：统计表为各单位之和，合计已重新计算并校验；",
              "“下级单位”为各单位主要数据（报告末尾附表）。标有【请填写】的地方请写本级的内容。"]
    return dump(data, edition, header, schema_file_name(edition.id)).encode("utf-8")


def write_summary(data: dict, target: str | Path, sources: list[str], force: bool = False, edition=None) -> None:
    edition = edition or EDITIONS[data[K.edition]]
    write_new(Path(target), summary_bytes(data, edition, sources), source_key(sources), [Path(p) for p in sources], force)
