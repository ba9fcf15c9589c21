"""No input breaks reportgen: a committed corpus of bad inputs (tests/fixtures/bad, made by
make_bad.py and the other generators there) through every command that takes a file of its
kind (``badcorpus.commands``), plus files of hundreds of MB and hypothesis fuzzing. Every
outcome is a result or a clear error: exit 0, 1 or 2, never an internal error (3), never a
traceback, nothing written over an input, and no message a clerk could not read (no Python
names, reprs, pydantic's type paths or English library messages: ``badcorpus.leaks``)."""
from __future__ import annotations

import os
import string

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from badcorpus import BAD, DATA, REPORTS, commands, leaks
from conftest import EXAMPLE, ROOT
from reportgen.check import check_file
from reportgen.cli import main
from reportgen.errors import ReportgenError
from reportgen.loader import validate_data
from reportgen.loader import known_keys
from reportgen.parse import parse_bytes


def test_the_corpus_is_large_enough():
    assert len(DATA) + len(REPORTS) >= 120
    assert {p.suffix for p in BAD.iterdir()} >= {".yaml", ".xlsx", ".xlsm", ".txt", ".docx", ".html", ".md"}


def _clean_outcome(result, name: str, what: str, allowed: tuple[str, ...]) -> None:
    where = f"{name}: {what}"
    assert result.exit_code in (0, 1, 2), (where, result.exit_code, result.output[-800:])
    assert "Traceback" not in result.output and "内部错误" not in result.output, (where, result.output[-800:])
    if result.exit_code:
        assert name in result.output, (where, result.output[-800:])
    assert "root:x:" not in result.output  # no external entity was ever resolved
    assert not leaks(result.output, allowed), (where, leaks(result.output, allowed), result.output[-800:])


@pytest.mark.parametrize("name", DATA + REPORTS)
def test_every_bad_input_through_every_command(name, tmp_path):
    """Each bad file through every command that takes it: a clean outcome whose messages a
    clerk can read, and the file itself untouched."""
    before = (BAD / name).read_bytes()
    allowed = (str(tmp_path), str(BAD), str(EXAMPLE), str(ROOT), name)
    for what, args in commands(name, str(tmp_path)):
        _clean_outcome(CliRunner().invoke(main, args), name, what, allowed)
    assert (BAD / name).read_bytes() == before


@pytest.mark.parametrize("output,fragment", [
    ("x.yaml:12: 错误: 标题.function-after[_single_line(), function-after[functools.partial(<function "
     "max_length_validator at 0x7fbafde982c0>, max_length=500)()]]：应为一行文字", "function-after"),
    ("x.yaml:39: 错误: 行政处罚：应为整数，实际为 True", "True"),
    ("x.yaml:13: 错误: 发布日期：应为日期，实际为 '2024-13-45'", "为 '"),
    ("x.yaml: 错误: 标题：应为一行文字，实际为 “某局\\u2029报告”", "\\u2029"),
    ("x.xlsx: 不是有效的 Excel 工作簿（.xlsx）：KeyError", "KeyError"),
    ("x.docx: 文件已损坏（Maximum entity amplification factor exceeded, see xmlCtxtSetMaxAmplification.）", "xmlCtxt"),
    ("Input should be a valid string [type=string_type, input_value=1, input_type=int]", "Input should be"),
    ("x.yaml: 无法读取：[Errno 13] Permission denied", "Errno"),
    ("x.html: lxml could not parse this document at all", "lxml could not parse"),
    ("x.docx: 文件已损坏：不是有效的 XML（Namespace prefix w on document is not defined, line 1）", "is not defined"),
])
def test_the_leak_scan_finds_what_a_clerk_cannot_read(output, fragment):
    """The scan itself: each message the issue found (and its kind) is caught."""
    assert any(fragment in found for found in leaks(output)), leaks(output)


def test_the_leak_scan_passes_the_clerks_own_words():
    assert leaks("x.yaml:12: 错误: 标题：应为一行文字，不能换行（含换行符、段落分隔符 U+2028/U+2029 等）\n"
                 "x.yaml: 数据过大或含有别名炸弹：超过 200000 个节点（too many YAML nodes）\n"
                 "x.yaml:41: 错误: 行政事业性收费：应为数值，实际为 .nan（不是数）") == []


@pytest.mark.parametrize("name,message", [
    ("alias-bomb.yaml", "别名"), ("deep-nesting.yaml", "嵌套"), ("python-tag.yaml", "不支持 YAML 标签"),
    ("duplicate-key.yaml", "重复"), ("control-chars.yaml", "控制字符"), ("binary.yaml", "二进制"),
    ("custom-tag.yaml", "给整个值加引号"), ("multi-document.yaml", "多个 YAML 文档"),
    ("workbook-as.yaml", "压缩包（如 Excel 工作簿或 Word 文件）"),
    # issue #18, item 10: a 标题 with a line break, said by its label, once, without pydantic's type path
    ("title-newline.yaml", "错误: 标题：应为一行文字，不能换行"), ("title-number.yaml", "标题：应为文字或列表，实际为 2023"),
    ("bool-count.yaml", "实际为 true（是/否）"), ("nan-fee.yaml", "实际为 .nan（不是数）"),
    ("date-invalid.yaml", "实际为 “2024-13-45”"), ("outline-not-list.yaml", "应为列表（每项一行，以“- ”开头）"),
    ("bad-script.yaml", "应为 zh-Hans、zh-Hant、zh-TW、zh-HK 之一"),
    # workbooks: what the file is, and the place in it
    ("xlsx-bomb.xlsx", "压缩炸弹"), ("bzip2-member.xlsx", "Office 不使用的压缩方式"), ("lying-size.xlsx", "已损坏"),
    ("ole2-encrypted.xlsx", "密码"), ("docx-as.xlsx", "这是一个 Word 文件"), ("text-as.xlsx", "zip 结构损坏"),
    ("many-members.xlsx", "个部件"), ("missing-sheet.xlsx", "缺少工作表“表三”"), ("truncated.xlsx", "截断"),
    ("text-in-number.xlsx", "表三!D6：应为数字，实际为文字“一百二十六”"), ("formula-in-cell.xlsx", "不要用公式"),
    ("title-newline.xlsx", "基本信息!C2: 错误: 机关名称：应为一行文字"), ("entity-bomb.xlsx", "无法读取这个 Excel 工作簿"),
])
def test_specific_data_errors(name, message):
    result = CliRunner().invoke(main, ["validate", str(BAD / name)])
    assert result.exit_code == 1 and message in result.output, result.output
    assert result.output.count("\n") <= 2 or "数据校验未通过" in result.output  # one message, not one per pydantic branch


def test_a_title_with_a_line_break_is_one_error_in_the_clerks_words():
    """Issue #18: the 标题 with a line break gave pydantic's type path of both union branches."""
    result = CliRunner().invoke(main, ["validate", str(BAD / "title-newline.yaml")])
    lines = [line for line in result.output.splitlines() if "错误:" in line]
    assert result.exit_code == 1 and len(lines) == 1, result.output
    assert lines[0].endswith("错误: 标题：应为一行文字，不能换行（含换行符、段落分隔符 U+2028/U+2029 等）"), lines


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_one_zip_guard_for_word_files_and_workbooks(kind):
    """The same checks, and the same words, whichever reader the package is for."""
    command = "parse" if kind == "docx" else "validate"
    for name, message in ((f"bzip2-member.{kind}", "使用了 Office 不使用的压缩方式，可能是压缩炸弹"),
                          (f"{'zip' if kind == 'docx' else 'xlsx'}-bomb.{kind}", "（上限 "),
                          (f"lying-size.{kind}", "损坏")):
        result = CliRunner().invoke(main, [command, str(BAD / name)])
        assert result.exit_code == 1 and message in result.output, (name, result.output)


def test_a_macro_workbook_is_read_for_its_cells_with_a_notice(tmp_path):
    """Issue #18: an .xlsm given to convert was read as YAML; it is a workbook, its macros ignored."""
    book = str(BAD / "macro-workbook.xlsm")
    result = CliRunner().invoke(main, ["validate", book])
    assert result.exit_code == 0 and "宏（VBA）已忽略，不会运行" in result.output, result.output
    out = tmp_path / "from-xlsm.yaml"
    result = CliRunner().invoke(main, ["convert", book, "-o", str(out)])
    assert result.exit_code == 0 and "宏（VBA）已忽略" in result.output and out.exists(), result.output
    plain = tmp_path / "plain.xlsx"
    assert CliRunner().invoke(main, ["convert", str(EXAMPLE), "-o", str(plain)]).exit_code == 0
    back = tmp_path / "from-xlsx.yaml"
    assert CliRunner().invoke(main, ["convert", str(plain), "-o", str(back)]).exit_code == 0
    strip = lambda p: [line for line in p.read_text("utf-8").splitlines() if not line.startswith("# 由 reportgen")]  # noqa: E731
    assert strip(out) == strip(back)  # the same data as the workbook without macros
    result = CliRunner().invoke(main, ["convert", book, "-o", str(tmp_path / "again.xlsx")])
    assert result.exit_code == 2 and "都是 Excel 工作簿" in result.output


def test_html_with_characters_xml_forbids_is_read_with_a_notice(tmp_path):
    """Issue #18, item 9: &#1;, raw control characters and lone surrogates beside elements the
    reader removes gave 内部错误 (lxml: "All strings must be XML compatible")."""
    out = tmp_path / "out.yaml"
    result = CliRunner().invoke(main, ["parse", str(BAD / "xml-forbidden.html"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "页面中有 9 个不可见的控制字符（U+0000、U+0001、U+0002、U+000B、U+001F等）" in result.output
    text = out.read_text("utf-8")
    assert "正文内容之后的文字与和尾" in text and "结束" in text  # the text around them kept, in order
    assert not any(ch in text for ch in "\x00\x01\x02\x0b\x1f\ufffe")


def test_a_fifo_is_not_called_an_empty_file(tmp_path):
    fifo = tmp_path / "data.yaml"
    os.mkfifo(fifo)
    for command in ("validate", "parse", "check"):
        result = CliRunner().invoke(main, [command, str(fifo)])
        assert result.exit_code in (1, 2) and "管道（FIFO）" in result.output and "文件是空的" not in result.output, \
            (command, result.output)


@pytest.mark.parametrize("name,message", [("zip-bomb.docx", "压缩炸弹"), ("truncated.docx", "截断"),
                                          ("no-report.html", "没有找到报告内容"), ("empty.txt", "空的"),
                                          ("binary.txt", "二进制"), ("bzip2-member.docx", "压缩方式"),
                                          ("malformed-xml.docx", "不是有效的 XML（使用了未声明的命名空间前缀，第 1 行）"),
                                          ("entity-bomb.docx", "实体炸弹"), ("binary.md", "二进制"),
                                          ("empty.md", "空的")])
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


def test_a_line_break_in_the_agency_does_not_break_the_check_summary():
    result = CliRunner().invoke(main, ["check", str(BAD / "title-newline.xlsx")])
    first = result.output.splitlines()[0]
    assert result.exit_code == 1 and first.endswith("（云溪市 市场监督管理局，2023年度）：错误 1"), result.output
