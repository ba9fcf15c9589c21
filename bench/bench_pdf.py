"""Reading PDF reports (run: python bench/bench_pdf.py [--seconds S] [--check N] [--compare]).

* ms per report, one process on one core after a warm-up, for the real published PDF of the
  corpus (淮安市人民政府 2024, 6 pages) and for the PDFs LibreOffice makes of the 2021 and 2019
  examples: the whole ``parse`` (PDFium, geometry, extraction, validation) and PDFium alone;
* ``reportgen check`` of N PDF reports (default 1,000: copies of those PDFs, each a file of its
  own) on 2 cores, the real command line, wall time;
* ``--compare``: the same text-layer reading with pdfplumber (words and ruling lines), where it
  is installed, to show why PDFium was chosen.
Targets (issue #12): ≤ 60 ms a PDF report on one core; check of 1,000 PDF reports ≤ 60 s on 2 cores.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
from bench_parse import per_report  # noqa: E402 - the one timing loop of the benchmarks
REAL = ROOT / "tests" / "fixtures" / "corpus" / "052_huaian-city-2024.pdf"


def pdfs(work: Path) -> dict[str, bytes]:
    """The PDFs measured: the real one, and ours made by LibreOffice where it is installed."""
    out = {"real: 淮安市 2024 (6 pages, published)": REAL.read_bytes()}
    from reportgen.office import soffice

    if soffice():
        from reportgen.loader import load_report
        from reportgen.render import render_loaded

        for name in ("report-2021.yaml", "seed-004-2019-edition-2020.yaml"):
            pdf = render_loaded(load_report(str(ROOT / "examples" / name)), ["pdf"])["pdf"]
            (work / (Path(name).stem + ".pdf")).write_bytes(pdf)
            out[f"ours: {name} through LibreOffice"] = pdf
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--check", type=int, default=1000, help="PDF reports for the check batch (0: skip)")
    parser.add_argument("--compare", action="store_true", help="time pdfplumber on the same files")
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from reportgen.readers.pdfpage import read_pages
    from reportgen.reading import parse_bytes

    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as tmp:
        work = Path(tmp)
        files = pdfs(work)
        print("| PDF | parse, median (p90) ms | PDFium alone, median ms |")
        print("|---|---|---|")
        for name, raw in files.items():
            whole, p90 = per_report(lambda raw=raw: parse_bytes(raw, "pdf", "bench.pdf"), args.seconds)
            pdfium, _ = per_report(lambda raw=raw: read_pages(raw, None), args.seconds / 2)
            print(f"| {name} | {whole:.1f} ({p90:.1f}) | {pdfium:.1f} |")
        if args.compare:
            compare(files, args.seconds)
        if args.check:
            batch = work / "batch"
            batch.mkdir()
            sources = list(files.values())
            for i in range(args.check):
                (batch / f"report-{i:05d}.pdf").write_bytes(sources[i % len(sources)])
            exe = shutil.which("reportgen") or sys.executable
            cmd = [exe, "check", str(batch), "-j", "2", "--json"] if exe.endswith("reportgen") else \
                [exe, "-m", "reportgen", "check", str(batch), "-j", "2", "--json"]
            t0 = time.perf_counter()
            done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            wall = time.perf_counter() - t0
            print(f"\ncheck {args.check} PDF reports on 2 cores: {wall:.1f} s ({args.check / wall:.0f}/s), "
                  f"exit {done.returncode}")
    return 0


def compare(files: dict[str, bytes], seconds: float) -> None:
    try:
        import pdfplumber
    except ImportError:
        print("\n(pdfplumber is not installed: pip install pdfplumber to compare)")
        return
    import io

    def plumber(raw: bytes) -> None:
        with pdfplumber.open(io.BytesIO(raw)) as pdf:
            for page in pdf.pages:
                page.extract_words()
                _ = page.lines, page.rects

    print("\n| PDF | pdfplumber words + lines + rects, median ms |")
    print("|---|---|")
    for name, raw in files.items():
        median, _ = per_report(lambda raw=raw: plumber(raw), seconds)
        print(f"| {name} | {median:.0f} |")


if __name__ == "__main__":
    sys.exit(main())
