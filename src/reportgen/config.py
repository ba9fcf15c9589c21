"""The agency profile: what stays the same from one year's report to the next.

A ``reportgen.yaml`` beside the data file (or the file given with ``--config``) may hold:

    机关名称: 云溪市市场监督管理局          # used when a data file leaves it out
    发布信息: {发布机构: …, 栏目: 政府信息公开年报}   # defaults for each item (the data file's win)
    模板目录: templates                   # one or a list; searched before the packaged templates
    参考文档: reference.docx              # styles, page setup, headers and footers for Word output
    文字: zh-Hans                         # output script
    输出格式: [docx, txt, html]           # formats written by render
    输出目录: out                          # where render writes
    字体: windows                          # font set for Word/PDF: gb2312 (default) or windows

Paths are relative to the profile's own directory. Options given on the command line win over
the profile, and the profile over reportgen's defaults.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Problem, ValidationFailed
from .formats.docx import FONT_SET_NAMES, FONT_SETS
from .resources import CONFIG_NAME
from .script import SCRIPTS
from .yamlio import load_file

_KEYS = {
    "机关名称": "agency", "agency": "agency",
    "发布信息": "publication", "publication": "publication",
    "模板目录": "template_dirs", "template_dirs": "template_dirs", "template_dir": "template_dirs",
    "参考文档": "reference_doc", "reference_doc": "reference_doc",
    "文字": "script", "script": "script",
    "输出格式": "formats", "formats": "formats",
    "输出目录": "output_dir", "output_dir": "output_dir",
    "字体": "fonts", "fonts": "fonts",
}


@dataclass
class Profile:
    file: Path | None = None
    agency: str | None = None
    publication: dict[str, Any] = field(default_factory=dict)
    template_dirs: tuple[str, ...] = ()
    reference_doc: str | None = None
    script: str | None = None
    formats: tuple[str, ...] = ()
    output_dir: str | None = None
    fonts: str | None = None     # a font set of formats.docx.FONT_SETS for Word and PDF output

    def data_defaults(self, data: Any) -> Any:
        """``data`` with the profile's agency and publication items filled in where it has none."""
        if not isinstance(data, dict):
            return data
        out = dict(data)
        if self.agency and not any(k in out for k in ("机关名称", "agency", "機關名稱")):
            out["机关名称"] = self.agency
        if self.publication:
            pub = out.get("发布信息", out.get("publication"))
            if pub is None or isinstance(pub, dict):
                merged = dict(self.publication)
                merged.update(pub or {})
                out.pop("publication", None)
                out["发布信息"] = merged
        return out


def find_config(data_file: str | Path) -> Path | None:
    """The ``reportgen.yaml`` beside a data file, if there is one (and it is not the data file)."""
    path = Path(data_file)
    candidate = path.parent / CONFIG_NAME
    if candidate.is_file() and candidate.resolve() != path.resolve():
        return candidate
    return None


def load_config(path: str | Path) -> Profile:
    path = Path(path)
    data, lines = load_file(str(path))
    if data is None:
        return Profile(path)
    problems: list[Problem] = []

    def bad(key: str, message: str) -> None:
        problems.append(Problem(message, str(path), (key,), lines.get((key,))))

    if not isinstance(data, dict):
        raise ValidationFailed([Problem("配置文件的最外层应为键值映射", str(path), (), 1)], str(path))
    profile = Profile(path)
    base = path.parent
    for key, value in data.items():
        name = _KEYS.get(key)
        if name is None:
            bad(key, f"未知的配置项；可用：{'、'.join(k for k in _KEYS if not k.isascii())}")
        elif name in ("agency", "script", "reference_doc", "output_dir", "fonts"):
            if not isinstance(value, str) or not value.strip():
                bad(key, "应为一行文字")
            elif name == "script" and value not in SCRIPTS:
                bad(key, f"应为 {'、'.join(SCRIPTS)} 之一")
            elif name == "fonts" and value not in FONT_SETS:
                bad(key, "应为 " + "、".join(f"{k}（{v}）" for k, v in FONT_SET_NAMES.items()) + " 之一")
            elif name == "reference_doc":
                ref = (base / value)
                if not ref.is_file():
                    bad(key, f"找不到参考文档 {ref}")
                profile.reference_doc = str(ref)
            elif name == "output_dir":
                profile.output_dir = str(base / value)
            else:
                setattr(profile, name, value.strip())
        elif name == "publication":
            if not isinstance(value, dict):
                bad(key, "应为键值映射，如 {发布机构: …, 栏目: …}")
            else:
                profile.publication = dict(value)
        elif name == "template_dirs":
            items = [value] if isinstance(value, str) else value
            if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
                bad(key, "应为一个目录或目录列表")
                continue
            dirs = []
            for item in items:
                d = base / item
                if not d.is_dir():
                    bad(key, f"找不到模板目录 {d}")
                dirs.append(str(d))
            profile.template_dirs = tuple(dirs)
        elif name == "formats":
            items = [f.strip() for f in value.split(",")] if isinstance(value, str) else value
            if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
                bad(key, "应为格式列表，如 [docx, txt, html]")
            else:
                profile.formats = tuple(i.lower() for i in items if i)
    if problems:
        raise ValidationFailed(problems, str(path))
    return profile


def profile_for(data_file: str | Path, config: str | Path | None = None) -> Profile:
    """The profile that applies to ``data_file``: ``config`` if given, else the one beside it."""
    if config is not None:
        return load_config(config)
    found = find_config(data_file)
    return load_config(found) if found else Profile()
