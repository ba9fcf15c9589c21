"""Click's own words in Chinese: usage, help headings and its errors (missing argument, no such
option, invalid value …), so that the whole command line speaks one language.

Click looks every message up through ``gettext`` in each of its modules; ``install`` points
those lookups at this catalog. A message not in it stays as click wrote it. The placeholders
are click's own and are kept exactly.
"""
from __future__ import annotations

import importlib
import re
import unicodedata

CATALOG = {
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "%(prog)s, version %(version)s": "%(prog)s，版本 %(version)s",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行“{command} {option}”查看帮助。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing command.": "缺少命令。",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "Option {name!r} does not take a value.": "选项 {name!r} 不带值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "Aborted!": "已中止。",
    "{value} is not in the range {range}.": "{value} 不在 {range} 范围内。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的数（{number_type}）。",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是目录。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 不可读。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 不可写。",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "default: {default}": "默认：{default}",
    "file": "文件",
    "directory": "目录",
    "path": "路径",
    "Do you want to continue?": "是否继续？",
    "required": "必填",
}
# (singular, plural) → the one Chinese form
PLURALS = {
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"): "多余的参数：{args}",
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"): "（是不是 {possibility}？）",
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."):
        "选项 {name!r} 后面要给一个值。",
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."): "{value!r} 不是可选的值（{choices}）。",
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."): "需要 {nargs} 个值。",
}
# metavars in the usage line
OPTIONS_METAVAR = "[选项]"
SUBCOMMAND_METAVAR = "命令 [参数]..."
# an option's value, by its name, else by its type (click would print TEXT, INTEGER RANGE …)
OPTION_METAVARS = {"output": "路径", "output_dir": "目录", "fmt": "格式", "formats": "格式", "table": "表文件", "cache": "目录",
                   "scheduler": "地址", "previous": "文件", "config": "文件", "agency": "机关名称", "edition": "版式",
                   "reference_doc": "文件", "template_dirs": "目录", "database": "地址", "data_dir": "目录",
                   "host": "地址", "restore_file": "文件", "backup_file": "文件", "year": "年度", "zone": "时区",
                   "smtp": "地址", "mail_from": "邮箱", "proxies": "地址"}
TYPE_METAVARS = {"text": "文本", "integer": "整数", "integer range": "整数", "float": "数", "float range": "数",
                 "path": "路径", "filename": "文件", "boolean": "是/否"}
SHORT_HELP_WIDTH = 60  # display columns of a command's summary in the command list
_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types", "utils")


def gettext(message: str) -> str:
    return CATALOG.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    found = PLURALS.get((singular, plural))
    if found is not None:
        # the Chinese form must not name a placeholder the English form being replaced lacks
        return found if "{possibilities}" not in plural or n == 1 else found.replace("{possibility}", "{possibilities}")
    return singular if n == 1 else plural


def width(text: str) -> int:
    """Display columns: a CJK (wide or full-width) character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# ASCII words (an option name, a path, a number with its unit letters) stay whole; anything else
# breaks after any character. A closing mark may hang past the line end rather than begin a line.
_CHUNK = re.compile(r"\[[^\]\s]{1,12}\]|[!-~]+|\s+|.", re.S)
_NO_LINE_START = set("，。、；：？！）》」』】〕…”’,.;:?!)")
_NO_LINE_END = set("（《「『【〔“‘(")


def _chunks(text: str) -> list[str]:
    return _CHUNK.findall(text)


def _wrapper_class():
    from click._textwrap import TextWrapper

    class WideTextWrapper(TextWrapper):
        """click's wrapper, measuring display columns and breaking Chinese between characters
        but never inside an ASCII word (``--simplified``, ``decoded``)."""

        def _split(self, text: str) -> list[str]:
            chunks = _chunks(text)
            # click joins a paragraph's source lines with a space: none between two Chinese characters
            return [c for i, c in enumerate(chunks)
                    if not (c.isspace() and 0 < i < len(chunks) - 1 and width(chunks[i - 1][-1]) == 2
                            and width(chunks[i + 1][0]) == 2)]

        def _wrap_chunks(self, chunks: list[str]) -> list[str]:
            lines: list[str] = []
            chunks = list(chunks)
            while chunks:
                indent = self.subsequent_indent if lines else self.initial_indent
                room = self.width - width(indent)
                line: list[str] = []
                used = 0
                if lines and chunks[0].strip() == "":
                    del chunks[0]
                while chunks:
                    w = width(chunks[0])
                    fits = used + w <= room or not line or (chunks[0] in _NO_LINE_START and used + w <= room + 4)
                    if not fits:
                        break
                    line.append(chunks.pop(0))
                    used += w
                while chunks and len(line) > 1 and line[-1] in _NO_LINE_END:
                    chunks.insert(0, line.pop())  # an opening mark goes down with what it opens
                while line and line[-1].strip() == "":
                    line.pop()
                if line:
                    lines.append(indent + "".join(line))
            return lines

    return WideTextWrapper


def short_help(text: str | None, limit: int = SHORT_HELP_WIDTH) -> str:
    """A command's summary for the command list: its first sentence, cut at ``limit`` display
    columns with an ellipsis (click counts characters and drops a sentence without spaces)."""
    if not text:
        return ""
    first = text.strip().split("\n\n")[0].replace("\n", " ")
    end = first.find("。")
    if end != -1:
        first = first[:end + 1]
    out, used = "", 0
    for ch in first:
        used += width(ch)
        if used > limit - 1:
            return out.rstrip("，、；： ") + "…"
        out += ch
    return out


def install() -> None:
    """Point click's message lookups at the catalog, and its headings and sentence ends at
    Chinese punctuation (idempotent)."""
    for name in _MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
    import click
    import click._textwrap
    import click.core
    import click.formatting

    if not getattr(click._textwrap.TextWrapper, "_wide", False):
        wide = _wrapper_class()
        wide._wide = True  # type: ignore[attr-defined]
        click._textwrap.TextWrapper = wide  # type: ignore[misc]
        from click._compat import strip_ansi
        click.formatting.term_len = lambda x: width(strip_ansi(x))  # type: ignore[assignment]
        click.core._make_default_short_help = lambda help, limit=45: short_help(help, max(limit, 20))  # type: ignore[assignment]
    formatter = click.formatting.HelpFormatter
    if not getattr(formatter.write_heading, "_chinese", False):
        def write_heading(self, heading: str) -> None:
            self.write(f"{'':>{self.current_indent}}{heading}：\n")

        write_heading._chinese = True  # type: ignore[attr-defined]
        formatter.write_heading = write_heading  # type: ignore[method-assign]
    missing = click.exceptions.MissingParameter
    if not getattr(missing.format_message, "_chinese", False):
        english = missing.format_message

        def format_message(self) -> str:
            text = english(self)
            return text[:-1] + "。" if text.endswith(".") else text

        format_message._chinese = True  # type: ignore[attr-defined]
        missing.format_message = format_message  # type: ignore[method-assign]


__all__ = ["CATALOG", "OPTIONS_METAVAR", "OPTION_METAVARS", "PLURALS", "SUBCOMMAND_METAVAR", "TYPE_METAVARS",
           "install", "short_help", "width"]
