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


def distinct_corpus(n: int) -> list[bytes]:
    """``n`` different reports as txt: the examples with every table number scaled (which keeps
    every sum rule), their own agency names and narrative lines, and every fourth in zh-TW, so
    no line or number sequence repeats from one report to the next as it would in a loop."""
    import copy
    import random

    from reportgen.loader import validate_data
    from reportgen.render import render_loaded
    from reportgen.yamlio import load_yaml

    rng = random.Random(20260101)
    bases = []
    for name in ("report-2021.yaml", "seed-004-2019-edition-2020.yaml", "seed-000-freeform-2011.yaml",
                 "seed-002-freeform-2010.yaml"):
        path = ROOT / "examples" / name
        bases.append(load_yaml(path.read_text("utf-8"), str(path))[0])

    def scaled(value, k):
        if isinstance(value, dict):
            return {key: scaled(v, k) for key, v in value.items()}
        if isinstance(value, int) and not isinstance(value, bool):
            return value * k
        return value

    def marked(value, i):
        if isinstance(value, str) and len(value) > 20:
            return value.replace("\n", f"（{i}）\n")
        if isinstance(value, dict):
            return {key: marked(v, i) for key, v in value.items()}
        if isinstance(value, list):
            return [marked(v, i) for v in value]
        return value

    out = []
    for i in range(n):
        data = copy.deepcopy(bases[i % len(bases)])
        data["机关名称"] = f"第{i}号县财政局" if i % 2 else data["机关名称"]
        data.pop("标题", None)
        k = rng.randint(1, 9)
        for key in ("主动公开政府信息情况", "收到和处理政府信息公开申请情况", "政府信息公开行政复议、行政诉讼情况"):
            if key in data:
                data[key] = scaled(data[key], k)
        data = marked(data, i)
        script = "zh-TW" if i % 4 == 3 else None
        out.append(render_loaded(validate_data(data), ["txt"], script=script)["txt"])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--distinct", type=int, default=400, help="distinct reports for the once-each throughput")
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
    print(f"txt throughput over {len(corpus)} reports (mixed, repeated): {rate:7.0f} reports/s  ({1000 / rate:.2f} ms each)")

    distinct = distinct_corpus(args.distinct)
    t0 = time.perf_counter()
    for blob in distinct:
        parse_bytes(blob, "txt")
    rate = len(distinct) / (time.perf_counter() - t0)
    print(f"txt throughput over {len(distinct)} distinct reports, each parsed once: {rate:7.0f} reports/s  "
          f"({1000 / rate:.2f} ms each)")

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
