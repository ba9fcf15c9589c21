"""Reading real published reports: key-figure accuracy on shared/corpus (run: python bench/bench_accuracy.py).

Each corpus report is read as ``reportgen parse`` reads it, and its seven key figures
(``editions.KEY_FIGURES``: table 三's 新收, 上年结转, （七）总计 and 结转 totals; table 四's three 总计,
as ``parse --table`` gives them) compared with ``expected.json``, along with the edition and the
report year. A figure that is wrong counts as *explained* when the reading warned about that
table; a figure expected.json calls undecidable (null) must come out empty. The last line sums
it up (the stop hook prints it).

    python bench/bench_accuracy.py [--corpus DIR] [-v]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    from reportgen.dataset import report_rows
    from reportgen.editions import EDITIONS, KEY_FIGURES
    from reportgen.reading import parse_file

    corpus = Path(args.corpus)
    expected = json.loads((corpus / "expected.json").read_text("utf-8"))
    right = total = explained = editions = years = reports = undecided = undecidable = 0
    elapsed = 0.0
    for name, want in expected.items():
        if name.startswith("_"):
            continue
        reports += 1
        path = corpus / "files" / name
        start = time.perf_counter()
        try:
            result = parse_file(str(path))
        except Exception as e:  # noqa: BLE001 - a report that cannot be read scores nothing
            elapsed += time.perf_counter() - start
            total += sum(v is not None for v in want["values"])
            print(f"{name}: 未能读取：{e}")
            continue
        elapsed += time.perf_counter() - start
        data = result.data
        edition_ok = result.edition == want["edition"]
        year_ok = data.get("报告年度") == want["year"]
        editions += edition_ok
        years += year_ok
        warned = {w.path[0] for w in result.warnings if w.path}
        keys = {spec.name: spec.key for spec in EDITIONS[result.edition].tables}
        _, row = report_rows(result, name)
        got_figures = row[4:4 + len(KEY_FIGURES)]  # the dataset's key figures: None where not found
        misses = []
        for (label, table, _cid), got, value in zip(KEY_FIGURES, got_figures, want["values"]):
            if value is None:  # the published table breaks its own rules: a good reading says so
                undecided += got is None
                undecidable += 1
                continue
            total += 1
            if got == value:
                right += 1
            else:
                told = keys.get(table) in warned
                explained += told
                misses.append(f"{label} 读出 {got}，应为 {value}{'（有警告）' if told else ''}")
        if args.verbose or misses or not (edition_ok and year_ok):
            print(f"{name}: 版式 {result.edition}{'' if edition_ok else '≠' + want['edition']}，"
                  f"年度 {data.get('报告年度')}{'' if year_ok else '≠' + str(want['year'])}"
                  + ("；" + "；".join(misses) if misses else ""))
    wrong = total - right
    print(f"key figures {right}/{total} right ({100 * right / max(total, 1):.1f} %), "
          f"{wrong - explained} wrong without a warning, {undecided}/{undecidable} undecidable left empty; "
          f"edition {editions}/{reports}, year {years}/{reports}; "
          f"{1000 * elapsed / max(reports, 1):.1f} ms a report")
    return 0


if __name__ == "__main__":
    sys.exit(main())
