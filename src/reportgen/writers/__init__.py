"""Writers: the Document out to a format, one module per format, all with the signature
``(Document, **options) -> bytes`` (the mirror of the readers'). ``WRITERS`` maps a format name
to its writer and ``writer_for`` raises a typed error for an unknown one. Options:
``reference_doc`` and ``fonts`` (docx, pdf: a font set of ``formats.docx.FONT_SETS``), ``when`` (docx:
the date it carries, default now or SOURCE_DATE_EPOCH), ``pdfa`` (pdf: PDF/A-2b) and ``notices`` (a
list the writer adds notices to). The 图解 (png, svg) is drawn from the data, not the Document: it
needs ``loaded`` (the ``LoadedReport``) and takes ``previous`` (last year's, for the changes);
``tujie`` asks the html writer to embed it (as inline SVG) when ``loaded`` is given."""
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


def _tujie(fmt: str) -> Callable[..., bytes]:
    def write(doc: Document, **o) -> bytes:
        if o.get("loaded") is None:
            raise UsageError("图解（png、svg）从数据文件生成：reportgen render 数据.yaml -f png")
        from ..tujie import draw  # matplotlib only when a picture is asked for

        return draw(o["loaded"], fmt, doc.lang, o.get("previous"), o.get("notices"), doc.title or None,
                    doc.properties.get("author") or None)
    return write


def _html(doc: Document, **o) -> bytes:
    figure = None
    if o.get("tujie") and o.get("loaded") is not None:
        from ..tujie import embeddable

        figure = embeddable(o["loaded"], doc.lang, o.get("previous"), o.get("notices"), doc.title or None,
                            doc.properties.get("author") or None)
    return write_html(doc, figure=figure)


WRITERS: dict[str, Callable[..., bytes]] = {
    "docx": lambda doc, **o: write_docx(doc, o.get("reference_doc"), o.get("notices"), o.get("fonts") or "gb2312",
                                          o.get("when")),
    "txt": lambda doc, **o: write_text(doc),
    "html": _html,
    "md": lambda doc, **o: write_markdown(doc),
    "pdf": lambda doc, **o: write_pdf(doc, o.get("reference_doc"), o.get("notices"), o.get("fonts") or "gb2312",
                                      bool(o.get("pdfa"))),
    "json": _json,
    "png": _tujie("png"),
    "svg": _tujie("svg"),
}
EXTENSIONS = {"docx": ".docx", "txt": ".txt", "html": ".html", "md": ".md", "pdf": ".pdf", "json": ".json",
              "png": ".png", "svg": ".svg"}
TEXT_FORMATS = ("txt", "html", "md", "json", "svg")  # what can go to standard output (render -o -)


def writer_for(fmt: str) -> Callable[..., bytes]:
    try:
        return WRITERS[fmt]
    except KeyError:
        raise UsageError(f"不支持的输出格式“{fmt}”；可用：{'、'.join(WRITERS)}") from None
