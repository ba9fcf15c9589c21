"""The JSON Schema of the data file, generated from the pydantic models.

Editors use it (via the ``# yaml-language-server: $schema=…`` line) to complete keys and show
each key's official label. The committed copy in ``schemas/`` is checked current by a test.
"""
from __future__ import annotations

import json

from .editions import EDITIONS, latest
from .model import report_model

SCHEMA_ID = "https://reportgen.invalid/schemas/reportgen.schema.json"


def json_schema(edition_id: str | None = None) -> dict:
    ed = EDITIONS[edition_id] if edition_id else latest()
    schema = report_model(ed).model_json_schema(by_alias=True, mode="validation")
    _allow_row_shortcuts(schema)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID,
            "title": f"政府信息公开工作年度报告数据文件（{ed.basis}）", **{k: v for k, v in schema.items() if k != "title"}}


def _allow_row_shortcuts(node: object) -> None:
    """A table row may also be written as a list of numbers in column order, or as 0."""
    if isinstance(node, dict):
        for key, value in list(node.items()):
            if isinstance(value, dict) and value.get("$ref", "").startswith("#/$defs/Row_"):
                node[key] = {"anyOf": [value, {"type": "array", "items": {"type": "number"}}, {"const": 0}],
                             **{k: v for k, v in value.items() if k != "$ref"}}
                node[key]["anyOf"][0] = {"$ref": value["$ref"]}
            else:
                _allow_row_shortcuts(value)
    elif isinstance(node, list):
        for item in node:
            _allow_row_shortcuts(item)


def schema_file_name(edition_id: str) -> str:
    """reportgen.schema.json for the latest edition, reportgen-<edition>.schema.json for the others."""
    return "reportgen.schema.json" if edition_id == latest().id else f"reportgen-{edition_id}.schema.json"


def schema_text(edition_id: str | None = None) -> str:
    return json.dumps(json_schema(edition_id), ensure_ascii=False, indent=2, sort_keys=False) + "\n"
