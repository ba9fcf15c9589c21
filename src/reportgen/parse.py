"""``reportgen parse``: reports in (txt, docx, html, md, pdf, doc …), data files out, or with
``--table`` the researcher's dataset of every report's cells (``dataset``).

The reading itself is ``reading`` (shared with ``check`` and ``init --from``); this job decides
where each data file goes, writes it with a header saying where it came from and what could
not be taken as given, through the one data-file writer (``datafile``) and the output guard.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from . import table_cache
from .batch import Job, Outcome, guarded
from .datafile import dump
from .dataset import encode, report_record, report_rows
from .editions import EDITIONS
from .errors import display_name
from .model import K
from .outputs import source_key, write_new
from .reading import ParseResult, parse_bytes, parse_file
from .tables.decode import DECODED, INFERRED, MISSING

__all__ = ["ParseResult", "data_yaml", "dataset_outputs", "output_target", "parse_bytes", "parse_file",
           "parse_worker"]


def output_target(report: str, out_dir: str | None = None, single_file: str | None = None) -> Path:
    """Where the data file read from ``report`` goes: ``single_file``, else ``out_dir`` (or the
    report's own directory) with the report's name and ``.yaml``."""
    if single_file:
        return Path(single_file)
    return Path(out_dir or Path(report).parent) / (Path(report).stem + ".yaml")


def data_yaml(result: ParseResult, source: str | None = None) -> str:
    """The data file text: a header saying where it came from and what to check, then the data."""
    lines = [f"由 reportgen parse 从 {display_name(Path(source).name) if source else '报告'} 读出（{result.format}）"]
    if result.script != "zh-Hans" and K.script not in result.data:
        lines.append(f"原文为繁体（{result.script}），数据已转为简体；生成繁体报告：reportgen render --script {result.script} …")
    elif result.script != "zh-Hans":
        lines.append(f"原文为繁体（{result.script}），数据保留原文文字，生成的报告也是繁体；要简体数据：reportgen parse --simplified …")
    if result.blanks:
        lines.append(f"{len(result.blanks)} 个单元格原文为空白或“-”“/”“无”，已按 0 读取")
    lines += cell_summary(result.cells)
    for w in result.warnings:
        lines.append(f"警告：{w.message}")
    if result.chrome:
        lines.append("未读入的网页内容：" + "；".join(c[:30] for c in result.chrome[:8]))
    return dump(result.data, EDITIONS[result.edition], lines)


_FLAG_WORDS = {DECODED: "由连写的数字拆分读出", INFERRED: "按表内勾稽关系推算", MISSING: "未能读出（按 0 填写）"}


def cell_summary(cells: dict[str, dict[str, str]]) -> list[str]:
    """How the tables' cells were found, one line a table that was not simply read."""
    out = []
    for table, flags in cells.items():
        counts = Counter(flags.values())
        told = [f"{_FLAG_WORDS[f]} {counts[f]} 个" for f in (DECODED, INFERRED, MISSING) if counts[f]]
        if told:
            out.append(f"表“{table}”：" + "，".join(told) + f"（共 {len(flags)} 个单元格）")
    return out


def parse_worker(job: Job) -> Outcome:
    """One report of ``reportgen parse`` (run in a batch worker)."""
    def work() -> Outcome:
        o = job.options
        dataset = o.get("table") is not None
        target = None if o.get("stdout") or o.get("no_data_files") else \
            output_target(job.path, job.out_dir, o.get("single_file"))
        if target is not None and "only" in o and str(target) not in o["only"]:
            return Outcome(job.path, True, 0, [f"{display_name(job.path)}：输出与后给出的输入相同（--force），未写出"])
        key = cache = None
        if dataset and o.get("cache"):  # resumable: rows of a file read before, by content
            cache = Path(o["cache"])
            key = table_cache.content_key(job.path)
            rows = table_cache.load(cache, o.get("fmt"), key)
            if rows is not None:  # the same content may sit under another name now
                cells, figure = rows
                rows = ([(job.path, *r[1:]) for r in cells], (job.path, *figure[1:]))
                return Outcome(job.path, True, 0, [], [], rows, reused=True)
        result = parse_file(job.path, o.get("fmt"), o.get("keep_script", False))
        messages = [str(w) for w in result.warnings]
        written = []
        payload = None
        if dataset:  # the rows of the researcher's table, collected by the parent; warnings go in it
            payload = report_rows(result, job.path)
            messages = []
            if cache is not None:
                table_cache.store(cache, o.get("fmt"), key, payload)
        elif o.get("json"):  # the record printed by the parent, warnings in it
            payload = report_record(result, job.path)
            messages = []
        elif target is None and not o.get("no_data_files"):
            payload = data_yaml(result, job.path)
        if target is not None:
            text = data_yaml(result, job.path)
            write_new(target, text.encode("utf-8"), source_key([job.path]), [Path(job.path)], o.get("force", False))
            written.append(str(target))
        failed = o.get("strict") and (result.warnings or not result.valid)
        if failed:
            messages.append(f"{display_name(job.path)}: --strict：有 {len(result.warnings)} 条警告")
        return Outcome(job.path, not failed, 1 if failed else 0, messages, written, payload, findings=bool(failed))

    return guarded(job, work)


def dataset_outputs(target: str, outcomes: list[Outcome]) -> dict[Path, bytes]:
    """The dataset files of a batch of ``parse --table``: the reports in file order, each read one
    with its rows, each failed one with why."""
    rows: list[tuple] = []
    figures: list[tuple] = []
    failures: list[tuple] = []
    for outcome in sorted(outcomes, key=lambda o: o.path):
        if isinstance(outcome.payload, tuple):
            cells, figure = outcome.payload
            rows += cells
            figures.append(figure)
        elif not outcome.ok:
            failures.append((outcome.path, outcome.messages[0] if outcome.messages else "无法读取"))
    return encode(Path(target), rows, figures, failures)
