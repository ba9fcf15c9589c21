"""Old and other office files (.doc, .wps, .rtf, .odt) → Document: LibreOffice converts them to
docx (``office.convert``: headless, a private throwaway profile, no network, a time limit) and
the Word reader reads the result, so a report in any of them is read exactly as its docx would
be. Without LibreOffice the error names the package to install."""
from __future__ import annotations

from ..document import Document
from ..errors import InputError
from ..office import OfficeError, convert
from .common import ReadOptions
from .docx import read as read_docx

TIMEOUT = 60  # seconds: a report converts in 1–3; a file that hangs LibreOffice is given up
KINDS = {"doc": ("Word 97–2003 文档", ".doc"), "wps": ("WPS 文字文档", ".wps"), "rtf": ("RTF 文档", ".rtf"),
         "odt": ("OpenDocument 文本", ".odt")}


def reader(kind: str):
    """The reader of one kind of office file."""
    name, suffix = KINDS[kind]

    def read(raw: bytes, options: ReadOptions) -> Document:
        try:
            docx = convert(raw, suffix, "docx:MS Word 2007 XML", timeout=TIMEOUT)
        except OfficeError as e:
            raise InputError(f"无法读取{name}：{e}", options.file) from None
        doc = read_docx(docx, options)
        # the converter may put its own name in the author property: trust it only as the title's agency
        author = doc.properties.get("author")
        if author and author not in doc.properties.get("title", ""):
            del doc.properties["author"]
        return doc

    read.__doc__ = f"A {suffix} file, converted to docx by LibreOffice and read as Word."
    return read


__all__ = ["KINDS", "TIMEOUT", "reader"]
