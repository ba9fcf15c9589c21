"""The shape of the package, checked on its source: readers and writers never import each other,
no module but the declarations compares an edition id with a literal or spells a statutory
label, and python-docx is used through its public API only."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import ROOT
from reportgen.editions import EDITIONS

PACKAGE = ROOT / "src" / "reportgen"
DECLARATIONS = {"editions.py", "publication.py"}  # and tables/


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p.name != "_script_chars.py")


def _imports(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            out.add("." * node.level + base)
            out.update("." * node.level + (base + "." if base else "") + a.name for a in node.names)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


@pytest.mark.parametrize("side,other", [("readers", "writers"), ("writers", "readers")])
def test_readers_and_writers_never_import_each_other(side, other):
    for path in (PACKAGE / side).glob("*.py"):
        found = [i for i in _imports(path) if other in i.split(".")]
        assert not found, f"{path.name} imports {found}"


def _strings(path: Path):
    """The string constants of a module, docstrings left out."""
    tree = ast.parse(path.read_text("utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node


def _declaration(path: Path) -> bool:
    return path.name in DECLARATIONS or path.parent.name == "tables" and path.name.startswith("edition")


def test_no_edition_id_is_compared_with_a_literal_outside_the_declarations():
    ids = set(EDITIONS)
    for path in modules():
        if _declaration(path) or path.parent.name == "tables":
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Compare):
                literals = [c.value for c in [node.left, *node.comparators] if isinstance(c, ast.Constant)]
                assert not set(literals) & ids, f"{path.relative_to(PACKAGE)}:{node.lineno} compares with an edition id"


def _statutory_labels() -> set[str]:
    labels = set()
    for ed in EDITIONS.values():
        labels.update(s.heading for s in ed.sections)
        for spec in ed.tables:
            labels.update(c.text for c in spec.layout({}).cells if c.role != "value")
    return {label for label in labels if len(label) >= 6}


def test_no_statutory_label_outside_the_declarations():
    labels = _statutory_labels()
    assert "三、收到和处理政府信息公开申请情况" in labels and "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）" in labels
    for path in modules():
        if _declaration(path):
            continue
        for node in _strings(path):
            hit = [label for label in labels if label in node.value]
            assert not hit, f"{path.relative_to(PACKAGE)}:{node.lineno} spells {hit[0]}"


def test_python_docx_is_used_through_its_public_api():
    for path in modules():
        text = path.read_text("utf-8")
        assert "._element" not in text and "PackageWriter" not in text and "._write_" not in text, path.name


def test_every_module_says_what_it_owns():
    for path in modules():
        tree = ast.parse(path.read_text("utf-8"))
        assert ast.get_docstring(tree), f"{path.relative_to(PACKAGE)} has no docstring"


def test_every_package_is_in_the_distribution():
    """A package left out of pyproject's list works in an editable install and is missing from
    a real one (reportgen.formats was, until this test)."""
    import tomllib

    declared = set(tomllib.loads((PACKAGE.parents[1] / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(PACKAGE.parent).parts) for p in PACKAGE.rglob("__init__.py")}
    assert found <= declared, found - declared
