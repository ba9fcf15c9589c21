"""``reportgen aggregate`` benchmark (run: python bench/bench_aggregate.py [-n 2000] [-j N] [--xlsx K]).

Generates N distinct unit data files in a temporary directory — the 2021-edition example with
its own name and random numbers in every statutory table that keep every 勾稽 rule (办理结果
drawn, 上年结转/本年新收/结转下年度 derived per column so 一+二 = 三（七）+四), some with their
totals written and some leaving them to be derived, a random 信息处理费 — then times the real
command line as a clerk runs it, in a fresh process:

    reportgen aggregate DIR -o 汇总.yaml --agency 云溪市人民政府

and reports the wall time, the CPU time of all its processes, the peak RSS of the largest
process (parent or worker, from ``RUSAGE_CHILDREN``) and of all of them together (sampled from
``/proc`` every 20 ms). Target (issue #18, item 11): 2,000 units in < 5 s and < 200 MB.

Measured on the 2-core development machine when no other work ran, 2,000 units (3 runs, best
and median wall time; peak RSS of the largest process, and of all processes together):

* before (every unit loaded and kept, then summed; the YAML reader also kept every node it
  had read): 13.9 / 15.6 s, 529 MB;
* after, default (one worker per core, units streamed): 2.4 / 2.5 s, 61 MB largest process,
  140 MB parent and two workers together;
* after, ``-j 1`` (one process): 3.9 / 4.1 s, 62 MB.

``python bench/bench_aggregate.py --src DIR`` runs another copy of the sources (e.g. ``git
archive main src | tar -x -C DIR``, then ``--src DIR/src``) on the same units for a
before/after comparison; ``--units DIR`` keeps the generated units between runs.
"""
from __future__ import annotations

import argparse
import copy
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

APPLICANTS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")


def random_cells(spec, rng: random.Random) -> dict:
    """Detail cells of one table that satisfy every rule (totals left to be derived)."""
    cells = {}
    for _, field in spec.fields():
        if field.optional:
            continue
        if field.kind in ("money", "amount"):
            cells[field.cell] = Decimal(rng.randint(0, 99999)) / 100
        else:
            cells[field.cell] = rng.choice((0, 0, 0, rng.randint(0, 9), rng.randint(0, 400)))
    if spec.name == "applications":  # the official rule: 本年新收 + 上年结转 = 办理结果总计 + 结转下年度
        for col in APPLICANTS:
            done = sum(v for (r, c), v in cells.items() if c == col and r.startswith("办理结果."))
            carried = rng.randint(0, done // 4 + 2)
            left = rng.randint(0, done // 5 + 2)
            cells[("上年结转", col)] = min(carried, done + left)
            cells[("结转下年度", col)] = left
            cells[("本年新收", col)] = done + left - cells[("上年结转", col)]
    return cells


def random_unit(base: dict, i: int, rng: random.Random) -> dict:
    """The example with unit ``i``'s name and random numbers."""
    from reportgen.editions import EDITIONS
    from reportgen.rules import resolve

    edition = EDITIONS["2021"]
    data = copy.deepcopy(base)
    name = f"云溪市第{i}号单位"
    data["机关名称"] = name
    data["发布信息"]["发布机构"] = name
    data["落款"] = [name, data["落款"][1]]
    data.pop("标题", None)
    for spec in edition.tables:
        cells = random_cells(spec, rng)
        if i % 2:  # half the units write their totals (which must then agree), half leave them out
            cells, findings = resolve(spec, cells)
            assert not findings, findings
        table = spec.data_from_cells(cells)
        data[spec.key] = _drop_none(table)
    fees = data["其他需要报告的事项"]["信息处理费"]
    fees["收费通知件数"] = rng.choice((0, 0, rng.randint(1, 5)))
    fees["收费金额"] = Decimal(rng.randint(0, 90000)) / 100 if fees["收费通知件数"] else 0
    return data


def _drop_none(d):
    return {k: _drop_none(v) for k, v in d.items() if v is not None} if isinstance(d, dict) else d


def make_units(n: int, target: Path, seed: int = 1, xlsx: int = 0) -> list[Path]:
    """N valid unit files under ``target`` (in subdirectories of 500); the first ``xlsx`` of them
    as workbooks (``reportgen workbook`` filled in), the rest as YAML data files."""
    from reportgen.datafile import dump
    from reportgen.editions import EDITIONS
    from reportgen.yamlio import load_yaml

    example = ROOT / "examples" / "report-2021.yaml"
    base = load_yaml(example.read_text("utf-8"), str(example))[0]
    edition = EDITIONS["2021"]
    rng = random.Random(seed)
    paths = []
    for i in range(n):
        data = random_unit(base, i, rng)
        sub = target / f"d{i // 500:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        if i < xlsx:
            from reportgen.loader import validate_data
            from reportgen.workbook import write_workbook

            path = sub / f"u{i:05d}.xlsx"
            path.write_bytes(write_workbook(data, validate_data(data)))
        else:
            path = sub / f"u{i:05d}.yaml"
            path.write_text(dump(data, edition), "utf-8")
        paths.append(path)
    return paths


def _tree_rss(root: int) -> int:
    """The resident memory of a process and all its descendants now, in KB (from /proc)."""
    parents, rss = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/statm") as f:
                pages = int(f.read().split()[1])
        except (OSError, IndexError, ValueError):
            continue
        parents[int(entry)] = int(fields[1])
        rss[int(entry)] = pages * os.sysconf("SC_PAGE_SIZE") // 1024
    total = 0
    for pid in rss:
        p = pid
        while p > 1 and p != root:
            p = parents.get(p, 0)
        if p == root:
            total += rss[pid]
    return total


def timed_command(args: list[str], src: Path) -> tuple[float, float, float, float, int, str]:
    """(wall s, CPU s of all its processes, peak RSS of the largest process in MB, peak RSS of
    all its processes together in MB (sampled every 20 ms), exit code, stderr) of a fresh
    ``reportgen`` process run on the sources in ``src``."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "reportgen", *args], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    peak_tree = 0
    while proc.poll() is None:
        peak_tree = max(peak_tree, _tree_rss(proc.pid))
        time.sleep(0.02)
    wall = time.perf_counter() - t0
    err = proc.stderr.read()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return wall, cpu, after.ru_maxrss / 1024, peak_tree / 1024, proc.returncode, err


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=2000, help="units (default 2000)")
    parser.add_argument("-j", "--jobs", type=int, default=None, help="passed on to reportgen aggregate -j")
    parser.add_argument("--xlsx", type=int, default=0, help="how many of the units are workbooks")
    parser.add_argument("--repeat", type=int, default=3, help="runs (the best and the median are shown)")
    parser.add_argument("--src", type=Path, default=ROOT / "src",
                        help="the reportgen sources to run (e.g. an export of the code before the change)")
    parser.add_argument("--units", type=Path, help="use (or make, if missing) the units in this directory")
    args = parser.parse_args()
    print(f"cores: {len(os.sched_getaffinity(0))}, Python {sys.version.split()[0]}, sources: {args.src}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        units = args.units or tmp / "units"
        if not units.exists():
            t0 = time.perf_counter()
            make_units(args.n, units, xlsx=args.xlsx)
            print(f"generated {args.n} units ({args.xlsx} workbooks) in {time.perf_counter() - t0:.1f} s")
        n = sum(1 for p in units.rglob("*") if p.suffix in (".yaml", ".xlsx"))
        command = ["aggregate", str(units), "-o", str(tmp / "汇总.yaml"), "--agency", "云溪市人民政府", "--force"]
        if args.jobs is not None:
            command += ["-j", str(args.jobs)]
        runs = []
        for _ in range(args.repeat):
            wall, cpu, peak, tree, code, err = timed_command(command, args.src)
            runs.append((wall, cpu, peak, tree))
            print(f"aggregate {n} units: {wall:5.2f} s wall ({wall / n * 1000:4.2f} ms/unit), {cpu:5.2f} s CPU, "
                  f"peak RSS {peak:4.0f} MB (largest process), {tree:4.0f} MB (all processes), exit {code}")
            if code:
                print(err[-3000:], file=sys.stderr)
                sys.exit(1)
        walls = sorted(r[0] for r in runs)
        print(f"best {walls[0]:.2f} s, median {walls[len(walls) // 2]:.2f} s wall; "
              f"peak {max(r[2] for r in runs):.0f} MB largest process, {max(r[3] for r in runs):.0f} MB all processes")


if __name__ == "__main__":
    main()
