"""Writers: one module per output format, all with the signature ``(Document, **options) -> bytes``.

``WRITERS`` maps a format name to its writer; ``writer_for`` raises a typed error for an
unknown one. Heavy modules (python-docx) are imported only when their writer runs.
"""
from __future__ import annotations

from typing import Callable

from ..document import Document
from ..errors import UsageError


def _docx(doc: Document, **options) -> bytes:
    from .docx import write_docx

    return write_docx(doc, options.get("reference_doc"), options.get("notices"))


def _txt(doc: Document, **options) -> bytes:
    from .text import write_text

    return write_text(doc)


def _html(doc: Document, **options) -> bytes:
    from .html import write_html

    return write_html(doc)


def _md(doc: Document, **options) -> bytes:
    from .markdown import write_markdown

    return write_markdown(doc)


def _pdf(doc: Document, **options) -> bytes:
    from .pdf import write_pdf

    return write_pdf(doc, options.get("reference_doc"), options.get("notices"))


def _json(doc: Document, **options) -> bytes:
    return doc.to_json().encode("utf-8")


WRITERS: dict[str, Callable[..., bytes]] = {"docx": _docx, "txt": _txt, "html": _html, "md": _md, "pdf": _pdf,
                                             "json": _json}
EXTENSIONS = {"docx": ".docx", "txt": ".txt", "html": ".html", "md": ".md", "pdf": ".pdf", "json": ".json"}


def writer_for(fmt: str) -> Callable[..., bytes]:
    try:
        return WRITERS[fmt]
    except KeyError:
        raise UsageError(f"不支持的输出格式“{fmt}”；可用：{'、'.join(WRITERS)}") from None
