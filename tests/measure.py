"""Run the real ``reportgen`` command in a fresh process and measure it: exit code, output,
wall time and peak memory (the process's own high-water mark, ``VmHWM``, written at its exit). The
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


# The child is a small launcher that sets the limit and runs reportgen in itself, writing at exit
# the peak of its own memory (VmHWM, which counts only this program's pages). ``ru_maxrss`` from
# wait4 would count the forking test process too: Linux carries the pre-exec high-water mark over
# exec, and a pytest-xdist worker with every module loaded is some 250 MB. ru_maxrss stays the
# fallback for a child that dies before it can write.
_LAUNCH = """
import atexit, os, resource, runpy, sys
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
def peak():
    with open('/proc/self/status') as f:
        kb = next((line.split()[1] for line in f if line.startswith('VmHWM:')), None)
    if kb:
        with open(os.environ['REPORTGEN_TEST_PEAK'], 'w') as out:
            out.write(kb)
atexit.register(peak)
sys.argv = ['reportgen', *sys.argv[1:]]
runpy.run_module('reportgen', run_name='__main__', alter_sys=True)
""".format(limit=MEMORY_LIMIT)


def run_measured(args: list[str], cwd: str | None = None, timeout: float = 60, stdin=None) -> Measured:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.TemporaryDirectory() as tmp:
        peak_file = Path(tmp) / "peak"
        env["REPORTGEN_TEST_PEAK"] = str(peak_file)
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
        peak_kb = int(peak_file.read_text()) if peak_file.exists() and peak_file.read_text().isdigit() else usage.ru_maxrss
        return Measured(proc.returncode, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                        seconds, peak_kb / 1024)


def assert_within_budget(m: Measured, what: str) -> None:
    assert m.peak_mb <= BUDGET_MB, f"{what}: peak memory {m.peak_mb:.0f} MB"
    assert m.seconds <= BUDGET_SECONDS, f"{what}: {m.seconds:.1f} s"
