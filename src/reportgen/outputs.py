"""Writing outputs: nothing an input or a user's own file is ever replaced, and a set of outputs
is committed together or not at all.

Every file reportgen writes goes through ``commit``:

* **Guard.** A target that resolves to an input of the job (the data file, the report, the
  reference docx, the profile, a template) is refused, ``--force`` or not; so is a target that
  is not a regular file (a symlink, a device such as ``/dev/full`` or ``/dev/stdout``, a FIFO,
  a directory). An existing regular file is replaced only when it is the output of the same
  input, unchanged since reportgen wrote it (the ledger below says so), when it already holds
  exactly the new bytes, or with ``force``.
* **All or nothing.** Every output is first written to a temporary file beside its target;
  only when all are written are they renamed into place, with SIGINT/SIGTERM/SIGHUP held off
  for the whole write so a signal cannot leave a temporary file or half a set behind, and
  with the replaced files restored if a rename fails. A full disk leaves the old files as
  they were.
* **Ledger.** What was written, from which input, with which content, is kept in a small
  SQLite database in the user's state directory (``REPORTGEN_STATE_DIR``, else
  ``$XDG_STATE_HOME/reportgen``, ``~/.local/state/reportgen`` or ``%LOCALAPPDATA%\\reportgen``):
  nothing is added to the user's folders. Without a usable state directory the ledger is
  empty and replacing needs ``--force``.

``collisions`` finds, before anything runs, outputs that several inputs of one command would
write.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import sqlite3
import stat
import tempfile
import time
from pathlib import Path
from typing import Iterable, Iterator

from .errors import OutputError, display_name, os_reason

_HELD = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))
_TMP_SUFFIX = ".reportgen.tmp"


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold off SIGINT, SIGTERM and SIGHUP (they are delivered when the block ends)."""
    mask = getattr(signal, "pthread_sigmask", None)
    if mask is None:  # pragma: no cover - Windows
        yield
        return
    old = mask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        mask(signal.SIG_SETMASK, old)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- the ledger -----------------------------------------------------------------------------

def state_dir() -> Path:
    env = os.environ.get("REPORTGEN_STATE_DIR")
    if env:
        return Path(env)
    if os.name == "nt":  # pragma: no cover
        return Path(os.environ.get("LOCALAPPDATA", Path.home())) / "reportgen"
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "reportgen"


class Ledger:
    """Which file reportgen wrote from which input, and what it held."""

    def __init__(self, directory: Path | None = None):
        self._dir = directory
        self._db = None
        self._failed = False

    def _conn(self):
        if self._db is None and not self._failed:
            try:
                d = self._dir or state_dir()
                d.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(str(d / "outputs.sqlite3"), timeout=30, isolation_level=None)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.execute("CREATE TABLE IF NOT EXISTS outputs (path TEXT PRIMARY KEY, source TEXT NOT NULL, "
                           "sha256 TEXT NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL)")
                self._db = db
            except (OSError, sqlite3.Error):
                self._failed = True
        return self._db

    def owner(self, path: Path) -> tuple[str, str, int, int] | None:
        db = self._conn()
        if db is None:
            return None
        try:
            row = db.execute("SELECT source, sha256, size, mtime_ns FROM outputs WHERE path = ?",
                             (_key(path),)).fetchone()
        except sqlite3.Error:
            return None
        return tuple(row) if row else None  # type: ignore[return-value]

    def record(self, entries: list[tuple[Path, str, str]]) -> None:
        """(path, source, sha256) of files just written."""
        db = self._conn()
        if db is None or not entries:
            return
        rows = []
        for path, source, sha in entries:
            try:
                st = os.stat(path)
            except OSError:
                continue
            rows.append((_key(path), source, sha, st.st_size, st.st_mtime_ns))
        try:
            db.executemany("INSERT OR REPLACE INTO outputs VALUES (?, ?, ?, ?, ?)", rows)
        except sqlite3.Error:
            pass


def _key(path: Path) -> str:
    """An absolute path as text the ledger can store (bytes that are not UTF-8 as \\xff)."""
    return os.fsencode(os.path.abspath(path)).decode("utf-8", "backslashreplace")


_LEDGER = Ledger()


def ledger() -> Ledger:
    return _LEDGER


def reset_after_fork() -> None:
    """A forked worker opens its own ledger connection (SQLite connections do not cross fork)."""
    global _LEDGER
    _LEDGER = Ledger()
    _SWEPT.clear()


# --- the guard ------------------------------------------------------------------------------

def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def source_key(inputs: Iterable[str | os.PathLike]) -> str:
    """The ledger's name for what an output was made from (one input, or several)."""
    return "\n".join(sorted(_key(Path(p)) for p in inputs))


def refusal(target: Path, data: bytes, source: str, protected: Iterable[Path], force: bool) -> str | None:
    """Why ``target`` may not receive ``data`` (None: it may)."""
    for p in protected:
        if _same_file(target, p):
            return "输出文件就是本次的输入文件，拒绝覆盖输入"
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        return None
    except OSError as e:
        return f"无法检查输出位置：{os_reason(e)}"
    if stat.S_ISLNK(st.st_mode):
        return "输出位置是一个符号链接，拒绝写入（不会替换链接或它指向的文件）"
    if stat.S_ISDIR(st.st_mode):
        return "输出位置是一个目录"
    if not stat.S_ISREG(st.st_mode):
        return "输出位置不是普通文件（设备、管道等），拒绝写入；要输出到屏幕请用 -o -"
    if force:
        return None
    owner = ledger().owner(target)
    if owner is not None and owner[0] == source:
        if (owner[2], owner[3]) == (st.st_size, st.st_mtime_ns):
            return None
        if st.st_size == owner[2] and _file_digest(target) == owner[1]:
            return None
        return "文件在上次生成后被修改过；为免丢失修改，没有覆盖（如确要覆盖，请加 --force）"
    if st.st_size == len(data) and _file_digest(target) == digest(data):
        return None  # already holds exactly these bytes
    if owner is not None:
        return "文件已存在，是由其他输入生成的；没有覆盖（如确要覆盖，请加 --force）"
    return "文件已存在，不是本次输入的输出；没有覆盖（如确要覆盖，请加 --force）"


def _file_digest(path: Path) -> str | None:
    try:
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest() if hasattr(hashlib, "file_digest") \
                else digest(fh.read())
    except OSError:
        return None


def collisions(plans: list[tuple[str, list[Path]]], force: bool) -> tuple[list[tuple[str, list[Path]]], list[str]]:
    """Outputs that more than one input would write. Without ``force`` they are refused before
    anything is written (OutputError listing them); with it the input given last wins and the
    earlier ones leave that output out. Returns (plans kept, notices)."""
    writers: dict[str, list[int]] = {}
    for i, (_, targets) in enumerate(plans):
        for t in targets:
            writers.setdefault(_key(t), []).append(i)
    clashes = {k: v for k, v in writers.items() if len(v) > 1}
    if not clashes:
        return plans, []
    lines = [f"{k}：{'、'.join(display_name(plans[i][0]) for i in v)}" for k, v in clashes.items()]
    if not force:
        shown = "；".join(lines[:5]) + (f"；等 {len(lines)} 处" if len(lines) > 5 else "")
        raise OutputError(f"多个输入会写出同一个输出文件，已停止，没有写出任何文件（{shown}）。"
                          "请给它们不同的输出目录，或加 --force（后给出的输入优先）")
    kept = []
    for i, (source, targets) in enumerate(plans):
        kept.append((source, [t for t in targets if writers[_key(t)][-1] == i]))
    return kept, [f"--force：{line}，按后给出的输入写出" for line in lines]


# --- writing --------------------------------------------------------------------------------

def commit(outputs: dict[Path, bytes], source: str, protected: Iterable[Path] = (), force: bool = False) -> list[Path]:
    """Write ``outputs`` ({target: bytes}) made from ``source`` (see ``source_key``): every
    target checked first, then all written or none. Returns the targets written."""
    protected = [Path(p) for p in protected]
    targets = [Path(t) for t in outputs]
    problems = [(t, refusal(t, outputs[t], source, protected, force)) for t in targets]
    refused = [(t, why) for t, why in problems if why]
    if refused:
        if len(refused) == 1:
            raise OutputError(refused[0][1], str(refused[0][0]))
        raise OutputError("；".join(f"{display_name(t)}：{why}" for t, why in refused) + "；没有写出任何文件")
    with signals_held():  # the files and their record, together
        _write_all(targets, outputs)
        ledger().record([(t, source, digest(outputs[t])) for t in targets])
    return targets


def write_new(target: Path, data: bytes, source: str, protected: Iterable[Path] = (), force: bool = False) -> Path:
    """One output (see ``commit``)."""
    return commit({Path(target): data}, source, protected, force)[0]


def _write_all(targets: list[Path], outputs: dict[Path, bytes]) -> None:
    temps: dict[Path, str] = {}
    try:
        for t in targets:
            directory = t.parent if str(t.parent) else Path(".")
            try:
                directory.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise OutputError(f"无法创建输出目录：{os_reason(e)}", str(directory)) from None
            _sweep(directory)
            try:
                fd, tmp = tempfile.mkstemp(prefix=f".{t.name[:80]}.{os.getpid()}.", suffix=_TMP_SUFFIX, dir=directory)
            except OSError as e:
                raise OutputError(f"无法写入：{os_reason(e)}", str(directory)) from None
            temps[t] = tmp
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(outputs[t])
                os.chmod(tmp, 0o644)
            except OSError as e:
                raise OutputError(f"无法写入（{os_reason(e)}），没有写出任何文件", str(t)) from None
        _rename_all(targets, temps)
        temps.clear()
    finally:
        for tmp in temps.values():
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _rename_all(targets: list[Path], temps: dict[Path, str]) -> None:
    """Rename every temporary into place; if one rename fails, put back what was there."""
    done: list[tuple[Path, str | None]] = []
    try:
        for t in targets:
            backup = None
            if os.path.lexists(t):
                backup = f"{t.parent / ('.' + t.name[:80])}.{os.getpid()}.bak{_TMP_SUFFIX}"
                try:
                    os.link(t, backup)
                except OSError:
                    backup = None
            os.replace(temps[t], t)
            done.append((t, backup))
    except OSError as e:
        for t, backup in reversed(done):
            with contextlib.suppress(OSError):
                if backup:
                    os.replace(backup, t)
                else:
                    os.unlink(t)
        raise OutputError(f"无法写入（{os_reason(e)}），已恢复原有文件，没有写出任何文件", str(e.filename or "")) from None
    finally:
        for _, backup in done:
            if backup:
                with contextlib.suppress(OSError):
                    os.unlink(backup)


_SWEPT: set[str] = set()


def _sweep(directory: Path) -> None:
    """Remove temporary files that a reportgen process killed outright (SIGKILL, power loss)
    left in ``directory``: ours by name, their process gone, older than a minute."""
    key = os.path.abspath(directory)
    if key in _SWEPT:
        return
    _SWEPT.add(key)
    now = time.time()
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if not (name.startswith(".") and name.endswith(_TMP_SUFFIX)):
            continue
        parts = name[:-len(_TMP_SUFFIX)].split(".")  # .{name}.{pid}.{random or "bak"}
        pid = int(parts[-2]) if len(parts) >= 3 and parts[-2].isdigit() else None
        try:
            if now - entry.stat(follow_symlinks=False).st_mtime < 60 or (pid is not None and _alive(pid)):
                continue
            os.unlink(entry.path)
        except OSError:
            continue


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True
