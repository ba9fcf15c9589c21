"""Reading a YAML data file (writing one is ``datafile``'s job).

Reading keeps what a clerk needs in error messages and what the report needs exactly: the line
of every key (``LineMap``), decimals as written (``12.30`` stays ``Decimal('12.30')``), and it
refuses duplicate keys, multiple documents, alias bombs, absurd nesting and numbers longer than
any value may be. ``comment`` makes a YAML comment line that nothing can break out of.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

import yaml

from .document import one_line
from .errors import InputError
from .inputs import read_bounded
from .tables.spec import MAX_DIGITS

try:  # the C loader composes several times faster when libyaml is present
    _BaseLoader = yaml.CSafeLoader  # type: ignore[attr-defined]
except AttributeError:  # pragma: no cover
    _BaseLoader = yaml.SafeLoader

MAX_NODES = 200_000
MAX_DEPTH = 64
MAX_NUMBER_TEXT = MAX_DIGITS + 12  # room for a sign, separators, a decimal point and an exponent
_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_PLAIN_TAGS = frozenset("tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map"))

class LineMap(dict):
    """tuple(key path) → 1-based line, and what reading the file found worth telling
    (``notices``: (message, key path, line, code)), which validation reports as warnings."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.notices: list[tuple[str, tuple, int | None, str]] = []


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    pass


def _construct_decimal(loader, node):
    text = loader.construct_scalar(node).replace("_", "")
    try:
        return Decimal(text)
    except InvalidOperation:  # .inf / .nan
        return float(loader.construct_yaml_float(node))


_Loader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)


def _construct_timestamp(loader, node):
    """A date-shaped value that is no real date (2024-13-45) stays text, so validation can say
    what is wrong with it instead of the YAML reader failing."""
    try:
        return _BaseLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


MAX_DATA_BYTES = 5 * 1024 * 1024  # a data file is a few dozen KB; refuse what is not one
YAML_SUFFIXES = (".yaml", ".yml")


def read_text(path: str) -> tuple[str, str]:
    """A text input within the size budget, with clear errors: (text, encoding). UTF-8 (BOM
    allowed), UTF-16 with its BOM, else GBK/GB18030 as Notepad saves it on a Chinese Windows. A
    zip (a workbook or Word file named .yaml) is told apart from text."""
    raw = read_bounded(path, MAX_DATA_BYTES, "数据文件")
    if raw.startswith(b"PK\x03\x04"):
        raise InputError("这不是 YAML 数据文件，而是压缩包（如 Excel 工作簿或 Word 文件）；填报工作簿的文件名请以 "
                         ".xlsx 结尾，报告请用 reportgen parse 读取", path)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Notepad's "Unicode": UTF-16 with its byte order mark
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as e:
            raise InputError(f"文件以 UTF-16 的字节顺序标记开头，但第 {e.start} 字节无法按 UTF-16 解码；请在编辑器中以 UTF-8 保存",
                             path) from None
    if b"\x00" in raw[:8192]:
        raise InputError("这不是文本文件（含有二进制数据）", path)
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as e:
        try:
            return raw.decode("gb18030"), "gb18030"
        except UnicodeDecodeError:
            raise InputError(f"文件不是 UTF-8 或 GBK 编码（第 {e.start} 字节无法解码）；请在编辑器中以 UTF-8 保存",
                             path) from None


def load_file(path: str, keys: frozenset[str] = frozenset()) -> tuple[object, LineMap]:
    """A YAML file's data and the line of every key path (``keys``: see ``load_yaml``)."""
    text, encoding = read_text(path)
    data, lines = load_yaml(text, path, keys)
    if encoding != "utf-8":
        how = "UTF-16 编码（如记事本“Unicode”保存），已按 UTF-16" if encoding == "utf-16" else \
            "GBK 编码（如记事本“ANSI”保存），已按 GBK"
        lines.notices.insert(0, (f"文件是 {how} 读取；建议另存为 UTF-8", (), None, "encoding"))
    return data, lines


def load_yaml(text: str, filename: str, keys: frozenset[str] = frozenset()) -> tuple[object, LineMap]:
    """Parse one YAML document; return the data and the line of every key path. A clerk's
    usual mistakes (a full-width colon, no space after the colon, a tab or full-width spaces
    for indentation) are explained in Chinese on their own line with the fix, also where YAML
    would read them as something else without complaint (``keys``: the data file's keys)."""
    try:
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as e:
        message, line = explain(text, e)
        raise InputError(message, filename, line) from None
    except yaml.reader.ReaderError as e:  # a character YAML does not allow (control characters)
        line = text.count("\n", 0, e.position) + 1
        raise InputError(f"含有不可见的控制字符 U+{e.character:04X}，YAML 不允许；请删除该字符", filename, line) from None
    except yaml.YAMLError as e:
        raise InputError("YAML 格式有误，无法读取；请检查冒号（英文“: ”）、缩进（空格）和引号", filename) from None
    if root is None:
        raise InputError("文件是空的，没有任何数据（empty file）", filename)
    lines = LineMap()
    count = [0]

    def build(node, path: tuple, depth: int):
        count[0] += 1
        if count[0] > MAX_NODES:
            raise InputError(f"数据过大或含有别名炸弹：超过 {MAX_NODES} 个节点（too many YAML nodes）", filename)
        if depth > MAX_DEPTH:
            raise InputError(f"嵌套层次过深（超过 {MAX_DEPTH} 层）", filename, node.start_mark.line + 1)
        if node.tag not in _PLAIN_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            raise InputError(f"不支持 YAML 标签“{tag[:80]}”：数据文件只写文字、数字和日期，不用标签；请删去以“!”开头的这一段",
                             filename, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            out: dict = {}
            for knode, vnode in node.value:
                if knode.tag == "tag:yaml.org,2002:merge":
                    raise InputError("不支持 YAML 合并键 <<", filename, knode.start_mark.line + 1)
                key = build(knode, path, depth + 1)
                if isinstance(key, (dict, list)):
                    raise InputError("键必须是文字", filename, knode.start_mark.line + 1)
                key = str(key)
                if key in out:
                    raise InputError(f"键“{key}”重复出现（duplicate key），请合并或删除其中一个", filename,
                                     knode.start_mark.line + 1)
                lines[path + (key,)] = knode.start_mark.line + 1
                out[key] = build(vnode, path + (key,), depth + 1)
            return out
        if isinstance(node, yaml.SequenceNode):
            items = []
            for i, item in enumerate(node.value):
                lines[path + (i,)] = item.start_mark.line + 1
                items.append(build(item, path + (i,), depth + 1))
            return items
        if node.tag in _NUMBER_TAGS and len(node.value) > MAX_NUMBER_TEXT:
            raise InputError(f"数值过长（{len(node.value)} 个字符）：报告中的数不超过 {MAX_DIGITS} 位，请检查这个数",
                             filename, node.start_mark.line + 1)
        if node.style in (None, "", "'", '"') and node.end_mark.line > node.start_mark.line and path and \
                isinstance(path[-1], str):
            lines.notices.append((f"从第 {node.start_mark.line + 1} 行起的 {node.end_mark.line - node.start_mark.line + 1} "
                                  f"行被合成了一段（行间加了空格）；要分成几段，请在“{path[-1]}:”后加“|”",
                                  path, node.start_mark.line + 1, "folded"))
        try:
            return _Loader.construct_object(_scalar_loader, node)
        except yaml.YAMLError as e:
            raise InputError("无法识别这个值；如是文字，请给整个值加引号", filename, node.start_mark.line + 1) from None
        finally:  # the shared loader's cache would keep every node of every file read
            _scalar_loader.constructed_objects.pop(node, None)

    data = build(root, (), 0)
    mistake = _structural_mistake(text, keys)
    if mistake is not None:  # YAML read it, but not as the clerk meant it
        raise InputError(mistake[0], filename, mistake[1])
    return data, lines



# --- the fast path: a plain file's data, without lines -----------------------------------

class _NotPlain(Exception):
    """Something in a file that only ``load_yaml`` may judge and explain."""


class _PlainLoader(_Loader):
    """``_Loader`` with the tag of a plain scalar remembered by its text (it depends on the
    text alone: the safe resolver has no path resolvers), so the thousands of 0s and keys of a
    batch of data files are resolved once."""

    _tags: dict[str, str] = {}

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode and implicit[0]:
            tag = self._tags.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(value) <= 32 and len(self._tags) < 20_000:
                    self._tags[value] = tag
            return tag
        return super().resolve(kind, value, implicit)

    def descend_resolver(self, current_node, current_index):  # no path resolvers: nothing to follow
        pass

    def ascend_resolver(self):
        pass


_STR, _MAP, _SEQ = "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
_INT = _NUMBER_TAGS[0]
_ints: dict[str, int] = {}


def load_plain(path: str, keys: frozenset[str] = frozenset()) -> object | None:
    """A data file's data, read about twice as fast as ``load_file`` when the file is plain, and
    the same data: UTF-8 or GBK text, one YAML document with no duplicate key, merge key,
    non-text key, special collection tag, over-long number, nesting or node count over the limits,
    and none of a clerk's mistakes YAML reads without complaint (``keys``: see ``load_yaml``).
    No lines and no notices (what reading found worth telling). None when the file is not
    plain: then ``load_file`` reads it and says what is wrong."""
    try:
        text, _ = read_text(path)
        loader = _PlainLoader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
        if root is None:
            return None
        count = 0
        constructors = _Loader.yaml_constructors

        def build(node, depth: int):
            nonlocal count
            count += 1
            if count > MAX_NODES or depth > MAX_DEPTH:
                raise _NotPlain
            if node.__class__ is yaml.ScalarNode:
                tag = node.tag
                if tag == _STR:
                    return node.value
                if tag == _INT and len(node.value) <= 12:  # the table's counts: each text made a number once
                    number = _ints.get(node.value)
                    if number is None:
                        number = constructors[tag](_scalar_loader, node)
                        if len(_ints) < 20_000:
                            _ints[node.value] = number
                    return number
                if tag in _NUMBER_TAGS:
                    if len(node.value) > MAX_NUMBER_TEXT:
                        raise _NotPlain
                    return constructors[tag](_scalar_loader, node)
                try:
                    return _Loader.construct_object(_scalar_loader, node)
                finally:
                    _scalar_loader.constructed_objects.pop(node, None)
            if node.__class__ is yaml.MappingNode and node.tag == _MAP:
                out: dict = {}
                for knode, vnode in node.value:
                    if knode.__class__ is not yaml.ScalarNode or knode.tag == "tag:yaml.org,2002:merge":
                        raise _NotPlain
                    key = str(build(knode, depth + 1))
                    if key in out:
                        raise _NotPlain
                    out[key] = build(vnode, depth + 1)
                return out
            if node.__class__ is yaml.SequenceNode and node.tag == _SEQ:
                return [build(item, depth + 1) for item in node.value]
            raise _NotPlain

        data = build(root, 0)
        if _structural_mistake(text, keys) is not None:
            return None
        return data
    except Exception:  # noqa: BLE001 - anything unusual is for load_file to read and explain
        return None

# --- a clerk's YAML mistakes, in Chinese ---------------------------------------------------

_KEY = r"([^\s:：#'\"{\[\]|>-][^:：#]{0,40}?)"
_FULL_COLON = re.compile(r"^[ ]*(?:-[ ]+)?" + _KEY + r"[ ]*：[ ]*(.*)$")
_NO_SPACE = re.compile(r"^[ ]*(?:-[ ]+)?" + _KEY + r":([^\s/].*)$")
_BLOCK_START = re.compile(r"^([ ]*)(?:-[ ]+|[^#]*?:[ ]+)[|>][-+0-9]*[ ]*(?:#.*)?$")
_PROBLEMS = (  # PyYAML's problem (the C and Python parsers word some differently) → what to tell a clerk
    ("cannot start any token", "这一行有 YAML 不允许放在开头的字符（如 Tab、@、`）：缩进只用空格；值以 @ 或 ` 开头时请给整个值加引号"),
    ("could not find expected ':'", "这一行不是“键: 值”的形式（缺少英文冒号和其后的空格）；如果它是上一项的续行，"
                                    "请在上一项的冒号后加“|”并让各行多缩进两格"),
    ("mapping values are not allowed", "这一行的值里有“: ”（英文冒号加空格），YAML 会把它当成新的键；请给整个值加引号，"
                                       "或把值里的冒号改为中文冒号“：”"),
    ("found unexpected end of stream", "引号没有闭合：请在值的末尾补上对应的引号"),
    ("expected ',' or ']'", "方括号“[ ]”没有闭合"),
    ("expected ',' or '}'", "花括号“{ }”没有闭合"),
    ("expected node content", "方括号或花括号没有闭合（文件在它们结束前就完了）"),
    ("found '<stream end>'", "方括号或花括号没有闭合（文件在它们结束前就完了）"),
    ("did not find expected key", "缩进不一致：同一层的各项要左对齐，下一层比上一层多缩进两个空格"),
    ("expected <block end>", "缩进不一致：同一层的各项要左对齐，下一层比上一层多缩进两个空格"),
    ("did not find expected '-'", "列表各项要对齐，每项以“- ”开头"),
    ("found undefined alias", "以“*”开头的值会被当作 YAML 别名；如是文字，请给整个值加引号"),
    ("unknown escape character", "双引号里的反斜杠“\\”要写成“\\\\”，或改用单引号"),
    ("found undefined tag handle", "以“!”开头的值会被当作 YAML 标签；如是文字，请给整个值加引号"),
    ("while scanning a tag", "以“!”开头的值会被当作 YAML 标签；如是文字，请给整个值加引号"),
    ("expected a single document", "文件中有多个 YAML 文档（以“---”分隔）；数据文件只能有一个：请删去“---”及其后的内容，"
                                   "或把另一份分成单独的文件"),
)


def _line_mistake(line: str) -> tuple[str, bool] | None:
    """What is wrong with one line, in the words of the fix, and whether it is wrong whatever
    the key (an indentation); None when nothing is."""
    indent = line[:len(line) - len(line.lstrip(" \t\u3000"))]
    if "\t" in indent:
        return "用了制表符（Tab）缩进；YAML 只能用空格缩进，请把 Tab 换成空格", True
    if "\u3000" in indent:
        return "行首用了全角空格缩进；请改为半角空格（同一层对齐，下一层多缩进两格）", True
    if ": " not in line and not line.rstrip().endswith(":"):
        m = _FULL_COLON.match(line)
        if m:
            return f"把中文冒号“：”改为英文冒号“: ”（写成“{m.group(1).strip()}: {m.group(2).strip()}”）", False
        m = _NO_SPACE.match(line)
        if m:
            return f"冒号后要有一个空格（写成“{m.group(1).strip()}: {m.group(2).strip()}”）", False
    return None


def explain(text: str, error) -> tuple[str, int | None]:
    """A YAML syntax error as a Chinese message with the fix, and the line it is really on: the
    reported line or one just before it when that line holds a clerk's usual mistake."""
    mark = error.problem_mark or error.context_mark
    lines = text.split("\n")
    last = max((i for i, line in enumerate(lines) if line.strip()), default=0)
    at = min(mark.line if mark else last, last)  # an error at the end of the file is on its last line
    for i in range(min(at, len(lines) - 1), max(-1, at - 4), -1):
        if lines[i].strip() and not lines[i].lstrip().startswith("#"):
            found = _line_mistake(lines[i])
            if found:
                return f"第 {i + 1} 行：{found[0]}", i + 1
    problem = f"{error.problem or ''} {error.context or ''}"
    if "mapping values are not allowed" in problem and 0 < at < len(lines):
        previous = next((lines[i] for i in range(at - 1, -1, -1) if lines[i].strip()), "")
        if _indent(lines[at]) > _indent(previous) and ": " in previous and not previous.rstrip().endswith(":"):
            return (f"第 {at + 1} 行：比上一行多缩进了；同一层的各项要左对齐（上一行的值之后不能再有下一层）",
                    at + 1)
    for english, chinese in _PROBLEMS:
        if english in problem:
            if "没有闭合" in chinese and error.context_mark is not None and "node" not in problem:
                # where the quote or bracket opened
                return f"第 {error.context_mark.line + 1} 行：{chinese}", error.context_mark.line + 1
            return f"第 {at + 1} 行：{chinese}", at + 1
    return f"第 {at + 1} 行：YAML 格式有误；请检查这一行和上一行的冒号（英文“: ”）、缩进（空格）和引号", at + 1


def _structural_mistake(text: str, keys: frozenset[str]) -> tuple[str, int] | None:
    """A line YAML read without complaint but not as meant: indented with full-width spaces or a
    tab, or a known key written with a full-width colon or without the space after its colon.
    Lines inside a literal block (``|``) are the clerk's text and are left alone."""
    block: int | None = None
    for n, line in enumerate(text.split("\n"), 1):
        stripped = line.lstrip(" ")
        if block is not None:
            if not line.strip() or len(line) - len(stripped) > block:
                continue
            block = None
        if not stripped or stripped.startswith("#"):
            continue
        m = _BLOCK_START.match(line)
        if m:
            block = len(m.group(1))
            continue
        found = _line_mistake(line)
        if found and (found[1] or _key_of(line) in keys):
            return f"第 {n} 行：{found[0]}", n
    return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _key_of(line: str) -> str | None:
    m = _FULL_COLON.match(line) or _NO_SPACE.match(line)
    return m.group(1).strip() if m else None


_scalar_loader = _Loader("")


def comment(text: str) -> str:
    """A YAML comment line holding ``text``: a line break inside it (any of the one definition,
    which PyYAML also breaks at) would end the comment and turn the rest into data."""
    return "# " + one_line(text)
