"""Hostile inputs refused or cleaned, and what the guards cost good ones (run: python bench/bench_hostile.py).

One process, one core, after a warm-up (median and p90 of repeated runs, in ms):

* how long reading takes to refuse the corpus's zip bombs (tests/fixtures/bad): a workbook
  whose sheet inflates to 1.5 GB, a bzip2 member, a member whose size lies, a docx bomb;
* what the zip guard (``package.open_zip``) costs a good workbook, beside reading it whole;
* what dropping XML-forbidden characters costs a 1.3 MB page, beside reading it whole.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
from bench_parse import per_report  # noqa: E402 - the one timing loop of the benchmarks

BAD = ROOT / "tests" / "fixtures" / "bad"


def _refused(read, path: Path):
    def run():
        try:
            read(str(path))
        except Exception:  # noqa: BLE001 - the refusal is what is timed
            return
        raise AssertionError(f"{path.name} was not refused")
    return run


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=1.0)
    args = parser.parse_args()
    from reportgen.convert import workbook_of_yaml
    from reportgen.loader import read_data_file
    from reportgen.package import WORKBOOK, open_zip
    from reportgen.readers import html
    from reportgen.reading import parse_file, read_options

    print("| input | what | median (p90) ms |")
    print("|---|---|---|")
    for name, read in (("xlsx-bomb.xlsx", read_data_file), ("bzip2-member.xlsx", read_data_file),
                       ("lying-size.xlsx", read_data_file), ("zip-bomb.docx", parse_file),
                       ("bzip2-member.docx", parse_file)):
        median, p90 = per_report(_refused(read, BAD / name), args.seconds)
        print(f"| {name} | refused | {median:.1f} ({p90:.1f}) |")
    raw = workbook_of_yaml((ROOT / "examples" / "report-2021.yaml").read_text("utf-8"), "x.yaml")
    book = Path("/tmp") / "bench-hostile-book.xlsx"
    book.write_bytes(raw)
    guard, guard90 = per_report(lambda: open_zip(raw, "x.xlsx", WORKBOOK), args.seconds)
    whole, whole90 = per_report(lambda: read_data_file(str(book)), args.seconds)
    print(f"| report-2021 workbook | the zip guard | {guard:.2f} ({guard90:.2f}) |")
    print(f"| report-2021 workbook | read whole (guard included) | {whole:.1f} ({whole90:.1f}) |")
    page = ("<html><body><p>" + "某局2023年政府信息公开工作年度报告&#1;" * 60_000 + "</p></body></html>").encode()
    clean, clean90 = per_report(lambda: html._xml_characters(page.decode()), args.seconds)
    read, read90 = per_report(lambda: html.read(page, read_options("x.html")), args.seconds)
    print(f"| {len(page) // 1024} KB page, 60,000 &#1; | dropping them | {clean:.1f} ({clean90:.1f}) |")
    print(f"| {len(page) // 1024} KB page, 60,000 &#1; | read whole (dropping included) | {read:.1f} ({read90:.1f}) |")
    book.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
