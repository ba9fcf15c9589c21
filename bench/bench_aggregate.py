"""``reportgen aggregate`` benchmark (run: python bench/bench_aggregate.py [-n 2000] [-j N] [--xlsx K]).

Generates N distinct unit data files in a temporary directory — the 2021-edition example with
its own name and random numbers in every statutory table that keep every 勾稽 rule (办理结果
drawn, 上年结转/本年新收/结转下年度 derived per column so 一+二 = 三（七）+四), some with their
totals written and some leaving them to be derived, a random 信息处理费 — then times the real
command line as a clerk runs it, in a fresh process:

    reportgen aggregate DIR -o 汇总.yaml --agency 云溪市人民政府

and reports the wall time and the peak RSS of the largest process (parent or worker), from
``RUSAGE_CHILDREN``. Target (issue #18, item 11): 2,000 units in < 5 s and < 200 MB.

Measured on the 2-core development machine (shared), 2,000 units:

* before (every unit loaded and kept, then summed): 11.9 s wall, 489 MB peak;
* after (units streamed, summed as read, one worker per core): see the report of the change.
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


def timed_command(args: list[str]) -> tuple[float, float, int, str]:
    """(wall seconds, peak RSS of the largest process in MB, exit code, stderr) of a fresh
    ``reportgen`` process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    code = ("import resource, subprocess, sys, time\n"
            "t0 = time.perf_counter()\n"
            "run = subprocess.run([sys.executable, '-m', 'reportgen', *sys.argv[1:]], stdout=subprocess.DEVNULL,"
            " stderr=subprocess.PIPE, text=True)\n"
            "wall = time.perf_counter() - t0\n"
            "print(wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, run.returncode)\n"
            "sys.stderr.write(run.stderr)\n")
    # a fresh intermediate process, so RUSAGE_CHILDREN holds this run's processes only
    run = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True)
    wall, peak, rc = run.stdout.split()
    return float(wall), float(peak), int(rc), run.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=2000, help="units (default 2000)")
    parser.add_argument("-j", "--jobs", type=int, default=None, help="passed on to reportgen aggregate -j")
    parser.add_argument("--xlsx", type=int, default=0, help="how many of the units are workbooks")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    print(f"cores: {len(os.sched_getaffinity(0))}, Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        t0 = time.perf_counter()
        make_units(args.n, tmp / "units", xlsx=args.xlsx)
        print(f"generated {args.n} units ({args.xlsx} workbooks) in {time.perf_counter() - t0:.1f} s")
        command = ["aggregate", str(tmp / "units"), "-o", str(tmp / "汇总.yaml"), "--agency", "云溪市人民政府",
                   "--force"]
        if args.jobs is not None:
            command += ["-j", str(args.jobs)]
        for _ in range(args.repeat):
            wall, peak, code, err = timed_command(command)
            print(f"aggregate {args.n} units: {wall:5.2f} s wall, {wall / args.n * 1000:5.2f} ms/unit, "
                  f"peak {peak:4.0f} MB, exit {code}")
            if code:
                print(err[-2000:], file=sys.stderr)


if __name__ == "__main__":
    main()
