"""Click's own words in Chinese: usage, help headings and its errors (missing argument, no such
option, invalid value …), so that the whole command line speaks one language.

Click looks every message up through ``gettext`` in each of its modules; ``install`` points
those lookups at this catalog. A message not in it stays as click wrote it. The placeholders
are click's own and are kept exactly.
"""
from __future__ import annotations

import importlib

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
_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types", "utils")


def gettext(message: str) -> str:
    return CATALOG.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    found = PLURALS.get((singular, plural))
    if found is not None:
        # the Chinese form must not name a placeholder the English form being replaced lacks
        return found if "{possibilities}" not in plural or n == 1 else found.replace("{possibility}", "{possibilities}")
    return singular if n == 1 else plural


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


__all__ = ["CATALOG", "OPTIONS_METAVAR", "PLURALS", "SUBCOMMAND_METAVAR", "install"]
