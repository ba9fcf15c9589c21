"""Document → PDF, by converting the docx with LibreOffice (``office.convert``).

The docx keeps the official font names (仿宋_GB2312, 方正小标宋简体 …); for the conversion a
fontconfig file (``templates/fontconfig/fonts.conf``) maps them to the free CJK fonts a
Linux machine has (Noto Serif/Sans CJK SC, AR PL UKai). The conversion runs without network
and with a throwaway profile (see ``office``); without LibreOffice the error says how to
install it, and nothing is written.
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


def docx_to_pdf(docx_bytes: bytes) -> bytes:
    """The PDF LibreOffice makes of ``docx_bytes``."""
    if soffice() is None:
        raise OutputError(INSTALL_HINT)
    try:
        return office.convert(docx_bytes, ".docx", "pdf", fonts=fontconfig_file())
    except office.OfficeError as e:
        raise OutputError(f"生成 PDF 失败：{e.message}") from None


def write_pdf(doc: Document, reference_doc: str | None = None, notices: list[str] | None = None,
              fonts: str = "gb2312", **_options) -> bytes:
    return docx_to_pdf(write_docx(doc, reference_doc, notices, fonts))
