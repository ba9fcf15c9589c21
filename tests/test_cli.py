"""The CLI, driven by click's CliRunner: render/validate/init/schema, and bad input handled
with a clear message, exit code 1, no traceback, no partial output, the input untouched."""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from conftest import EXAMPLE, ROOT
from reportgen.cli import main


def run(*args):
    return CliRunner().invoke(main, list(map(str, args)), catch_exceptions=False)


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_render_writes_docx_and_txt(tmp_path):
    result = run("render", EXAMPLE, "-o", tmp_path)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "report-2021.docx").stat().st_size > 5000
    assert "一、总体情况" in (tmp_path / "report-2021.txt").read_text("utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report-2021.docx", "report-2021.txt"]


def test_render_next_to_input_by_default(tmp_path):
    src = tmp_path / "r.yaml"
    src.write_bytes(EXAMPLE.read_bytes())
    assert run("render", src, "--format", "txt").exit_code == 0
    assert (tmp_path / "r.txt").exists() and not (tmp_path / "r.docx").exists()


def test_validate_ok_and_failing(tmp_path, data, write_yaml):
    assert run("validate", EXAMPLE).exit_code == 0
    data["收到和处理政府信息公开申请情况"]["本年新收"]["自然人"] = 1
    bad = write_yaml(data)
    result = run("validate", bad)
    assert result.exit_code == 1
    assert "勾稽关系不符" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("content, message", [
    ("机关名称: [unclosed\n", "第 1 行：方括号“[ ]”没有闭合"),
    ("- just\n- a list\n", "最外层应为键值映射"),
    ("", "文件是空的"),
    ("机关名称: 某局\n报告年度: 二〇二三\n", "应为整数"),
    ("机关名称: 某局\n报告年度: 2023\n未知字段: 1\n", "未知的键"),
])
def test_bad_input_clear_error_no_output(tmp_path, content, message):
    src = tmp_path / "bad.yaml"
    src.write_text(content, encoding="utf-8")
    before = digest(src)
    out = tmp_path / "out"
    result = run("render", src, "-o", out)
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    assert str(src) in result.output
    assert not out.exists() or not any(out.iterdir())
    assert digest(src) == before


def test_binary_input(tmp_path):
    src = tmp_path / "bin.yaml"
    src.write_bytes(bytes(range(256)) * 4)
    result = run("validate", src)
    assert result.exit_code == 1 and "二进制" in result.output


def test_missing_file(tmp_path):
    result = run("render", tmp_path / "nope.yaml")
    assert result.exit_code == 1 and "找不到文件" in result.output


def test_unknown_format_is_a_usage_error(tmp_path):
    result = run("render", EXAMPLE, "-o", tmp_path, "--format", "pdfx")
    assert result.exit_code == 2 and "不支持的输出格式" in result.output
    assert not any(tmp_path.iterdir())


def test_output_never_overwrites_input(tmp_path):
    src = tmp_path / "r.txt"  # a data file whose txt output would be itself
    src.write_bytes(EXAMPLE.read_bytes())
    before = digest(src)
    result = run("render", src, "--format", "txt")
    assert result.exit_code == 1 and "拒绝覆盖输入" in result.output
    assert digest(src) == before


def test_jinja_syntax_in_data_is_literal(tmp_path, data, write_yaml):
    data["存在的主要问题及改进情况"] = "{{ report.agency }}{% for x in y %}{# c #}"
    src = write_yaml(data)
    assert run("render", src, "--format", "txt", "-o", tmp_path / "o").exit_code == 0
    txt = (tmp_path / "o" / "data.txt").read_text("utf-8")
    assert "　　{{ report.agency }}{% for x in y %}{# c #}\n" in txt


def test_markup_lookalikes_in_data_stay_paragraphs(tmp_path, data, write_yaml):
    data["存在的主要问题及改进情况"] = ["# 不是标题", "@table proactive", "= 不是题目", "> 不是落款"]
    src = write_yaml(data)
    from reportgen.compose import compose
    from reportgen.document import Paragraph
    from reportgen.loader import load_report

    doc = compose(load_report(str(src)))
    from reportgen.document import Heading

    start = next(i for i, b in enumerate(doc.blocks) if isinstance(b, Heading) and b.text.startswith("五、"))
    section = doc.blocks[start + 1:start + 5]
    assert all(isinstance(b, Paragraph) and b.align == "justify" for b in section)
    assert [b.text for b in section] == ["# 不是标题", "@table proactive", "= 不是题目", "> 不是落款"]


def test_init_scaffold_validates_and_refuses_overwrite(tmp_path):
    target = tmp_path / "new.yaml"
    result = run("init", "-o", target, "--agency", "某县档案馆", "--year", 2024)
    assert result.exit_code == 0, result.output
    text = target.read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=reportgen.schema.json")
    assert "# 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请" in text
    assert "# 3.危及“三安全一稳定”" in text
    assert json.loads((tmp_path / "reportgen.schema.json").read_text("utf-8"))["type"] == "object"
    result = run("validate", target)
    assert result.exit_code == 0 and "占位文字" in result.output
    assert run("init", "-o", target).exit_code == 1


@pytest.mark.parametrize("edition,name", [("2021", "reportgen.schema.json"), ("2019", "reportgen-2019.schema.json"),
                                          ("freeform", "reportgen-freeform.schema.json")])
def test_schema_command_matches_committed_copy(edition, name):
    result = run("schema", "--edition", edition)
    committed = (ROOT / "schemas" / name).read_text("utf-8")
    # the meaning, not the text: a pydantic release may order or spell the same schema otherwise
    assert json.loads(result.output) == json.loads(committed), \
        f"schemas/ is stale: run reportgen schema --edition {edition} -o schemas/{name}"


@pytest.mark.parametrize("year,edition,schema", [(2020, "2019", "reportgen-2019.schema.json"),
                                                 (2016, "freeform", "reportgen-freeform.schema.json")])
def test_init_picks_the_edition_from_the_year(tmp_path, year, edition, schema):
    target = tmp_path / "new.yaml"
    result = run("init", "-o", target, "--agency", "某县财政局", "--year", year)
    assert result.exit_code == 0, result.output
    text = target.read_text("utf-8")
    assert text.startswith(f"# yaml-language-server: $schema={schema}") and (tmp_path / schema).exists()
    assert "信息处理费" not in text  # the 109号 fee statement belongs to the 2021 edition
    from reportgen.loader import load_report
    assert load_report(str(target)).edition.id == edition
    assert run("init", "-o", tmp_path / "x.yaml", "--edition", "2021", "--year", year).exit_code == 0
    assert "版式: \"2021\"" in (tmp_path / "x.yaml").read_text("utf-8")


def test_debug_shows_traceback_for_internal_errors(monkeypatch, tmp_path):
    import reportgen.render as render_mod

    def boom(*a, **k):
        raise RuntimeError("boom")

    monkeypatch.setattr(render_mod, "compose", boom)
    result = CliRunner().invoke(main, ["render", str(EXAMPLE), "-o", str(tmp_path)])
    assert result.exit_code == 3 and "内部错误" in result.output and "Traceback" not in result.output
    result = CliRunner().invoke(main, ["--debug", "render", str(EXAMPLE), "-o", str(tmp_path)])
    assert isinstance(result.exception, RuntimeError)


def test_python_dash_m_and_help_do_not_import_heavy_modules():
    code = ("import sys, runpy; sys.argv=['reportgen','--help']\n"
            "try:\n runpy.run_module('reportgen', run_name='__main__')\n"
            "except SystemExit: pass\n"
            "print(sorted(m for m in ('docx','pydantic','jinja2','lxml') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "reportgen" in out and out.strip().endswith("[]")


def test_one_bad_file_does_not_stop_the_others(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("机关名称: [\n", encoding="utf-8")
    result = run("validate", bad, EXAMPLE)
    assert result.exit_code == 1
    assert "bad.yaml:1: 第 1 行：方括号或花括号没有闭合" in result.output and "report-2021.yaml：校验通过" in result.output


def test_init_never_writes_a_data_file_under_another_name(tmp_path):
    """Issue #18: ``init -o s2/reportgen.schema.json`` wrote s2/reportgen.schema.yaml and then told
    the clerk to validate the schema file. A name that is no data file is refused, nothing written."""
    result = run("init", "-o", tmp_path / "s2" / "reportgen.schema.json")
    assert result.exit_code == 2 and "JSON Schema" in result.output and "-o 数据.yaml" in result.output, result.output
    assert not (tmp_path / "s2").exists()
    for name in ("report.docx", "data.xlsm"):
        assert run("init", "-o", tmp_path / name).exit_code == 2
    assert run("init", "--xlsx", "-o", tmp_path / "data.yaml").exit_code == 2
    assert list(tmp_path.iterdir()) == []
    result = run("init", "-o", tmp_path / "a.yml", "--year", 2024)  # the name as given, .yml kept
    assert result.exit_code == 0 and f"reportgen validate {tmp_path / 'a.yml'}" in result.output, result.output
    assert (tmp_path / "a.yml").exists() and not (tmp_path / "a.yaml").exists()
    result = run("init", "-o", tmp_path / "b", "--year", 2024)  # no suffix: .yaml added, and said
    assert result.exit_code == 0 and f"reportgen validate {tmp_path / 'b.yaml'}" in result.output
    result = run("init", "--xlsx", "-o", tmp_path / "c", "--year", 2024)
    assert result.exit_code == 0 and (tmp_path / "c.xlsx").exists()
    assert run("validate", tmp_path / "a.yml").exit_code == 0


@pytest.mark.parametrize("target,message", [("x.xlsm", "不能生成启用宏的工作簿"), ("x.json", "转换的目标应以"),
                                            ("x.yml", "都是 YAML 数据文件"), ("x", "没有扩展名")])
def test_convert_says_what_it_converts_between(tmp_path, target, message):
    result = run("convert", EXAMPLE, "-o", tmp_path / target)
    assert result.exit_code == 2 and message in result.output and "同一种格式" not in result.output, result.output
    assert list(tmp_path.iterdir()) == []
