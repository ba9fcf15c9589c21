"""Many inputs at once: expanding files, directories and globs, running the work in parallel
worker processes, a progress bar on a terminal, and a summary.

Each job is a picklable ``Job`` handed to a module-level worker; workers return an
``Outcome`` (never raise: a failure is reported and the batch goes on). Outputs mirror the
input tree under ``-o``. Every write is atomic (``fsutil.write_atomic``), so a batch
interrupted with Ctrl-C leaves finished files and no half-written one.
"""
from __future__ import annotations

import glob
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from .errors import UsageError

DATA_SUFFIXES = (".yaml", ".yml")
REPORT_SUFFIXES = (".txt", ".docx", ".html", ".htm")
_SKIP_NAMES = ("reportgen.yaml", "reference.docx")  # an agency profile and its Word styles are not reports


@dataclass
class Job:
    path: str
    out_dir: str | None          # where this input's outputs go (mirroring the input tree)
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class Outcome:
    path: str
    ok: bool
    exit_code: int = 0
    messages: list[str] = field(default_factory=list)   # warnings and errors, ready to print
    written: list[str] = field(default_factory=list)
    payload: Any = None                                  # e.g. a check result as a dict


def expand(args: Iterable[str], suffixes: tuple[str, ...]) -> list[tuple[str, str | None]]:
    """(file, its root) for every input: a file as given; a directory searched recursively for
    ``suffixes`` (root: the directory, so outputs can mirror the tree); a glob pattern."""
    out: list[tuple[str, str | None]] = []
    seen: set[str] = set()

    def add(path: str, root: str | None) -> None:
        key = os.path.abspath(path)
        if key not in seen:
            seen.add(key)
            out.append((path, root))

    for arg in args:
        if os.path.isdir(arg):
            found = sorted(str(p) for p in Path(arg).rglob("*")
                           if p.is_file() and p.suffix.lower() in suffixes and p.name not in _SKIP_NAMES
                           and not any(part.startswith(".") for part in p.relative_to(arg).parts))
            for f in found:
                add(f, arg)
        elif any(ch in arg for ch in "*?[") and not os.path.exists(arg):
            matches = sorted(glob.glob(arg, recursive=True))
            if not matches:
                raise UsageError(f"没有与“{arg}”匹配的文件")
            base = arg.split("*")[0].split("?")[0].split("[")[0]
            root = base if base.endswith(os.sep) or os.path.isdir(base) else os.path.dirname(base) or None
            for m in matches:
                if os.path.isfile(m) and Path(m).name not in _SKIP_NAMES:
                    add(m, root)
        else:
            add(arg, None)
    return out


def mirrored(path: str, root: str | None, out_dir: str | None) -> str | None:
    """The output directory of ``path``: ``out_dir`` plus its place under ``root``."""
    if out_dir is None:
        return None
    if root is None:
        return out_dir
    rel = os.path.relpath(os.path.dirname(os.path.abspath(path)), os.path.abspath(root))
    return os.path.normpath(os.path.join(out_dir, rel))


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def run(jobs: list[Job], worker: Callable[[Job], Outcome], workers: int | None = None,
        label: str = "处理", progress: bool | None = None) -> Iterator[Outcome]:
    """Run ``worker`` over ``jobs`` (in ``workers`` processes; 1: in this process), yielding
    outcomes as they finish, with a progress bar on a terminal."""
    workers = max(1, min(workers or default_jobs(), len(jobs) or 1))
    show = sys.stderr.isatty() if progress is None else progress
    bar = _Progress(len(jobs), label) if show and len(jobs) > 1 else None
    try:
        if workers == 1:
            for job in jobs:
                outcome = worker(job)
                if bar:
                    bar.advance()
                yield outcome
        else:
            chunk = max(1, min(64, len(jobs) // (workers * 8) or 1))
            # workers ignore Ctrl-C: the parent stops handing out work and lets the running
            # files finish their (atomic) writes
            with ProcessPoolExecutor(max_workers=workers, initializer=_ignore_interrupts) as pool:
                try:
                    for outcome in pool.map(worker, jobs, chunksize=chunk):
                        if bar:
                            bar.advance()
                        yield outcome
                except BaseException:
                    pool.shutdown(wait=True, cancel_futures=True)
                    raise
    finally:
        if bar:
            bar.close()


def _ignore_interrupts() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


class _Progress:
    """A rich progress bar on standard error (only on a terminal)."""

    def __init__(self, total: int, label: str):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        self._p = Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                           TimeRemainingColumn(), console=Console(stderr=True), transient=True)
        self._p.start()
        self._task = self._p.add_task(label, total=total)

    def advance(self) -> None:
        self._p.advance(self._task)

    def close(self) -> None:
        self._p.stop()


def summary(done: int, failed: int, seconds: float) -> str:
    return f"完成 {done} 个，失败 {failed} 个，用时 {seconds:.1f} 秒"


def timed() -> Callable[[], float]:
    t0 = time.perf_counter()
    return lambda: time.perf_counter() - t0


# --- workers (module level, so worker processes can receive them) ------------------------

def _guard(job: Job, work: Callable[[], Outcome]) -> Outcome:
    from .errors import ReportgenError

    try:
        return work()
    except ReportgenError as e:
        if job.options.get("debug"):
            raise
        return Outcome(job.path, False, e.exit_code, [str(e)])
    except KeyboardInterrupt:
        raise
    except RecursionError:
        return Outcome(job.path, False, 2, [f"{job.path}: 输入嵌套过深，无法处理"])
    except Exception as e:  # noqa: BLE001 - one bad file must not stop the batch
        if job.options.get("debug"):
            raise
        return Outcome(job.path, False, 3, [f"{job.path}: 内部错误（internal error）：{type(e).__name__}: {e}"])


def render_worker(job: Job) -> Outcome:
    def work() -> Outcome:
        from .render import render_file

        o = job.options
        loaded, paths = render_file(job.path, job.out_dir, o.get("formats"), o.get("template_dirs", ()),
                                    o.get("script"), o.get("config"), o.get("reference_doc"))
        return Outcome(job.path, True, 0, [str(w) for w in loaded.warnings], [str(p) for p in paths.values()])

    return _guard(job, work)


def parse_worker(job: Job) -> Outcome:
    def work() -> Outcome:
        from .fsutil import write_atomic
        from .parse import data_yaml, parse_file

        o = job.options
        result = parse_file(job.path, o.get("fmt"), o.get("keep_script", False))
        text = data_yaml(result, job.path)
        messages = [str(w) for w in result.warnings]
        written = []
        if o.get("stdout"):
            payload = text
        else:
            target = Path(o["single_file"]) if o.get("single_file") else \
                Path(job.out_dir or Path(job.path).parent) / (Path(job.path).stem + ".yaml")
            if target.resolve() == Path(job.path).resolve():
                from .errors import OutputError
                raise OutputError("输出文件与输入文件相同，已拒绝覆盖", str(target))
            write_atomic(target, text.encode("utf-8"))
            written.append(str(target))
            payload = None
        failed = o.get("strict") and (result.warnings or not result.valid)
        if failed:
            messages.append(f"{job.path}: --strict：有 {len(result.warnings)} 条警告")
        return Outcome(job.path, not failed, 1 if failed else 0, messages, written, payload)

    return _guard(job, work)


def check_worker(job: Job) -> Outcome:
    def work() -> Outcome:
        from .check import SEVERITIES, check_file

        o = job.options
        result = check_file(job.path, o.get("previous"), o.get("unit"), o.get("fmt"))
        fail_on = SEVERITIES.index(o.get("fail_on", "error"))
        worst = result.worst()
        code = 2 if not result.readable else 1 if worst and SEVERITIES.index(worst) >= fail_on else 0
        return Outcome(job.path, code == 0, code, [], [], result)

    return _guard(job, work)
