"""PDF output (LibreOffice converting the docx, with the shipped fontconfig substitutions):
every example becomes a PDF whose text holds every official table label of its edition and
whose CJK text is set in real CJK fonts (no fallback). Without LibreOffice: a clear error."""
from __future__ import annotations

import shutil
import subprocess

import pytest
from click.testing import CliRunner

from conftest import ROOT
from reportgen.cli import main
from reportgen.errors import OutputError
from reportgen.loader import load_report
from reportgen.render import render_loaded

soffice = shutil.which("soffice") or shutil.which("libreoffice")
needs_office = pytest.mark.skipif(not (soffice and shutil.which("pdftotext")), reason="LibreOffice/poppler not installed")
EXAMPLES = sorted(p.name for p in (ROOT / "examples").glob("*.yaml"))
# fonts the fontconfig file maps the official ones to, plus Liberation for Latin text
EXPECTED_FONTS = ("NotoSerifCJK", "NotoSansCJK", "UKai", "Liberation")


def pdf_text_and_fonts(pdf: bytes, tmp_path) -> tuple[str, list[str]]:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    fonts = [line.split()[0] for line in listing.splitlines()[2:] if line.strip()]
    embedded = [line.split()[-5] for line in listing.splitlines()[2:] if line.strip()]
    assert all(e == "yes" for e in embedded), listing
    return "".join(text.split()), fonts


@needs_office
@pytest.mark.parametrize("example", EXAMPLES)
def test_every_example_as_pdf(example, tmp_path):
    loaded = load_report(str(ROOT / "examples" / example))
    flat, fonts = pdf_text_and_fonts(render_loaded(loaded, ["pdf"])["pdf"], tmp_path)
    for spec in loaded.edition.tables:
        for cell in spec.layout({}).cells:
            if cell.role != "value":
                assert cell.text.replace(" ", "") in flat, cell.text
    assert "—1—" in flat
    assert "\ufffd" not in flat
    # every font is one of the substitutes: a CJK glyph missing from them would bring in another
    assert fonts and all(any(f.split("+")[-1].startswith(e) for e in EXPECTED_FONTS) for f in fonts), fonts
    assert any("CJK" in f or "UKai" in f for f in fonts)


@needs_office
def test_format_pdf_from_the_command_line(tmp_path):
    result = CliRunner().invoke(main, ["render", str(ROOT / "examples" / "seed-004-2019-edition-2020.yaml"),
                                       "-f", "pdf", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "seed-004-2019-edition-2020.pdf").read_bytes().startswith(b"%PDF")


def test_without_libreoffice_the_error_says_how_to_install(monkeypatch, tmp_path):
    import reportgen.writers.pdf as pdf

    monkeypatch.setattr(pdf, "soffice", lambda: None)
    with pytest.raises(OutputError) as info:
        render_loaded(load_report(str(ROOT / "examples" / "report-2021.yaml")), ["pdf"])
    assert "libreoffice-writer-nogui" in str(info.value)
    result = CliRunner().invoke(main, ["render", str(ROOT / "examples" / "report-2021.yaml"), "-f", "txt,pdf",
                                       "-o", str(tmp_path)])
    assert result.exit_code == 1 and "LibreOffice" in result.output
    assert not list(tmp_path.iterdir())  # nothing half-written: the txt is not written either
