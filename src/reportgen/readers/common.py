"""What every reader needs to recognise in a report, whatever its format: bytes to text (UTF-8
with or without BOM, UTF-16 with BOM, GBK/GB18030, an HTML ``<meta charset>`` from a known
list), the publication metadata labels sites use, and web-page chrome (breadcrumbs, 字体
buttons, 附件下载 …) in both scripts."""
from __future__ import annotations

import re

from dataclasses import dataclass

from ..errors import InputError
from ..labels import number
from ..publication import all_labels

MAX_REPORT_BYTES = 20 * 1024 * 1024  # a report is a few hundred KB at most; refuse what is not one


@dataclass(frozen=True)
class ReadOptions:
    """What a reader is told besides the bytes: the file's name (for messages), the label keys
    of every statutory table (how a table is recognised in plain text), and the label keys of
    the sections' numbered headings (where a page flattened to one line is cut back into
    sections)."""

    file: str | None = None
    table_labels: frozenset[str] = frozenset()
    headings: frozenset[str] = frozenset()


# --- bytes → text ------------------------------------------------------------------------

def decode(raw: bytes, file: str | None = None, declared: str | None = None) -> tuple[str, str]:
    """(text, encoding). Tries the BOM, the declared charset, UTF-8, then GB18030 (a superset of
    GBK and GB2312). Binary data is refused."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return _strict(raw[3:], "utf-8", file), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(raw, "utf-16", file), "utf-16"
    candidates = [declared] if declared else []
    candidates += ["utf-8", "gb18030"]
    for enc in candidates:
        try:
            text = raw.decode(_codec(enc))
        except (UnicodeDecodeError, LookupError):
            continue
        if _looks_binary(text):
            break
        return text, enc
    raise InputError("无法识别为文本：不是 UTF-8 或 GBK/GB18030 编码的文字，可能是二进制文件", file)


# The charsets a page may declare and that we honour: a declaration of anything else (an
# exotic or made-up codec, punycode, utf-7) is ignored and UTF-8 then GB18030 are tried.
_CHARSETS = {"gbk": "gb18030", "gb2312": "gb18030", "gb_2312-80": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030",
             "euc-cn": "gb18030", "gb18030": "gb18030", "utf-8": "utf-8", "utf8": "utf-8", "big5": "big5hkscs",
             "big5-hkscs": "big5hkscs", "cp950": "cp950", "utf-16": "utf-16", "utf-16le": "utf-16-le",
             "utf-16be": "utf-16-be", "iso-8859-1": "latin-1", "latin1": "latin-1", "windows-1252": "cp1252",
             "cp1252": "cp1252", "us-ascii": "ascii", "ascii": "ascii"}


def _codec(name: str) -> str:
    """The Python codec of a known charset name; LookupError for any other."""
    codec = _CHARSETS.get(name.lower().strip())
    if codec is None:
        raise LookupError(name)
    return codec


def _strict(raw: bytes, enc: str, file: str | None) -> str:
    try:
        text = raw.decode(enc)
    except UnicodeDecodeError as e:
        raise InputError(f"文件声明为 {enc} 编码，但第 {e.start} 字节无法解码", file) from None
    if _looks_binary(text):
        raise InputError("无法识别为文本：含有大量控制字符，可能是二进制文件", file)
    return text


_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f]")


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    if "\x00" in sample:
        return True
    return len(_CONTROLS.findall(sample)) > max(8, len(sample) // 100)


# --- publication metadata ----------------------------------------------------------------

_ALL_META = sorted(set(all_labels()), key=len, reverse=True)
_META_RE = re.compile(r"(?:^|(?<=[\s|•]))(" + "|".join(map(re.escape, _ALL_META)) + r")\s*[:：]")
CHROME_LABELS = ("字体", "字號", "字号", "浏览次数", "瀏覽次數", "点击数", "访问量", "打印", "分享到")
_CHROME_LABEL_RE = re.compile(r"(?:【\s*)?(?:" + "|".join(CHROME_LABELS) + r")\s*[:：]?[\s|大中小】]*$")


def meta_pairs(line: str) -> list[tuple[str, str]] | None:
    """The (label, value) pairs of a metadata line (``索引号: | X | 部门: | Y |``,
    ``发布时间:2006-09-07 11:00 作者: 来源: 本网``, ``• 信息来源:省财政厅``), labels as written;
    None when the line is not metadata."""
    s = line.strip().lstrip("•·*- ").strip()
    matches = list(_META_RE.finditer(s))
    if not matches or s[:matches[0].start()].strip(" |"):
        return None
    pairs = []
    for m, nxt in zip(matches, matches[1:] + [None]):
        value = s[m.end():nxt.start() if nxt else len(s)]
        value = _CHROME_LABEL_RE.sub("", value.replace("|", " ")).strip()
        pairs.append((m.group(1), value))
    return pairs


# --- chrome ------------------------------------------------------------------------------

_CHROME_LINE = re.compile(
    r"^(?:您?当前(?:所在)?位置|您?當前(?:所在)?位置|当前位置|當前位置)\s*[:：]"
    r"|^【?\s*(?:字体|字體|字号|字號)\s*[:：]"
    r"|^(?:附件下载|附件下載|打印本页|打印本頁|关闭窗口|關閉窗口|返回顶部|返回頂部|分享到)\s*[:：]?\s*$"
    r"|^(?:基本介绍|基本介紹|相关词条|相關詞條|热门词条|熱門詞條|联系我们|聯絡我們|联络我们|报告内容|報告內容)\s*$"
    r"|^-{3,}[-|:\s]*$"
    r"|^(?:原文链接|原文鏈接|本地目录|本地目錄)\s*[:：]|^页面链接与图片详见|^={3,}\s*正文\s*={3,}$"  # a crawler's header
    r"|^(?:扫一扫|掃一掃)(?:在|用)?手机(?:上)?(?:查看|打开|浏览)?(?:当前页面?|本页)?$|^(?:用手机扫描二维码|手机扫码)"
    r"|^[•·]\s*(?:中文名|地点|地點|性质|性質|外文名|类别|類別)\s*[:：]")


def is_chrome(line: str) -> bool:
    """Lines of page furniture that are not part of any report."""
    s = line.replace("\xa0", " ").strip()
    if not s:
        return False
    if _CHROME_LINE.search(s):
        return True
    return s[0] in "•·*" and bool(_CHROME_LINE.search(s.lstrip("•·* ")))


def is_layout(line: str) -> bool:
    """Lines that carry no text at all: merged-cell padding (``|||``), rules."""
    return not line.replace("|", "").replace("\xa0", " ").strip()


