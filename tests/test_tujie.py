"""The 图解 (issue 20): ``render -f png/svg`` and the picture the html output embeds.

The tests look at the pictures: the SVG holds the figures' text (numbers and declared labels),
no text lies outside the canvas and the PNG's margins are background, a golden PNG matches within
a tolerance (``pytest --accept`` rewrites it), the same data gives the same bytes, Traditional
data gives Traditional labels, ``--previous`` shows the changes, the html embeds the SVG (and
still reads back), and a free-form report is refused with a clear message.
"""
from __future__ import annotations

import hashlib
import io
import re
import subprocess
import sys
from xml.etree import ElementTree

import pytest
import yaml
from click.testing import CliRunner

from conftest import EXAMPLE, GOLDEN

pytest.importorskip("matplotlib")
np = pytest.importorskip("numpy")
Image = pytest.importorskip("PIL.Image")

from reportgen.cli import main  # noqa: E402
from reportgen.editions import UNIT_FIGURES  # noqa: E402
from reportgen.loader import load_report  # noqa: E402
from reportgen.tables import edition2021  # noqa: E402

FREEFORM = EXAMPLE.parent / "seed-000-freeform-2011.yaml"


def _has_cjk_font() -> bool:
    from reportgen.charts import ChartError, fonts

    try:
        fonts("zh-Hans")
    except ChartError:
        return False
    return True


pytestmark = pytest.mark.skipif(not _has_cjk_font(), reason="no Chinese font installed (fonts-noto-cjk)")


@pytest.fixture(scope="module")
def loaded():
    return load_report(str(EXAMPLE))


@pytest.fixture(scope="module")
def svg(loaded) -> str:
    from reportgen.tujie import draw

    return draw(loaded, "svg").decode("utf-8")


@pytest.fixture(scope="module")
def png(loaded) -> bytes:
    from reportgen.tujie import draw

    return draw(loaded, "png")


def texts(svg: str) -> list[str]:
    root = ElementTree.fromstring(svg.encode("utf-8"))
    return [el.text or "" for el in root.iter("{http://www.w3.org/2000/svg}text")]


def previous_year(tmp_path, factor: int = 2):
    """Last year's data file: the example a year earlier, every count of its tables × ``factor``
    (the sums still hold), so every key figure changed by the same known share."""
    data = yaml.safe_load(EXAMPLE.read_text("utf-8"))
    data["报告年度"] -= 1
    data["发布日期"] = "2023-01-20"

    def scale(x):
        if isinstance(x, dict):
            return {k: scale(v) for k, v in x.items()}
        return x * factor if isinstance(x, int) and not isinstance(x, bool) else x

    for spec in edition2021.TABLES:
        data[spec.key] = scale(data[spec.key])
    path = tmp_path / "last-year.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def test_the_svg_holds_the_figures_and_the_declared_labels(loaded, svg):
    from reportgen.charts import number
    from reportgen.tujie import key_figures

    shown = texts(svg)
    joined = "\n".join(shown)
    assert loaded.title in joined.replace("\n", "")  # the title, perhaps over two lines
    assert loaded.report.agency in shown
    for label, value in key_figures(loaded):
        assert label in shown and number(value) in shown, label
    assert [f.key for f in UNIT_FIGURES] == [label for label, _ in key_figures(loaded)]
    cells = loaded.tables["applications"]
    for leaf in edition2021.APPLICANT_PARTS:  # applicant types, with their numbers
        assert any(t.startswith(leaf) for t in shown), leaf
    assert f"{cells[('本年新收', '商业企业')]}件（" in joined
    for part in ("予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理"):
        assert any(t.startswith(part + "　") for t in shown), part
    assert f"予以公开　{cells[('办理结果.予以公开', '总计')]}件" in joined
    for outcome in ("结果维持", "结果纠正", "其他结果", "尚未审结"):
        assert outcome in shown
    assert "行政诉讼·复议后起诉" in shown and "本年处理决定数量" in shown
    assert number(loaded.tables["proactive"][("行政许可", "本年处理决定数量")]) in shown
    assert "356.40" in shown  # 万元 with the decimals the agency gave


def test_no_text_leaves_the_canvas_and_the_margins_are_background(loaded, png):
    from reportgen.tujie import page

    boxes = page(loaded).text_boxes()
    *items, (_, (_, _, width, height)) = boxes
    assert len(items) > 50
    for text, (x0, y0, x1, y1) in items:
        assert -0.5 <= x0 and x1 <= width + 0.5 and -0.5 <= y0 and y1 <= height + 0.5, (text, x0, y0, x1, y1)
    image = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)
    assert image.shape[1] == 1080 and image.shape[0] == round(height)
    band_end = next(y for y in range(image.shape[0]) if (image[y, 5] == 255).all())  # the red head ends
    below = image[band_end:]
    assert (below[:, :40] == 255).all() and (below[:, -40:] == 255).all()  # side margins: background
    assert (image[-30:] == 255).all()  # and the foot


def test_long_titles_labels_and_numbers_stay_on_the_page():
    """The layer itself: a long title wraps, a huge figure shrinks to its tile, long bar labels
    wrap — nothing reaches beyond the canvas, and no line starts with a closing mark."""
    from reportgen.charts import Band, Bars, Measure, Page, Tile, Tiles, fonts

    title = "某某省某某市某某县某某乡镇人民政府办公室关于本级政府二〇二五年度政府信息公开工作情况的年度报告，以及说明"
    page = Page(blocks=[Band(title, "某某县人民政府办公室", "一图读懂"),
                        Tiles([Tile("本年新收", "9,999,999,999", "件"), Tile("办结" * 12, "1", "件", "比上年 ↑100.0%")]),
                        Bars([("要求行政机关确认或重新出具已获取信息" * 2, 3), ("其他", 12345678)], "件", total=12345681)])
    *items, (_, (_, _, width, height)) = page.text_boxes()
    for text, (x0, y0, x1, y1) in items:
        assert x0 >= -0.5 and x1 <= width + 0.5 and y0 >= -0.5 and y1 <= height + 0.5, text
    lines = Measure(fonts()).wrap("本年度，本机关依据《条例》发出收费通知，收取信息处理费。" * 3, 26, 300)
    assert len(lines) > 3 and not any(line[0] in "，。、）》" for line in lines)


def _small_grey(data: bytes):
    """The picture at half size in grey: what the golden file keeps (a tenth of the bytes)."""
    image = Image.open(io.BytesIO(data)).convert("L")
    return image.resize((image.width // 2, image.height // 2), Image.Resampling.BOX)


def test_the_golden_picture(png, accept):
    golden = GOLDEN / "tujie-report-2021.png"
    got = _small_grey(png)
    if accept or not golden.exists():
        got.save(golden, optimize=True)
        if not accept:
            pytest.fail(f"golden picture written: {golden}; look at it and commit it")
    want = np.asarray(Image.open(golden).convert("L"), dtype=np.float64)
    got = np.asarray(got, dtype=np.float64)
    assert got.shape == want.shape, f"the page is {got.shape}, the golden one {want.shape} (pytest --accept after looking)"
    assert np.abs(got - want).mean() < 1.5  # font hinting and antialiasing may differ by a shade; a moved block does not


def test_the_same_data_gives_the_same_bytes(loaded, svg, png):
    from reportgen.tujie import draw

    assert draw(loaded, "svg").decode("utf-8") == svg
    assert draw(loaded, "png") == png
    assert b"tEXt" not in png and b"iTXt" not in png  # no software or date in the PNG
    assert "<dc:date>" not in svg
    code = ("import sys, hashlib; from reportgen.loader import load_report; from reportgen.tujie import draw\n"
            "l = load_report(sys.argv[1]); print(hashlib.sha256(draw(l, 'svg')).hexdigest(),"
            " hashlib.sha256(draw(l, 'png')).hexdigest())")
    out = subprocess.run([sys.executable, "-c", code, str(EXAMPLE)], capture_output=True, text=True, check=True)
    assert out.stdout.split() == [hashlib.sha256(svg.encode("utf-8")).hexdigest(), hashlib.sha256(png).hexdigest()]


def test_traditional_data_gets_traditional_labels(tmp_path):
    from reportgen.script import converter
    from reportgen.tujie import draw

    trad = tmp_path / "繁體.yaml"
    trad.write_text(converter("s2tw")(EXAMPLE.read_text("utf-8")), "utf-8")
    shown = texts(draw(load_report(str(trad)), "svg").decode("utf-8"))
    for label in ("辦結", "行政複議", "申請人情況", "結果維持", "一圖讀懂"):
        assert label in shown or any(t.startswith(label) for t in shown), label
    assert not {"办结", "行政复议", "申请人情况"} & set(shown)


def test_previous_shows_the_change_from_last_year(tmp_path):
    last = previous_year(tmp_path)
    out = tmp_path / "out"
    other = tmp_path / "another.yaml"
    other.write_bytes(EXAMPLE.read_bytes())
    # two files on two workers: the jobs carry last year's path, each worker reads it once
    result = CliRunner().invoke(main, ["render", str(EXAMPLE), str(other), "-j", "2", "--previous", str(last),
                                       "-f", "svg", "-o", str(out)])
    assert result.exit_code == 0, result.output
    for name in ("report-2021.svg", "another.svg"):
        shown = texts((out / name).read_text("utf-8"))
        assert shown.count("比上年 ↓50.0%") == len(UNIT_FIGURES)
        assert "同比对照：《云溪市市场监督管理局2022年政府信息公开工作年度报告》" in shown


def test_changes_in_words():
    from reportgen.tujie import change

    assert change(110, 100) == ("比上年 ↑10.0%", "up")
    assert change(90, 100) == ("比上年 ↓10.0%", "down")
    assert change(5, 5)[1] == change(0, 0)[1] == "same"
    assert change(3, 0) == ("上年为 0", "up")
    assert change(3, None) == ("", "none")


def test_render_writes_png_and_svg_and_the_html_embeds_the_picture(tmp_path):
    from reportgen.reading import parse_file

    result = CliRunner().invoke(main, ["render", str(EXAMPLE), "-f", "png,svg,html", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "report-2021.png").read_bytes().startswith(b"\x89PNG")
    html = (tmp_path / "report-2021.html").read_text("utf-8")
    m = re.search(r'<div class="tujie"><svg [^>]*role="img" aria-label="一图读懂[^"]+"', html)
    assert m and "<?xml" not in html and "1080pt" not in html
    assert "<text" in html[m.start():] and "本年新收" in html[m.start():]
    back = parse_file(str(tmp_path / "report-2021.html"))  # the reader skips the picture
    plain = parse_file(str(_html_without_picture(tmp_path)))
    assert back.data == plain.data
    result = CliRunner().invoke(main, ["render", str(EXAMPLE), "-f", "svg", "-o", "-"])
    assert result.exit_code == 0 and result.output.lstrip().startswith("<?xml") and "</svg>" in result.output


def _html_without_picture(tmp_path):
    from reportgen.render import render_document
    from reportgen.compose import compose

    path = tmp_path / "plain.html"
    path.write_bytes(render_document(compose(load_report(str(EXAMPLE))), "html"))
    return path


def test_a_free_form_report_has_no_picture_and_says_why(tmp_path):
    result = CliRunner().invoke(main, ["render", str(FREEFORM), "-f", "docx,png", "-o", str(tmp_path)])
    assert result.exit_code == 1
    assert "自由格式的报告没有统计表格，无法生成图解（png、svg）" in result.output and "Traceback" not in result.output
    assert not list(tmp_path.iterdir())  # nothing written, not even the docx
    result = CliRunner().invoke(main, ["render", str(FREEFORM), "-f", "html", "-o", str(tmp_path)])
    assert result.exit_code == 0 and "<svg" not in (tmp_path / (FREEFORM.stem + ".html")).read_text("utf-8")


def test_validate_does_not_import_the_plotting_library():
    code = ("import sys, runpy; sys.argv=['reportgen','validate', %r]\n"
            "try:\n runpy.run_module('reportgen', run_name='__main__')\n"
            "except SystemExit: pass\n"
            "print('matplotlib' in sys.modules, 'reportgen.charts' in sys.modules)") % str(EXAMPLE)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().endswith("False False"), out


def test_last_years_published_report_serves_and_a_mismatch_is_told(tmp_path):
    """--previous may be a published report (read back); one of another year or agency is used
    but the clerk is told."""
    from conftest import ROOT

    published = ROOT / "tests" / "fixtures" / "corpus" / "022_pingtan-transport-construction-bureau-2024.txt"
    result = CliRunner().invoke(main, ["render", str(EXAMPLE), "--previous", str(published), "-f", "svg", "-o",
                                       str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "图解与上年比较所用的报告是 2024 年度的，本报告是 2023 年度的" in result.output
    assert "平潭综合实验区交通与建设局" in result.output
    shown = texts((tmp_path / "report-2021.svg").read_text("utf-8"))
    assert any(t.startswith("比上年 ") for t in shown)


def test_without_matplotlib_the_picture_is_asked_for_by_name(tmp_path, monkeypatch):
    """Without the charts extra: -f png says what to install; the html goes out without the
    picture, and says so."""
    import reportgen.charts

    monkeypatch.setattr(reportgen.charts, "available", lambda: False)
    result = CliRunner().invoke(main, ["render", str(EXAMPLE), "-f", "png", "-o", str(tmp_path)])
    assert result.exit_code == 1 and "pip install 'reportgen[charts]'" in result.output
    result = CliRunner().invoke(main, ["render", str(EXAMPLE), "-f", "html", "-o", str(tmp_path)])
    assert result.exit_code == 0 and "未安装 matplotlib，HTML 中没有附图解" in result.output
    assert "<svg" not in (tmp_path / "report-2021.html").read_text("utf-8")


def test_the_2019_edition_draws_from_its_own_declarations():
    """The 2019 tables (table 二's 上一年项目数量/本年增/减, a single （六）其他处理 row) are drawn from
    their own declarations, not the 2021 ones."""
    from reportgen.tables import edition2019
    from reportgen.tujie import draw

    loaded = load_report(str(EXAMPLE.parent / "seed-004-2019-edition-2020.yaml"))
    shown = texts(draw(loaded, "svg").decode("utf-8"))
    for block in edition2019.PROACTIVE.blocks:
        for row in block.rows:
            assert row.label in shown, row.label
    assert "本年增/减" in shown and any(t.startswith("其他处理　") for t in shown)
    assert "本年制发件数" not in shown  # a 2021 label
