"""The look of reportgen's pictures, declared once: the palette (one accent red, as on 党政 sites,
and greys), the type sizes, and the Chinese fonts to draw with, chosen from those installed.

Nothing here imports matplotlib until a font has to be found (``fonts``)."""
from __future__ import annotations

from functools import lru_cache

from ..errors import ReportgenError

BACKGROUND = "#ffffff"
ACCENT = "#c8161d"         # the one red
ACCENT_SOFT = "#f7e3e4"    # the red's tint: the panel of a highlighted figure
INK = "#1d1d1f"            # text
MUTED = "#5f6368"          # secondary text (labels, notes): 6.4:1 on white
RULE = "#d5d7da"           # hair lines, empty bars
PANEL = "#f4f5f6"          # tile backgrounds
DOWN = "#3c4043"           # a fall (a rise is ACCENT)
# the parts of a whole, in order: the first (e.g. 予以公开) in the accent, then steps of grey and
# the red's tints, each step distinguishable from its neighbours in grey scale too
SERIES = ("#c8161d", "#e8858a", "#3c4043", "#80868b", "#b5b9bd", "#dadce0", "#9e1b1f", "#f2c1c4")

# sizes in pixels of the 1080-px-wide page: a phone shows it about 390 points wide, so the
# smallest text (30 px) reads as 11 pt and a label (34 px) as 12 pt
SIZES = {"title": 52, "subtitle": 32, "section": 42, "figure": 76, "label": 34, "small": 30, "note": 28}

# Chinese sans-serif families by script, the first one installed wins (Noto CJK on Linux, the
# system fonts elsewhere); the SVG names them all, so a reader's machine finds one of its own
FAMILIES = {
    "zh-Hans": ("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "Microsoft YaHei", "PingFang SC",
                "WenQuanYi Zen Hei", "SimHei"),
    "zh-Hant": ("Noto Sans CJK TC", "Source Han Sans TC", "Source Han Sans TW", "Microsoft JhengHei",
                "PingFang TC", "Noto Sans CJK HK", "WenQuanYi Zen Hei"),
    "zh-HK": ("Noto Sans CJK HK", "Source Han Sans HK", "Noto Sans CJK TC", "Microsoft JhengHei", "PingFang HK",
              "WenQuanYi Zen Hei"),
}
FAMILIES["zh-TW"] = FAMILIES["zh-Hant"]
ANY_CJK = tuple(dict.fromkeys(f for families in FAMILIES.values() for f in families))


class ChartError(ReportgenError):
    """A picture cannot be drawn (no plotting library, no Chinese font, nothing to draw)."""


@lru_cache(maxsize=None)
def fonts(script: str = "zh-Hans") -> tuple[str, ...]:
    """The installed font families for ``script``, best first; the page draws with the first (a
    CJK font has the Latin letters, digits and arrows too). No Chinese font: ChartError."""
    from matplotlib import font_manager

    known = {f.name for f in font_manager.fontManager.ttflist}
    wanted = FAMILIES.get(script, FAMILIES["zh-Hans"])
    installed = [f for f in (*wanted, *ANY_CJK) if f in known]
    if not installed:
        raise ChartError("没有找到中文字体（如 Noto Sans CJK），无法绘制图解；"
                         "Debian/Ubuntu 可安装 fonts-noto-cjk，Windows、macOS 自带的中文字体也可以")
    return tuple(dict.fromkeys(installed))


def css_families(script: str = "zh-Hans") -> str:
    """The families an SVG names, for a reader's machine to find one of its own: the one drawn
    with, the script's list, then the generic sans-serif."""
    names = dict.fromkeys([fonts(script)[0], *FAMILIES.get(script, FAMILIES["zh-Hans"])])
    return ", ".join(f"'{n}'" for n in names) + ", sans-serif"
