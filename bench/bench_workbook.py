"""The 填报 workbook (run: python bench/bench_workbook.py [--seconds S]).

One process, one core, after a warm-up: ms to write the workbook of a data file (openpyxl, in
memory) and to read a filled one back into data (openpyxl), for the 2021 and 2019 examples.
Targets (issue #13): reading a filled workbook ≤ 50 ms, writing one ≤ 100 ms.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
from bench_parse import per_report  # noqa: E402 - the one timing loop of the benchmarks


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=2.0)
    args = parser.parse_args()
    from reportgen.loader import read_data_file, load_report
    from reportgen.workbook import write_workbook
    from reportgen.yamlio import load_file

    print("| example | write, median (p90) ms | read, median (p90) ms | read + validate, median ms |")
    print("|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("report-2021.yaml", "seed-004-2019-edition-2020.yaml"):
            source = str(ROOT / "examples" / name)
            data, _ = load_file(source)
            loaded = load_report(source)
            write, write90 = per_report(lambda: write_workbook(data, loaded), args.seconds)
            book = Path(tmp) / (Path(name).stem + ".xlsx")
            book.write_bytes(write_workbook(data, loaded))
            read, read90 = per_report(lambda: read_data_file(str(book)), args.seconds)
            whole, _ = per_report(lambda: load_report(str(book)), args.seconds)
            print(f"| {name} | {write:.1f} ({write90:.1f}) | {read:.1f} ({read90:.1f}) | {whole:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
