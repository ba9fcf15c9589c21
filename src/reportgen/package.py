"""Opening zip packages (docx, xlsx) that someone else made, within a budget and without
reaching outside the machine.

* Members are read by streaming with a cap on the bytes that actually come out, so a member
  whose header lies about its size is stopped as surely as one that declares it; a package
  with absurdly many members is refused. There is no ratio rule: a large, repetitive report
  of our own compresses 30:1 and is still a report.
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

from lxml import etree

from .errors import InputError

MAX_MEMBERS = 2000
MAX_XML_BYTES = 16 * 1024 * 1024      # one XML part, as it decompresses (a 500-page report's is under 10 MB)
MAX_PACKAGE_BYTES = 96 * 1024 * 1024  # everything read from one package
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_FETCHING_FIELDS = re.compile(r"^\s*(INCLUDEPICTURE|INCLUDETEXT|LINK|DDE|DDEAUTO|IMPORT|INCLUDE)\b", re.I)


def open_zip(raw: bytes, file: str | None, what: str = "Word 文件") -> zipfile.ZipFile:
    try:
        z = zipfile.ZipFile(io.BytesIO(raw))
        infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise InputError(f"不是有效的{what}：zip 结构损坏或文件被截断", file) from None
    if len(infos) > MAX_MEMBERS:
        raise InputError(f"拒绝读取：{what}中有 {len(infos)} 个部件，远超正常文件", file)
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
        raise InputError(f"拒绝读取：压缩包中的“{name}”解压后过大（{info.file_size // 1024} KB），可能是压缩炸弹", file)
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


def parse_xml(data: bytes, name: str, file: str | None):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True,
                             load_dtd=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:
        raise InputError(f"文件已损坏：“{name}”不是有效的 XML（{e.msg}）", file) from None


def sanitized_package(raw: bytes, file: str | None, what: str = "Word 文件") -> tuple[bytes, list[str]]:
    """(the package rebuilt without external relationships or fetching fields, notices)."""
    z = open_zip(raw, file, what)
    budget = Budget()
    members: dict[str, bytes] = {}
    for info in z.infolist():
        if info.is_dir():
            continue
        xml = info.filename.endswith((".xml", ".rels"))
        data = read_member(z, info.filename, file, MAX_XML_BYTES if xml else MAX_PACKAGE_BYTES, budget)
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
