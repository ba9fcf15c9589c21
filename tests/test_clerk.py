"""The clerk's mistakes (issue #13): each common YAML slip gets a Chinese message on the line it
is on, with the fix and no English parser text; values pasted as text are taken with a warning;
a GBK file is read with a notice; lines folded into one paragraph are warned about; --strict
turns warnings (placeholders included) into errors; a finding stays one short line."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from conftest import ROOT
from reportgen.cli import main

EXAMPLE = (ROOT / "examples" / "report-2021.yaml").read_text("utf-8")


def _run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], prog_name="reportgen")


def _line_of(text: str, line: str) -> int:
    """The 1-based number of the line that is ``line`` (or, stripped, starts with it)."""
    lines = text.split("\n")
    return next(n for n, each in enumerate(lines, 1) if each == line or each.strip().startswith(line.strip()))


@pytest.mark.parametrize("old,new,fix", [
    ("  行政处罚: 1543", "  行政处罚：1543", "把中文冒号“：”改为英文冒号“: ”（写成“行政处罚: 1543”）"),
    ("  行政处罚: 1543", "  行政处罚:1543", "冒号后要有一个空格（写成“行政处罚: 1543”）"),
    ("  行政处罚: 1543", "\t行政处罚: 1543", "用了制表符（Tab）缩进"),
    ("  行政处罚: 1543", "\u3000\u3000行政处罚: 1543", "行首用了全角空格缩进"),
    ("  行政许可: 12876", "  行政许可：12876", "把中文冒号“：”改为英文冒号“: ”"),  # the first key of its table
])
@pytest.mark.parametrize("command", ["validate", "check"])
def test_each_usual_mistake_is_explained_on_its_own_line(tmp_path, old, new, fix, command):
    assert old in EXAMPLE
    text = EXAMPLE.replace(old, new, 1)
    path = tmp_path / "data.yaml"
    path.write_text(text, "utf-8")
    line = _line_of(text, new)
    result = _run(command, path)
    assert result.exit_code == (1 if command == "validate" else 2)  # check: 2 is an unreadable input
    assert f"第 {line} 行：" in result.output and fix in result.output
    assert "Traceback" not in result.output
    for english in ("could not", "mapping values", "found character", "expected", "YAML syntax"):
        assert english not in result.output


def test_text_inside_a_literal_block_is_left_alone(tmp_path):
    text = EXAMPLE.replace("  概述: |\n    2023年，", "  概述: |\n    　　本年度：我局，网址:http://x.cn。\n    2023年，", 1)
    path = tmp_path / "data.yaml"
    path.write_text(text, "utf-8")
    assert _run("validate", path).exit_code == 0


@pytest.mark.parametrize("pasted,value", [('"17"', 17), ("１７", 17), ("1,234", 1234), ("1，234", 1234), ("'2,000'", 2000)])
def test_numbers_pasted_as_text_are_taken_with_a_warning(tmp_path, pasted, value):
    from reportgen.loader import load_report

    path = tmp_path / "data.yaml"
    path.write_text(EXAMPLE.replace("  行政强制: 87", f"  行政强制: {pasted}", 1), "utf-8")
    loaded = load_report(str(path))
    assert loaded.cells("proactive")[("行政强制", "本年处理决定数量")] == value
    warning = next(w for w in loaded.warnings if w.code == "number-text")
    assert warning.line == _line_of(path.read_text("utf-8"), f"  行政强制: {pasted}") and "已按" in warning.message


def test_an_empty_value_says_what_to_write(tmp_path):
    path = tmp_path / "data.yaml"
    path.write_text(EXAMPLE.replace("  行政强制: 87", "  行政强制:", 1), "utf-8")
    result = _run("validate", path)
    assert result.exit_code == 1 and "没有填写（冒号后是空的）；如为 0 请写 0" in result.output
    assert "None" not in result.output


def test_a_gbk_file_is_read_with_a_notice(tmp_path):
    path = tmp_path / "data.yaml"
    path.write_bytes(EXAMPLE.encode("gb18030"))
    result = _run("validate", path)
    assert result.exit_code == 0 and "GBK" in result.output and "校验通过" in result.output


def test_lines_folded_into_one_paragraph_are_warned_about(tmp_path):
    path = tmp_path / "data.yaml"
    path.write_text(EXAMPLE.replace("  概述: |\n    2023年，", "  概述:\n    第一段。\n    2023年，", 1), "utf-8")
    result = _run("validate", path)
    assert result.exit_code == 0
    assert "行被合成了一段" in result.output and "请在“概述:”后加“|”" in result.output


def test_strict_turns_warnings_into_errors_and_render_says_placeholders_remain(tmp_path):
    data = tmp_path / "2024.yaml"
    assert _run("init", "-o", data).exit_code == 0
    plain = _run("validate", data)
    assert plain.exit_code == 0 and "占位文字" in plain.output
    strict = _run("validate", "--strict", data)
    assert strict.exit_code == 1 and "（--strict）" in strict.output
    rendered = _run("render", data, "-o", tmp_path / "out", "-f", "txt")
    assert rendered.exit_code == 0 and "不能直接发布" in rendered.output
    refused = _run("render", "--strict", data, "-o", tmp_path / "strict", "-f", "txt")
    assert refused.exit_code == 1 and not (tmp_path / "strict").exists()


def test_validate_takes_a_directory(tmp_path):
    (tmp_path / "a.yaml").write_text(EXAMPLE, "utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.yaml").write_text(EXAMPLE, "utf-8")
    result = _run("validate", tmp_path)
    assert result.exit_code == 0 and result.output.count("校验通过") == 2


def test_a_sum_finding_stays_one_short_line(tmp_path):
    """A wrong （七）总计 used to name all 21 rows it sums (about 1,800 characters a line)."""
    path = tmp_path / "data.yaml"
    wrong = "    总计: {自然人: 999, 商业企业: 17, 科研机构: 1, 社会公益组织: 2, 法律服务机构: 5, 其他: 3}\n"
    path.write_text(EXAMPLE.replace("  结转下年度:", wrong + "  结转下年度:", 1), "utf-8")
    result = _run("validate", path)
    assert result.exit_code == 1 and "共 21 项之和" in result.output
    longest = max(len(line) for line in result.output.splitlines())
    assert longest < 400, longest


# --- one language on the command line ---------------------------------------------------------

ENGLISH = ("Usage:", "Error:", "Missing", "No such", "Try '", "Show this message", "is not one of", "Options:")


@pytest.mark.parametrize("args,chinese", [
    (["--help"], "用法： reportgen [选项] 命令 [参数]..."),
    (["render", "--help"], "显示本帮助并退出"),
    (["render"], "错误：缺少参数 '数据文件...'。"),
    (["render", "x.yaml", "--bogus"], "错误：没有选项 '--bogus'。"),
    (["render", "x.yaml", "--script", "xx"], "不是可选的值"),
    (["validate", "--previous"], "选项 '--previous' 后面要给一个值。"),
    (["frobnicate"], "没有命令 'frobnicate'。"),
])
def test_click_speaks_chinese(args, chinese):
    result = _run(*args)
    assert chinese in result.output
    for english in ENGLISH:
        assert english not in result.output, english


def test_debug_is_accepted_after_the_subcommand(tmp_path):
    broken = tmp_path / "bad.yaml"
    broken.write_text("机关名称: [\n", "utf-8")
    result = _run("validate", broken, "--debug")
    assert result.exit_code != 2  # not a usage error: --debug was understood
    assert isinstance(result.exception, Exception)  # and it shows the error itself (the traceback)


def test_render_to_standard_output(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    example = ROOT / "examples" / "report-2021.yaml"
    result = _run("render", example, "-o", "-", "-f", "txt,md")
    assert result.exit_code == 0 and result.stdout.startswith("云溪市市场监督管理局2023年政府信息公开工作年度报告")
    assert not (tmp_path / "-").exists()
    refused = _run("render", example, "-o", "-", "-f", "docx")
    assert refused.exit_code == 2 and "不能输出到屏幕" in refused.output and not (tmp_path / "-").exists()


def test_batch_summary_tells_problems_from_failures(tmp_path):
    (tmp_path / "good.yaml").write_text(EXAMPLE, "utf-8")
    wrong = "    总计: {自然人: 999, 商业企业: 17, 科研机构: 1, 社会公益组织: 2, 法律服务机构: 5, 其他: 3}\n"
    (tmp_path / "wrong.yaml").write_text(EXAMPLE.replace("  结转下年度:", wrong + "  结转下年度:", 1), "utf-8")
    (tmp_path / "broken.yaml").write_text("机关名称: [\n", "utf-8")
    result = _run("check", tmp_path)
    assert "完成 2 个（其中 1 个有问题），失败 1 个" in result.output


# --- a Word file a clerk can publish as is --------------------------------------------------------

def _docx(data_text: str, tmp_path, name: str = "r.yaml"):
    import docx

    path = tmp_path / name
    path.write_text(data_text, "utf-8")
    assert _run("render", path, "-o", tmp_path / "out", "-f", "docx").exit_code == 0
    return docx.Document(str(tmp_path / "out" / (path.stem + ".docx")))


def test_first_line_indent_is_two_characters_in_word_and_libreoffice(tmp_path):
    """firstLine in twips equals firstLineChars (two characters of the paragraph's own 3号)."""
    document = _docx(EXAMPLE, tmp_path)
    ind = document.styles["Normal"].element.pPr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}ind")
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    assert ind.get(w + "firstLineChars") == "200" and ind.get(w + "firstLine") == str(2 * 16 * 20)


@pytest.mark.skipif(not __import__("shutil").which("soffice") or not __import__("shutil").which("pdftotext"),
                    reason="LibreOffice/poppler not installed")
def test_pdf_first_lines_are_indented_two_characters_and_titles_break_between_words(tmp_path):
    import re
    import subprocess

    long_agency = EXAMPLE.replace("机关名称: 云溪市市场监督管理局", "机关名称: 云溪市人力资源和社会保障局综合执法支队", 1)
    path = tmp_path / "r.yaml"
    path.write_text(long_agency, "utf-8")
    assert _run("render", path, "-o", tmp_path, "-f", "pdf").exit_code == 0
    layout = subprocess.run(["pdftotext", "-bbox-layout", str(tmp_path / "r.pdf"), "-"], capture_output=True,
                            text=True, check=True).stdout
    lines = [(float(m.group(1)), "".join(re.findall(r">([^<]*)</word>", m.group(2))))
             for m in re.finditer(r'<line xMin="([\d.]+)"[^>]*>(.*?)</line>', layout, re.S)]
    first = next(i for i, (_, text) in enumerate(lines) if text.startswith("本报告根据"))
    assert abs((lines[first][0] - lines[first + 1][0]) - 32.0) < 1.5  # 2 × 16 pt
    titles = [text for _, text in lines[:3]]
    assert titles[0] == "云溪市人力资源和社会保障局综合执法支队" and titles[1] == "2023年政府信息公开工作年度报告"


def test_a_title_given_as_lines_breaks_there(tmp_path):
    data = EXAMPLE.replace("机关名称: 云溪市市场监督管理局", "机关名称: 云溪市市场监督管理局\n标题:\n  - 云溪市市场监督管理局\n"
                           "  - 2023年度政府信息公开工作年度报告", 1)
    document = _docx(data, tmp_path)
    title = next(p for p in document.paragraphs if p.style.name == "Title")
    assert title.text == "云溪市市场监督管理局\n2023年度政府信息公开工作年度报告"
    back = _run("parse", tmp_path / "out" / "r.docx")
    assert "标题: 云溪市市场监督管理局2023年度政府信息公开工作年度报告" in back.stdout  # one line again, no space


def test_label_rows_stay_with_the_rows_after_them(tmp_path):
    document = _docx(EXAMPLE, tmp_path)
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    table = document.tables[0]  # table 二: 第二十条第（一）项, then its header, then the rows
    kept = [row.cells[0].paragraphs[0]._p.pPr.find(w + "keepNext") is not None for row in table.rows]
    labels = [row.cells[0].text for row in table.rows]
    assert kept[labels.index("第二十条第（八）项")] and kept[0] and kept[1]
    assert not kept[labels.index("规章")]  # a row of numbers is not held


def test_font_set_choice_from_the_command_line_and_the_profile(tmp_path):
    import zipfile

    def east_asia(docx_path):
        styles = zipfile.ZipFile(docx_path).read("word/styles.xml").decode("utf-8")
        import re
        return set(re.findall(r'w:eastAsia="([^"]+)"', styles)) - {"zh-CN"}

    data = tmp_path / "r.yaml"
    data.write_text(EXAMPLE, "utf-8")
    assert _run("render", data, "-f", "docx", "-o", tmp_path / "gb").exit_code == 0
    assert east_asia(tmp_path / "gb" / "r.docx") == {"仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312", "宋体"}
    fonts = zipfile.ZipFile(tmp_path / "gb" / "r.docx").read("word/fontTable.xml").decode("utf-8")
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in fonts  # Word's fallback where it is missing
    assert _run("render", data, "-f", "docx", "-o", tmp_path / "win", "--fonts", "windows").exit_code == 0
    assert east_asia(tmp_path / "win" / "r.docx") == {"仿宋", "宋体", "黑体", "楷体"}
    (tmp_path / "reportgen.yaml").write_text("字体: windows\n", "utf-8")
    assert _run("render", data, "-f", "docx", "-o", tmp_path / "profile").exit_code == 0
    assert east_asia(tmp_path / "profile" / "r.docx") == {"仿宋", "宋体", "黑体", "楷体"}
    (tmp_path / "reportgen.yaml").write_text("字体: comic\n", "utf-8")
    bad = _run("render", data, "-f", "docx", "-o", tmp_path / "bad")
    assert bad.exit_code == 1 and "字体" in bad.output and "windows" in bad.output
