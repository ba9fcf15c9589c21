"""Reading an uploaded file: in a child process, with a time limit and a memory limit.

An upload is read with the CLI's own readers and guards (``read_data_file`` for a workbook or
YAML, ``load_previous`` + ``next_year_data`` for last year's report, PDF and office files
included). The reading runs in a separate Python process so that a file that takes long (a
PDF of hundreds of pages, an old Word file through LibreOffice) neither holds up the other
clerks' requests nor outlives its limit: at ``UPLOAD_SECONDS`` the child is killed and the clerk
gets a message. The child's address space is capped at ``UPLOAD_MEMORY`` so a hostile file
cannot take the machine's memory.

The child gets the bytes on standard input and answers with a pickle on standard output:
``("data", dict)`` or ``("error", message)``.
"""
from __future__ import annotations

import asyncio
import os
import pickle
import sys
import tempfile
from pathlib import Path

from ..errors import InputError, ReportgenError

MAX_UPLOAD_BYTES = 8 * 1024 * 1024
UPLOAD_SECONDS = 60.0
UPLOAD_MEMORY = 2 * 1024**3  # LibreOffice maps a lot of address space; 2 GB is ample for it and for a PDF


def _limit_memory() -> None:  # pragma: no cover - runs in the child before exec
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (UPLOAD_MEMORY, UPLOAD_MEMORY))


async def read_upload(raw: bytes, name: str, previous: bool, year: int) -> dict:
    """The data an uploaded file gives (see ``data_of_file``); ``InputError`` with a message
    for the clerk when it cannot be read, takes longer than ``UPLOAD_SECONDS`` or too much memory."""
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "reportgen.server.uploads", Path(name).name, "previous" if previous else "data", str(year),
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL,
        preexec_fn=_limit_memory if os.name == "posix" else None)
    try:
        out, _ = await asyncio.wait_for(child.communicate(raw), UPLOAD_SECONDS)
    except asyncio.TimeoutError:
        child.kill()
        await child.wait()
        raise InputError(f"读取 {name} 超过 {UPLOAD_SECONDS:g} 秒，已停止；请上传较小的文件，或改为上传数据文件（.xlsx 或 .yaml）",
                         name) from None
    try:
        kind, value = pickle.loads(out)
    except Exception:
        raise InputError(f"无法读取 {name}：读取过程意外中止（文件可能过大或已损坏）", name) from None
    if kind == "error":
        raise InputError(value, name)
    return value


def data_of_file(path: str, name: str, previous: bool, year: int) -> dict:
    """A data file (YAML or workbook) as it is, or — ``previous`` — the next year's start from
    last year's data file or published report (``init --from``)."""
    from ..loader import WORKBOOK_SUFFIXES, read_data_file
    from ..nextyear import next_year_data
    from ..reading import DATA_SUFFIXES, load_previous

    suffix = Path(path).suffix.lower()
    if previous:
        return next_year_data(load_previous(path), year)
    if suffix in DATA_SUFFIXES or suffix in WORKBOOK_SUFFIXES:
        data, _ = read_data_file(path)
        if not isinstance(data, dict):
            raise InputError("数据文件的最外层应为键值映射", name)
        return data
    raise InputError(f"{name} 不是数据文件（.yaml 或 .xlsx）；已发布的报告请选“从去年的报告开始”", name)


def _child(name: str, mode: str, year: int) -> None:
    raw = sys.stdin.buffer.read(MAX_UPLOAD_BYTES + 1)
    with tempfile.TemporaryDirectory(prefix="reportgen-upload-") as tmp:
        path = Path(tmp) / f"upload{Path(name).suffix.lower()}"
        try:
            if len(raw) > MAX_UPLOAD_BYTES:
                raise InputError(f"上传的文件不能超过 {MAX_UPLOAD_BYTES // 2**20} MB", name)
            path.write_bytes(raw)
            answer = ("data", data_of_file(str(path), name, mode == "previous", year))
        except ReportgenError as e:  # the messages name the file the clerk chose, not the temporary copy
            message = e.message.replace(str(path), name)
            answer = ("error", message if name in message else f"{name}：{message}")
        except MemoryError:
            answer = ("error", f"无法读取 {name}：所需内存超过上限")
    sys.stdout.buffer.write(pickle.dumps(answer))


if __name__ == "__main__":
    _child(sys.argv[1], sys.argv[2], int(sys.argv[3]))
