"""Document → PDF, by converting the docx with LibreOffice (``office.convert``).

The docx keeps the official font names (仿宋_GB2312, 方正小标宋简体 …); for the conversion a
fontconfig file (``templates/fontconfig/fonts.conf``) maps them to the free CJK fonts a
Linux machine has (Noto Serif/Sans CJK SC, AR PL UKai). The conversion runs without network
and with a throwaway profile (see ``office``); without LibreOffice the error says how to
install it, and nothing is written.

``pdfa``: PDF/A-2b for archives, through LibreOffice's PDF export filter (``SelectPdfVersion`` 2:
every font embedded, an sRGB output intent, XMP metadata with ``pdfaid:part`` 2 and the docx's
core properties — the title, and the agency as author).
"""
from __future__ import annotations

from pathlib import Path

from .. import office
from ..document import Document
from ..errors import OutputError
from ..resources import templates_dir
from .docx import write_docx

INSTALL_HINT = ("生成 PDF 需要 LibreOffice 和中文字体。Debian/Ubuntu 上安装："
                "sudo apt-get install --no-install-recommends libreoffice-writer-nogui fonts-noto-cjk fonts-arphic-ukai")


def soffice() -> str | None:
    return office.soffice()


def fontconfig_file() -> Path:
    return templates_dir() / "fontconfig" / "fonts.conf"


# LibreOffice's PDF export filter with its options (JSON, as soffice --convert-to takes them)
PDFA_TARGET = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'


def docx_to_pdf(docx_bytes: bytes, pdfa: bool = False) -> bytes:
    """The PDF LibreOffice makes of ``docx_bytes`` (PDF/A-2b when ``pdfa``)."""
    if soffice() is None:
        raise OutputError(INSTALL_HINT)
    try:
        return office.convert(docx_bytes, ".docx", PDFA_TARGET if pdfa else "pdf", fonts=fontconfig_file())
    except office.OfficeError as e:
        raise OutputError(f"生成 PDF 失败：{e.message}") from None


def write_pdf(doc: Document, reference_doc: str | None = None, notices: list[str] | None = None,
              fonts: str = "gb2312", pdfa: bool = False, **_options) -> bytes:
    return docx_to_pdf(write_docx(doc, reference_doc, notices, fonts), pdfa)
