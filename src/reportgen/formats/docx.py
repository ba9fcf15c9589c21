"""The Word (OOXML) vocabulary our docx writer writes and our docx reader reads back: namespaces,
units, the style ids of the house style (one map, used both ways) and their names as Word shows
them, and the language tag and fonts of each script."""
from __future__ import annotations

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
W = "{%s}" % W_NS


def mm(value: float) -> int:
    """Millimetres → twips (1/1440 inch)."""
    return round(value / 25.4 * 1440)


# Style ids of the house style. The writer applies them; the reader maps them back.
STYLE_TITLE = "Title"
STYLE_HEADINGS = {1: "Heading1", 2: "Heading2", 3: "Heading3", 4: "Heading4"}
STYLE_BODY = "Normal"
STYLE_CLOSING = "Closing"
STYLE_ADDRESSEE = "Addressee"
STYLE_META = "ReportMeta"
STYLE_TABLE = "ReportTable"
STYLE_CELL = {"corner": "TableHeader", "header": "TableHeader", "caption": "TableLabel",
              "label": "TableLabel", "value": "TableText"}

REQUIRED_STYLES = (STYLE_TITLE, *STYLE_HEADINGS.values(), STYLE_CLOSING, STYLE_ADDRESSEE, STYLE_META,
                   "TableHeader", "TableLabel", "TableText", STYLE_TABLE)
# Each style's name, as Word shows it: a reference docx saved by a localised Word may give the
# built-in styles other ids (a Chinese Word writes heading 1 as styleId "1"), never other names.
STYLE_NAMES = {STYLE_TITLE: "Title", **{sid: f"heading {lv}" for lv, sid in STYLE_HEADINGS.items()},
               STYLE_CLOSING: "Closing", STYLE_ADDRESSEE: "Addressee", STYLE_META: "Report Meta",
               "TableHeader": "Table Header", "TableLabel": "Table Label", "TableText": "Table Text",
               STYLE_TABLE: "Report Table"}


# Language tag of each script, and the fonts that only cover GB2312 (Simplified) with the
# GBK font of the same design that also has Traditional characters.
LANGUAGE_TAGS = {"zh-Hans": "zh-CN", "zh-Hant": "zh-TW", "zh-TW": "zh-TW", "zh-HK": "zh-HK"}
GB2312_ONLY_FONTS = {"仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体", "方正小标宋简体": "方正小标宋_GBK"}
# The font sets a Word file may use: the GB2312 set the format names (as installed in most
# offices), or the set every Windows 10/11 has. The second also names the fallbacks the docx
# font table gives the first (w:altName: what Word uses where the named font is missing).
FONT_SETS = {"gb2312": {}, "windows": {"仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体", "方正小标宋简体": "宋体"}}
FONT_SET_NAMES = {"gb2312": "仿宋_GB2312、楷体_GB2312、方正小标宋简体（公文常用字体）",
                  "windows": "仿宋、楷体、宋体、黑体（Windows 10/11 自带）"}


def language_tag(script: str) -> str:
    return LANGUAGE_TAGS.get(script, "zh-CN")
