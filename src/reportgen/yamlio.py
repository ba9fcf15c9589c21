"""Reading a YAML data file (writing one is ``datafile``'s job).

Reading keeps what a clerk needs in error messages and what the report needs exactly: the line
of every key (``LineMap``), decimals as written (``12.30`` stays ``Decimal('12.30')``), and it
refuses duplicate keys, multiple documents, alias bombs, absurd nesting and numbers longer than
any value may be. ``comment`` makes a YAML comment line that nothing can break out of.
"""
from __future__ import annotations

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

LineMap = dict  # tuple(key path) -> 1-based line


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


def read_text(path: str) -> str:
    """A UTF-8 text input (BOM allowed), within the size budget, with clear errors."""
    raw = read_bounded(path, MAX_DATA_BYTES, "数据文件")
    if b"\x00" in raw[:8192]:
        raise InputError("这不是文本文件（含有二进制数据）", path)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"文件不是 UTF-8 编码（第 {e.start} 字节无法解码）；请在编辑器中以 UTF-8 保存", path) from None


def load_file(path: str) -> tuple[object, LineMap]:
    """A YAML file's data and the line of every key path."""
    return load_yaml(read_text(path), path)


def load_yaml(text: str, filename: str) -> tuple[object, LineMap]:
    """Parse one YAML document; return the data and the line of every key path."""
    try:
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else None
        raise InputError(f"YAML 格式错误：{e.problem or e.context}（YAML syntax error）", filename, line) from None
    except yaml.reader.ReaderError as e:  # a character YAML does not allow (control characters)
        line = text.count("\n", 0, e.position) + 1
        raise InputError(f"含有不可见的控制字符 U+{e.character:04X}，YAML 不允许；请删除该字符", filename, line) from None
    except yaml.YAMLError as e:
        raise InputError(f"YAML 格式错误：{e}", filename) from None
    if root is None:
        raise InputError("文件是空的，没有任何数据（empty file）", filename)
    lines: LineMap = {}
    count = [0]

    def build(node, path: tuple, depth: int):
        count[0] += 1
        if count[0] > MAX_NODES:
            raise InputError(f"数据过大或含有别名炸弹：超过 {MAX_NODES} 个节点（too many YAML nodes）", filename)
        if depth > MAX_DEPTH:
            raise InputError(f"嵌套层次过深（超过 {MAX_DEPTH} 层）", filename, node.start_mark.line + 1)
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
        try:
            return _Loader.construct_object(_scalar_loader, node)
        except yaml.YAMLError as e:
            raise InputError(f"无法识别的值：{e}", filename, node.start_mark.line + 1) from None

    data = build(root, (), 0)
    return data, lines


_scalar_loader = _Loader("")


def comment(text: str) -> str:
    """A YAML comment line holding ``text``: a line break inside it (any of the one definition,
    which PyYAML also breaks at) would end the comment and turn the rest into data."""
    return "# " + one_line(text)
