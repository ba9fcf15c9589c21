"""Reading an input file's bytes within a budget: the one way every input is read.

A size taken from ``stat`` says nothing about a pipe, a FIFO or a device (``/dev/zero``,
``<(yes)`` report 0 bytes), so the budget counts the bytes actually read: a regular file is
read up to its limit plus one byte, anything else in chunks under a time limit too. A missing,
unreadable or looping path is a clear error naming the file, and so is a FIFO or device that
gives nothing (it is not an empty file: there is no file).
"""
from __future__ import annotations

import errno
import os
import select
import stat
import time

from .errors import InputError, os_reason

READ_SECONDS = 60  # a pipe or FIFO whose writer sends nothing for this long is given up
_CHUNK = 1 << 16


def _size_text(n: int) -> str:
    return f"{n // 1024 // 1024} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


def read_bounded(path: str, limit: int, kind: str) -> bytes:
    """The bytes of ``path``, at most ``limit`` of them (``kind`` names the file in messages:
    数据文件, 报告文件 …)."""
    too_big = f"文件过大（超过 {_size_text(limit)}），{kind}不应超过 {_size_text(limit)}"
    try:
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            raise InputError("这是一个目录，不是文件", path)
        if stat.S_ISREG(st.st_mode):
            if st.st_size > limit:
                raise InputError(f"文件过大（{_size_text(st.st_size)}），{kind}不应超过 {_size_text(limit)}", path)
            with open(path, "rb") as fh:
                data = fh.read(limit + 1)
        else:
            data = _read_stream(path, limit, kind)
            if not data:  # said here: the caller would call it an empty file
                raise InputError(_nothing_read(st.st_mode, kind), path)
    except FileNotFoundError:
        raise InputError("找不到文件（file not found）", path) from None
    except IsADirectoryError:
        raise InputError("这是一个目录，不是文件", path) from None
    except PermissionError:
        raise InputError("没有读取权限（permission denied）", path) from None
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise InputError("路径中的符号链接构成循环，无法打开", path) from None
        raise InputError(f"无法读取：{os_reason(e)}", path) from None
    if len(data) > limit:
        raise InputError(too_big, path)
    return data


def _nothing_read(mode: int, kind: str) -> str:
    if stat.S_ISFIFO(mode):
        return (f"这是一个管道（FIFO），不是{kind}：没有读到任何数据（没有程序向它写入，或写入的程序什么也没写）；"
                f"请给出{kind}本身")
    return f"这是一个设备文件，不是{kind}：读不出任何数据；请给出{kind}本身"


def _read_stream(path: str, limit: int, kind: str) -> bytes:
    """A pipe, FIFO or device: read without blocking forever and without reading forever."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags)
    try:
        chunks: list[bytes] = []
        total = 0
        idle_since = time.monotonic()
        while total <= limit:
            try:
                chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
            except BlockingIOError:  # a writer is there but has nothing yet
                left = idle_since + READ_SECONDS - time.monotonic()
                if left <= 0:
                    raise InputError(f"读取超时：{READ_SECONDS} 秒内没有收到数据（管道或设备没有结束）", path) from None
                select.select([fd], [], [], min(left, 1.0))
                continue
            if not chunk:  # the end, or a FIFO nobody writes to
                break
            chunks.append(chunk)
            total += len(chunk)
            idle_since = time.monotonic()
        return b"".join(chunks)
    finally:
        os.close(fd)
