"""Batch benchmarks (run: python bench/bench_batch.py [--render N] [--check N ...]).

Makes N distinct reports in a temporary directory (the examples with scaled numbers and their
own names and text), then times the real command lines, as a user runs them, on all cores:

* ``reportgen render DIR -o OUT -f docx,txt`` over N data files;
* ``reportgen check DIR`` over N txt reports (each one parsed and checked);
* ``reportgen parse DIR -o OUT`` over the same reports.

Reports wall time and the peak memory of the largest process (parent or worker), so the
memory can be compared as N grows. Targets (issue #6): render 1,000 reports in ≤ 15 s on
2 cores; parse + check 10,000 txt reports in ≤ 20 s; peak memory flat and under 300 MB.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))


def make_data(n: int, target: Path) -> None:
    import copy
    import random

    from reportgen.datafile import dump
    from reportgen.loader import validate_data
    from reportgen.yamlio import load_yaml

    rng = random.Random(1)
    bases = []
    for name in ("report-2021.yaml", "seed-004-2019-edition-2020.yaml", "seed-002-freeform-2010.yaml"):
        path = ROOT / "examples" / name
        bases.append(load_yaml(path.read_text("utf-8"), str(path))[0])

    def scaled(v, k):
        if isinstance(v, dict):
            return {key: scaled(x, k) for key, x in v.items()}
        return v * k if isinstance(v, int) and not isinstance(v, bool) else v

    for i in range(n):
        data = copy.deepcopy(bases[i % len(bases)])
        data["机关名称"] = f"第{i}号单位"
        data.pop("标题", None)
        k = rng.randint(1, 9)
        for key in ("主动公开政府信息情况", "收到和处理政府信息公开申请情况", "政府信息公开行政复议、行政诉讼情况"):
            if key in data:
                data[key] = scaled(data[key], k)
        sub = target / f"d{i // 250:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"u{i:05d}.yaml").write_text(dump(data, validate_data(data).edition), "utf-8")


def make_reports(n: int, target: Path) -> None:
    """N txt reports: distinct ones rendered once, the rest copies with their own agency line."""
    from bench_parse import distinct_corpus

    corpus = distinct_corpus(min(n, 400))
    for i in range(n):
        blob = corpus[i % len(corpus)]
        if i >= len(corpus):
            blob = blob.replace("县财政局".encode(), f"县财政局{i}".encode(), 1)
        sub = target / f"r{i // 500:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"r{i:05d}.txt").write_bytes(blob)


def timed_command(args: list[str]) -> tuple[float, float, int]:
    """(wall seconds, peak RSS of the largest process in MB, exit code)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "reportgen", *args], env=env, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE)
    wall = time.perf_counter() - t0
    peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
    return wall, peak, run.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--render", type=int, nargs="*", default=[1000])
    parser.add_argument("--check", type=int, nargs="*", default=[1000, 10000])
    args = parser.parse_args()
    print(f"cores: {len(os.sched_getaffinity(0))}, Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for n in args.render:
            data = tmp / f"data{n}"
            make_data(n, data)
            wall, peak, code = timed_command(["render", str(data), "-o", str(tmp / f"out{n}"), "-f", "docx,txt"])
            print(f"render {n:6} data files (docx+txt): {wall:6.1f} s wall, {n / wall:6.0f}/s, "
                  f"peak {peak:5.0f} MB, exit {code}")
            shutil.rmtree(tmp / f"out{n}", ignore_errors=True)
        for n in args.check:
            reports = tmp / f"reports{n}"
            make_reports(n, reports)
            wall, peak, code = timed_command(["check", str(reports)])
            print(f"check  {n:6} txt reports (parse + check): {wall:6.1f} s wall, {n / wall:6.0f}/s, "
                  f"peak {peak:5.0f} MB, exit {code}")
            wall, peak, code = timed_command(["parse", str(reports), "-o", str(tmp / f"parsed{n}")])
            print(f"parse  {n:6} txt reports (to data files):  {wall:6.1f} s wall, {n / wall:6.0f}/s, "
                  f"peak {peak:5.0f} MB, exit {code}")
            shutil.rmtree(tmp / f"parsed{n}", ignore_errors=True)


if __name__ == "__main__":
    main()
