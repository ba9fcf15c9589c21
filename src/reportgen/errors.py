"""The one error hierarchy: every failure a user can cause, with its exit code.

Messages are in Chinese (what the clerk reads) and name the file and the place. The CLI
prints ``str(error)`` and exits with ``exit_code``; tracebacks only with ``--debug``.
"""
from __future__ import annotations

import errno
import os
from dataclasses import dataclass

from .document import one_line


_REASONS = {"ENOSPC": "磁盘空间不足", "EDQUOT": "磁盘配额已满", "EACCES": "没有权限", "EPERM": "没有权限",
            "EEXIST": "已存在同名的文件", "ENOTDIR": "路径中有一部分不是目录", "EISDIR": "这是一个目录",
            "EROFS": "只读的文件系统", "ENAMETOOLONG": "文件名过长", "ELOOP": "符号链接构成循环",
            "ENOENT": "找不到路径", "EIO": "读写错误（磁盘或设备故障）", "EMFILE": "打开的文件过多",
            "EBUSY": "文件正被占用", "ETXTBSY": "文件正被占用", "EXDEV": "不能跨文件系统移动"}


def os_reason(error: OSError) -> str:
    """An operating-system error in a clerk's words (the English text in brackets)."""
    name = errno.errorcode.get(error.errno or 0, "")
    text = _REASONS.get(name)
    english = error.strerror or str(error)
    return f"{text}（{english}）" if text else english


def display_name(path: "str | os.PathLike | None") -> str:
    """A file name as it can be printed and quoted in one line: bytes that are not UTF-8
    (``rep\\xff.txt``) shown as U+FFFD, line breaks as spaces."""
    if path is None:
        return ""
    raw = os.fsencode(path) if not isinstance(path, str) else path.encode("utf-8", "surrogateescape")
    return one_line(raw.decode("utf-8", "replace"))


# The two kinds of finding: the report's own fault, and a note on how the file could be read
# (读取说明: the reader's doubt, never counted as the report's error). Text hidden in a published
# file and a report published twice in one file are the publisher's doing: report findings.
# Declared once here;
# ``check`` groups and counts by it and ``check --json`` gives it per finding.
REPORT_FAULT, READING_NOTE = "报告问题", "读取说明"
KINDS: dict[str, str] = {code: READING_NOTE for code in (
    "blank",               # a blank cell or “-”“/”“无” read as 0
    "unread-cells",        # cells of a found table the reader could not read, written as 0
    "undecided",           # a run of digits the reader could split in more than one way
    "ocr",                 # pages read by OCR or from a scan's OCR layer
    "ocr-check",           # a scanned figure corrected or flagged by the table's sum rules
    "dropped-characters",  # characters XML cannot hold, dropped from a page
    "fee-partial",         # the 信息处理费 amount stated without the number of notices
)}


def kind_of(code: str) -> str:
    """The kind of a finding code: 读取说明 for the codes ``KINDS`` declares, else 报告问题."""
    return KINDS.get(code, REPORT_FAULT)


@dataclass
class Problem:
    """One finding about a data file: where it is, what is wrong, and a stable ``code`` that
    says which kind of finding it is (what ``check`` classifies by and ``check --json`` shows):

    invalid (type, key or value), duplicate-key, edition, balance (the official 勾稽 rule),
    sum (a derived total: 总计 column, （七）总计, table 四), missing-section, missing-table,
    blank (a blank cell read as 0), foreign-label, placeholder, fee-statement, content-item
    (2008 条例), year, deadline, link (the link between years), agency (inferred), unreadable;
    from reading published reports: undecided, ocr (pages read by OCR or from a scan's OCR
    layer), hidden-text (text a reader cannot see, not read), repeated-report (the report twice
    in one file), dropped-characters (characters XML cannot hold, dropped from a page),
    unread-cells (cells of a found table that could not be read, written as 0), fee-partial
    (the 信息处理费 amount stated without the number of notices), ocr-check (a scanned figure
    corrected or flagged by the table's sum rules).
    Which codes are reading notes rather than the report's faults: ``KINDS`` below.
    """

    message: str
    file: str | None = None
    path: tuple = ()
    line: int | None = None
    severity: str = "error"  # "error" | "warning"
    code: str = "invalid"
    place: str = ""  # the path in the form's words (places.place_words), shown instead of the key path

    def __str__(self) -> str:
        where = display_name(self.file) or "<数据>"
        if self.line:
            where += f":{self.line}"
        label = "错误" if self.severity == "error" else "警告"
        key = self.place or ".".join(str(p) for p in self.path)
        return f"{where}: {label}: {key + '：' if key else ''}{self.message}"


class ReportgenError(Exception):
    """Base of every error a user can cause."""

    exit_code = 1

    def __init__(self, message: str, file: str | None = None, line: int | None = None):
        self.message = message
        self.file = file
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = display_name(self.file) + (f":{self.line}" if self.line else "") + ": "
        return where + self.message


class InputError(ReportgenError):
    """The input file cannot be read: missing, not UTF-8, not YAML, too large…"""


class ValidationFailed(ReportgenError):
    """The data file was read but breaks the format's rules. Carries every problem found."""

    def __init__(self, problems: list[Problem], file: str | None = None):
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        summary = f"数据校验未通过：{len(errors)} 处错误"
        super().__init__(summary, file)

    def __str__(self) -> str:
        return "\n".join([str(p) for p in self.problems] + [self.message])


class TemplateError(ReportgenError):
    """A template could not be found or failed while rendering."""


class OutputError(ReportgenError):
    """An output could not be written (or would overwrite an input)."""


class UsageError(ReportgenError):
    """The command line asks for something impossible (unknown format, …)."""

    exit_code = 2


class Interrupted(KeyboardInterrupt):
    """SIGINT, SIGTERM or SIGHUP (``exit_code`` says which signal: 130, 143, 129).

    ``handle`` is the handler the command line installs. It also records the signal, because
    Python swallows an exception raised where it only prints "Exception ignored" (a fork hook,
    a finaliser): whoever must not miss an interruption asks ``received()``."""

    _received: list[int] = []

    def __init__(self, signum: int):
        super().__init__(signum)
        self.exit_code = 128 + signum

    @classmethod
    def handle(cls, signum: int, _frame: object = None) -> None:
        cls._received.append(signum)
        raise cls(signum)

    @classmethod
    def received(cls) -> "Interrupted | None":
        """The first signal this process was sent, as an exception to raise; None if none."""
        return cls(cls._received[0]) if cls._received else None
