"""Benchmarks for parse (run: python bench/bench_parse.py [--seconds S]).

In one process on one core, after a warm-up:
* txt throughput in reports/s over a corpus of every example rendered as txt (2021, 2019,
  free-form, Traditional), the five seeds as published and the real-shape fixtures;
* ms per report for the 2021 example as txt, docx and html (our own output), and for the
  published shapes (pipe rows, cell per line, PDF text, HTML with spans, hand-drawn Word).
Targets (issue #4): txt ≥ 500 reports/s, docx ≤ 15 ms, html ≤ 5 ms per report.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def per_report(func, seconds: float) -> tuple[float, float]:
    func()
    samples = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end or len(samples) < 20:
        t0 = time.perf_counter()
        func()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.9) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=2.0)
    args = parser.parse_args()

    from reportgen.loader import load_report
    from reportgen.parse import parse_bytes
    from reportgen.render import render_loaded

    corpus: list[tuple[str, bytes]] = []
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        corpus.append((path.name, render_loaded(load_report(str(path)), ["txt"])["txt"]))
    example = load_report(str(ROOT / "examples" / "report-2021.yaml"))
    corpus.append(("report-2021 zh-TW", render_loaded(example, ["txt"], script="zh-TW")["txt"]))
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        corpus.append((path.name, path.read_bytes()))
    shapes = ROOT / "tests" / "fixtures" / "shapes"
    for path in sorted(shapes.glob("*.txt")):
        corpus.append((path.name, path.read_bytes()))

    for _, blob in corpus:
        parse_bytes(blob, "txt")
    n = 0
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < args.seconds * 2:
        for _, blob in corpus:
            parse_bytes(blob, "txt")
            n += 1
    rate = n / (time.perf_counter() - t0)
    print(f"txt throughput over {len(corpus)} reports (mixed): {rate:7.0f} reports/s  ({1000 / rate:.2f} ms each)")

    print(f"\n{'report':44} {'median ms':>10} {'p90 ms':>8}")
    for name, blob in corpus:
        med, p90 = per_report(lambda: parse_bytes(blob, "txt"), args.seconds / 4)
        print(f"{'txt  ' + name:44} {med:10.2f} {p90:8.2f}")
    own = render_loaded(example, ["docx", "html"])
    for fmt in ("docx", "html"):
        med, p90 = per_report(lambda: parse_bytes(own[fmt], fmt), args.seconds)
        print(f"{fmt + '  report-2021 (own output)':44} {med:10.2f} {p90:8.2f}")
    for name in ("spans.html", "hand-drawn.docx"):
        blob = (shapes / name).read_bytes()
        fmt = name.rsplit(".", 1)[1]
        med, p90 = per_report(lambda: parse_bytes(blob, fmt), args.seconds)
        print(f"{fmt + '  ' + name:44} {med:10.2f} {p90:8.2f}")


if __name__ == "__main__":
    main()
