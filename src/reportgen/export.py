"""``reportgen templates export DIR``: the packaged templates, the default reference docx and a
guide to them, copied out for an agency to adapt (pandoc's ``--print-default-template``
and ``--print-default-data-file reference.docx``, in one step)."""
from __future__ import annotations

from pathlib import Path

from .errors import OutputError
from .outputs import commit
from .resources import templates_dir


def packaged_files() -> list[Path]:
    """Every packaged template file, relative to the templates directory."""
    root = templates_dir()
    keep = {".j2", ".docx", ".md", ".conf"}
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file() and p.suffix in keep)


def export_templates(target: str | Path, force: bool = False) -> list[Path]:
    """Copy the packaged templates into ``target``; refuses to replace files unless ``force``."""
    root = templates_dir()
    target = Path(target)
    files = packaged_files()
    existing = [target / f for f in files if (target / f).exists()]
    if existing and not force:
        shown = "、".join(str(p) for p in existing[:3]) + ("等" if len(existing) > 3 else "")
        raise OutputError(f"目标目录中已有同名文件（{shown}）；如要覆盖请加 --force", str(target))
    return commit({target / f: (root / f).read_bytes() for f in files}, "templates", [], force)
