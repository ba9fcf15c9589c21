"""Where packaged resources live: the templates directory (Jinja templates, reference docx).

The source of truth is the repository's top-level ``templates/``; a wheel installs it as
``reportgen/templates``. A source checkout or editable install reads it in place.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

REFERENCE_NAME = "reference.docx"  # the Word file that gives the house style
CONFIG_NAME = "reportgen.yaml"      # an agency's profile, beside its data files


@lru_cache(maxsize=None)
def templates_dir() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates", here.parents[1] / "templates"):
        if (candidate / REFERENCE_NAME).is_file():
            return candidate
    raise FileNotFoundError("reportgen's packaged templates are missing (templates/reference.docx)")


def reference_docx() -> Path:
    return templates_dir() / REFERENCE_NAME
