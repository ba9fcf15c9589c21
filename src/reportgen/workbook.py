"""The data file as an Excel workbook (填报工作簿), both ways, with openpyxl.

Writing: a sheet per statutory table laid out like the official form (the edition's own
layout: labels, merged headers, the 勾稽 note), numbers in value cells with data validation
(whole numbers ≥ 0, amounts with their places), a formula for every total the data leave to
be computed, label cells locked (the sheet is protected without a password, value cells left
open); a sheet 基本信息 for the report's own fields and metadata (the optional ones offered as
empty rows: 标题, 发布日期, 发布信息, 主送机关, the 落款), and a sheet 正文 with the narrative one
paragraph a row, rows labelled in the form's words (``places``). A hidden sheet records the
edition and which cells hold our formulas.

Reading gives the same data mapping a YAML file gives, and a place for every key
(``表三!D12``, ``正文!C7``) that messages name as a YAML file's line. A workbook whose
structure was changed (labels moved by an inserted row, merged cells altered) is refused with
the place; a number typed as text is taken with a warning when its meaning is plain
('17', １７, 1,234) and refused otherwise; a total whose formula was overwritten is read as
the number given, with a warning; an offered row left empty is absent; a row the clerk inserts
under a paragraph or a line of the 落款 is one more of them, rows inserted into or deleted from a
table are named, a renamed sheet is asked back, a workbook saved as .xls/.ods/.et is converted
through LibreOffice. yaml → xlsx → yaml gives the same data. A workbook is read
only after the zip guard (``package``) has checked what it would inflate to; a macro workbook
(.xlsm, as Excel saves it) is read for its cells, its macros neither run nor kept, with a
notice.
"""
from __future__ import annotations

import io
import unicodedata
from decimal import Decimal
from typing import Any

from .editions import Edition
from .errors import InputError
from .inputs import read_bounded
from .package import WORKBOOK, open_zip
from .model import K, table_data
from .places import place_words
from .rules import derivations
from .tables.spec import BOUNDS, TableSpec
from .datapaths import flatten, path_of, path_text, unflatten
from .yamlio import LineMap

MAX_WORKBOOK_BYTES = 5 * 1024 * 1024
# a workbook data file: the 填报 workbook, or the same saved by Excel as a macro workbook (its
# macros ignored); reportgen writes .xlsx only
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
WRITTEN_SUFFIX = ".xlsx"
# the workbook saved in another program's format: read through LibreOffice, converted to .xlsx
CONVERTED_SUFFIXES = {".xls": "Excel 97–2003 工作簿（.xls）", ".ods": "OpenDocument 电子表格（.ods）",
                      ".et": "WPS 表格文件（.et）"}
INFO, TEXT, HIDDEN = "基本信息", "正文", "_reportgen"
INFO_KEYS = (K.agency, K.year, K.edition, K.script, K.title, K.publish_date, K.addressee, K.publication, K.closing)
# rows 基本信息 offers even when the data leave them out, for the clerk to fill (left empty: absent)
OFFERED = {K.title: [((K.title,), "text")], K.publish_date: [((K.publish_date,), "date")],
           K.publication: [((K.publication, label), "text") for label in ("索引号", "发布机构", "栏目", "成文日期")],
           K.addressee: [((K.addressee,), "text")], K.preamble: [((K.preamble,), "lines")],
           K.closing: [((K.closing, 0), "text"), ((K.closing, 1), "text")]}
NOTE = {INFO: "内容（落款可在其下插入行增加一行；标题、发布日期、发布信息、主送机关留空则不写）",
        TEXT: "内容（每行一段：在段落下插入一行即增加一段，单元格内换行（Alt+Enter）也另起一段）"}
TOP = 3  # the table starts on this row: its title above, a blank row between
HEADER = ("项目", "路径", "内容")


def sheet_name(spec: TableSpec) -> str:
    """表二, 表三, 表四: the numeral of the table's official title."""
    return spec.short_title


# --- writing ------------------------------------------------------------------------------

def write_workbook(data: dict, loaded: Any) -> bytes:
    """The workbook of a data mapping as read from YAML (``data``) and validated (``loaded``, a
    ``LoadedReport``): its own words and fields as written, its tables' cells as validated
    (shorthand rows written out; a total left out stays a formula)."""
    edition: Edition = loaded.edition
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    info = book.active
    info.title = INFO
    tables = {spec.key for spec in edition.tables}
    places = {(section.key, section.values.key, c.key): BOUNDS[c.kind].places  # the 信息处理费: 元 to the fen
              for section in edition.sections if section.values is not None for c in section.values.children}
    info_rows = [r for k in INFO_KEYS for r in (flatten(data[k], (k,)) if k in data else
                                                 [(path, kind, None) for path, kind in OFFERED.get(k, ())])]
    _rows_sheet(info, info_rows, places, Alignment, Font, edition)
    text = book.create_sheet(TEXT)
    rest = [(path, kind, None) for path, kind in OFFERED[K.preamble]] if K.preamble not in data else []
    rest += [r for k, v in data.items() if k not in INFO_KEYS and k not in tables for r in flatten(v, (k,))]
    for spec in edition.tables:  # a table's own words (说明, 标题) beside its cells
        own = data.get(spec.key)
        if isinstance(own, dict):
            rest += [r for k, v in own.items() if k not in _cell_keys(spec) for r in flatten(v, (spec.key, k))]
    _rows_sheet(text, rest, places, Alignment, Font, edition)
    formulas: list[str] = []
    label_fill = PatternFill("solid", fgColor="F2F2F2")
    for spec in edition.tables:
        sheet = book.create_sheet(sheet_name(spec))
        values = spec.cells_from_data(table_data(loaded.report, spec))
        plan = spec._plan
        sums = derivations(spec)
        where = _positions(spec)
        sheet.cell(1, 1, spec.title).font = Font(bold=True, size=14)
        checks = _validations(DataValidation)
        widths: dict[int, float] = {}
        for cell in plan.cells:
            row, col = cell.row + TOP, cell.col + 1
            target = sheet.cell(row, col)
            if cell.rowspan > 1 or cell.colspan > 1:
                sheet.merge_cells(start_row=row, start_column=col, end_row=row + cell.rowspan - 1,
                                  end_column=col + cell.colspan - 1)
            if cell.role != "value":
                target.value = cell.text
                target.fill = label_fill
                target.alignment = Alignment(wrap_text=True, vertical="center",
                                             horizontal="left" if cell.role == "label" else "center")
                widths[col] = max(widths.get(col, 8), min(len(cell.text) * 1.8 + 2, 40) if cell.colspan == 1 else 8)
                continue
            cid = cell.text
            value = values.get(cid)
            address = target.coordinate
            if value is None and cid in sums:
                target.value = "=SUM(" + ",".join(sheet.cell(*where[c]).coordinate for c in sums[cid]) + ")"
                formulas.append(f"{sheet.title}!{address}")
            else:
                target.value = _plain(value)
                if isinstance(value, Decimal) and value.as_tuple().exponent < 0:  # the places as given: 356.40
                    target.number_format = "0." + "0" * -value.as_tuple().exponent
                target.protection = Protection(locked=False)
                _, field = spec.field_for(cid)
                checks[field.kind].add(address)
            target.alignment = Alignment(horizontal="center", vertical="center")
        for check in checks.values():
            if check.sqref:
                sheet.add_data_validation(check)
        for col, width in widths.items():
            sheet.column_dimensions[get_column_letter(col)].width = width
        sheet.protection.sheet = True  # labels and formulas locked; no password: it guards against slips
    hidden = book.create_sheet(HIDDEN)
    hidden.sheet_state = "hidden"
    hidden.append(["版式", edition.id])
    hidden.append(["公式", *formulas])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _validations(DataValidation) -> dict[str, Any]:
    """One data validation per kind of value (what Excel refuses as it is typed)."""
    out = {}
    for kind, bounds in BOUNDS.items():
        if bounds.places == 0:
            check = DataValidation(type="whole", operator="greaterThanOrEqual" if bounds.minimum == 0 else "between",
                                   formula1=str(bounds.minimum), formula2=None if bounds.minimum == 0 else str(bounds.limit),
                                   error="请填写不小于 0 的整数" if bounds.minimum == 0 else "请填写整数（可为负数）")
        else:
            check = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0",
                                   error=f"请填写不小于 0 的数，最多 {bounds.places} 位小数")
        check.showErrorMessage = True
        check.errorTitle = "数值不对"
        out[kind] = check
    return out


def _rows_sheet(sheet, rows: list[tuple[tuple, str, Any]], places: dict[tuple, int], Alignment, Font,
                edition: Edition) -> None:
    """Rows of (path, kind, value) labelled in the form's words (一、总体情况 · 概述, 落款 第 1 行),
    a number checked to the decimal places its field declares."""
    sheet.append([HEADER[0], HEADER[1], NOTE.get(sheet.title, HEADER[2]), "类型"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for path, kind, value in rows:
        sheet.append([place_words(edition, path), path_text(path), _plain(value), kind])
        sheet.cell(sheet.max_row, 3).alignment = Alignment(wrap_text=True, vertical="top")
        if kind == "number":
            from openpyxl.worksheet.datavalidation import DataValidation

            at = f"C{sheet.max_row}"
            n = places.get(path, 0)
            check = DataValidation(type="custom", formula1=f"AND(ISNUMBER({at}),{at}>=0,ROUND({at},{n})={at})",
                                   showErrorMessage=True, errorTitle="数值不对",
                                   error="请填写不小于 0 的数" + (f"，最多 {n} 位小数" if n else "（整数）"))
            check.add(at)
            sheet.add_data_validation(check)
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].hidden = True
    sheet.column_dimensions["C"].width = 90
    sheet.column_dimensions["D"].hidden = True


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral_value() or value.as_tuple().exponent < 0 else int(value)
    return value


def _cell_keys(spec: TableSpec) -> set[str]:
    """The keys under a table's section that hold its cells (the rest are its own words)."""
    return {path[1] for path, _ in spec.fields() if len(path) > 1}


def _positions(spec: TableSpec) -> dict:
    """Cell id → (row, column) of the sheet."""
    return {c.text: (c.row + TOP, c.col + 1) for c in spec._plan.cells if c.role == "value"}


# --- reading ------------------------------------------------------------------------------

def read_workbook(path: str, edition_for) -> tuple[dict, LineMap]:
    """The data mapping of a workbook and the place of every key. ``edition_for(data)``: the
    edition the data are of (the loader's rule: 版式, else 报告年度). The package passes the zip
    guard (``package.open_zip``) before openpyxl sees it; a macro workbook's macros are never
    run nor kept, with a notice."""
    raw = read_bounded(path, MAX_WORKBOOK_BYTES, "工作簿")
    suffix = "." + str(path).rsplit(".", 1)[-1].lower()
    converted = suffix in CONVERTED_SUFFIXES
    if converted:
        raw = _converted(raw, suffix, path)
    book, macros = _open(raw, path)
    places = LineMap()
    if converted:
        places.notices.append((f"这是{CONVERTED_SUFFIXES[suffix]}：已用 LibreOffice 转为 .xlsx 读取；"
                               f"以后请保存为 .xlsx", (), None, "converted"))
    if macros:
        places.notices.append(("这是启用宏的工作簿：其中的宏（VBA）已忽略，不会运行，只读取单元格中的数据", (), None,
                               "macros"))
    data: dict = {}
    for name in (INFO, TEXT):
        if name not in book.sheetnames:
            raise InputError(f"工作簿缺少工作表“{name}”；请用 reportgen 生成的工作簿填写", path)
        data.update(_read_rows(book[name], places, path))
    ours = set()
    if HIDDEN in book.sheetnames:
        for row in book[HIDDEN].iter_rows(values_only=True):
            if row and row[0] == "公式":
                ours = {v for v in row[1:] if v}
    edition = edition_for(data)
    for spec in edition.tables:
        name = sheet_name(spec)
        if name not in book.sheetnames:
            renamed = next((s for s in book.sheetnames if s not in _ours(edition) and
                            str(book[s].cell(1, 1).value or "").strip() == spec.title), None)
            if renamed is not None:
                raise InputError(f"工作表“{renamed}”原名“{name}”（{spec.title}）；请把它改回“{name}”", path)
            raise InputError(f"工作簿缺少工作表“{name}”（{spec.title}）；请用 reportgen 生成的工作簿填写", path)
        cells = _read_table(book[name], spec, ours, places, path)
        table = spec.data_from_cells(cells)
        _drop_omitted(table)
        own = data.get(spec.key) if isinstance(data.get(spec.key), dict) else {}
        data[spec.key] = {**own, **table}
    return data, places


def _converted(raw: bytes, suffix: str, path: str) -> bytes:
    """The workbook of another format as .xlsx, converted by LibreOffice; without LibreOffice,
    a message saying how to save it as .xlsx."""
    from .office import OfficeError, convert

    try:
        return convert(raw, suffix, "xlsx")
    except OfficeError as e:
        raise InputError(f"这是{CONVERTED_SUFFIXES[suffix]}，不是 .xlsx；请在 Excel 或 WPS 中“另存为”Excel 工作簿（.xlsx）"
                         f"后再试（无法自动转换：{e.message}）", path) from None


def _ours(edition: Edition) -> set[str]:
    """The sheet names reportgen writes for ``edition``."""
    return {INFO, TEXT, HIDDEN} | {sheet_name(spec) for spec in edition.tables}


def _open(raw: bytes, path: str):
    """(the workbook openpyxl reads from ``raw``, whether it held macros), or a clear error
    saying what the file is instead."""
    import warnings
    import zipfile
    import zlib

    z = open_zip(raw, path, WORKBOOK)  # before openpyxl is even imported
    names = set(z.namelist())
    if "xl/workbook.xml" not in names:
        kind = "一个 Word 文件" if "word/document.xml" in names else "其他程序的压缩包"
        raise InputError(f"不是 Excel 工作簿：这是{kind}（其中没有工作表）；请给出 reportgen 生成的填报工作簿"
                         "（.xlsx），或用 reportgen init --xlsx 生成一个", path)
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():  # openpyxl's notes on what it does not support are not the clerk's concern
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(raw))
    except (zipfile.BadZipFile, EOFError, zlib.error):
        raise InputError("不是有效的 Excel 工作簿：文件已损坏或被截断；请重新保存或重新生成后再试", path) from None
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a part it cannot read
        raise InputError("无法读取这个 Excel 工作簿：其中的内容不是 Excel 能保存的形式（文件可能已损坏，"
                         "或由其他程序生成）；请在 Excel 中打开后另存为 .xlsx，或重新生成工作簿", path) from None
    return book, any(n.lower().endswith("vbaproject.bin") for n in names)


def _read_rows(sheet, places: LineMap, file: str) -> dict:
    rows = []
    above: tuple | None = None  # (path, kind) of the last row written by reportgen
    for n, row in enumerate(sheet.iter_rows(min_row=2, values_only=True), 2):
        if not row or all(v is None for v in row):
            continue
        row = tuple(row) + (None,) * (4 - len(row))
        if row[1] and row[3]:
            path, kind = path_of(str(row[1])), str(row[3])
            above = (path, kind)
        else:  # a row the clerk inserted: one more line of what is above it
            path, kind = _inserted(above, sheet.title, n, file)
            if row[2] is None:
                continue
        value = row[2]
        if value is None and path[0] in OFFERED and (path, kind) in OFFERED[path[0]]:
            continue  # an offered row left empty: the field is absent
        if kind == "number" and isinstance(value, str):
            value = _number_text(value)
            if value is None:
                raise InputError(f"{sheet.title}!C{n}：应为数字，实际为“{row[2]}”", file)
        rows.append((path, kind, value, n))
    rows = _renumbered(rows)
    for path, _, _, n in rows:
        places.setdefault(path, f"{sheet.title}!C{n}")
        for k in range(1, len(path)):
            places.setdefault(path[:k], f"{sheet.title}!C{n}")
    return unflatten([(path, kind, value) for path, kind, value, _ in rows])


def _inserted(above: tuple | None, title: str, n: int, file: str) -> tuple[tuple, str]:
    """The (path, kind) of a row inserted under ``above``: another paragraph of a text, another
    item of a list (the 落款's lines); anywhere else it cannot be placed."""
    if above is not None:
        path, kind = above
        if kind in ("lines", "lines-open"):
            return path, kind
        if path and isinstance(path[-1], int):
            return path[:-1] + (None,), kind  # numbered in sheet order by _renumbered
    raise InputError(f"{title}!A{n}：这一行是插入的，但只能插在正文段落或落款之下（作为新的一段或一行）；"
                     "其他项目请在已有的行中填写", file)


def _renumbered(rows: list[tuple]) -> list[tuple]:
    """Items of a list (a path ending in an index) numbered in the order the sheet gives them,
    so that a row inserted between two lines of the 落款 takes its place between them."""
    count: dict[tuple, int] = {}
    out = []
    for path, kind, value, n in rows:
        if path and (path[-1] is None or isinstance(path[-1], int)) and not isinstance(path[-1], bool):
            parent = path[:-1]
            index = count.get(parent, 0)
            count[parent] = index + 1
            path = parent + (index,)
        out.append((path, kind, value, n))
    return out


def _read_table(sheet, spec: TableSpec, ours: set[str], places: LineMap, file: str) -> dict:
    plan = spec._plan
    moved = _moved_rows(sheet, plan)
    if moved:
        raise InputError(moved, file)
    expected = {(c.row + TOP, c.col + 1, c.row + TOP + c.rowspan - 1, c.col + c.colspan)
                for c in plan.cells if c.rowspan > 1 or c.colspan > 1}
    found = {(r.min_row, r.min_col, r.max_row, r.max_col) for r in sheet.merged_cells.ranges}
    if expected != found:
        changed = sorted(found ^ expected)[0]
        from openpyxl.utils import get_column_letter
        where = f"{get_column_letter(changed[1])}{changed[0]}:{get_column_letter(changed[3])}{changed[2]}"
        raise InputError(f"{sheet.title}!{where}：合并单元格被改动了；请勿改动表格的结构（可重新生成工作簿后填写）", file)
    for c in plan.cells:
        if c.role == "value":
            continue
        got = sheet.cell(c.row + TOP, c.col + 1).value
        if str(got or "").strip() != c.text.strip():
            address = sheet.cell(c.row + TOP, c.col + 1).coordinate
            raise InputError(f"{sheet.title}!{address}：这里应为“{c.text}”，实际为“{got or ''}”；"
                             "请勿插入、删除或移动行列", file)
    cells: dict = {}
    for c in plan.cells:
        if c.role != "value":
            continue
        cid = c.text
        target = sheet.cell(c.row + TOP, c.col + 1)
        address = f"{sheet.title}!{target.coordinate}"
        path, field = spec.field_for(cid)
        places[path] = address
        value = target.value
        if isinstance(value, str) and value.startswith("="):
            if address in ours:
                cells[cid] = None  # our formula: the total is computed
                continue
            raise InputError(f"{address}：请填写数字，不要用公式（合计由程序计算）", file)
        if address in ours and value is None:
            cells[cid] = None  # the total's formula deleted: it is computed all the same
            continue
        if address in ours:
            places.notices.append((f"{address}：合计的公式被改成了数值 {value}；已按所填数值校验（删去该值可恢复自动计算）",
                                   path, address, "formula"))
        if isinstance(value, str):
            number = _number_text(value)
            if number is None:
                if not value.strip():
                    value = None
                else:
                    raise InputError(f"{address}：应为数字，实际为文字“{value}”", file)
            else:
                places.notices.append((f"{address}：数字是以文字形式填写的“{value}”，已按 {number} 读取", path, address,
                                       "number-text"))
                value = number
        if isinstance(value, float):
            shown = _places(target.number_format)
            if value.is_integer() and (BOUNDS[field.kind].places == 0 or not shown):
                value = int(value)
            else:  # the places the cell shows (0.00: 356.40 stays 356.40)
                value = Decimal(repr(value))
                if shown:
                    value = value.quantize(Decimal(1).scaleb(-shown))
        cells[cid] = value
    return cells


def _moved_rows(sheet, plan) -> str | None:
    """A message naming the rows inserted into (or deleted from) a table sheet, found by where
    its first label that is out of place now stands; None when the labels are where they were."""
    labels = sorted((c for c in plan.cells if c.role != "value"), key=lambda c: (c.row, c.col))
    out_of_place = [c for c in labels if str(sheet.cell(c.row + TOP, c.col + 1).value or "").strip() != c.text.strip()]
    for c in out_of_place[:12]:  # a merged label may read empty after the move: the next one tells
        row, col = c.row + TOP, c.col + 1
        for shift in [k for d in range(1, 21) for k in (d, -d)]:
            if row + shift >= 1 and str(sheet.cell(row + shift, col).value or "").strip() == c.text.strip():
                if shift > 0:
                    where = f"第 {row} 行" if shift == 1 else f"第 {row}—{row + shift - 1} 行"
                    return (f"{sheet.title} {where}是插入的（“{c.text}”原在第 {row} 行）；统计表不能插入行，"
                            f"请删除插入的行（或用 reportgen init --xlsx 重新生成工作簿）")
                gone = [x.text for x in labels if row + shift <= x.row + TOP < row and x.col == c.col]
                where = f"原第 {row + shift} 行" if shift == -1 else f"原第 {row + shift}—{row - 1} 行"
                return (f"{sheet.title} {where}{'（“' + gone[0] + '”）' if gone else ''}被删除了；统计表不能删除行，"
                        f"请撤销删除（或用 reportgen init --xlsx 重新生成工作簿）")
    return None  # no label moved: one was changed, named by the check that follows


def _places(number_format: str) -> int:
    """Decimal places a cell's number format shows (``0.00`` → 2; General → 0)."""
    if "." not in (number_format or ""):
        return 0
    return len(number_format.split(".", 1)[1].split(";")[0].rstrip("_)% "))


def _number_text(text: str):
    plain = unicodedata.normalize("NFKC", text).strip().replace(",", "")
    try:
        number = Decimal(plain)
    except ArithmeticError:
        return None
    if not plain or not number.is_finite():
        return None
    return int(number) if number == number.to_integral_value() and "." not in plain else number


def _drop_omitted(node: dict) -> None:
    """Totals left to be computed are absent, as in a data file that leaves them out (a row of
    them, the whole row)."""
    for key in list(node):
        if isinstance(node[key], dict):
            _drop_omitted(node[key])
            if not node[key]:
                del node[key]
        elif node[key] is None:
            del node[key]


__all__ = ["CONVERTED_SUFFIXES", "INFO", "TEXT", "WORKBOOK_SUFFIXES", "WRITTEN_SUFFIX", "read_workbook", "sheet_name", "write_workbook"]
