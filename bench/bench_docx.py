"""Benchmark of the Word writer's XML (run: python bench/bench_docx.py [--repeat N]).

In process, after a warm-up, medians and 90th percentiles in milliseconds of: write_docx for
every example; the serialisation of document.xml by lxml; the well-formedness check of the
parts made per report (document.xml, core.xml; the reference's other parts are checked once,
when it is first used), next to a parse of document.xml into a tree for comparison; the zip.
And the first use of a reference docx (read, styles resolved, every part checked), for the
packaged one and for the custom example's (examples/custom/reference.docx).
"""
from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def timed(func, repeat: int) -> tuple[float, float]:
    func()
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.9) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=300)
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1706227200")

    from lxml import etree

    from reportgen.compose import compose
    from reportgen.loader import load_report
    from reportgen.writers import docx as writer
    from reportgen.writers.ooxml import ill_formed, write_package

    print(f"{'step':44} {'median ms':>10} {'p90 ms':>8}   ({args.repeat} runs)")
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        doc = compose(load_report(str(path)))
        med, p90 = timed(lambda: writer.write_docx(doc), args.repeat)
        print(f"{'write docx ' + path.name:44} {med:10.2f} {p90:8.2f}")

    doc = compose(load_report(str(ROOT / "examples" / "report-2021.yaml")))
    with zipfile.ZipFile(io.BytesIO(writer.write_docx(doc))) as z:
        entries = [(info.filename, z.read(info)) for info in z.infolist()]
    parts = dict(entries)
    own = [("word/document.xml", parts["word/document.xml"]), ("docProps/core.xml", parts["docProps/core.xml"])]
    root = etree.fromstring(parts["word/document.xml"])
    kb = len(parts["word/document.xml"]) // 1024
    rows = [
        (f"serialise document.xml ({kb} KB, lxml)", lambda: etree.tostring(root, encoding="UTF-8", standalone=True)),
        ("check document.xml + core.xml", lambda: ill_formed(own, {name for name, _ in own})),
        ("  (parse document.xml into a tree)", lambda: etree.fromstring(parts["word/document.xml"])),
        ("zip every part (compressed each time)", lambda: write_package(entries, (2024, 1, 26, 0, 0, 0))),
    ]
    for name, func in rows:
        med, p90 = timed(func, args.repeat)
        print(f"{name:44} {med:10.2f} {p90:8.2f}")

    print()
    for ref in (None, ROOT / "examples" / "custom" / "reference.docx"):
        ref_path = str(ref or writer.reference_docx())
        ref_bytes, _ = writer._reference(ref_path)

        def first_use():
            writer._house.cache_clear()
            writer._house(ref_bytes, ref_path, "zh-CN", "gb2312")

        med, p90 = timed(first_use, max(args.repeat // 20, 5))
        print(f"{'first use of ' + str(Path(ref_path).relative_to(ROOT)):44} {med:10.2f} {p90:8.2f}")


if __name__ == "__main__":
    main()
