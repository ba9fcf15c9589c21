"""Traditional Chinese: --script conversion of the whole report (official labels included),
data files written in Traditional script, and script detection."""
from __future__ import annotations

import io
import zipfile

import opencc
import pytest

from conftest import ROOT
from reportgen.compose import compose
from reportgen.document import Heading, Meta, Paragraph, Table, Title
from reportgen.errors import ValidationFailed
from reportgen.loader import load_report
from reportgen.script import detect
from reportgen.writers.docx import write_docx
from reportgen.writers.text import write_text

EX001 = ROOT / "examples" / "seed-001-freeform-2012-zh-TW.yaml"
CONFIGS = {"zh-Hant": "s2t", "zh-TW": "s2tw", "zh-HK": "s2hk"}


def texts(doc) -> list[str]:
    out = []
    for b in doc.blocks:
        if isinstance(b, (Title, Heading, Paragraph)):
            out.append(b.text)
        elif isinstance(b, Meta):
            out += [x for item in b.items for x in item]
        elif isinstance(b, Table):
            out += [c.text for c in b.cells]
    return out


@pytest.mark.parametrize("script", list(CONFIGS))
def test_whole_document_is_converted_with_the_official_config(loaded, document, script):
    """With Simplified data, every text of the Traditional document — narrative, headings,
    official table labels, metadata — is exactly OpenCC's conversion of the Simplified one."""
    doc = compose(loaded, script=script)
    convert = opencc.OpenCC(CONFIGS[script]).convert
    assert texts(doc) == [convert(t) for t in texts(document)]
    assert doc.lang == script
    assert doc.properties["title"] == convert(document.properties["title"])


def test_labels_in_each_script(loaded):
    corner = {s: next(c.text for b in compose(loaded, script=s).blocks if isinstance(b, Table)
                      for c in b.cells if c.role == "corner") for s in CONFIGS}
    assert corner["zh-Hant"] == "（本列數據的勾稽關係爲：第一項加第二項之和，等於第三項加第四項之和）"
    assert corner["zh-TW"] == "（本列數據的勾稽關係為：第一項加第二項之和，等於第三項加第四項之和）"
    assert corner["zh-HK"] == "（本列數據的勾稽關係為：第一項加第二項之和，等於第三項加第四項之和）"


def test_no_phrase_conversion_of_official_terms(loaded):
    """s2twp would turn 信息 into 資訊 and 文件 into 檔案; the statutory names must stay."""
    text = write_text(compose(loaded, script="zh-TW")).decode()
    assert "政府信息公開" in text and "資訊" not in text
    assert "行政規範性文件" in text and "檔案" not in text


def test_traditional_round_trips_to_the_simplified_text(loaded, document):
    for script, back in (("zh-Hant", "t2s"), ("zh-TW", "tw2s"), ("zh-HK", "hk2s")):
        convert = opencc.OpenCC(back).convert
        assert [convert(t) for t in texts(compose(loaded, script=script))] == texts(document)


def test_traditional_data_file_validates_and_renders_in_its_own_script():
    loaded = load_report(str(EX001))  # keys 機關名稱, 報告年度, 標題, 段落 …
    assert loaded.script == "zh-TW" and loaded.edition.id == "freeform"
    assert loaded.report.agency == "清新區"
    doc = compose(loaded)
    assert doc.lang == "zh-TW"
    assert doc.blocks[0] == Title("清新區2012年政府信息公開工作年度報告")  # the official part converted
    # the agency's own text is kept exactly as written (s2tw would turn 發布 into 發佈)
    assert "現公布清新區" in doc.blocks[1].text and "發布" in write_text(doc).decode()
    assert "發佈" not in write_text(doc).decode()


def test_traditional_data_file_rendered_in_simplified():
    doc = compose(load_report(str(EX001)), script="zh-Hans")
    assert doc.blocks[0] == Title("清新区2012年政府信息公开工作年度报告")
    assert all("區" not in t for t in texts(doc))


def test_traditional_keys_errors_keep_their_lines(write_yaml):
    path = write_yaml("版式: 自由格式\n機關名稱: 某區\n報告年度: 二〇一二\n正文:\n  - 標題: 一、概述\n    段落: 內容\n"
                      "    未知鍵: 1\n")
    with pytest.raises(ValidationFailed) as info:
        load_report(str(path))
    found = {(p.path[-1], p.line) for p in info.value.problems}
    assert ("报告年度", 3) in found and ("未知鍵", 7) in found


def test_detect():
    assert detect((ROOT / "seeds" / "001_0bd952d63030d8bd.txt").read_text("utf-8")) == "zh-Hant"
    assert detect((ROOT / "seeds" / "000_9cb31c364b703f77.txt").read_text("utf-8")) == "zh-Hans"
    assert detect("2024") == "zh-Hans"


def test_traditional_docx_uses_fonts_with_traditional_glyphs(loaded):
    z = zipfile.ZipFile(io.BytesIO(write_docx(compose(loaded, script="zh-TW"))))
    styles = z.read("word/styles.xml").decode()
    assert "_GB2312" not in styles and "方正小标宋简体" not in styles
    assert 'w:eastAsia="仿宋"' in styles and 'w:eastAsia="zh-TW"' in styles
    assert "<dc:language>zh-TW</dc:language>" in z.read("docProps/core.xml").decode()
    simplified = zipfile.ZipFile(io.BytesIO(write_docx(compose(loaded)))).read("word/styles.xml").decode()
    assert 'w:eastAsia="仿宋_GB2312"' in simplified


def test_cli_script_option(tmp_path):
    from click.testing import CliRunner

    from reportgen.cli import main

    example = ROOT / "examples" / "report-2021.yaml"
    result = CliRunner().invoke(main, ["render", str(example), "-f", "txt", "-o", str(tmp_path), "--script", "zh-HK"])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "report-2021.txt").read_text("utf-8")
    assert text.startswith("雲溪市市場監督管理局2023年政府信息公開工作年度報告")
    bad = CliRunner().invoke(main, ["render", str(example), "--script", "zh-CN"])
    assert bad.exit_code == 2 and "zh-HK" in bad.output


@pytest.mark.parametrize("fmt", ["docx", "html"])
def test_a_traditional_report_parsed_renders_in_its_own_script(fmt, tmp_path):
    """Issue #12: parse keeps the published script (文字: zh-TW, the text as published), so
    render of the parsed file writes the report as it was published, labels and all."""
    from click.testing import CliRunner

    from reportgen.cli import main

    runner = CliRunner()
    example = ROOT / "examples" / "report-2021.yaml"
    assert runner.invoke(main, ["render", str(example), "--script", "zh-TW", "-f", f"{fmt},txt",
                                "-o", str(tmp_path / "pub")]).exit_code == 0
    result = runner.invoke(main, ["parse", str(tmp_path / "pub" / f"report-2021.{fmt}"), "-o", str(tmp_path / "back.yaml")])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "back.yaml").read_text("utf-8")
    assert "文字: zh-TW" in text and "雲溪市市場監督管理局" in text
    assert runner.invoke(main, ["render", str(tmp_path / "back.yaml"), "-f", "txt", "-o", str(tmp_path / "again")]).exit_code == 0
    published = (tmp_path / "pub" / "report-2021.txt").read_text("utf-8")
    again = (tmp_path / "again" / "back.txt").read_text("utf-8")
    assert "".join(again.split()) == "".join(published.split())
    simplified = runner.invoke(main, ["parse", str(tmp_path / "pub" / f"report-2021.{fmt}"), "--simplified"])
    assert "云溪市市场监督管理局" in simplified.output and "文字:" not in simplified.output
