"""Safe file output: every write is atomic (temp file + rename) and never replaces an input."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import OutputError


def write_atomic(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path`` and rename it into place: readers see
    the old file or the whole new one, and an interrupted write leaves no temporary behind."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    tmp: str | None = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix="." + path.name + ".", suffix=".tmp", dir=directory)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
        tmp = None
    except OSError as e:
        where = str(directory) if tmp is None else str(path)
        raise OutputError(f"无法写入：{e.strerror}", where) from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def write_all(outputs: dict[Path, bytes], inputs: tuple[Path, ...] = ()) -> None:
    """Write several outputs; refuse before writing anything if one would replace an input."""
    protected = {p.resolve() for p in inputs}
    for target in outputs:
        if target.resolve() in protected:
            raise OutputError("输出文件与输入文件相同，已拒绝覆盖输入", str(target))
    for target, data in outputs.items():
        write_atomic(target, data)


def read_input(path: str, limit: int, kind: str) -> bytes:
    """An input file's bytes, with a clear error for a missing, unreadable or oversized file
    (``kind`` names the file in the message: 数据文件, 报告文件)."""
    from .errors import InputError

    try:
        size = os.path.getsize(path)
        if size > limit:
            shown = f"{size // 1024 // 1024} MB" if size >= 1024 * 1024 else f"{size // 1024} KB"
            raise InputError(f"文件过大（{shown}），{kind}不应超过 {limit // 1024 // 1024} MB", path)
        with open(path, "rb") as fh:
            return fh.read()
    except FileNotFoundError:
        raise InputError("找不到文件（file not found）", path) from None
    except IsADirectoryError:
        raise InputError("这是一个目录，不是文件", path) from None
    except PermissionError:
        raise InputError("没有读取权限（permission denied）", path) from None
