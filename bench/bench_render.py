"""Benchmarks for rendering (run: python bench/bench_render.py [--repeat N]).

Measures, in process and after one warm-up: loading+validating the example data file,
composing the Document, writing docx and txt; and, as separate processes, `reportgen --help`.
Then, for every example in examples/: the whole render (load + validate + compose + docx +
txt), in its own script; and the cost of the script conversion (compose in zh-TW minus compose
in zh-Hans, OpenCC already loaded). Prints medians and 90th percentiles in milliseconds.
Targets: docx ≤ 15 ms, txt ≤ 2 ms median, `reportgen --help` ≤ 150 ms (issue #2); script
conversion ≤ 2 ms per report (issue #3); html ≤ 5 ms (issue #5). The PDF step (LibreOffice)
is timed over three runs.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
EXAMPLE = ROOT / "examples" / "report-2021.yaml"


def timed(func, repeat: int) -> tuple[float, float]:
    func()  # warm-up: imports, template compilation, reference docx read
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.9) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1706227200")

    from reportgen.compose import compose
    from reportgen.loader import load_report
    from reportgen.writers.docx import write_docx
    from reportgen.writers.html import write_html
    from reportgen.writers.markdown import write_markdown
    from reportgen.writers.text import write_text

    loaded = load_report(str(EXAMPLE))
    doc = compose(loaded)
    rows = [
        ("load + validate example", lambda: load_report(str(EXAMPLE))),
        ("compose (templates → Document)", lambda: compose(loaded)),
        ("write docx", lambda: write_docx(doc)),
        ("write txt", lambda: write_text(doc)),
        ("render docx (compose + write)", lambda: write_docx(compose(loaded))),
        ("render txt (compose + write)", lambda: write_text(compose(loaded))),
        ("render html (compose + write)", lambda: write_html(compose(loaded))),
        ("render md (compose + write)", lambda: write_markdown(compose(loaded))),
    ]
    print(f"{'step':36} {'median ms':>10} {'p90 ms':>8}   ({args.repeat} runs, Python {sys.version.split()[0]})")
    for name, func in rows:
        med, p90 = timed(func, args.repeat)
        print(f"{name:36} {med:10.2f} {p90:8.2f}")

    print()
    print(f"{'example: load + render docx + txt':36} {'median ms':>10} {'p90 ms':>8}")
    from reportgen.render import render_loaded

    for path in sorted((ROOT / "examples").glob("*.yaml")):
        med, p90 = timed(lambda: render_loaded(load_report(str(path)), ("docx", "txt")), max(args.repeat // 4, 20))
        print(f"{path.name:36} {med:10.2f} {p90:8.2f}")

    print()
    for name in ("report-2021.yaml", "seed-004-2019-edition-2020.yaml"):
        ex = load_report(str(ROOT / "examples" / name))
        base, _ = timed(lambda: compose(ex), args.repeat)
        for script in ("zh-Hant", "zh-TW", "zh-HK"):
            med, p90 = timed(lambda: compose(ex, script=script), args.repeat)
            print(f"{'script ' + script + ' ' + name[:18]:36} {med - base:10.2f} {p90 - base:8.2f}   (added to compose {base:.2f})")

    from reportgen.writers.pdf import soffice, write_pdf

    if soffice():
        samples = []
        for _ in range(3):
            t0 = time.perf_counter()
            write_pdf(doc)
            samples.append((time.perf_counter() - t0) * 1000)
        print(f"\n{'render pdf (docx + LibreOffice)':36} {statistics.median(samples):10.0f} {max(samples):8.0f}   (3 runs)")

    cli = [sys.executable, "-m", "reportgen", "--help"]
    samples = []
    for _ in range(20):
        t0 = time.perf_counter()
        subprocess.run(cli, check=True, capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    print(f"{'reportgen --help (process)':36} {statistics.median(samples):10.2f} {samples[17]:8.2f}")


if __name__ == "__main__":
    main()
