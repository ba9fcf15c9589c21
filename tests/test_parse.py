"""parse: our own output back without loss (every example, every format and script), real
published shapes cell by cell, the seeds as published, encodings, and bad input."""
from __future__ import annotations

import io
import zipfile

import pytest
from click.testing import CliRunner

from conftest import ROOT
from reportgen.cli import main
from reportgen.compose import compose
from reportgen.errors import InputError
from reportgen.loader import load_report, validate_data
from reportgen.parse import data_yaml, parse_bytes, parse_file
from reportgen.render import render_loaded
from reportgen.yamlio import load_yaml
from seedcmp import SEED_EXAMPLES, SEEDS, rendered_stream, seed_stream, similarity

SHAPES = ROOT / "tests" / "fixtures" / "shapes"
EXAMPLES = sorted(p.name for p in (ROOT / "examples").glob("*.yaml"))
EXAMPLE_2021 = load_report(str(ROOT / "examples" / "report-2021.yaml"))


def reparse(loaded, fmt: str, script: str | None = None, keep_script: bool = False):
    """Render ``loaded`` as ``fmt``, parse it back, validate: (parsed LoadedReport, ParseResult)."""
    blob = render_loaded(loaded, [fmt], script=script)[fmt]
    result = parse_bytes(blob, fmt, f"report.{fmt}", keep_script)
    text = data_yaml(result)  # what `reportgen parse` writes must itself load
    data, lines = load_yaml(text, "parsed.yaml")
    return validate_data(data, lines, "parsed.yaml"), result


def same_report(a, b, script=None) -> None:
    """Same edition, agency, year, every completed table cell, and the same composed text."""
    assert b.edition.id == a.edition.id
    assert (b.report.agency, b.report.year) == (a.report.agency, a.report.year)
    for spec in a.edition.tables:
        assert b.cells(spec.name) == a.cells(spec.name), spec.name
    da, db = compose(a, script=script), compose(b, script=script)
    assert db.blocks == da.blocks


# --- own output ------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["txt", "docx", "html", "md"])
@pytest.mark.parametrize("example", EXAMPLES)
def test_every_example_round_trips(example, fmt):
    loaded = load_report(str(ROOT / "examples" / example))
    traditional = loaded.script != "zh-Hans"
    parsed, result = reparse(loaded, fmt, keep_script=traditional)
    assert result.warnings == [] or all(w.severity == "warning" for w in result.warnings)
    if loaded.report.title and loaded.report.agency not in loaded.report.title:
        # the agency is not printed anywhere but the docx properties: txt and html give the title's
        parsed.report.agency = loaded.report.agency
    same_report(loaded, parsed)


@pytest.mark.parametrize("script", ["zh-Hant", "zh-TW", "zh-HK"])
@pytest.mark.parametrize("fmt", ["txt", "docx", "html", "md"])
def test_traditional_output_round_trips_to_simplified_data(fmt, script):
    parsed, result = reparse(EXAMPLE_2021, fmt, script)
    assert result.script == script
    same_report(EXAMPLE_2021, parsed)
    assert parsed.report.agency == "云溪市市场监督管理局"  # data normalised to Simplified


def test_generated_sentences_are_not_taken_as_data():
    parsed, result = reparse(EXAMPLE_2021, "txt")
    assert "引言" not in result.data                   # the standard opening paragraph
    assert "说明" not in result.data["收到和处理政府信息公开申请情况"]  # the sentence before table 三
    assert "标题" not in result.data
    assert result.data["其他需要报告的事项"]["信息处理费"] == {"收费通知件数": 0, "收费金额": 0}


# --- real shapes -----------------------------------------------------------------------

SHAPE_FILES = ["pipe-rows.txt", "cell-per-line.txt", "pdf-text.txt", "spans.html", "hand-drawn.docx"]


@pytest.mark.parametrize("name", SHAPE_FILES)
def test_published_shapes_give_every_cell(name):
    result = parse_file(str(SHAPES / name))
    parsed = validate_data(result.data)
    assert result.edition == "2021" and parsed.report.year == 2023
    assert parsed.report.agency == "云溪市市场监督管理局"
    for spec in EXAMPLE_2021.edition.tables:
        want = EXAMPLE_2021.cells(spec.name)
        got = parsed.cells(spec.name)
        assert [k for k in want if got[k] != want[k]] == [], spec.name
    headings = [b.text for b in compose(parsed).blocks if type(b).__name__ == "Heading" and b.level == 1]
    assert len(headings) == 6
    assert not [w for w in result.warnings if "没有找到" in w.message]


def test_pipe_rows_keep_metadata_and_set_chrome_apart():
    result = parse_file(str(SHAPES / "pipe-rows.txt"))
    assert result.data["发布信息"]["索引号"] == "11350900MB1234567X/2024-00012"
    assert result.data["发布信息"]["发布日期"] == "2024-01-26"
    assert any("当前所在位置" in c for c in result.chrome) and "附件下载" in result.chrome
    paragraphs = " ".join(str(v) for v in result.data["总体情况"].values())
    assert "字体" not in paragraphs and "打印本页" not in paragraphs


def test_blank_markers_are_zero_and_flagged():
    result = parse_file(str(SHAPES / "cell-per-line.txt"))
    assert result.blanks == ["二、主动公开政府信息情况 「规章／本年制发件数」", "二、主动公开政府信息情况 「规章／本年废止件数」",
                             "二、主动公开政府信息情况 「规章／现行有效件数」"]
    html = parse_file(str(SHAPES / "spans.html"))
    assert len(html.blanks) == 4 and all("四、" in b for b in html.blanks)  # &nbsp; cells


def test_html_page_chrome_and_gbk_charset():
    result = parse_file(str(SHAPES / "spans.html"))
    assert any("当前位置" in c for c in result.chrome) and any("版权所有" in c for c in result.chrome)
    assert "不是报告" not in data_yaml(result)  # script content never read


# --- the seeds as published ------------------------------------------------------------

@pytest.mark.parametrize("seed", SEED_EXAMPLES, ids=[s.name[:3] for s in SEED_EXAMPLES])
def test_parsed_seed_renders_back_to_the_seed(seed):
    result = parse_file(str(SEEDS / seed.name), keep_script=True)
    loaded = validate_data(result.data)
    txt = render_loaded(loaded, ["txt"])["txt"].decode("utf-8")
    published = seed_stream(seed, (SEEDS / seed.name).read_text("utf-8"))
    assert rendered_stream(seed, txt) == published


def test_seed_editions_years_and_agencies():
    found = {s.name[:3]: parse_file(str(SEEDS / s.name)) for s in SEED_EXAMPLES}
    assert {k: (r.edition, r.data["报告年度"], r.data["机关名称"]) for k, r in found.items()} == {
        "000": ("freeform", 2011, "白银市平川区财政局"), "001": ("freeform", 2012, "清新区"),
        "002": ("freeform", 2010, "省财政厅"), "003": ("freeform", 2006, "湛江市财政局"),
        "004": ("2019", 2020, "乌兰察布市财政局")}
    assert found["001"].script in ("zh-Hant", "zh-TW", "zh-HK") and "基本介绍" in found["001"].chrome
    assert found["004"].data["主动公开政府信息情况"]["行政处罚"] == {"上一年项目数量": 0, "本年增减": 2, "处理决定数量": 0}


def test_traditional_seed_normalised_to_simplified_is_close():
    seed = SEED_EXAMPLES[1]
    loaded = validate_data(parse_file(str(SEEDS / seed.name)).data)  # Simplified data
    txt = render_loaded(loaded, ["txt"], script="zh-TW")["txt"].decode("utf-8")
    published = seed_stream(seed, (SEEDS / seed.name).read_text("utf-8"))
    assert similarity(published, rendered_stream(seed, txt)) > 0.99


# --- encodings and bad input -----------------------------------------------------------

def test_encodings(tmp_path):
    text = (SEEDS / "000_9cb31c364b703f77.txt").read_text("utf-8")
    want = parse_file(str(SEEDS / "000_9cb31c364b703f77.txt")).data
    for name, blob in (("gbk.txt", text.encode("gbk")), ("bom.txt", b"\xef\xbb\xbf" + text.encode("utf-8")),
                       ("utf16.txt", text.encode("utf-16"))):
        (tmp_path / name).write_bytes(blob)
        assert parse_file(str(tmp_path / name)).data == want, name


def _zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<" + b"a" * (80 * 1024 * 1024))
    return buf.getvalue()


@pytest.mark.parametrize("name,blob,message", [
    ("empty.txt", b"", "空的"),
    ("garbage.txt", bytes(range(256)) * 64, "二进制"),
    ("truncated.docx", None, "截断"),
    ("bomb.docx", None, "压缩炸弹"),
    ("notword.docx", b"PK\x03\x04" + b"\x00" * 100, "zip"),
    ("nothing.html", b"<html><head><title>Home</title><script>x()</script></head><body><nav>menu</nav></body></html>",
     "没有找到报告内容"),
])
def test_bad_input_is_a_clear_error(tmp_path, name, blob, message):
    if name == "truncated.docx":
        blob = render_loaded(EXAMPLE_2021, ["docx"])["docx"][:3000]
    elif name == "bomb.docx":
        blob = _zip_bomb()
    path = tmp_path / name
    path.write_bytes(blob)
    with pytest.raises(InputError) as info:
        parse_file(str(path))
    assert message in str(info.value) and name in str(info.value)
    result = CliRunner().invoke(main, ["parse", str(path)])
    assert result.exit_code == 1 and "Traceback" not in result.output and message in result.output


def test_damaged_report_gives_what_it_found(tmp_path):
    text = (SHAPES / "pipe-rows.txt").read_text("utf-8")
    start = text.index("四、政府信息公开行政复议")
    end = text.index("五、存在的主要问题")
    damaged = tmp_path / "damaged.txt"
    damaged.write_text(text[:start] + text[end:], "utf-8")  # section 四 and its table lost
    result = parse_file(str(damaged))
    assert any("没有找到表“四、" in w.message for w in result.warnings)
    parsed = validate_data(result.data)
    assert parsed.cells("applications") == EXAMPLE_2021.cells("applications")
    out = tmp_path / "out.yaml"
    ok = CliRunner().invoke(main, ["parse", str(damaged), "-o", str(out)])
    assert ok.exit_code == 0 and out.exists()
    strict = CliRunner().invoke(main, ["parse", str(damaged), "-o", str(tmp_path / "s.yaml"), "--strict"])
    assert strict.exit_code == 1 and "--strict" in strict.output


def test_cli_parse_writes_a_data_file_that_renders(tmp_path):
    out = tmp_path / "data.yaml"
    result = CliRunner().invoke(main, ["parse", str(SHAPES / "hand-drawn.docx"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text("utf-8").startswith("# 由 reportgen parse 从 hand-drawn.docx 读出（docx）")
    rendered = CliRunner().invoke(main, ["render", str(out), "-f", "txt", "-o", str(tmp_path)])
    assert rendered.exit_code == 0, rendered.output
    stdout = CliRunner().invoke(main, ["parse", str(SEEDS / "004_083bbb3ff8b97a12.txt"), "--from", "txt"])
    assert stdout.exit_code == 0 and "政府集中采购: {采购项目数量: 0, 采购总金额: 0}" in stdout.output
