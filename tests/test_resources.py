"""Committed generated files are current: the reference docx (house style)."""
from __future__ import annotations

import io
import zipfile

from reportgen.resources import reference_docx
from reportgen.writers.docx_reference import build_reference_docx
from reportgen.formats.docx import REQUIRED_STYLES


def test_reference_docx_is_current():
    committed = zipfile.ZipFile(reference_docx())
    fresh = zipfile.ZipFile(io.BytesIO(build_reference_docx()))
    assert committed.namelist() == fresh.namelist()
    for name in fresh.namelist():
        assert committed.read(name) == fresh.read(name), f"{name}: run python tools/build_reference_docx.py"


def test_reference_docx_has_every_style_the_writer_uses():
    import docx

    ids = {s.style_id for s in docx.Document(str(reference_docx())).styles}
    assert set(REQUIRED_STYLES) <= ids
