"""The robustness corpus (tests/fixtures/bad, made by make_bad.py and the other generators
there) and the commands each of its files goes through: every command that takes a file of
its kind, as a data file, a report, last year's report or a reference document. Used by the
in-process run (test_robustness.py: clean outcome, no leaked internals) and the measured one
(test_adversarial.py: 500 MB and 10 s each).

Also what a clerk must never read (``leaks``): Python names, reprs, pydantic's type paths,
library messages in English."""
from __future__ import annotations

import re
from pathlib import Path

from conftest import EXAMPLE, ROOT
from reportgen.readers import EXTENSIONS
from reportgen.reading import DATA_SUFFIXES
from reportgen.workbook import WORKBOOK_SUFFIXES

BAD = ROOT / "tests" / "fixtures" / "bad"
DATA = sorted(p.name for p in BAD.iterdir() if p.suffix.lower() in DATA_SUFFIXES)
REPORTS = sorted(p.name for p in BAD.iterdir() if p.suffix.lower() in EXTENSIONS)


def commands(name: str, tmp: str) -> list[tuple[str, list[str]]]:
    """(what, arguments) of every command that takes the bad file ``name``; outputs go under
    ``tmp``."""
    path = str(BAD / name)
    example = str(EXAMPLE)
    previous = [("validate --previous", ["validate", example, "--previous", path]),
                ("check --previous", ["check", example, "--previous", path]),
                ("init --from", ["init", "--from", path, "-o", f"{tmp}/next.yaml"])]
    if Path(name).suffix.lower() in DATA_SUFFIXES:
        workbook = Path(name).suffix.lower() in WORKBOOK_SUFFIXES
        return [("validate", ["validate", path]),
                ("render", ["render", path, "-o", tmp, "-f", "txt,docx"]),
                ("check", ["check", path]),
                ("convert", ["convert", path, "-o", f"{tmp}/converted" + (".yaml" if workbook else ".xlsx")]),
                ("aggregate", ["aggregate", path, example, "-o", f"{tmp}/sum.yaml"]),
                *previous]
    out = [("parse", ["parse", path, "-o", f"{tmp}/out.yaml"]), ("check", ["check", path]), *previous]
    if Path(name).suffix.lower() == ".docx":
        out.append(("render --reference-doc", ["render", example, "-o", tmp, "-f", "docx", "--reference-doc", path]))
    return out


# --- what a clerk must never read -----------------------------------------------------------

_LEAKS = [re.compile(p) for p in (
    r"function-(after|before|wrap|plain)", r"functools", r"<function", r"\bat 0x[0-9a-f]+", r"Traceback",
    r"(?i)pydantic", r"\btype=", r"input_value", r"\[type=", r"Errno", r"\bNone\b", r"\bTrue\b", r"\bFalse\b",
    r"\b(nan|inf)\b(?!\S*（)",                      # a float's repr (.nan（不是数） is how it is told)
    r"\b[A-Z]\w*(Error|Exception|Warning)\b", r"\bBadZipFile\b", r"\bStopIteration\b",
    r"\.py\b", r"\bsite-packages\b", r"\b(openpyxl|lxml|libxml2?|zipfile|expat|ruamel|yaml\.\w+)\b",
    r"xmlCtxt\w*", r"Input should be", r"(?i)validation errors? for", r"Value error,",
    r"\\[ux][0-9a-fA-F]{2,4}",                     # a repr's escapes (\u2029, \x07)
    r"(实际为|为|：)\s?'", r"\{'|\['",              # a str, dict or list repr
    r"\b[a-z]+_[a-z_]+\b",                         # a Python name (max_length, _single_line, title_text)
    r"list\[|dict\[|str\]|int\]",
)]
_ENGLISH_RUN = re.compile(r"[A-Za-z]{2,}(?:[ ,'-]+[A-Za-z]{2,}){3,}")  # four or more English words together
_GLOSS = re.compile(r"（[A-Za-z ]{1,40}）")  # a short English gloss after the Chinese: （duplicate key）


def leaks(output: str, allowed: tuple[str, ...] = ()) -> list[str]:
    """The fragments of ``output`` a clerk should never read (``allowed``: text the input itself
    holds and a message may quote, such as the file's name)."""
    text = output
    for a in allowed:
        text = text.replace(a, "")
    found = [m.group() for r in _LEAKS for m in [r.search(text)] if m]
    found += _ENGLISH_RUN.findall(_GLOSS.sub("", text))
    for line in text.splitlines():  # every message says something in Chinese
        if line.strip() and not re.search(r"[\u3000-\u9fff\uff00-\uffef]", line):
            found.append(line.strip()[:120])
    return found
