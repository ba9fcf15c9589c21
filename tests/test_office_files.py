"""Old and other office files (issue #12): .doc, .wps, .rtf and .odt made by LibreOffice from our
docx are read to every cell; a file LibreOffice cannot open, one that hangs it (time limit) and
a machine without LibreOffice each give a clear error, exit 1, nothing written."""
from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from conftest import ROOT
from reportgen import office
from reportgen.cli import main
from reportgen.loader import load_report
from reportgen.readers import detect_format, legacy
from reportgen.reading import parse_file
from reportgen.render import render_loaded

needs_office = pytest.mark.skipif(not office.soffice(), reason="LibreOffice not installed")
EXAMPLE = ROOT / "examples" / "report-2021.yaml"


@pytest.fixture(scope="module")
def original():
    return load_report(str(EXAMPLE))


@pytest.fixture(scope="module")
def docx(original):
    return render_loaded(original, ["docx"])["docx"]


def _tables(loaded) -> dict:
    return {name: dict(cells) for name, cells in loaded.tables.items()}


@needs_office
@pytest.mark.parametrize("kind,made_as", [("doc", "doc"), ("odt", "odt"), ("rtf", "rtf"), ("wps", "doc")])
def test_office_file_reads_like_its_docx(kind, made_as, docx, original, tmp_path):
    path = tmp_path / f"report.{kind}"
    path.write_bytes(office.convert(docx, ".docx", made_as))
    result = parse_file(str(path))
    assert result.format == kind and result.valid, result.problems
    assert _tables(result.loaded) == _tables(original)
    assert result.loaded.report.agency == original.report.agency
    assert result.loaded.report.closing == original.report.closing
    # recognised by content too, whatever the file is called
    assert detect_format("report", path.read_bytes()) in ({"doc", "wps"} if kind == "wps" else {kind})


def _refused(tmp_path, name: str, raw: bytes) -> str:
    src = tmp_path / name
    src.write_bytes(raw)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["parse", str(src), "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and name in result.output
    assert not out.exists() or not any(out.iterdir())
    return result.output


@needs_office
def test_a_doc_libreoffice_cannot_open(tmp_path):
    output = _refused(tmp_path, "broken.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00\x17" * 4000)
    assert "无法读取Word 97–2003 文档" in output


@needs_office
def test_a_conversion_that_takes_too_long_is_stopped(tmp_path, docx, monkeypatch):
    monkeypatch.setattr(legacy, "TIMEOUT", 0.2)
    output = _refused(tmp_path, "slow.odt", office.convert(docx, ".docx", "odt"))
    assert "超时" in output


def test_without_libreoffice_the_error_names_the_package(tmp_path, monkeypatch):
    monkeypatch.setattr(office, "soffice", lambda: None)
    output = _refused(tmp_path, "old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert "libreoffice-writer-nogui" in output
