"""reportgen: China's statutory 政府信息公开工作年度报告, from YAML data to docx/txt and back.

Library API (the CLI is a thin layer over these)::

    from reportgen import load_report, compose, render_file
    loaded = load_report("data.yaml")        # validated, totals computed
    doc = compose(loaded)                     # the Document hub
    render_file("data.yaml", formats=["docx", "txt"])

Names are imported lazily so that ``import reportgen`` (and ``reportgen --help``) stays cheap.
"""
from __future__ import annotations

__version__ = "0.1.0"

_API = {
    "load_report": "loader", "validate_data": "loader", "LoadedReport": "loader",
    "compose": "compose", "Document": "document",
    "render_file": "render", "render_loaded": "render", "render_document": "render",
    "scaffold": "scaffold", "json_schema": "schema",
    "ReportgenError": "errors", "ValidationFailed": "errors", "Problem": "errors",
}

__all__ = ["__version__", *_API]


def __getattr__(name: str):
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'reportgen' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
