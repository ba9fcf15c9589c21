"""Help a clerk can read (issue #20): every command has a summary in the list, every option's value
is named in Chinese, nothing in English from click ([required], TEXT, SOURCE), lines fit the
terminal in display columns (a Chinese character takes two), no ASCII word is broken
("decode d", "--simplifi ed") and no closing mark begins a line."""
from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from reportgen.cli import main
from reportgen.clitext import width

COMMANDS = sorted(main.commands)
ENGLISH = re.compile(r"\[required\]|\b(?:TEXT|INTEGER|FLOAT|PATH|FILENAME|SOURCE|RANGE|BOOLEAN)\b")


def _help(*args, columns=80):
    result = CliRunner().invoke(main, [*args, "--help"], env={"COLUMNS": str(columns)}, terminal_width=columns)
    assert result.exit_code == 0, result.output
    return result.output


def test_every_command_has_a_summary():
    listed = _help().split("命令：", 1)[1].splitlines()
    summaries = {line.split()[0]: line.split(None, 1)[1:] for line in listed if line.strip()}
    assert set(summaries) == set(COMMANDS)
    assert all(s and s[0].strip(" …") for s in summaries.values()), summaries


@pytest.mark.parametrize("columns", [80, 60])
@pytest.mark.parametrize("command", COMMANDS)
def test_help_fits_and_breaks_only_between_words(command, columns):
    text = _help(command, columns=columns)
    assert not ENGLISH.search(text), ENGLISH.search(text).group(0)
    for line in text.splitlines():
        # closing marks may hang past the edge; only one unbreakable word may overflow
        assert width(line.rstrip("，。、；：）》」”")) <= columns or " " not in line.strip(), line
        assert line.strip()[:1] not in set("，。、；：）》」"), line
    for param in main.commands[command].params:
        for words in (param.help or "",):
            for word in re.findall(r"--?[a-z][a-z-]+|[A-Za-z]{6,}", words):
                assert word in text, (word, command)  # an ASCII word of the help is printed whole
