"""The text shapes made from a PDF: each converter takes PDF bytes and returns (suffix, bytes) the
project's reader can open (``.txt`` for plain text)."""
from __future__ import annotations

import io
import subprocess
import tempfile
from pathlib import Path


def _pdftotext(pdf: bytes, *flags: str) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(pdf)
        return subprocess.run(["pdftotext", *flags, "-enc", "UTF-8", str(src), "-"], check=True,
                              capture_output=True, timeout=120).stdout


def pdftotext_layout(pdf: bytes) -> tuple[str, bytes]:
    return ".txt", _pdftotext(pdf, "-layout")


def pdftotext_raw(pdf: bytes) -> tuple[str, bytes]:
    return ".txt", _pdftotext(pdf, "-raw")


def pypdf_text(pdf: bytes) -> tuple[str, bytes]:
    from pypdf import PdfReader
    reader = PdfReader(io.BytesIO(pdf))
    return ".txt", "\n".join(p.extract_text() or "" for p in reader.pages).encode("utf-8")


def pdfminer_text(pdf: bytes) -> tuple[str, bytes]:
    from pdfminer.high_level import extract_text
    return ".txt", extract_text(io.BytesIO(pdf)).encode("utf-8")


def pdf_itself(pdf: bytes) -> tuple[str, bytes]:
    return ".pdf", pdf


def pdftohtml(pdf: bytes) -> tuple[str, bytes]:
    """Poppler's pdftohtml, one self-contained HTML page, no images."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(pdf)
        subprocess.run(["pdftohtml", "-s", "-i", "-noframes", "-q", "-enc", "UTF-8", str(src), str(Path(tmp) / "out")],
                       check=True, capture_output=True, timeout=120)
        return ".html", (Path(tmp) / "out.html").read_bytes()


def markitdown(pdf: bytes) -> tuple[str, bytes]:
    from markitdown import MarkItDown
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(pdf)
        return ".md", MarkItDown().convert(str(src)).text_content.encode("utf-8")


def _soffice(data: bytes, suffix: str, target: str, infilter: str | None = None) -> bytes:
    """LibreOffice run as ``reportgen.office`` runs it, with an import filter when one is named."""
    from reportgen import office
    exe = office.soffice()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        src = work / f"input{suffix}"
        src.write_bytes(data)
        cmd = [exe, f"-env:UserInstallation={office._profile(work / 'profile')}", "--headless", "--norestore",
               "--nologo", "--nolockcheck", *([f"--infilter={infilter}"] if infilter else []),
               "--convert-to", target, "--outdir", str(work / "out"), str(src)]
        subprocess.run(cmd, capture_output=True, timeout=180, env={"PATH": "/usr/bin:/bin", "HOME": tmp})
        produced = list((work / "out").iterdir()) if (work / "out").is_dir() else []
        if not produced:
            raise RuntimeError(f"LibreOffice 未能转换为 {target}")
        return produced[0].read_bytes()


def lo_pdf_import_docx(pdf: bytes) -> tuple[str, bytes]:
    """The docx LibreOffice Writer makes when it opens the PDF (writer_pdf_import)."""
    return ".docx", _soffice(pdf, ".pdf", "docx:MS Word 2007 XML", "writer_pdf_import")


def cms_html(docx: bytes) -> tuple[str, bytes]:
    """The page HTML a CMS editor makes from the Word file (LibreOffice's HTML export stands in for the
    editor's paste-from-Word; takes the docx, not the PDF)."""
    return ".html", _soffice(docx, ".docx", "html:HTML (StarWriter)")


def scan(pdf: bytes, seed: int = 0) -> tuple[str, bytes]:
    from .scan import scanned_pdf
    return ".pdf", scanned_pdf(pdf, seed)


# shapes made from the docx rather than the PDF
FROM_DOCX = {"cms-html": cms_html}

SHAPES = {
    "pdf": pdf_itself,
    "pdftotext-layout": pdftotext_layout,
    "pdftotext-raw": pdftotext_raw,
    "pypdf": pypdf_text,
    "pdfminer": pdfminer_text,
    "pdftohtml": pdftohtml,
    "markitdown": markitdown,
    "lo-docx": lo_pdf_import_docx,
    "cms-html": cms_html,
    "scan": scan,
}
