"""Key figures of one real report read from what common converters make of its PDF.

Run: python bench/bench_text_converters.py DIR  (DIR holds the converters' outputs:
layout.txt, raw.txt, plain.txt, pdfminer.txt, pypdf.txt, markitdown.md, pdftohtml.html …).
Each file is read as ``reportgen parse`` reads it and its seven key figures are compared
with the corpus PDF's true ones in shared/corpus/expected.json.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    from reportgen.dataset import report_rows
    from reportgen.editions import EDITIONS, KEY_FIGURES
    from reportgen.reading import parse_file

    folder = Path(sys.argv[1])
    name = sys.argv[2] if len(sys.argv) > 2 else "052_huaian-city-2024.pdf"
    want = json.loads((ROOT.parent / "shared" / "corpus" / "expected.json").read_text("utf-8"))[name]
    for path in sorted(folder.iterdir()):
        try:
            result = parse_file(str(path))
        except Exception as e:  # noqa: BLE001 - an unreadable shape scores nothing
            print(f"{path.name}: 0/7 未能读取：{e}")
            continue
        warned = {w.path[0] for w in result.warnings if w.path}
        keys = {spec.name: spec.key for spec in EDITIONS[result.edition].tables}
        _, row = report_rows(result, path.name)
        got = row[4:4 + len(KEY_FIGURES)]
        right = sum(g == v for g, v in zip(got, want["values"]))
        silent = sum(g is not None and g != v and keys.get(t) not in warned
                     for (_l, t, _c), g, v in zip(KEY_FIGURES, got, want["values"]))
        print(f"{path.name}: {right}/7 right, {silent} wrong without a warning; got {got}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
