"""Making it the agency's own: template overrides (one section replaced, the rest byte-identical;
extends/include of builtin/; the sandbox; errors with file:line), the reference docx (its
margins and fonts used; a missing style named), the agency profile, next year from last year,
and the Markdown writer."""
from __future__ import annotations

import io
import shutil

import docx
import pytest
from click.testing import CliRunner

from conftest import ROOT
from reportgen.cli import main
from reportgen.compose import compose
from reportgen.errors import OutputError, TemplateError, ValidationFailed
from reportgen.loader import load_report
from reportgen.render import render_file, render_loaded
from reportgen.writers.docx import write_docx
from reportgen.formats.docx import W
from reportgen.writers.text import write_text

EXAMPLE = ROOT / "examples" / "report-2021.yaml"
CUSTOM = ROOT / "examples" / "custom"


def sections(text: str) -> dict[str, str]:
    """The rendered text cut at the six section headings (and the part before them)."""
    out, key = {"": ""}, ""
    for line in text.splitlines(keepends=True):
        if line[:2] in ("一、", "二、", "三、", "四、", "五、", "六、"):
            key = line[:2]
            out[key] = ""
        out[key] += line
    return out


def render_with(tmp_path, files: dict[str, str], loaded=None):
    tdir = tmp_path / "tpl"
    for name, text in files.items():
        (tdir / name).parent.mkdir(parents=True, exist_ok=True)
        (tdir / name).write_text(text, "utf-8")
    return write_text(compose(loaded or load_report(str(EXAMPLE)), [str(tdir)])).decode()


# --- template overrides ----------------------------------------------------------------

def test_override_replaces_one_section_and_leaves_the_rest_byte_identical(tmp_path, loaded):
    default = sections(write_text(compose(loaded)).decode())
    custom = sections(render_with(tmp_path, {"common/problems.j2": "# {{ headings[4] }}\n本局自己的表述。\n"}, loaded))
    assert custom["五、"] == "五、存在的主要问题及改进情况\n\n　　本局自己的表述。\n\n"
    assert {k: v for k, v in custom.items() if k != "五、"} == {k: v for k, v in default.items() if k != "五、"}


def test_override_extends_the_builtin_original(tmp_path, loaded):
    child = '{% extends "builtin/common/problems.j2" %}{% block body %}{{ super() }}\n附加的一段。\n{% endblock %}'
    text = sections(render_with(tmp_path, {"common/problems.j2": child}, loaded))["五、"]
    default = sections(write_text(compose(loaded)).decode())["五、"]
    assert text.startswith(default.rstrip("\n")) and text.rstrip().endswith("附加的一段。")


def test_sandbox_refuses_escape_attempts(tmp_path, loaded):
    for attempt in ("{{ report.__class__.__mro__ }}", "{{ ''.__class__.__subclasses__() }}",
                    "{{ cycler.__init__.__globals__ }}"):
        with pytest.raises(TemplateError) as info:
            render_with(tmp_path, {"common/problems.j2": "# x\n" + attempt + "\n"}, loaded)
        assert "problems.j2" in str(info.value)


def test_data_text_is_never_template_code(tmp_path, data, write_yaml):
    data["存在的主要问题及改进情况"] = "{{ 7 * 7 }} {% if true %}x{% endif %}"
    text = write_text(compose(load_report(str(write_yaml(data))))).decode()
    assert "{{ 7 * 7 }} {% if true %}x{% endif %}" in text and "49" not in sections(text)["五、"]


def test_template_errors_name_file_and_line(tmp_path, loaded):
    with pytest.raises(TemplateError) as info:
        render_with(tmp_path, {"common/problems.j2": "# {{ headings[4] }}\n\n{% if %}\n"}, loaded)
    assert "problems.j2:3" in str(info.value) and "语法" in str(info.value)
    with pytest.raises(TemplateError) as info:
        render_with(tmp_path, {"common/problems.j2": "# x\n{{ report.no_such_field }}\n"}, loaded)
    assert "problems.j2:2" in str(info.value)


def test_templates_export(tmp_path):
    result = CliRunner().invoke(main, ["templates", "export", str(tmp_path / "t")])
    assert result.exit_code == 0, result.output
    for name in ("GUIDE.md", "reference.docx", "2021/report.j2", "common/problems.j2", "freeform/report.j2"):
        assert (tmp_path / "t" / name).is_file(), name
    assert "builtin/" in (tmp_path / "t" / "GUIDE.md").read_text("utf-8")
    again = CliRunner().invoke(main, ["templates", "export", str(tmp_path / "t")])
    assert again.exit_code == 1 and "--force" in again.output
    # the exported set used as a template directory renders exactly as the packaged one
    loaded = load_report(str(EXAMPLE))
    assert compose(loaded, [str(tmp_path / "t")]).blocks == compose(loaded).blocks


# --- reference docx --------------------------------------------------------------------

def test_reference_docx_supplies_margins_and_fonts(loaded):
    word = docx.Document(io.BytesIO(write_docx(compose(loaded), CUSTOM / "reference.docx")))
    s = word.sections[0]
    assert (round(s.top_margin.mm), round(s.bottom_margin.mm), round(s.left_margin.mm), round(s.right_margin.mm)) == \
        (30, 28, 26, 26)
    normal = word.styles.element.xpath("//w:style[@w:styleId='Normal']//w:rFonts")[0]
    assert normal.get(W + "eastAsia") == "宋体"
    assert "公文样式" not in (word.core_properties.title or "")  # its content and title are not used


def test_reference_docx_missing_styles_gets_them_from_the_default_with_a_notice(tmp_path, loaded):
    """As pandoc does: a reference with only Normal still renders, and says which styles it lent."""
    ref = docx.Document(str(CUSTOM / "reference.docx"))
    for st in list(ref.styles.element.iter(W + "style")):
        if st.get(W + "styleId") != "Normal":
            st.getparent().remove(st)
    path = tmp_path / "agency.docx"
    ref.save(str(path))
    notices: list[str] = []
    word = docx.Document(io.BytesIO(write_docx(compose(loaded), path, notices)))
    assert any("agency.docx 缺少样式" in n and "Closing" in n and "Table Header" in n for n in notices)
    assert {p.style.name.lower() for p in word.paragraphs} >= {"title", "heading 1", "closing"}
    result = CliRunner().invoke(main, ["render", str(EXAMPLE), "-o", str(tmp_path / "out"), "--reference-doc", str(path)])
    assert result.exit_code == 0 and "缺少样式" in result.output
    bad = tmp_path / "notword.docx"
    bad.write_bytes(b"not a zip")
    result = CliRunner().invoke(main, ["render", str(EXAMPLE), "-o", str(tmp_path), "--reference-doc", str(bad)])
    assert result.exit_code == 1 and "参考样式文件" in result.output and "Traceback" not in result.output


def test_reference_styles_found_by_name(tmp_path, loaded):
    """A reference saved by a localised Word gives built-in styles other ids; names still match."""
    ref = docx.Document(str(CUSTOM / "reference.docx"))
    for st in ref.styles.element.iter(W + "style"):
        if st.get(W + "styleId") == "Heading1":
            st.set(W + "styleId", "1")
    path = tmp_path / "localised.docx"
    ref.save(str(path))
    body = docx.Document(io.BytesIO(write_docx(compose(loaded), path))).element.body
    assert body.xpath("//w:pStyle[@w:val='1']") and not body.xpath("//w:pStyle[@w:val='Heading1']")


# --- the agency profile ----------------------------------------------------------------

def test_custom_example_uses_its_profile(tmp_path):
    loaded, paths = render_file(CUSTOM / "data.yaml", tmp_path)
    assert sorted(paths) == ["docx", "html", "md", "txt"]  # 输出格式 from reportgen.yaml
    assert loaded.report.agency == "云溪市市场监督管理局"  # 机关名称 from reportgen.yaml
    assert loaded.report.publication.column == "政府信息公开年报"
    assert loaded.report.publication.index_no == "11350900MB1234567X/2024-00012"  # the data file's own
    text = paths["txt"].read_text("utf-8")
    assert "云溪市市场监督管理局负责全市市场主体登记注册" in text and "对本报告有疑问的" in text
    word = docx.Document(str(paths["docx"]))
    assert round(word.sections[0].left_margin.mm) == 26


def test_command_line_wins_over_the_profile(tmp_path):
    result = CliRunner().invoke(main, ["render", str(CUSTOM / "data.yaml"), "-o", str(tmp_path), "-f", "txt",
                                       "--script", "zh-TW"])
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.iterdir()] == ["data.txt"]
    assert "雲溪市市場監督管理局" in (tmp_path / "data.txt").read_text("utf-8")


def test_bad_profile_names_file_and_key(tmp_path):
    shutil.copy(EXAMPLE, tmp_path / "data.yaml")
    (tmp_path / "reportgen.yaml").write_text("文字: zh-CN\n模板目录: 不存在\n颜色: 红\n", "utf-8")
    with pytest.raises(ValidationFailed) as info:
        render_file(tmp_path / "data.yaml", tmp_path / "out")
    text = str(info.value)
    assert "reportgen.yaml:1" in text and "reportgen.yaml:2" in text and "颜色" in text


# --- next year from last year ----------------------------------------------------------

def test_init_from_last_year(tmp_path):
    target = tmp_path / "2024.yaml"
    result = CliRunner().invoke(main, ["init", "--from", str(EXAMPLE), "-o", str(target)])
    assert result.exit_code == 0, result.output
    new = load_report(str(target))
    old = load_report(str(EXAMPLE))
    assert (new.report.agency, new.report.year, new.edition.id) == ("云溪市市场监督管理局", 2024, "2021")
    assert new.report.publication.publisher == "云溪市市场监督管理局"
    assert new.report.publication.index_no is None and new.report.publication.written_date is None
    cols = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
    assert [new.cells("applications")[("上年结转", c)] for c in cols] == \
        [old.cells("applications")[("结转下年度", c)] for c in cols] == [9, 2, 0, 0, 0, 0, 11]
    assert all(v == 0 for (r, _), v in new.cells("applications").items() if r.startswith(("本年新收", "办理结果")))
    assert all(v == 0 for v in new.cells("proactive").values()) and all(v == 0 for v in new.cells("reviews").values())
    assert any("占位文字" in str(w) for w in new.warnings)  # the narrative is a skeleton to fill in


def test_init_from_a_published_report_and_across_editions(tmp_path):
    target = tmp_path / "2021.yaml"
    seed = ROOT / "seeds" / "004_083bbb3ff8b97a12.txt"  # a 2020 report in the 2019 edition
    result = CliRunner().invoke(main, ["init", "--from", str(seed), "-o", str(target)])
    assert result.exit_code == 0, result.output
    new = load_report(str(target))
    assert (new.report.year, new.edition.id, new.report.agency) == (2021, "2021", "乌兰察布市财政局")


def test_validate_previous_catches_a_broken_link(tmp_path, data, write_yaml):
    data["报告年度"] = 2024
    t3 = data["收到和处理政府信息公开申请情况"]
    t3["上年结转"] = {"自然人": 9, "商业企业": 2, "科研机构": 0, "社会公益组织": 0, "法律服务机构": 0, "其他": 0}
    t3["本年新收"] = {"自然人": 124, "商业企业": 17, "科研机构": 1, "社会公益组织": 2, "法律服务机构": 5, "其他": 3}
    good = write_yaml(data, "good.yaml")
    ok = CliRunner().invoke(main, ["validate", str(good), "--previous", str(EXAMPLE)])
    assert ok.exit_code == 0, ok.output
    t3["上年结转"]["自然人"], t3["本年新收"]["自然人"] = 8, 125  # still balanced, but not last year's 9
    bad = write_yaml(data, "bad.yaml")
    result = CliRunner().invoke(main, ["validate", str(bad), "--previous", str(EXAMPLE)])
    assert result.exit_code == 1
    assert "表三 “二、上年结转政府信息公开申请数量” 自然人：为 8" in result.output
    assert "结转下年度继续办理”自然人为 9" in result.output
    assert "表三 “二、上年结转政府信息公开申请数量” 总计：为 10" in result.output


# --- Markdown --------------------------------------------------------------------------

def test_markdown_is_readable_text_with_grid_tables(loaded):
    from reportgen.readers.gridtext import parse_grid

    md = render_loaded(loaded, ["md"])["md"].decode()
    assert md.startswith("# 云溪市市场监督管理局2023年政府信息公开工作年度报告\n")
    assert "\n## 一、总体情况\n" in md and "\n### （一）主动公开\n" in md
    blocks, cur = [], []
    for line in md.splitlines() + [""]:
        if line.startswith(("+", "|")):
            cur.append(line)
        elif cur:
            blocks.append(cur)
            cur = []
    tables = [b for b in compose(loaded).blocks if type(b).__name__ == "Table"]
    assert len(blocks) == 3
    for lines, table in zip(blocks, tables):
        got = sorted((c.row, c.col, c.rowspan, c.colspan, c.text) for c in parse_grid(lines).cells)
        assert got == sorted((c.row, c.col, c.rowspan, c.colspan, c.text) for c in table.cells)


def test_markdown_escapes_text_that_looks_like_markup(data, write_yaml):
    data["存在的主要问题及改进情况"] = ["1. 不是列表", "# 不是标题", "*不是强调* [不是链接](x)"]
    md = render_loaded(load_report(str(write_yaml(data))), ["md"])["md"].decode()
    assert "\n1\\. 不是列表\n" in md and "\n\\# 不是标题\n" in md and "\\*不是强调\\* \\[不是链接\\](x)" in md


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")), reason="LibreOffice/poppler not installed")
def test_custom_example_to_html_and_pdf(tmp_path):
    import subprocess

    _, paths = render_file(CUSTOM / "data.yaml", tmp_path, ["html", "pdf"])
    html = paths["html"].read_text("utf-8")
    assert 'rowspan="22"' in html and "对本报告有疑问的" in html
    text = subprocess.run(["pdftotext", "-raw", str(paths["pdf"]), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = "".join(text.split())
    assert "三、本年度办理结果" in flat and "对本报告有疑问的" in flat
