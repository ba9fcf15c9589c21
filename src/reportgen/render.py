"""The library's main job: a data file in, report files out.

``render_report`` composes once and runs every requested writer in memory; only when all of
them succeeded are the files written (atomically), so a failure leaves no partial output.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from .batch import Job, Outcome, guarded
from .compose import compose
from .config import profile_for
from .document import Document
from .errors import Problem, UsageError, ValidationFailed, display_name
from .loader import LoadedReport, load_report, strict_errors
from .model import PLACEHOLDER
from .outputs import commit, source_key
from .script import check_script
from .writers import EXTENSIONS, TEXT_FORMATS, writer_for

DEFAULT_FORMATS = ("docx", "txt")
FIGURE_FORMATS = ("png", "svg")  # the 图解 (tujie.py), drawn from the data


def render_document(doc: Document, fmt: str, **options) -> bytes:
    return writer_for(fmt)(doc, **options)


def render_loaded(loaded: LoadedReport, formats: Iterable[str] = DEFAULT_FORMATS,
                  template_dirs: Iterable[str] = (), script: str | None = None, **options) -> dict[str, bytes]:
    """Compose once (in ``script``: zh-Hans, zh-Hant, zh-TW or zh-HK; default the data
    file's), write every format in memory: {format: bytes}."""
    formats = list(dict.fromkeys(formats))
    for fmt in formats:
        writer_for(fmt)  # unknown formats fail before any work
    if loaded.edition.freeform and set(formats) & set(FIGURE_FORMATS):
        from .tujie import refuse_freeform
        refuse_freeform(loaded)  # before any work, with the reason
    doc = compose(loaded, template_dirs, script)
    return {fmt: render_document(doc, fmt, loaded=loaded, **options) for fmt in formats}


def output_paths(data_file: str | Path, formats: Iterable[str], out_dir: str | Path | None = None) -> dict[str, Path]:
    src = Path(data_file)
    directory = Path(out_dir) if out_dir else src.parent
    return {fmt: directory / (src.stem + EXTENSIONS[fmt]) for fmt in formats}


def render_targets(data_file: str | Path, out_dir: str | Path | None = None, formats: Iterable[str] | None = None,
                   config: str | Path | None = None) -> dict[str, Path]:
    """{format: path} that rendering ``data_file`` would write (the profile may name the
    formats and the output directory)."""
    profile = profile_for(data_file, config)
    formats = list(dict.fromkeys(formats or profile.formats or DEFAULT_FORMATS))
    for fmt in formats:
        writer_for(fmt)
    return output_paths(data_file, formats, out_dir or profile.output_dir)


def resources(profile, template_dirs: Iterable[str], reference_doc: str | None) -> list[Path]:
    """Every file a render reads besides the data file: never an output."""
    out = [Path(p) for p in (reference_doc, profile.reference_doc, profile.file) if p]
    for d in (*template_dirs, *profile.template_dirs):
        out += [p for p in Path(d).rglob("*") if p.is_file()]
    return out


def render_file(data_file: str | Path, out_dir: str | Path | None = None,
                formats: Iterable[str] | None = None, template_dirs: Iterable[str] = (),
                script: str | None = None, config: str | Path | None = None,
                reference_doc: str | None = None, force: bool = False,
                only: Iterable[str] | None = None, strict: bool = False,
                fonts: str | None = None, pdfa: bool = False,
                previous: LoadedReport | None = None) -> tuple[LoadedReport, dict[str, Path]]:
    """Load, validate and render ``data_file``; write the outputs next to it or in ``out_dir``
    (all of them or none; ``only``: the formats to write, when a batch gave the others to
    another input). The agency profile (``config``, or ``reportgen.yaml`` beside the data file)
    supplies what the arguments leave out. ``strict``: any warning (a placeholder left in
    included) is an error, and nothing is written. ``pdfa``: the PDF as PDF/A-2b. ``previous``: last
    year's report, whose figures the 图解 (png, svg, and the one the html embeds) compares with."""
    profile = profile_for(data_file, config)
    paths = render_targets(data_file, out_dir, formats, config)
    if only is not None:
        paths = {f: p for f, p in paths.items() if f in set(only)}
    script = script or profile.script
    if script is not None:
        check_script(script)
    loaded = load_report(str(data_file), profile)
    if strict and loaded.warnings:
        raise ValidationFailed(strict_errors(loaded.warnings), str(data_file))
    notices: list[str] = []
    blobs = render_loaded(loaded, list(paths), tuple(template_dirs) + profile.template_dirs, script,
                          reference_doc=reference_doc or profile.reference_doc, notices=notices,
                          fonts=fonts or profile.fonts, pdfa=pdfa, previous=previous, tujie=True)
    loaded.warnings += [Problem(n, str(data_file), (), None, "warning") for n in dict.fromkeys(notices)]
    commit({paths[f]: blobs[f] for f in paths}, source_key([data_file]),
           [Path(data_file), *resources(profile, template_dirs, reference_doc)], force)
    return loaded, paths


def render_to_stdout(data_file: str, formats: Iterable[str] | None, template_dirs: Iterable[str] = (),
                     script: str | None = None, config: str | None = None, strict: bool = False,
                     previous: LoadedReport | None = None) -> tuple[bytes, LoadedReport]:
    """``render -o -``: the report in text formats (txt, html, md, json), one after the other,
    for standard output; Word and PDF cannot go there."""
    profile = profile_for(data_file, config)
    formats = list(formats or ["txt"])
    binary = [f for f in formats if f not in TEXT_FORMATS]
    if binary:
        raise UsageError(f"{'、'.join(binary)} 不能输出到屏幕（-o -）；请用 -o 指定输出目录，或用 -f {','.join(TEXT_FORMATS)}")
    loaded = load_report(str(data_file), profile)
    if strict and loaded.warnings:
        raise ValidationFailed(strict_errors(loaded.warnings), str(data_file))
    blobs = render_loaded(loaded, formats, tuple(template_dirs) + profile.template_dirs, script or profile.script,
                          previous=previous, tujie=True)
    return b"".join(blobs[f] for f in formats), loaded


def render_worker(job: Job) -> Outcome:
    """One data file of ``reportgen render`` (run in a batch worker)."""
    def work() -> Outcome:
        from .reading import previous_report  # read once a process, cached there

        o = job.options
        only = None
        if "only" in o:
            wanted = set(o["only"])
            only = [f for f, p in render_targets(job.path, job.out_dir, o.get("formats"), o.get("config")).items()
                    if str(p) in wanted]
            if not only:
                return Outcome(job.path, True, 0, [f"{display_name(job.path)}：输出与后给出的输入相同（--force），未写出"])
        loaded, paths = render_file(job.path, job.out_dir, o.get("formats"), o.get("template_dirs", ()),
                                    o.get("script"), o.get("config"), o.get("reference_doc"), o.get("force", False),
                                    only, o.get("strict", False), o.get("fonts"), o.get("pdfa", False),
                                    previous_report(o["previous"]) if o.get("previous") else None)
        messages = [str(w) for w in loaded.warnings]
        placeholders = sum(w.code == "placeholder" for w in loaded.warnings)
        if placeholders:  # said last and loud: a scaffold rendered as is must not be published
            messages.append(f"注意：{display_name(job.path)} 仍有 {placeholders} 处“{PLACEHOLDER}”占位文字，生成的报告不能直接发布；"
                            f"请填写后重新生成（加 --strict 时视为错误）")
        return Outcome(job.path, True, 0, messages, [str(p) for p in paths.values()])

    return guarded(job, work)
