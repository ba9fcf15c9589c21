"""Reading a report back into data: the pipeline that ``parse``, ``check`` and ``init --from``
share.

bytes (size-limited) → format (given, the extension or the content) → reader (``readers``) →
Document → ``extract`` → data → validated like any data file (``loader``) → the text the
templates would have written anyway taken out again (``drop_generated``, by composing the
candidate's parts and comparing blocks). A damaged report still gives what was found, with a
warning for each part that could not be read.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .compose import compose_parts
from .document import Paragraph
from .editions import Edition, statutory_editions
from .errors import InputError, Problem, ReportgenError, ValidationFailed
from .extract import Extracted, extract
from .inputs import read_bounded
from .labels import label_key, squash
from .loader import WORKBOOK_SUFFIXES, LoadedReport, load_report, validate_data
from .model import K
from .readers import ReadOptions, detect_format, reader_for
from .readers.common import MAX_REPORT_BYTES
from .scaffold import blank_data
from .tables.match import label_keys
from .yamlio import YAML_SUFFIXES

DATA_SUFFIXES = YAML_SUFFIXES + WORKBOOK_SUFFIXES  # a data file: YAML, or the 填报 workbook


@dataclass
class ParseResult:
    data: dict                          # the data file mapping
    edition: str
    script: str                         # the script the report is written in (data are Simplified)
    format: str
    warnings: list[Problem] = field(default_factory=list)
    blanks: list[str] = field(default_factory=list)
    chrome: list[str] = field(default_factory=list)
    valid: bool = True                  # the data validate as a data file
    foreign_labels: list[str] = field(default_factory=list)  # table labels of another edition
    foreign_editions: list[str] = field(default_factory=list)  # the editions they belong to
    loaded: Any = None                  # the data validated (a LoadedReport), when they validate
    problems: list[Problem] = field(default_factory=list)    # why they do not, when they do not
    cells: dict[str, dict[str, str]] = field(default_factory=dict)  # table → cell → how it was found


def read_options(file: str | None) -> ReadOptions:
    editions = tuple(statutory_editions())
    return ReadOptions(file, _table_labels(editions), _headings(editions))


@lru_cache(maxsize=8)
def _headings(editions: tuple[Edition, ...]) -> frozenset[str]:
    """Label keys of every section heading as numbered in print (一、总体情况), official
    wording and variants alike."""
    return frozenset(label_key(s.numeral + wording) for ed in editions for s in ed.sections for wording in s.wordings)


@lru_cache(maxsize=8)
def _table_labels(editions: tuple[Edition, ...]) -> frozenset[str]:
    return frozenset(k for ed in editions for k in label_keys(ed.tables))


def parse_bytes(raw: bytes, fmt: str, file: str | None = None, keep_script: bool = False) -> ParseResult:
    doc = reader_for(fmt)(raw, read_options(file))
    if not doc.blocks:
        raise InputError("没有找到报告内容", file)
    found = extract(doc, file)
    if not _has_content(found):
        raise InputError("没有找到报告内容（无标题、无正文，也没有统计表）", file)
    loaded, problems = None, []
    try:
        loaded = validate_data(found.data, None, file, "zh-Hans", keys_checked=True)
        drop_generated(found, loaded)
        warnings = loaded.warnings
    except ValidationFailed as e:
        problems = e.problems
        warnings = [Problem(f"读出的数据未通过校验：{p.message}", file, p.path, None, "warning", p.code) for p in problems]
    data = found.in_original_script() if keep_script else found.data
    return ParseResult(data, found.edition, found.script, fmt, found.warnings + warnings, found.blanks,
                       found.chrome, loaded is not None, found.foreign_labels, found.foreign_editions, loaded, problems,
                       found.cells)


def _has_content(found: Extracted) -> bool:
    d = found.data
    if K.body not in d:
        return True
    return any(s.get(K.paragraphs) or s.get(K.sections) for s in d.get(K.body, [])) or bool(d.get(K.preamble))


def read_report_bytes(path: str) -> bytes:
    raw = read_bounded(path, MAX_REPORT_BYTES, "报告文件")
    if not raw.strip():
        raise InputError("文件是空的", path)
    return raw


def parse_file(path: str, fmt: str | None = None, keep_script: bool = False) -> ParseResult:
    raw = read_report_bytes(path)
    fmt = fmt or detect_format(path, raw)
    reader_for(fmt)  # an unknown format is a usage error before any work
    try:
        return parse_bytes(raw, fmt, path, keep_script)
    except ReportgenError as e:
        if e.file is None:  # a reader deep down does not know the file's name
            e.file = path
        raise
    except RecursionError:
        raise InputError("文件结构嵌套过深，无法读取", path) from None


@lru_cache(maxsize=4)
def previous_report(path: str) -> LoadedReport:
    """``load_previous`` once a process: a batch's jobs carry the path of last year's report,
    not the report (which does not pickle); read first in the main process, forked workers
    find it here."""
    return load_previous(path)


def load_previous(path: str) -> LoadedReport:
    """Last year's report from its data file, or from the published report itself (read back)."""
    if Path(path).suffix.lower() in DATA_SUFFIXES:
        return load_report(path)
    read = parse_file(path)
    loaded = validate_data(read.data, None, path)
    loaded.warnings = read.warnings + loaded.warnings  # how the report could be read travels with it
    return loaded


# --- what the templates would write anyway ----------------------------------------------

def drop_generated(found: Extracted, loaded: LoadedReport) -> None:
    """Take out of ``found.data`` the text the templates write anyway (the opening paragraph,
    the summary before a table): compose the validated candidate without it and compare the
    blocks. ``loaded`` is ``found.data`` validated; copies of its models are changed."""
    edition = loaded.edition
    if edition.freeform:
        return
    data = found.data
    summaries = [s for s in edition.sections if s.summary]
    candidates = list(data.get(K.preamble, [])) + [p for s in summaries
                                                   for p in (data.get(s.key) or {}).get(K.table_intro, [])]
    if not any(p.startswith(_openings(edition)) for p in candidates):
        for s in summaries:  # nothing generated: an absent 说明 means none
            if isinstance(data.get(s.key), dict) and not data[s.key].get(K.table_intro):
                data[s.key][K.table_intro] = []
        return
    report = loaded.report
    update: dict[str, Any] = {"preamble": []}
    for s in summaries:
        update[s.attr] = getattr(report, s.attr).model_copy(update={K.table_intro: None})
    bare = LoadedReport(report.model_copy(update=update), edition, loaded.file, [], loaded.tables, "zh-Hans")
    generated = {part: _lead(blocks, part == "preamble")
                 for part, blocks in compose_parts(bare, ["preamble", *(s.attr for s in summaries)]).items()}
    if data.get(K.preamble) and [squash(p) for p in data[K.preamble]] == generated["preamble"]:
        del data[K.preamble]
    for s in summaries:
        section = data.get(s.key)
        if not isinstance(section, dict):
            continue
        intro = section.get(K.table_intro, [])
        if [squash(p) for p in intro] == generated[s.attr]:
            section.pop(K.table_intro, None)
        elif not intro:
            section[K.table_intro] = []


def _lead(blocks: list, preamble: bool) -> list[str]:
    """The body paragraphs of a composed part up to its first table or sub-heading (after the
    section's own heading), squashed for comparison."""
    out = []
    for b in (blocks if preamble else blocks[1:]):
        if not isinstance(b, Paragraph):
            break  # a table or a sub-heading ends the lead
        if b.align == "justify":
            out.append(squash(b.text))
    return out


@lru_cache(maxsize=None)
def _openings(edition: Edition) -> tuple[str, ...]:
    """How the paragraphs the templates write begin (their first four characters, as printed and
    normalised), found by composing a report with every number zero: a parsed paragraph that
    begins otherwise was not generated, and nothing needs composing."""
    loaded = validate_data(blank_data(edition, "某", edition.first_year), None, None, "zh-Hans")
    parts = compose_parts(loaded, ["preamble", *(s.attr for s in edition.sections if s.summary)])
    texts = [b.text for blocks in parts.values() for b in blocks if isinstance(b, Paragraph) and b.align == "justify"]
    return tuple({t[:4] for t in texts} | {squash(t)[:4] for t in texts})
