"""Run the real ``reportgen`` command in a fresh process and measure it: exit code, output,
wall time and peak memory (``ru_maxrss`` of that process alone, from ``os.wait4``). The
process gets an address-space limit, so a regression fails the test instead of the machine."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MEMORY_LIMIT = 2 * 1024 ** 3   # the child's address space: far above the 500 MB budget asserted
BUDGET_MB = 500
BUDGET_SECONDS = 10


@dataclass
class Measured:
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


# The limit is set by a small launcher that then becomes reportgen (exec): forking the test
# process itself (a preexec_fn) would copy its pages, and ``ru_maxrss``, kept across exec, would
# count the test process's size (which grows with a pytest-xdist worker's loaded modules).
_LAUNCH = ("import os, resource, sys; resource.setrlimit(resource.RLIMIT_AS, ({0}, {0})); "
           "os.execv(sys.executable, [sys.executable, '-m', 'reportgen', *sys.argv[1:]])").format(MEMORY_LIMIT)


def run_measured(args: list[str], cwd: str | None = None, timeout: float = 60, stdin=None) -> Measured:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-c", _LAUNCH, *map(str, args)], stdout=out, stderr=err,
                                stdin=stdin if stdin is not None else subprocess.DEVNULL, cwd=cwd, env=env)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - t0
        out.seek(0)
        err.seek(0)
        return Measured(proc.returncode, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                        seconds, usage.ru_maxrss / 1024)


def assert_within_budget(m: Measured, what: str) -> None:
    assert m.peak_mb <= BUDGET_MB, f"{what}: peak memory {m.peak_mb:.0f} MB"
    assert m.seconds <= BUDGET_SECONDS, f"{what}: {m.seconds:.1f} s"
