"""A data mapping as rows — (key path, kind, value) — and back, exactly: what the workbook's
基本信息 and 正文 sheets and the server's form hold. A multi-line text is a row a line (its
kind says whether it ended with a line break); numbers, dates, nulls and empty lists or
mappings keep their kind, so the mapping comes back as it was."""
from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Any


def flatten(value: Any, path: tuple) -> list[tuple[tuple, str, Any]]:
    """(path, kind, value) rows: ``line`` a line of a multi-line text, ``text`` a one-line
    text, ``number``, ``date``, ``null``, ``empty`` (an empty list or mapping)."""
    if isinstance(value, dict):
        rows = [r for k, v in value.items() for r in flatten(v, path + (k,))]
        return rows or [(path, "empty-map", None)]
    if isinstance(value, list):
        rows = [r for i, v in enumerate(value) for r in flatten(v, path + (i,))]
        return rows or [(path, "empty-list", None)]
    if value is None:
        return [(path, "null", None)]
    if isinstance(value, bool):
        return [(path, "bool", value)]
    if isinstance(value, (int, Decimal, float)):
        return [(path, "number", value)]
    if hasattr(value, "isoformat"):
        return [(path, "date", str(value))]  # 2024-01-26, or 2011-05-13 00:05:00 for a date with a time
    text = str(value)
    if "\n" in text:
        parts = text[:-1].split("\n") if text.endswith("\n") else text.split("\n")
        kind = "lines" if text.endswith("\n") else "lines-open"
        return [(path, kind, part) for part in parts]
    return [(path, "text", text)]


def path_text(path: tuple) -> str:
    return "/".join(f"#{p}" if isinstance(p, int) else str(p).replace("/", "∕") for p in path)


def path_of(text: str) -> tuple:
    return tuple(int(p[1:]) if p.startswith("#") and p[1:].isdigit() else p.replace("∕", "/") for p in text.split("/"))


def unflatten(rows: list[tuple[tuple, str, Any]]) -> dict:
    root: dict = {}
    texts: dict[tuple, list[str]] = {}
    kinds: dict[tuple, str] = {}
    for path, kind, value in rows:
        if kind in ("lines", "lines-open"):
            texts.setdefault(path, []).append("" if value is None else str(value))
            kinds[path] = kind
            value = None
        _put(root, path, _typed(kind, value))
    for path, parts in texts.items():
        _put(root, path, "\n".join(parts) + ("\n" if kinds[path] == "lines" else ""))
    return root


def _typed(kind: str, value: Any) -> Any:
    if kind == "empty-map":
        return {}
    if kind == "empty-list":
        return []
    if kind == "null":
        return None
    if kind == "number" and isinstance(value, float):
        return int(value) if value.is_integer() else Decimal(repr(value))
    if kind == "date":
        text = str(value)
        for parse in (_dt.date.fromisoformat, _dt.datetime.fromisoformat):
            try:
                return parse(text)
            except ValueError:
                continue
        return text
    if kind == "text" and value is None:
        return ""  # a cell holds no empty text: an empty one was ""
    if kind in ("text", "date") and not isinstance(value, str):
        return str(value)
    return value


def _put(root: dict, path: tuple, value: Any) -> None:
    cur: Any = root
    for k, nxt in zip(path, path[1:]):
        _make_room(cur, k)
        if cur[k] is None:
            cur[k] = [] if isinstance(nxt, int) else {}
        cur = cur[k]
    _make_room(cur, path[-1])
    cur[path[-1]] = value


def _make_room(node: Any, key: Any) -> None:
    """A list grown to hold index ``key``, a mapping given the key (None until set)."""
    if isinstance(node, list):
        node.extend([None] * (key + 1 - len(node)))
    else:
        node.setdefault(key, None)


__all__ = ["flatten", "path_of", "path_text", "unflatten"]
