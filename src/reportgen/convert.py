"""``reportgen convert``: a data file from YAML to the 填报 workbook (.xlsx) and back, and the
workbook ``init`` writes. The data are validated on the way, so a workbook is only made of
data that stand, and the YAML written from a workbook is the one data-file writer's
(``datafile``); the same report comes out either way."""
from __future__ import annotations

from pathlib import Path

from .datafile import dump
from .errors import UsageError, display_name
from .loader import WORKBOOK_SUFFIXES, read_data_file, validate_data
from .outputs import commit, source_key
from .reading import DATA_SUFFIXES
from .workbook import write_workbook
from .yamlio import load_yaml


def workbook_of_yaml(text: str, name: str) -> bytes:
    """The workbook of a data file's text (``init`` writes its scaffold this way)."""
    data, lines = load_yaml(text, name)
    return write_workbook(data, validate_data(data, lines, name))


def converted(source: str, target: str) -> bytes:
    """``source`` (a data file, YAML or workbook) as ``target``'s kind."""
    to_workbook = target.lower().endswith(WORKBOOK_SUFFIXES)
    if not target.lower().endswith(DATA_SUFFIXES):
        raise UsageError(f"转换的目标应以 {'、'.join(DATA_SUFFIXES)} 结尾：{target}")
    if to_workbook == source.lower().endswith(WORKBOOK_SUFFIXES):
        raise UsageError("源文件和目标是同一种格式；请在 .yaml 和 .xlsx 之间转换")
    data, lines = read_data_file(source)
    loaded = validate_data(data, lines, source)
    if to_workbook:
        return write_workbook(data, loaded)
    header = [f"由 reportgen convert 从 {display_name(Path(source).name)} 转换"]
    return dump(data, loaded.edition, header).encode("utf-8")


def convert_file(source: str, target: str, force: bool = False) -> Path:
    written = commit({Path(target): converted(source, target)}, source_key([source]), [Path(source)], force)
    return written[0]


__all__ = ["convert_file", "converted", "workbook_of_yaml"]
