"""Simplified and Traditional Chinese: which script a text is in, and converting between them.

Conversion uses the official OpenCC binding (``opencc``) with the character-level configs
s2t / s2tw / s2hk and their inverses. s2twp is deliberately not offered: its phrase mode
rewrites vocabulary (信息→資訊, 文件→檔案) and so would change the statute's name and the
official table labels. OpenCC is loaded only when a conversion is actually needed.

Scripts: ``zh-Hans`` (Simplified, the default), ``zh-Hant`` (OpenCC standard Traditional),
``zh-TW`` and ``zh-HK`` (Taiwan and Hong Kong glyph standards).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

from ._script_chars import SIMPLIFIED as S, TRADITIONAL as T, VARIANTS
from .errors import ReportgenError, UsageError

SIMPLIFIED = "zh-Hans"
SCRIPTS = ("zh-Hans", "zh-Hant", "zh-TW", "zh-HK")
TO_SCRIPT = {"zh-Hant": "s2t", "zh-TW": "s2tw", "zh-HK": "s2hk"}
FROM_SCRIPT = {"zh-Hant": "t2s", "zh-TW": "tw2s", "zh-HK": "hk2s"}

Convert = Callable[[str], str]


def check_script(script: str) -> str:
    if script not in SCRIPTS:
        raise UsageError(f"未知的文字“{script}”；可用：{'、'.join(SCRIPTS)}")
    return script


@lru_cache(maxsize=None)
def _opencc(config: str):
    try:
        import opencc
    except ImportError:  # pragma: no cover - opencc is a dependency
        raise ReportgenError("繁简转换需要 OpenCC：pip install opencc") from None
    return opencc.OpenCC(config)


def converter(config: str) -> Convert:
    """The ``convert`` function of one OpenCC config (s2t, tw2s …), loaded once."""
    return _opencc(config).convert


def between(source: str, target: str) -> Convert | None:
    """How to turn text written in ``source`` into ``target``; None when nothing changes.

    Text already in a Traditional script is left as its author wrote it when the target is
    also Traditional: the variants differ in a few glyph preferences only, and an agency's
    own text should not be rewritten for them.
    """
    if source == target or (source != SIMPLIFIED and target != SIMPLIFIED):
        return None
    if source == SIMPLIFIED:
        return converter(TO_SCRIPT[target])
    return converter(FROM_SCRIPT[source])


def to_simplified_all(texts: list[str], source: str = "zh-Hant") -> list[str]:
    """Many texts converted in one OpenCC call (a call costs more than a short text does).
    The character configs keep each text's length, so the joined result splits back exactly."""
    if not texts:
        return []
    joined = to_simplified("\n".join(texts), source)
    out, pos = [], 0
    for t in texts:
        out.append(joined[pos:pos + len(t)])
        pos += len(t) + 1
    return out


def to_simplified(text: str, source: str = "zh-Hant") -> str:
    """Text in a Traditional script as Simplified (zh-Hant is read with tw2s, which also
    undoes the Taiwan glyph forms that t2s leaves alone)."""
    return converter("tw2s" if source == "zh-Hant" else FROM_SCRIPT.get(source, "tw2s"))(text)


@lru_cache(maxsize=1)
def _markers():
    return re.compile("[" + "".join(sorted(T)) + "]"), re.compile("[" + "".join(sorted(S)) + "]")


@lru_cache(maxsize=1)
def _variant_chars():
    return re.compile("[" + "".join(sorted(VARIANTS)) + "]")


def detect(text: str) -> str:
    """``zh-Hant`` when ``text`` has more Traditional-only than Simplified-only characters,
    else ``zh-Hans``. Uses a character table, not OpenCC, so it costs microseconds."""
    trad, simp = _markers()
    return "zh-Hant" if len(trad.findall(text)) > len(simp.findall(text)) else SIMPLIFIED


def identify(text: str, hint: str | None = None) -> str:
    """Which script ``text`` is in, down to the Traditional variant: the variant whose own round
    trip (to Simplified and back) changes the fewest characters — none for text OpenCC wrote.
    ``hint`` (a document's language tag) is tried first; zh-Hans when the text is not
    Traditional at all."""
    if hint not in TO_SCRIPT and detect(text) == SIMPLIFIED:
        return SIMPLIFIED
    text = "".join(_variant_chars().findall(text))  # only the characters the variants disagree on
    order = ["zh-TW", "zh-HK", "zh-Hant"]
    if hint in order:
        order.remove(hint)
        order.insert(0, hint)
    best, best_diff = "zh-Hant", None
    for script in order:
        again = converter(TO_SCRIPT[script])(converter(FROM_SCRIPT[script])(text))
        diff = sum(1 for a, b in zip(text, again) if a != b) + abs(len(text) - len(again))
        if diff == 0:
            return script
        if best_diff is None or diff < best_diff:
            best, best_diff = script, diff
    return best
