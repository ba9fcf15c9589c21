"""Seconds a scanned page takes to read by OCR (issue 19's target: ≤ 4 s a page on one core).

    taskset -c 0 python bench/bench_ocr.py [FILE.pdf …] [--seed 0 --n 2] [--profile 25]

Times ``readers.ocr.read_page`` on every page of the given image-only PDFs, or, given none, of the
scans ``bench/shapes`` makes of generated reports (``--seed``, ``--n`` reports of each edition) and
of the corpus PDF. The OCR engine is loaded (and warmed on one page) before timing, since a batch
pays that once. ``--profile N`` prints the N costliest functions (cumulative) under cProfile.
Run it under ``taskset -c 0`` to measure one core.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
try:  # the reader measured is the one importable (PYTHONPATH=OTHER/src measures that checkout)
    import reportgen  # noqa: F401
except ImportError:
    sys.path.append(str(ROOT / "src"))


def _generated(seed: int, n: int) -> list[tuple[str, bytes]]:
    """Scans of generated reports (2021 and 2019 editions) and of the corpus PDF."""
    from shapes import converters, data, layouts
    out = []
    for s in range(seed, seed + n):
        for edition in ("2021", "2019"):
            report = data.report(s, edition)
            pdf = layouts.pdf(report, data.variant(s, edition, tuple(layouts.LAYOUTS)))
            out.append((f"{edition}-{s}.scan", converters.scan(pdf, s)[1]))
    corpus = ROOT.parent / "shared" / "corpus" / "files"
    for path in sorted(corpus.glob("*.pdf")) if corpus.is_dir() else ():
        out.append((path.name + ".scan", converters.scan(path.read_bytes(), seed)[1]))
    return out


def _pages(blob: bytes):
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(blob)
    for i in range(len(doc)):
        page = doc[i]
        yield i + 1, page, page.get_size()[1]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("files", nargs="*")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--n", type=int, default=1)
    p.add_argument("--profile", type=int, default=0, metavar="N")
    args = p.parse_args()
    from reportgen.readers import ocr
    if not ocr.available():
        sys.exit("the ocr extra is not installed")
    print(f"reader: {Path(reportgen.__file__).parent}")
    blobs = [(f, Path(f).read_bytes()) for f in args.files] if args.files else _generated(args.seed, args.n)
    warm = next(_pages(blobs[0][1]))
    ocr.read_page(warm[1], warm[2])  # the engine loaded before timing
    prof = cProfile.Profile() if args.profile else None
    times, cpu = [], []
    for name, blob in blobs:
        for number, page, height in _pages(blob):
            start, start_cpu = time.perf_counter(), time.process_time()
            if prof:
                prof.enable()
            glyphs, rules = ocr.read_page(page, height)
            if prof:
                prof.disable()
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
            print(f"{name} p{number}: {times[-1]:.2f} s, CPU {cpu[-1]:.2f} s  ({len(glyphs)} glyphs, {len(rules)} rules)", flush=True)
    print(f"{len(times)} pages: mean {statistics.mean(times):.2f} s/page, median {statistics.median(times):.2f}, "
          f"max {max(times):.2f}; CPU time mean {statistics.mean(cpu):.2f} s/page (what one core spends, "
          "whatever else the machine runs)")
    if prof:
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(args.profile)
        print(out.getvalue())


if __name__ == "__main__":
    main()
