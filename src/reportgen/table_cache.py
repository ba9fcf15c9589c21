"""The resumable cache of ``parse DIR --table``: the rows read from each report, kept under the
sha256 of the file's content, so a second run reads only new or changed files.

One small file per report (``<sha256>.pickle``), written by the worker that read it, atomically
(a temporary file then ``os.replace``): a run stopped by Ctrl-C or a killed worker loses nothing
already read. The cache lives beside the table (``<table>.cache/``) or in ``--cache DIR``; its
entries sit in a folder named by the reportgen version and the reading options, so another
version (or another ``--from``) never reuses them.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

from . import __version__


def cache_dir(table: str, given: str | None = None) -> Path:
    """The cache folder of a table: ``given`` or ``<table>.cache`` beside it."""
    return Path(given) if given else Path(table).with_name(Path(table).name + ".cache")


def _folder(root: Path, fmt: str | None) -> Path:
    return root / f"v{__version__}-{fmt or 'auto'}"


def content_key(path: str) -> str:
    """The sha256 of a file's content."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def load(root: Path, fmt: str | None, key: str) -> Any | None:
    """The rows cached under ``key``, or None (absent, or unreadable: then read again)."""
    try:
        with open(_folder(root, fmt) / f"{key}.pickle", "rb") as f:
            return pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None


def store(root: Path, fmt: str | None, key: str, payload: Any) -> None:
    """Keep ``payload`` under ``key``, atomically (never a half-written entry)."""
    folder = _folder(root, fmt)
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            pickle.dump(payload, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, folder / f"{key}.pickle")
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
