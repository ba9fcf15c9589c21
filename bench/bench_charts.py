"""Choosing the plotting library of the 图解 (run: python bench/bench_charts.py [--runs N]).

Draws the same small chart — a title and six horizontal bars with Chinese labels and their
numbers, on a 1080-px-wide canvas — with matplotlib and with Vega-Lite through vl-convert-python,
each as SVG and as PNG, and measures:

* **time to the first picture**: a fresh Python process (spawn to file written, imports and
  any font scanning included), median of ``--runs`` processes;
* **the same chart again** in a warm process (what a server drawing many pictures pays);
* **wheel size**: the library's own wheel and its dependencies that reportgen does not
  already have (numpy and Pillow are already there, for the tests and the ocr extra),
  downloaded with ``pip download --no-deps`` to a cache directory (``--wheels DIR``);
* **CJK text**: whether the PNG shows real glyphs (two different labels of the same length
  must not draw the same pixels, which is what missing-glyph boxes do) and whether the SVG
  keeps the labels as text (searchable, testable) rather than outlines;
* **deterministic bytes**: the same chart drawn twice in two processes gives the same bytes.

Then reportgen's own 图解 (the chosen library): ``reportgen render examples/report-2021.yaml`` in a
fresh process with ``-f docx,txt`` (the default, no picture), ``-f png``, ``-f svg`` and ``-f html``
(which embeds the picture), and ``tujie.draw`` again in a warm process (what a server pays).

Prints one table. The numbers in the README come from this script.
"""
from __future__ import annotations

import argparse
import hashlib
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

LABELS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
VALUES = [312, 41, 3, 2, 9, 17]
TITLE = "申请人情况"

MATPLOTLIB = textwrap.dedent('''
    import sys
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager
    labels, values, title, fmt, out = {labels!r}, {values!r}, {title!r}, sys.argv[1], sys.argv[2]
    plt.rcParams.update({{"font.family": ["Noto Sans CJK SC", "sans-serif"], "svg.fonttype": "none",
                         "svg.hashsalt": "reportgen", "axes.unicode_minus": False}})
    fig = plt.figure(figsize=(10.8, 6.0), dpi=100)
    ax = fig.add_axes([0.2, 0.1, 0.7, 0.75])
    ax.barh(range(len(values)), values, color="#c00000")
    ax.set_yticks(range(len(values)), labels)
    ax.invert_yaxis()
    for i, v in enumerate(values):
        ax.text(v, i, f" {{v}}", va="center")
    fig.suptitle(title, fontsize=20)
    meta = {{"Date": None}} if fmt == "svg" else {{"Software": None}}
    fig.savefig(out, format=fmt, metadata=meta)
''')

VEGALITE = textwrap.dedent('''
    import sys
    import vl_convert as vlc
    labels, values, title, fmt, out = {labels!r}, {values!r}, {title!r}, sys.argv[1], sys.argv[2]
    spec = {{
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": 760, "height": 480, "title": {{"text": title, "fontSize": 20}},
        "config": {{"font": "Noto Sans CJK SC"}},
        "data": {{"values": [{{"label": l, "value": v}} for l, v in zip(labels, values)]}},
        "layer": [
            {{"mark": {{"type": "bar", "color": "#c00000"}}}},
            {{"mark": {{"type": "text", "align": "left", "dx": 4}}, "encoding": {{"text": {{"field": "value"}}}}}},
        ],
        "encoding": {{"y": {{"field": "label", "type": "nominal", "sort": None, "title": None}},
                      "x": {{"field": "value", "type": "quantitative", "title": None}}}},
    }}
    if fmt == "svg":
        data = vlc.vegalite_to_svg(spec).encode("utf-8")
    else:
        data = vlc.vegalite_to_png(spec, scale=1.0)
    open(out, "wb").write(data)
''')

LIBRARIES = {
    "matplotlib": (MATPLOTLIB, ["matplotlib", "contourpy", "cycler", "fonttools", "kiwisolver", "pyparsing"]),
    "vl-convert": (VEGALITE, ["vl-convert-python"]),
}


def script(lib: str, labels=LABELS) -> str:
    return LIBRARIES[lib][0].format(labels=labels, values=VALUES, title=TITLE)


def first_picture(lib: str, fmt: str, out: Path) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", script(lib), fmt, str(out)], check=True)
    return time.perf_counter() - t0


def warm_repeat(lib: str, fmt: str, out: Path, n: int = 5) -> float:
    """Median seconds of drawing the chart again in one process (after a first drawing)."""
    body = script(lib)
    code = textwrap.dedent(f'''
        import sys, time, statistics
        src = {body!r}
        exec(compile(src, "chart", "exec"), {{"__name__": "x"}})
        samples = []
        for _ in range({n}):
            t0 = time.perf_counter()
            exec(compile(src, "chart", "exec"), {{"__name__": "x"}})
            samples.append(time.perf_counter() - t0)
        print(statistics.median(samples))
    ''')
    res = subprocess.run([sys.executable, "-c", code, fmt, str(out)], check=True, capture_output=True, text=True)
    return float(res.stdout.strip())


def wheel_size(packages: list[str], cache: Path) -> int:
    cache.mkdir(parents=True, exist_ok=True)
    total = 0
    for pkg in packages:
        stem = pkg.replace("-", "_").lower()
        found = [p for p in cache.glob("*.whl") if p.name.lower().startswith(stem + "-")]
        if not found:
            subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(cache), pkg],
                           check=True)
            found = [p for p in cache.glob("*.whl") if p.name.lower().startswith(stem + "-")]
        total += max(p.stat().st_size for p in found)
    return total


def glyphs_drawn(lib: str, tmp: Path) -> bool:
    """Two different labels of the same length draw different pixels (boxes would not)."""
    import numpy as np
    from PIL import Image
    images = []
    for i, labels in enumerate((["申请人情况"] * 6, ["法人或组织"] * 6)):
        out = tmp / f"{lib}-glyph-{i}.png"
        subprocess.run([sys.executable, "-c", script(lib, labels), "png", str(out)], check=True)
        images.append(np.asarray(Image.open(out).convert("L"), dtype=np.int16))
    return images[0].shape == images[1].shape and bool(np.abs(images[0] - images[1]).sum() > 0)


def svg_keeps_text(svg: Path) -> bool:
    text = svg.read_text(encoding="utf-8")
    return all(label in text for label in LABELS)


ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "report-2021.yaml"


def reportgen_times(runs: int, tmp: Path) -> list[tuple[str, float, float]]:
    """(what, median s, min s) of ``reportgen render`` in fresh processes, then the warm draw."""
    import os

    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "REPORTGEN_STATE_DIR": str(tmp / "state")}
    out = []
    for fmt in ("docx,txt", "png", "svg", "html"):
        times = []
        for i in range(runs):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "reportgen", "render", str(EXAMPLE), "-f", fmt, "-o",
                            str(tmp / f"rg-{i}"), "--force"], check=True, env=env, capture_output=True)
            times.append(time.perf_counter() - t0)
        out.append((f"render -f {fmt}", statistics.median(times), min(times)))
    code = textwrap.dedent(f'''
        import statistics, time
        from reportgen.loader import load_report
        from reportgen.tujie import draw
        loaded = load_report({str(EXAMPLE)!r})
        draw(loaded, "png")
        for fmt in ("png", "svg"):
            samples = []
            for _ in range(5):
                t0 = time.perf_counter()
                draw(loaded, fmt)
                samples.append(time.perf_counter() - t0)
            print(fmt, statistics.median(samples), min(samples))
    ''')
    res = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, env=env)
    for line in res.stdout.split("\n"):
        if line.strip():
            fmt, med, low = line.split()
            out.append((f"tujie.draw {fmt} again", float(med), float(low)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--wheels", default=str(Path(tempfile.gettempdir()) / "reportgen-bench-wheels"))
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-charts-"))
    print(f"python {sys.version.split()[0]}, {args.runs} fresh processes per cell")
    rows = []
    for lib in LIBRARIES:
        for fmt in ("svg", "png"):
            outs = [tmp / f"{lib}-{i}.{fmt}" for i in range(args.runs)]
            times = [first_picture(lib, fmt, o) for o in outs]
            same = len({hashlib.sha256(o.read_bytes()).hexdigest() for o in outs}) == 1
            warm = warm_repeat(lib, fmt, tmp / f"{lib}-warm.{fmt}")
            rows.append((lib, fmt, statistics.median(times), min(times), warm, outs[0].stat().st_size, same,
                         svg_keeps_text(outs[0]) if fmt == "svg" else None))
        size = wheel_size(LIBRARIES[lib][1], Path(args.wheels))
        rows.append((lib, "wheels", size / 1e6, glyphs_drawn(lib, tmp)))
    print(f"{'library':<12}{'format':<8}{'first picture s (median/min)':>30}{'again s':>10}{'bytes':>9}"
          f"{'same bytes':>12}{'svg text':>10}")
    for row in rows:
        if row[1] == "wheels":
            print(f"{row[0]:<12}wheels {row[2]:.1f} MB (not counting numpy, Pillow); CJK glyphs in the PNG: "
                  f"{'yes' if row[3] else 'NO (boxes)'}")
        else:
            lib, fmt, med, low, warm, size, same, text = row
            print(f"{lib:<12}{fmt:<8}{med:>20.2f} / {low:<7.2f}{warm:>10.3f}{size:>9}{str(same):>12}"
                  f"{'' if text is None else str(text):>10}")
    print("\nreportgen's 图解 (matplotlib), examples/report-2021.yaml:")
    for what, med, low in reportgen_times(args.runs, tmp):
        print(f"  {what:<26}{med:>8.2f} s median{low:>8.2f} s min")
    print(f"pictures kept in {tmp}")


if __name__ == "__main__":
    main()
