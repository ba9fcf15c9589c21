"""No input breaks reportgen: a committed corpus of bad inputs (tests/fixtures/bad, made by
make_bad.py) through validate, render, parse and check, plus files of hundreds of MB and
hypothesis fuzzing. Every outcome is a result or a clear error: exit 0, 1 or 2, never an
internal error (3), never a traceback, nothing written over an input."""
from __future__ import annotations

import os
import string

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from reportgen.check import check_file
from reportgen.cli import main
from reportgen.errors import ReportgenError
from reportgen.loader import validate_data
from reportgen.loader import known_keys
from reportgen.parse import parse_bytes

BAD = ROOT / "tests" / "fixtures" / "bad"
DATA = sorted(p.name for p in BAD.glob("*.yaml"))
REPORTS = sorted(p.name for p in BAD.iterdir() if p.suffix in (".txt", ".docx", ".html", ".pdf"))


def test_the_corpus_is_large_enough():
    assert len(DATA) + len(REPORTS) >= 50


def _clean_failure(result, name):
    assert result.exit_code in (0, 1, 2), (name, result.exit_code, result.output)
    assert "Traceback" not in result.output and "内部错误" not in result.output, result.output
    if result.exit_code:
        assert name in result.output, result.output


@pytest.mark.parametrize("name", DATA)
def test_bad_data_files(name, tmp_path):
    path = str(BAD / name)
    before = (BAD / name).read_bytes()
    for args in (["validate", path], ["render", path, "-o", str(tmp_path), "-f", "txt,docx"], ["check", path]):
        _clean_failure(CliRunner().invoke(main, args), name)
    assert (BAD / name).read_bytes() == before


@pytest.mark.parametrize("name", REPORTS)
def test_bad_reports(name, tmp_path):
    path = str(BAD / name)
    for args in (["parse", path, "-o", str(tmp_path / "out.yaml")], ["check", path]):
        result = CliRunner().invoke(main, args)
        _clean_failure(result, name)
        assert "root:x:" not in result.output  # no external entity was ever resolved


@pytest.mark.parametrize("name,message", [("alias-bomb.yaml", "别名"), ("deep-nesting.yaml", "嵌套"),
                                          ("python-tag.yaml", "python"), ("duplicate-key.yaml", "重复"),
                                          ("control-chars.yaml", "控制字符"),
                                          ("binary.yaml", "二进制")])
def test_specific_data_errors(name, message):
    result = CliRunner().invoke(main, ["validate", str(BAD / name)])
    assert result.exit_code == 1 and message in result.output, result.output


@pytest.mark.parametrize("name,message", [("zip-bomb.docx", "压缩炸弹"), ("truncated.docx", "截断"),
                                          ("no-report.html", "没有找到报告内容"), ("empty.txt", "空的"),
                                          ("binary.txt", "二进制")])
def test_specific_report_errors(name, message):
    result = CliRunner().invoke(main, ["parse", str(BAD / name)])
    assert result.exit_code == 1 and message in result.output, result.output


@pytest.mark.parametrize("suffix,command", [(".yaml", "validate"), (".txt", "parse"), (".docx", "check")])
def test_files_of_hundreds_of_megabytes(tmp_path, suffix, command):
    path = tmp_path / f"huge{suffix}"
    with open(path, "wb") as fh:  # sparse: no disk used, no time spent
        fh.truncate(400 * 1024 * 1024)
    result = CliRunner().invoke(main, [command, str(path)])
    assert result.exit_code in (1, 2) and "过大" in result.output, result.output


def test_half_a_table_still_parses():
    result = CliRunner().invoke(main, ["parse", str(BAD / "half-table.txt")])
    assert result.exit_code == 0 and "未能读出" in result.output


# --- fuzzing ---------------------------------------------------------------------------

KEYS = sorted(known_keys())
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True),
                    st.text(max_size=20), st.dates())
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6),
                                                                       inner, max_size=5)), max_leaves=30)
FUZZ = settings(max_examples=300, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@FUZZ
@given(st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=12))
def test_fuzz_validate(data):
    try:
        validate_data(data, None, "fuzz.yaml")
    except ReportgenError:
        pass


TABLE_WORDS = ["一、本年新收政府信息公开申请数量", "（一）予以公开", "规章", "行政许可", "|", "||", "0", "12", "-", "无",
               "三、收到和处理政府信息公开申请情况", "二、主动公开政府信息情况", "四、", "2023年", "某局", "\n", " ", "。"]


@FUZZ
@given(st.lists(st.sampled_from(TABLE_WORDS) | st.text(alphabet=string.printable + "一二三（）", max_size=8),
                max_size=200), st.sampled_from(["txt", "html"]))
def test_fuzz_parse_text_and_html(tokens, fmt):
    blob = "".join(tokens).encode("utf-8")
    if fmt == "html":
        blob = b"<html><body><table><tr><td rowspan=2>" + blob.replace(b"|", b"</td><td>") + b"</td></tr></table></body></html>"
    try:
        parse_bytes(blob, fmt, f"fuzz.{fmt}")
    except ReportgenError:
        pass


@FUZZ
@given(st.binary(max_size=3000), st.sampled_from(["txt", "docx", "html"]))
def test_fuzz_parse_bytes(blob, fmt):
    try:
        parse_bytes(blob, fmt, f"fuzz.{fmt}")
    except ReportgenError:
        pass


@settings(max_examples=100, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000) | st.text(max_size=2000).map(lambda s: s.encode("utf-8")),
       st.sampled_from([".yaml", ".txt", ".html", ".docx"]))
def test_fuzz_check(blob, suffix):
    import tempfile

    fd, name = tempfile.mkstemp(suffix=suffix)
    try:
        os.write(fd, blob)
        os.close(fd)
        result = check_file(name)
        assert result.readable or result.findings
    finally:
        os.unlink(name)
