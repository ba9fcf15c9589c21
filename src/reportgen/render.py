"""The library's main job: a data file in, report files out.

``render_report`` composes once and runs every requested writer in memory; only when all of
them succeeded are the files written (atomically), so a failure leaves no partial output.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from .compose import compose
from .document import Document
from .fsutil import write_all
from .loader import LoadedReport, load_report
from .writers import EXTENSIONS, writer_for

DEFAULT_FORMATS = ("docx", "txt")


def render_document(doc: Document, fmt: str, **options) -> bytes:
    return writer_for(fmt)(doc, **options)


def render_loaded(loaded: LoadedReport, formats: Iterable[str] = DEFAULT_FORMATS,
                  template_dirs: Iterable[str] = (), script: str | None = None, **options) -> dict[str, bytes]:
    """Compose once (in ``script``: zh-Hans, zh-Hant, zh-TW or zh-HK; default the data
    file's), write every format in memory: {format: bytes}."""
    formats = list(dict.fromkeys(formats))
    for fmt in formats:
        writer_for(fmt)  # unknown formats fail before any work
    doc = compose(loaded, template_dirs, script)
    return {fmt: render_document(doc, fmt, **options) for fmt in formats}


def output_paths(data_file: str | Path, formats: Iterable[str], out_dir: str | Path | None = None) -> dict[str, Path]:
    src = Path(data_file)
    directory = Path(out_dir) if out_dir else src.parent
    return {fmt: directory / (src.stem + EXTENSIONS[fmt]) for fmt in formats}


def render_file(data_file: str | Path, out_dir: str | Path | None = None,
                formats: Iterable[str] | None = None, template_dirs: Iterable[str] = (),
                script: str | None = None, config: str | Path | None = None,
                reference_doc: str | None = None) -> tuple[LoadedReport, dict[str, Path]]:
    """Load, validate and render ``data_file``; write the outputs next to it or in ``out_dir``.
    The agency profile (``config``, or ``reportgen.yaml`` beside the data file) supplies what
    the arguments leave out."""
    from .config import profile_for

    profile = profile_for(data_file, config)
    formats = list(dict.fromkeys(formats or profile.formats or DEFAULT_FORMATS))
    for fmt in formats:
        writer_for(fmt)
    script = script or profile.script
    if script is not None:
        from .script import check_script
        check_script(script)
    loaded = load_report(str(data_file), profile)
    blobs = render_loaded(loaded, formats, tuple(template_dirs) + profile.template_dirs, script,
                          reference_doc=reference_doc or profile.reference_doc)
    paths = output_paths(data_file, formats, out_dir or profile.output_dir)
    write_all({paths[f]: blobs[f] for f in formats}, (Path(data_file),))
    return loaded, paths
