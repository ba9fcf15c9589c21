"""Shapes benchmark (issue 19): generated reports of every edition, rendered to PDF through
LibreOffice, turned into the shapes researchers meet, read back and scored against the truth; the
corpus PDFs go through the same shapes (key figures vs expected.json).

    python bench/bench_shapes.py [--seed 0] [--n 5] [--shapes pdf,pdftotext-layout] [--editions 2021,2019] [--layouts default,seal] [--by layout,script,zeros]
                                 [--held-out both|tuning|held-out] [--jobs 1] [--keep DIR] [--json FILE]
"""
from __future__ import annotations

import argparse
import json
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
try:  # the reader measured is the one importable (PYTHONPATH=OTHER/src measures that checkout's reader)
    import reportgen  # noqa: F401
except ImportError:
    sys.path.append(str(ROOT / "src"))


def _heading() -> str:
    """Which reader is measured and which generator made the material."""
    import subprocess
    import reportgen
    try:
        rev = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "bench/shapes"],
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except OSError:
        rev, dirty = "?", ""
    return f"reader: {Path(reportgen.__file__).parent}   generator: {rev}{' (bench/shapes modified)' if dirty else ''}"


def _one(job):
    seed, edition, shapes, keep, layout_names = job
    from shapes import converters, data, layouts, measure
    report = data.report(seed, edition)
    variant = data.variant(seed, edition, layout_names)
    truth = data.truth(report)
    keyt = measure.key_figures(truth) if truth else None
    factt = None if truth else measure.facts(report)
    out = []
    try:
        pdf = layouts.pdf(report, variant)
    except Exception as e:  # noqa: BLE001 - a report that cannot be rendered fails its shapes, not the run
        note = f"{edition}-{seed}: 排版失败（{variant['layout']}）：{str(e)[:200]}"
        return [(shape, edition, data.is_held_out(seed), variant,
                 measure.Score(reports=1, failed=1, notes=[note])) for shape in shapes]
    for shape in shapes:
        name = f"{edition}-{seed}.{shape}"
        try:
            if shape in converters.FROM_DOCX:
                suffix, blob = converters.FROM_DOCX[shape](layouts.docx(report, variant))
            elif shape == "scan":
                suffix, blob = converters.scan(pdf, seed)
            else:
                suffix, blob = converters.SHAPES[shape](pdf)
        except Exception as e:  # noqa: BLE001 - a converter that fails is reported, not fatal
            s = measure.Score(reports=1, failed=1, notes=[f"{name}: 转换失败：{e}"])
        else:
            if keep:
                Path(keep, name + suffix).write_bytes(blob)
            s = measure.score(blob, suffix, truth, keyt, name, factt)
        out.append((shape, edition, data.is_held_out(seed), variant, s))
    return out


def _corpus(shapes, keep):
    from shapes import converters, measure
    corpus = ROOT.parent / "shared" / "corpus"
    expected = json.loads((corpus / "expected.json").read_text("utf-8"))
    out = []
    for name, want in expected.items():
        path = corpus / "files" / name
        if name.startswith("_") or path.suffix.lower() != ".pdf":
            continue
        for shape in shapes:
            if shape in converters.FROM_DOCX:  # made from a Word file the corpus does not have
                continue
            try:
                suffix, blob = converters.SHAPES[shape](path.read_bytes())
            except Exception as e:  # noqa: BLE001
                out.append((shape, "corpus", None, None, measure.Score(reports=1, failed=1, notes=[f"{name}.{shape}: 转换失败：{e}"])))
                continue
            if keep:
                Path(keep, f"corpus-{path.stem}.{shape}{suffix}").write_bytes(blob)
            out.append((shape, "corpus", None, None, measure.score(blob, suffix, {}, want["values"], f"{name}.{shape}")))
    return out


def _ratio(right: int, total: int, width: int) -> str:
    """"right/total  pct%", or "—" where there is nothing of the kind to score (free-form cells,
    table-report facts, corpus cells)."""
    if not total:
        return "—"
    return f"{right:{width}}/{total:<{width}} {100 * right / total:5.1f}%"


def main() -> int:
    from shapes.converters import SHAPES
    from shapes.layouts import LAYOUTS
    from shapes.measure import Score
    p = argparse.ArgumentParser()
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--n", type=int, default=2, help="reports per edition (default 2: a few minutes with scans)")
    p.add_argument("--shapes", default=",".join(SHAPES))
    p.add_argument("--editions", default="2021,2019,freeform")
    p.add_argument("--held-out", default="both", choices=["both", "tuning", "held-out"])
    p.add_argument("--jobs", type=int, default=1)
    p.add_argument("--layouts", default=",".join(LAYOUTS), help="layouts a seed picks from (default: all)")
    p.add_argument("--by", default="", help="split rows further by variant: layout, script, zeros (comma list)")
    p.add_argument("--keep")
    p.add_argument("--json")
    p.add_argument("--no-corpus", action="store_true")
    p.add_argument("-v", "--verbose", action="store_true")
    a = p.parse_args()
    shapes = a.shapes.split(",")
    seeds = [s for s in range(a.seed, a.seed + 2 * a.n)
             if a.held_out == "both" or (s % 2 == 1) == (a.held_out == "held-out")][: a.n if a.held_out == "both" else None]
    if a.held_out == "both":
        seeds = list(range(a.seed, a.seed + a.n))
    if a.keep:
        Path(a.keep).mkdir(parents=True, exist_ok=True)
    layout_names = tuple(a.layouts.split(","))
    unknown = [x for x in layout_names if x not in LAYOUTS]
    if unknown:
        p.error(f"未知的版式：{'、'.join(unknown)}（可选：{'、'.join(LAYOUTS)}）")
    by = [x for x in a.by.split(",") if x]
    jobs = [(s, e, shapes, a.keep, layout_names) for e in a.editions.split(",") for s in seeds]
    results = []
    if a.jobs > 1:
        with ProcessPoolExecutor(a.jobs) as pool:
            for r in pool.map(_one, jobs):
                results += r
    else:
        for j in jobs:
            results += _one(j)
    if not a.no_corpus:
        results += _corpus(shapes, a.keep)
    print(_heading())
    table: dict = {}
    for shape, edition, held, variant, s in results:
        split = "" if held is None else ("held-out" if held else "tuning")
        extra = tuple(str((variant or {}).get(k, "")) or ("(blank)" if variant else "") for k in by)
        table.setdefault((shape, edition, split) + extra, Score()).add(s)
    print(f"{'shape':18} {'edition':9} {'split':9} " + "".join(f"{k:20} " for k in by) + f"{'reports':>7} {'keys right':>14} {'cells right':>20} "
          f"{'facts right':>14} {'silent wrong':>12} {'(missing)':>9} {'failed':>6} {'ms/report':>9}")
    rows = []
    for (shape, edition, split, *extra), s in sorted(table.items()):
        ms = 1000 * s.seconds / max(s.reports, 1)
        print(f"{shape:18} {edition:9} {split:9} " + "".join(f"{x:20} " for x in extra) + f"{s.reports:7} {_ratio(s.keys_right, s.keys_total, 4):>14} "
              f"{_ratio(s.cells_right, s.cells_total, 7):>20} {_ratio(s.facts_right, s.facts_total, 4):>14} "
              f"{s.silent_wrong:12} {s.silent_missing:9} {s.failed:6} {ms:9.0f}")
        rows.append(dict(shape=shape, edition=edition, split=split, **dict(zip(by, extra)), reports=s.reports, keys_right=s.keys_right,
                         keys_total=s.keys_total, cells_right=s.cells_right, cells_total=s.cells_total,
                         facts_right=s.facts_right, facts_total=s.facts_total, silent_wrong=s.silent_wrong,
                         silent_missing=s.silent_missing, failed=s.failed, ms_per_report=round(ms, 1)))
        if a.verbose:
            for n in s.notes[:10]:
                print("   ", n)
    print("silent wrong = a value wrong or not read (of which: missing) with no warning on its table; "
          "keys/cells: table editions and corpus; facts (year, agency, headings): free-form")
    if a.json:
        Path(a.json).write_text(json.dumps(rows, ensure_ascii=False, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
