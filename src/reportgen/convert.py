"""``reportgen convert``: a data file from YAML to the 填报 workbook (.xlsx) and back, and the
workbook ``init`` writes. The data are validated on the way, so a workbook is only made of
data that stand, and the YAML written from a workbook is the one data-file writer's
(``datafile``); the same report comes out either way. A macro workbook (.xlsm) is read like
any workbook (its macros ignored, with a notice); none is written, as Excel opens an .xlsm
only when it holds macros."""
from __future__ import annotations

from pathlib import Path

from .datafile import dump
from .errors import UsageError, display_name
from .loader import LoadedReport, read_data_file, validate_data
from .outputs import commit, source_key
from .workbook import WORKBOOK_SUFFIXES, WRITTEN_SUFFIX, write_workbook
from .yamlio import YAML_SUFFIXES, load_yaml


def workbook_of_yaml(text: str, name: str) -> bytes:
    """The workbook of a data file's text (``init`` writes its scaffold this way)."""
    data, lines = load_yaml(text, name)
    return write_workbook(data, validate_data(data, lines, name))


def converted(source: str, target: str) -> bytes:
    """``source`` (a data file, YAML or workbook) as ``target``'s kind."""
    return conversion(source, target)[0]


def conversion(source: str, target: str) -> tuple[bytes, LoadedReport]:
    """(``source`` as ``target``'s kind, the data validated: their warnings are the user's)."""
    suffix = Path(target).suffix.lower()
    if suffix not in YAML_SUFFIXES + (WRITTEN_SUFFIX,):
        if suffix in WORKBOOK_SUFFIXES:  # .xlsm: Excel opens a macro workbook only if it is one
            raise UsageError(f"不能生成启用宏的工作簿（{suffix}）：reportgen 生成的工作簿不含宏；"
                             f"请以 {WRITTEN_SUFFIX} 为目标（如 -o 数据{WRITTEN_SUFFIX}）")
        raise UsageError(f"转换的目标应以 {'、'.join(YAML_SUFFIXES + (WRITTEN_SUFFIX,))} 结尾"
                         f"（{display_name(target)} 是{f'“{suffix}”' if suffix else '没有扩展名的文件'}）")
    to_workbook = suffix == WRITTEN_SUFFIX
    from_workbook = Path(source).suffix.lower() in WORKBOOK_SUFFIXES
    if to_workbook and from_workbook:
        raise UsageError(f"源文件和目标都是 Excel 工作簿；convert 在 YAML 数据文件和工作簿之间转换：工作簿请转换为 "
                         f"{YAML_SUFFIXES[0]}（如 -o 数据{YAML_SUFFIXES[0]}）")
    if not to_workbook and not from_workbook:
        raise UsageError(f"源文件和目标都是 YAML 数据文件；convert 在 YAML 数据文件和工作簿之间转换：请以 "
                         f"{WRITTEN_SUFFIX} 为目标（如 -o 数据{WRITTEN_SUFFIX}）")
    data, lines = read_data_file(source)
    loaded = validate_data(data, lines, source)
    if to_workbook:
        return write_workbook(data, loaded), loaded
    header = [f"由 reportgen convert 从 {display_name(Path(source).name)} 转换"]
    return dump(data, loaded.edition, header).encode("utf-8"), loaded


def convert_file(source: str, target: str, force: bool = False) -> tuple[Path, LoadedReport]:
    """Write ``source`` converted to ``target``: (the file written, the data validated)."""
    data, loaded = conversion(source, target)
    written = commit({Path(target): data}, source_key([source]), [Path(source)], force)
    return written[0], loaded


__all__ = ["conversion", "convert_file", "converted", "workbook_of_yaml"]
