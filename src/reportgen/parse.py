"""The library's second job: a report (txt, docx, html) in, a data file out.

read bytes (size-limited) → format (``--from``, the extension, or the content) → reader →
Document → ``extract`` → data mapping → validated like any data file. A report that is
damaged still gives what was found, with a warning for each part that could not be read;
``strict`` turns warnings into failure.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError, Problem, ReportgenError, UsageError, ValidationFailed
from .extract import Extracted, drop_generated, extract
from .readers.common import MAX_REPORT_BYTES

FORMATS = ("txt", "docx", "html")
_EXTENSIONS = {".txt": "txt", ".text": "txt", ".docx": "docx", ".html": "html", ".htm": "html", ".xhtml": "html"}


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
    foreign_labels: list[str] = field(default_factory=list)  # table labels of the other edition
    loaded: Any = None                  # the data validated (a LoadedReport), when they validate
    problems: list[Problem] = field(default_factory=list)    # why they do not, when they do not


def detect_format(path: str, raw: bytes) -> str:
    ext = _EXTENSIONS.get(Path(path).suffix.lower())
    if ext:
        return ext
    if raw.startswith(b"PK\x03\x04"):
        return "docx"
    head = raw[:2048].lower()
    if b"<html" in head or b"<!doctype html" in head or b"<table" in head or b"<body" in head:
        return "html"
    return "txt"


def read_report_bytes(path: str) -> bytes:
    from .inputs import read_bounded

    raw = read_bounded(path, MAX_REPORT_BYTES, "报告文件")
    if not raw.strip():
        raise InputError("文件是空的", path)
    return raw


def read_document(raw: bytes, fmt: str, file: str | None = None):
    """(Document, chrome lines) of a report's bytes in format ``fmt``."""
    if fmt == "txt":
        from .readers.common import decode
        from .readers.text import read_text

        text, _ = decode(raw, file)
        return read_text(text)
    if fmt == "docx":
        from .readers.docx import read_docx

        return read_docx(raw, file)
    if fmt == "html":
        from .readers.html import read_html

        return read_html(raw, file)
    raise UsageError(f"未知的输入格式“{fmt}”；可用：{'、'.join(FORMATS)}")


def parse_bytes(raw: bytes, fmt: str, file: str | None = None, keep_script: bool = False) -> ParseResult:
    from .loader import validate_data

    doc, chrome = read_document(raw, fmt, file)
    if not doc.blocks:
        raise InputError("没有找到报告内容", file)
    found: Extracted = extract(doc, chrome, file)
    if not _has_content(found):
        raise InputError("没有找到报告内容（无标题、无正文，也没有统计表）", file)
    loaded, problems = None, []
    try:
        loaded = validate_data(found.data, None, file, "zh-Hans", keys_checked=True)
        drop_generated(found, loaded)
        warnings = loaded.warnings
    except ValidationFailed as e:
        problems = e.problems
        warnings = [Problem(f"读出的数据未通过校验：{p.message}", file, p.path, None, "warning") for p in problems]
    data = found.in_original_script() if keep_script else found.data
    return ParseResult(data, found.edition, found.script, fmt, found.warnings + warnings, found.blanks,
                       found.chrome, loaded is not None, found.foreign_labels, loaded, problems)


def _has_content(found: Extracted) -> bool:
    d = found.data
    if found.edition != "freeform":
        return True
    return any(s.get("段落") or s.get("小节") for s in d.get("正文", [])) or bool(d.get("引言"))


def parse_file(path: str, fmt: str | None = None, keep_script: bool = False) -> ParseResult:
    raw = read_report_bytes(path)
    fmt = fmt or detect_format(path, raw)
    if fmt not in FORMATS:
        raise UsageError(f"未知的输入格式“{fmt}”；可用：{'、'.join(FORMATS)}")
    try:
        return parse_bytes(raw, fmt, path, keep_script)
    except ReportgenError as e:
        if e.file is None:  # a reader deep down does not know the file's name
            e.file = path
        raise
    except RecursionError:
        raise InputError("文件结构嵌套过深，无法读取", path) from None


def output_target(report: str, out_dir: str | None = None, single_file: str | None = None) -> Path:
    """Where the data file read from ``report`` goes: ``single_file``, else ``out_dir`` (or the
    report's own directory) with the report's name and ``.yaml``."""
    if single_file:
        return Path(single_file)
    return Path(out_dir or Path(report).parent) / (Path(report).stem + ".yaml")


def data_yaml(result: ParseResult, source: str | None = None) -> str:
    """The data file text: a header comment saying where it came from, then the data."""
    from .errors import display_name
    from .yamlio import comment, dump_data

    lines = [f"由 reportgen parse 从 {display_name(Path(source).name) if source else '报告'} 读出（{result.format}）"]
    if result.script != "zh-Hans" and "文字" not in result.data:
        lines.append(f"原文为繁体（{result.script}），数据已转为简体；生成繁体报告：reportgen render --script {result.script} …")
    if result.blanks:
        lines.append(f"{len(result.blanks)} 个单元格原文为空白或“-”“/”“无”，已按 0 读取")
    for w in result.warnings:
        lines.append(f"警告：{w.message}")
    if result.chrome:
        lines.append("未读入的网页内容：" + "；".join(c[:30] for c in result.chrome[:8]))
    return "\n".join(comment(line) for line in lines) + "\n\n" + dump_data(result.data)
