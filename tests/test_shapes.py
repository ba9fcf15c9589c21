"""The shapes benchmark's generator and scorer (bench/shapes): valid data, converters that give text,
a perfect score for our own renderings, and shapes the current reader passes."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from shapes import converters, data, layouts, measure  # noqa: E402
from reportgen.loader import validate_data  # noqa: E402
from reportgen.render import render_loaded  # noqa: E402
from reportgen.office import soffice  # noqa: E402

EDITIONS = ("2021", "2019", "freeform")


@pytest.mark.parametrize("edition", EDITIONS)
def test_generated_data_is_valid_and_deterministic(edition):
    for seed in range(5):
        d = data.report(seed, edition)
        assert validate_data(d).edition.id == edition
        assert d == data.report(seed, edition)
    if edition != "freeform":
        assert sum(len(t) for t in data.truth(data.report(0, edition)).values()) > 150


def test_held_out_split_is_disjoint():
    assert {data.is_held_out(s) for s in range(4)} == {True, False}


@pytest.mark.parametrize("edition", ["2021", "2019"])
@pytest.mark.parametrize("fmt", ["txt", "docx"])
def test_own_rendering_scores_perfectly(edition, fmt):
    d = data.report(3, edition)
    t = data.truth(d)
    blob = render_loaded(validate_data(d), [fmt])[fmt]
    s = measure.score(blob, "." + fmt, t, measure.key_figures(t), "own")
    assert (s.cells_right, s.keys_right, s.silent_wrong, s.failed) == (s.cells_total, 7, 0, 0)


def test_a_wrong_cell_counts_against_the_score():
    d = data.report(3, "2021")
    t = data.truth(d)
    cid = next(iter(t["reviews"]))
    t["reviews"][cid] += 1
    blob = render_loaded(validate_data(d), ["txt"])["txt"]
    s = measure.score(blob, ".txt", t, measure.key_figures(t), "own")
    assert s.cells_right == s.cells_total - 1 and s.silent_wrong == 1


needs_office = pytest.mark.skipif(soffice() is None, reason="LibreOffice not installed")


@needs_office
def test_converters_give_text_and_pdf_reads_back():
    # a report whose numbers all have at most three digits (longer ones wrap in the default layout)
    d = next(d for d in (data.report(s, "2019") for s in range(40))
             if max(abs(v) for cells in data.truth(d).values() for v in cells.values()) < 1000)
    t = data.truth(d)
    pdf = layouts.pdf(d)
    for name in ("pdftotext-layout", "pdftotext-raw", "pypdf", "pdfminer", "pdftohtml", "markitdown"):
        suffix, blob = converters.SHAPES[name](pdf)
        assert blob, name
        if suffix == ".txt":
            assert "政府信息公开" in blob.decode("utf-8"), name
    s = measure.score(pdf, ".pdf", t, measure.key_figures(t), "pdf")
    # the current reader on short numbers
    assert s.failed == 0 and s.keys_right >= 4 and s.cells_right / s.cells_total >= 0.85


@needs_office
@pytest.mark.slow
def test_scan_is_image_only_and_office_shapes_open():
    d = data.report(0, "2021")
    pdf = layouts.pdf(d)
    suffix, scanned = converters.scan(pdf, 1)
    assert suffix == ".pdf" and not converters.pdftotext_raw(scanned)[1].strip()
    from shapes.scan import scanned_pages
    dpi, pages = scanned_pages(pdf, 1)
    assert 150 <= dpi <= 300 and len(pages) >= 2
    assert converters.lo_pdf_import_docx(pdf)[1][:2] == b"PK"
    t = data.truth(d)
    blob = converters.cms_html(layouts.docx(d))[1]
    s = measure.score(blob, ".html", t, measure.key_figures(t), "cms")
    assert s.cells_right == s.cells_total


# ---- one declaration, two uses: the same generator as a hypothesis strategy ----------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402


@pytest.mark.parametrize("edition", EDITIONS)
def test_generator_as_hypothesis_strategy_gives_valid_reports(edition):
    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(data.reports(edition))
    def check(d):
        loaded = validate_data(d)
        assert loaded.edition.id == edition and d["落款"][0] == d["机关名称"]
        if edition != "freeform":
            t = data.truth(d)
            assert measure.key_figures(t)[0] == t["applications"][("本年新收", "总计")]
    check()


def test_long_agency_names_and_every_variant_are_drawn():
    names = [data.report(s, "2021")["机关名称"] for s in range(40)]
    assert max(map(len, names)) >= 20 and min(map(len, names)) <= 8
    variants = [data.variant(s, "2021", tuple(layouts.LAYOUTS)) for s in range(200)]
    for key, values in (("script", data.SCRIPTS), ("zeros", data.ZEROS), ("layout", layouts.LAYOUTS)):
        assert {v[key] for v in variants} == set(values), key


@pytest.mark.parametrize("variant", [
    {"script": "zh-TW", "zeros": "", "layout": "seal"},
    {"script": "zh-HK", "zeros": "—", "layout": "landscape-tables"},
    {"script": "zh-Hant", "zeros": "-", "layout": "narrow-label-column"},
    {"script": "zh-Hans", "zeros": "", "layout": "split-no-header"},
])
def test_every_variant_of_our_docx_reads_back_perfectly(variant):
    d = data.report(5, "2019")
    t = data.truth(d)
    blob = layouts.docx(d, variant)
    s = measure.score(blob, ".docx", t, measure.key_figures(t), "own")
    assert (s.cells_right, s.keys_right, s.silent_wrong, s.failed) == (s.cells_total, 7, 0, 0)


def test_zeros_are_printed_as_the_variant_says():
    import io
    import docx as pydocx
    d = data.report(1, "2021")
    cells = lambda blob: [c.text for t in pydocx.Document(io.BytesIO(blob)).tables for r in t.rows for c in r.cells]  # noqa: E731
    assert "0" in cells(layouts.docx(d))
    dashed = cells(layouts.docx(d, {"zeros": "—"}))
    assert "0" not in dashed and "—" in dashed


def test_silent_wrong_counts_missing_values_and_corpus_key_misses():
    d = data.report(3, "2021")
    t = data.truth(d)
    t["reviews"][("__absent__", "x")] = 5  # a cell the reader cannot have read
    blob = render_loaded(validate_data(d), ["txt"])["txt"]
    s = measure.score(blob, ".txt", t, measure.key_figures(t), "own")
    assert (s.silent_wrong, s.silent_missing) == (1, 1)
    keys = measure.key_figures(data.truth(d))
    keys[0] += 1  # corpus-style: key figures only, one of them wrong
    s = measure.score(blob, ".txt", {}, keys, "corpus")
    assert (s.keys_right, s.silent_wrong, s.silent_missing) == (6, 1, 0)


def test_freeform_is_scored_on_its_facts():
    d = data.report(2, "freeform")
    blob = render_loaded(validate_data(d), ["txt"])["txt"]
    s = measure.score(blob, ".txt", {}, None, "ff", measure.facts(d))
    assert s.cells_total == 0 and s.facts_total == 2 + len(d["正文"]) and s.facts_right == s.facts_total


@needs_office
def test_layouts_reach_the_pdf():
    d = data.report(4, "2021")
    seal = layouts.pdf(d, {"layout": "seal"})
    assert b"/Image" in seal or b"/XObject" in seal
    wide = converters.pdftotext_raw(layouts.pdf(d, {"layout": "landscape-tables", "zeros": "—"}))[1].decode()
    assert "—" in wide


@needs_office
@pytest.mark.parametrize("seed", [5, 6, 9])
def test_freeform_headings_under_a_title_in_a_pdf(seed):
    """Free-form reports whose PDF once read wrong: every paragraph a single indented line (the
    headings looked like lines running on), the title run into the first heading, a title whose last
    character wraps alone (…年度報 / 告); Traditional and Simplified."""
    d = data.report(seed, "freeform")
    pdf = layouts.pdf(d, data.variant(seed, "freeform", tuple(layouts.LAYOUTS)))
    facts = measure.facts(d)
    for suffix, blob in ((".pdf", pdf), (".txt", converters.pdftotext_raw(pdf)[1])):
        s = measure.score(blob, suffix, {}, None, "ff", facts)
        assert s.facts_right == s.facts_total, (suffix, s)


@needs_office
@pytest.mark.parametrize("edition, seed", [("2019", 10), ("2021", 12)])
def test_a_table_broken_by_a_page_reads_every_cell(edition, seed):
    """Tables in text boxes that a page break parts between two rows (行政许可 | 其他对外管理服务事项):
    both halves carry all their figures, so they are two rows, not one row's label cut in two."""
    d = data.report(seed, edition)
    t = data.truth(d)
    pdf = layouts.pdf(d, data.variant(seed, edition, tuple(layouts.LAYOUTS)))
    s = measure.score(pdf, ".pdf", t, measure.key_figures(t), "pdf")
    assert s.cells_right == s.cells_total and s.silent_wrong == 0, s.notes
