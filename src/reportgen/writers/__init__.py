"""Writers: the Document out to a format, one module per format, all with the signature
``(Document, **options) -> bytes`` (the mirror of the readers'). ``WRITERS`` maps a format name
to its writer and ``writer_for`` raises a typed error for an unknown one. Options:
``reference_doc`` and ``fonts`` (docx, pdf: a font set of ``formats.docx.FONT_SETS``), ``when`` (docx:
the date it carries, default now or SOURCE_DATE_EPOCH), ``pdfa`` (pdf: PDF/A-2b) and ``notices`` (a
list the writer adds notices to)."""
from __future__ import annotations

from typing import Callable

from ..document import Document
from ..errors import UsageError
from .docx import write_docx
from .html import write_html
from .markdown import write_markdown
from .pdf import write_pdf
from .text import write_text


def _json(doc: Document, **_options) -> bytes:
    return doc.to_json().encode("utf-8")


WRITERS: dict[str, Callable[..., bytes]] = {
    "docx": lambda doc, **o: write_docx(doc, o.get("reference_doc"), o.get("notices"), o.get("fonts") or "gb2312",
                                          o.get("when")),
    "txt": lambda doc, **o: write_text(doc),
    "html": lambda doc, **o: write_html(doc),
    "md": lambda doc, **o: write_markdown(doc),
    "pdf": lambda doc, **o: write_pdf(doc, o.get("reference_doc"), o.get("notices"), o.get("fonts") or "gb2312",
                                      bool(o.get("pdfa"))),
    "json": _json,
}
EXTENSIONS = {"docx": ".docx", "txt": ".txt", "html": ".html", "md": ".md", "pdf": ".pdf", "json": ".json"}
TEXT_FORMATS = ("txt", "html", "md", "json")  # what can go to standard output (render -o -)


def writer_for(fmt: str) -> Callable[..., bytes]:
    try:
        return WRITERS[fmt]
    except KeyError:
        raise UsageError(f"不支持的输出格式“{fmt}”；可用：{'、'.join(WRITERS)}") from None
