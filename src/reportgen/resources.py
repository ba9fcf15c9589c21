"""Where packaged resources live: the templates directory (Jinja templates, reference docx).

The source of truth is the repository's top-level ``templates/``; a wheel installs it as
``reportgen/templates``. A source checkout or editable install reads it in place.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=None)
def templates_dir() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates", here.parents[1] / "templates"):
        if (candidate / "reference.docx").is_file():
            return candidate
    raise FileNotFoundError("reportgen's packaged templates are missing (templates/reference.docx)")


def reference_docx() -> Path:
    return templates_dir() / "reference.docx"
