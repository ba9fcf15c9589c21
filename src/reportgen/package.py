"""Opening zip packages (docx, xlsx) that someone else made, within a budget and without
reaching outside the machine: the one guard every package goes through before any reader —
ours, python-docx, LibreOffice or openpyxl — sees it.

* ``open_zip`` checks the central directory before anything inflates: how many members, each
  XML part's declared inflated size against the kind's limit (``WORD``, ``WORKBOOK``), all
  members' together against the kind's total, and that every member is stored or deflated
  (Office writes nothing else; bzip2 and LZMA inflate a whole member in one call, whatever size
  it declares) and not encrypted. zipfile never yields more of a member than it declares (it
  stops there and reports a CRC error), so these sizes bound what any reader inflates: a 4 MB
  workbook whose sheet would inflate to 1.5 GB is refused in milliseconds. The refusal names
  the compression ratio.
* ``read_member`` also counts the bytes that actually come out, against the part's limit and
  the package's budget, so a reader of ours is stopped even where the directory and the data
  disagree. There is no ratio rule on its own: a large, repetitive report of our own
  compresses several hundred to one and is still a report; the inflated size is what costs.
* XML is parsed without DTDs, entities or network access.
* ``sanitized_package`` rebuilds a package keeping only what is safe to hand to python-docx
  and LibreOffice: external relationships (an ``attachedTemplate`` URL, a linked picture on a
  UNC path or ``file:///``, a hyperlink target) and the fields that fetch (INCLUDEPICTURE,
  INCLUDETEXT, LINK …) are dropped, with a notice for each.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from lxml import etree

from .errors import InputError

MAX_MEMBERS = 2000
MAX_XML_BYTES = 16 * 1024 * 1024      # one XML part, as it decompresses (a 500-page report's is under 10 MB)
MAX_PACKAGE_BYTES = 96 * 1024 * 1024  # everything read from one package
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_FETCHING_FIELDS = re.compile(r"^\s*(INCLUDEPICTURE|INCLUDETEXT|LINK|DDE|DDEAUTO|IMPORT|INCLUDE)\b", re.I)
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a compound file: Office 97–2003, or Office encrypted with a password


@dataclass(frozen=True)
class Kind:
    """One kind of package: its name in messages, the most one XML part may inflate to, the
    most all its members together may."""

    what: str
    part: int
    total: int


WORD = Kind("Word 文件", MAX_XML_BYTES, MAX_PACKAGE_BYTES)
# openpyxl holds a cell in some 15 times its XML: 8 MB of sheet is about 200 MB and 4 s; a
# clerk's workbook is under 200 KB inflated
WORKBOOK = Kind("Excel 工作簿", 8 * 1024 * 1024, 12 * 1024 * 1024)


def _is_xml(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels", ".vml"))


def _size(n: int) -> str:
    return f"{n / 1024 ** 3:.1f} GB" if n >= 1024 ** 3 else f"{n / 1024 ** 2:.1f} MB" if n >= 1024 ** 2 \
        else f"{max(1, n // 1024)} KB"


def _bomb(name: str, size: int, compressed: int, limit: int) -> str:
    """Why a member too large to inflate is refused: a bomb when it compressed as no document
    does (over 100:1), else simply more than one report holds."""
    if size > 100 * max(compressed, 1):
        return (f"拒绝读取：压缩包中的“{name}”解压后有 {_size(size)}（上限 {_size(limit)}，压缩比约 "
                f"{size // max(compressed, 1)}:1），可能是压缩炸弹；请确认文件来源，或重新导出后再试")
    return (f"拒绝读取：压缩包中的“{name}”解压后有 {_size(size)}（上限 {_size(limit)}），远超一份报告的内容；"
            "请删去多余的内容（如大图片、多余的工作表）后再试")


def open_zip(raw: bytes, file: str | None, kind: Kind = WORD) -> zipfile.ZipFile:
    """The package, refused before anything inflates when its directory says it would inflate
    past ``kind``'s limits, uses a compression Office does not, or is encrypted."""
    what = kind.what
    if raw.startswith(_OLE2):
        raise InputError(f"不是有效的 {what}：这是旧版 Office 文件（.doc/.xls），或设置了打开密码的文件；"
                         f"请在 Office 中取消密码，另存为 {'.xlsx' if kind is WORKBOOK else '.docx'} 后再试", file)
    try:
        z = zipfile.ZipFile(io.BytesIO(raw))
        infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise InputError(f"不是有效的 {what}：zip 结构损坏或文件被截断", file) from None
    if len(infos) > MAX_MEMBERS:
        raise InputError(f"拒绝读取：{what}中有 {len(infos)} 个部件，远超正常文件", file)
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise InputError(f"无法读取：{what}中的“{info.filename}”已加密；请取消密码后另存再试", file)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise InputError(f"拒绝读取：{what}中的“{info.filename}”使用了 Office 不使用的压缩方式，"
                             "可能是压缩炸弹；请用 Office 重新保存后再试", file)
        limit = kind.part if _is_xml(info.filename) else kind.total
        if info.file_size > limit:
            raise InputError(_bomb(info.filename, info.file_size, info.compress_size, limit), file)
        total += info.file_size
        if total > kind.total:
            raise InputError(f"拒绝读取：{what}解压后超过 {_size(kind.total)}（各部件合计），可能是压缩炸弹", file)
    return z


class Budget:
    """Bytes read from one package so far, against ``MAX_PACKAGE_BYTES``."""

    def __init__(self, limit: int = MAX_PACKAGE_BYTES):
        self.left = limit


def read_member(z: zipfile.ZipFile, name: str, file: str | None, limit: int = MAX_XML_BYTES,
                budget: Budget | None = None) -> bytes | None:
    """A member's bytes (None when absent), refused when it declares or yields more than
    ``limit`` bytes or more than the package's budget has left."""
    try:
        info = z.getinfo(name)
    except KeyError:
        return None
    cap = min(limit, budget.left) if budget is not None else limit
    if info.file_size > cap:
        raise InputError(_bomb(name, info.file_size, info.compress_size, cap), file)
    try:
        with z.open(info) as fh:
            data = fh.read(cap + 1)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
        raise InputError(f"文件已损坏：无法解压“{name}”", file) from None
    if len(data) > cap:
        raise InputError(f"拒绝读取：压缩包中的“{name}”解压后超过声明的大小，可能是压缩炸弹", file)
    if budget is not None:
        budget.left -= len(data)
    return data


# libxml2's complaint → what it means, for the message (its own words name C functions)
_XML_PROBLEMS = (("amplification", "实体引用层层展开（实体炸弹），拒绝读取"), ("entity", "含有无法识别的实体引用"),
                 ("namespace prefix", "使用了未声明的命名空间前缀"), ("mismatch", "开始标签和结束标签不一致"),
                 ("premature end", "内容不完整（可能被截断）"), ("end of data", "内容不完整（可能被截断）"),
                 ("document is empty", "内容是空的"), ("start tag expected", "不是 XML 内容"),
                 ("huge", "结构过大或嵌套过深"), ("depth", "结构过大或嵌套过深"))


def parse_xml(data: bytes, name: str, file: str | None):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True,
                             load_dtd=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:
        said = (e.msg or "").lower()
        what = next((chinese for english, chinese in _XML_PROBLEMS if english in said), "格式错误")
        where = f"，第 {e.lineno} 行" if e.lineno else ""
        raise InputError(f"文件已损坏：“{name}”不是有效的 XML（{what}{where}）", file) from None


def sanitized_package(raw: bytes, file: str | None, kind: Kind = WORD) -> tuple[bytes, list[str]]:
    """(the package rebuilt without external relationships or fetching fields, notices)."""
    z = open_zip(raw, file, kind)
    budget = Budget()
    members: dict[str, bytes] = {}
    for info in z.infolist():
        if info.is_dir():
            continue
        data = read_member(z, info.filename, file, kind.part if _is_xml(info.filename) else kind.total, budget)
        members[info.filename] = data or b""
    notices: list[str] = []
    dropped: dict[str, set[str]] = {}  # part name → relationship ids removed from it
    for name in [n for n in members if n.endswith(".rels")]:
        root = parse_xml(members[name], name, file)
        gone = []
        for rel in list(root):
            if (rel.get("TargetMode") or "").lower() == "external":
                gone.append(rel.get("Id"))
                kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
                notices.append(f"已移除外部链接（{kind}）：{(rel.get('Target') or '')[:120]}")
                root.remove(rel)
        if gone:
            members[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            dropped[_source_part(name)] = {g for g in gone if g}
    for name, data in list(members.items()):
        if not name.endswith(".xml") or name.endswith(".rels"):
            continue
        ids = dropped.get(name, set())
        if not ids and b"instr" not in data:
            continue
        root = parse_xml(data, name, file)
        changed = _drop_references(root, ids) | _drop_fetching_fields(root, notices)
        if changed:
            members[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    if not notices:
        return raw, []
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zw:
        for info in z.infolist():
            if info.filename in members:
                zw.writestr(info, members[info.filename])
    return out.getvalue(), notices


def _source_part(rels_name: str) -> str:
    """word/_rels/settings.xml.rels → word/settings.xml; _rels/.rels → (the package)."""
    folder, _, base = rels_name.rpartition("_rels/")
    return folder + base[:-len(".rels")]


def _drop_references(root, ids: set[str]) -> bool:
    """Remove what points at a dropped relationship: a hyperlink keeps its text, a linked picture
    loses its link, anything else (attachedTemplate, a linked image, a sub-document) goes."""
    if not ids:
        return False
    changed = False
    for el in list(root.iter()):
        attrs = [a for a in el.attrib if a.startswith("{" + _R_NS + "}") and el.attrib[a] in ids]
        if not attrs:
            continue
        changed = True
        local = el.tag.rsplit("}", 1)[-1]
        parent = el.getparent()
        if local == "hyperlink" and parent is not None:
            for a in attrs:
                del el.attrib[a]
        elif local == "blip" or parent is None:
            for a in attrs:
                del el.attrib[a]
        else:
            parent.remove(el)
    return changed


def _drop_fetching_fields(root, notices: list[str]) -> bool:
    changed = False
    for el in root.iter("{%s}instrText" % _W_NS):
        if el.text and _FETCHING_FIELDS.match(el.text):
            notices.append(f"已移除取外部内容的域：{el.text.strip()[:120]}")
            el.text = ""
            changed = True
    for el in root.iter("{%s}fldSimple" % _W_NS):
        instr = el.get("{%s}instr" % _W_NS) or ""
        if _FETCHING_FIELDS.match(instr):
            notices.append(f"已移除取外部内容的域：{instr.strip()[:120]}")
            el.set("{%s}instr" % _W_NS, "")
            changed = True
    return changed
