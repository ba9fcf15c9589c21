"""Many inputs at once: expanding files, directories and globs, planning every output before
anything runs, running the work in parallel worker processes, a progress bar on a terminal,
and a summary.

Each job is a picklable ``Job`` handed to a module-level worker that its command's module
defines (``render.render_worker`` …, wrapped in ``guarded``); workers return an ``Outcome``
(never raise: a failure is reported and the batch goes on). This module knows no command. Outputs mirror the
input tree under ``-o``; ``plan`` refuses, before any work, outputs that two inputs would
write or that are inputs themselves. Every write goes through ``outputs.commit`` (all of an
input's outputs or none, signals held off while writing).

Signals: the parent turns SIGTERM and SIGHUP into an interruption like Ctrl-C; when it stops,
for any reason, it kills its workers. A worker dies at once on any of these signals (its
writes are never half done: they hold signals off), and on Linux it dies with its parent
even if the parent was killed outright (``PR_SET_PDEATHSIG``).
"""
from __future__ import annotations

import ctypes
import glob
import multiprocessing
import os
import signal
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from . import outputs
from .errors import Interrupted, OutputError, ReportgenError, UsageError, display_name
from .outputs import collisions
from .resources import CONFIG_NAME, REFERENCE_NAME



class WorkerLost(ReportgenError):
    """A worker process died outright (killed from outside)."""


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
    findings: bool = False                               # finished, with problems reported (check)
    reused: bool = False                                 # parse --table: rows taken from the cache


def expand(args: Iterable[str], suffixes: tuple[str, ...], skip: tuple[str, ...] = (CONFIG_NAME, REFERENCE_NAME)
           ) -> list[tuple[str, str | None]]:
    """(file, its root) for every input: a file as given; a directory searched recursively for
    ``suffixes`` (root: the directory, so outputs can mirror the tree); a glob pattern. Files
    named as in ``skip`` (an agency profile, its Word styles) are no inputs."""
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
                           if p.is_file() and p.suffix.lower() in suffixes and p.name not in skip
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
                if os.path.isfile(m) and Path(m).name not in skip:
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


def plan(jobs: list[Job], targets: Callable[[Job], list[Path]], inputs: Iterable[str], force: bool) -> list[str]:
    """Check every job's outputs before anything runs: none may be an input of the command,
    and no two inputs may write the same file (with ``force`` the later input wins: the earlier
    job's ``options["only"]`` leaves it out). Raises ``OutputError``; returns notices."""
    plans = [(job.path, targets(job)) for job in jobs]
    given = {os.path.realpath(p) for p in inputs}
    clash = [t for _, ts in plans for t in ts if os.path.realpath(t) in given]
    if clash:
        raise OutputError("输出文件就是本次的输入文件，拒绝覆盖输入；已停止，没有写出任何文件：" + "、".join(display_name(t) for t in clash[:5]))
    kept, notices = collisions(plans, force)
    for job, (_, before), (_, after) in zip(jobs, plans, kept):
        if len(after) != len(before):
            job.options = {**job.options, "only": [str(t) for t in after]}
    return notices


def run(jobs: list[Job], worker: Callable[[Job], Outcome], workers: int | None = None,
        label: str = "处理", progress: bool | None = None, scheduler=None) -> Iterator[Outcome]:
    """Run ``worker`` over ``jobs`` (in ``workers`` processes; 1: in this process; with
    ``scheduler``, on Dask distributed), yielding outcomes as they finish, with a progress bar
    on a terminal."""
    workers = max(1, min(workers or default_jobs(), len(jobs) or 1))
    show = sys.stderr.isatty() if progress is None else progress
    bar = _Progress(len(jobs), label) if show and len(jobs) > 1 else None
    try:
        if scheduler is not None:
            from .distributed_run import run_distributed
            yield from run_distributed(jobs, worker, scheduler, bar.advance if bar else None)
        elif workers == 1:
            for job in jobs:
                _stop_if_interrupted()
                outcome = worker(job)
                if bar:
                    bar.advance()
                yield outcome
        else:
            chunk = max(1, min(64, len(jobs) // (workers * 8) or 1))
            context = _Context()
            pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_start,
                                       initargs=(os.getpid(),))
            try:
                for outcome in pool.map(worker, jobs, chunksize=chunk):
                    _stop_if_interrupted()
                    if bar:
                        bar.advance()
                    yield outcome
            except BrokenProcessPool:
                context.stop_workers()
                # A worker was killed. If a signal killed it, the same signal is on its way to this
                # process (sent to the group), or came and its exception was swallowed (a fork hook
                # runs in this process too): give it the moment to say so.
                deadline = time.monotonic() + 0.5
                while Interrupted.received() is None and time.monotonic() < deadline:
                    time.sleep(0.02)
                if Interrupted.received() is not None:
                    raise Interrupted.received() from None
                raise WorkerLost("工作进程意外退出（可能被系统终止，如内存不足），已停止；已完成的文件都已完整写出") from None
            except BaseException:
                context.stop_workers()
                raise
            finally:
                if Interrupted.received() is not None:  # however this ends, no worker outlives it
                    context.stop_workers()
                pool.shutdown(wait=True, cancel_futures=True)
    finally:
        if bar:
            bar.close()


def _stop_if_interrupted() -> None:
    """Raise the interruption whose exception Python swallowed (see ``errors.Interrupted``)."""
    missed = Interrupted.received()
    if missed is not None:
        raise missed


class _Context:
    """The multiprocessing context the pool starts its workers from, keeping every process it
    makes: a worker the pool has not yet recorded (a signal can strike between its start and
    the record) is still stopped by ``stop_workers``."""

    def __init__(self):
        methods = multiprocessing.get_all_start_methods()
        self._ctx = multiprocessing.get_context("fork" if "fork" in methods and sys.platform == "linux" else None)
        self.started: list = []

    def __getattr__(self, name):
        return getattr(self._ctx, name)

    def Process(self, *args, **kwargs):  # noqa: N802 - multiprocessing's name
        process = self._ctx.Process(*args, **kwargs)
        self.started.append(process)
        return process

    def stop_workers(self) -> None:
        for process in self.started:
            try:
                if process.is_alive():
                    process.terminate()
            except (OSError, ValueError, AssertionError):
                pass


def _worker_start(parent: int) -> None:
    """A worker: gone with its parent (Linux), and gone at once on SIGINT, SIGTERM or SIGHUP.
    Leaving at once is safe: writes hold signals off until they are complete."""
    if sys.platform == "linux":
        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
        if os.getppid() != parent:  # the parent died before the line above
            os._exit(1)
    if Interrupted.received() is not None:  # the parent was interrupted before this worker began
        os._exit(Interrupted.received().exit_code)

    def leave(signum, _frame):
        os._exit(128 + signum)

    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), leave)
    outputs.reset_after_fork()


class _Progress:
    """A rich progress bar on standard error (only on a terminal; rich is imported then)."""

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


def summary(done: int, findings: int, failed: int, seconds: float) -> str:
    """The batch's last line: files done (those with problems found counted apart from those
    that could not be done at all)."""
    problems = f"（其中 {findings} 个有问题）" if findings else ""
    return f"完成 {done} 个{problems}，失败 {failed} 个，用时 {seconds:.1f} 秒"


def timed() -> Callable[[], float]:
    t0 = time.perf_counter()
    return lambda: time.perf_counter() - t0


# --- running one job -------------------------------------------------------------------

def guarded(job: Job, work: Callable[[], Outcome]) -> Outcome:
    """Run one job's ``work`` in a worker: a ReportgenError becomes a failed Outcome with its
    message (the batch goes on), anything else an internal error (a traceback with --debug)."""
    try:
        return work()
    except ReportgenError as e:
        if job.options.get("debug"):
            raise
        return Outcome(job.path, False, e.exit_code, [str(e)])
    except KeyboardInterrupt:
        raise
    except RecursionError:
        return Outcome(job.path, False, 2, [f"{display_name(job.path)}: 输入嵌套过深，无法处理"])
    except Exception as e:  # noqa: BLE001 - one bad file must not stop the batch
        if job.options.get("debug"):
            raise
        return Outcome(job.path, False, 3, [f"{display_name(job.path)}: 内部错误（internal error）：{type(e).__name__}: {e}"])
