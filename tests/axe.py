"""axe-core for the browser tests: the script found (``AXE_CORE_JS``), or fetched once with npm
into the user's cache, pinned to one version so that a new rule release cannot fail a build by
itself. CI (``.ci/run``) fetches it before the tests and sets ``REPORTGEN_REQUIRE_AXE=1``, so
there a missing axe is a failure, not a skip."""
from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

import pytest

VERSION = "4.14.1"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]  # WCAG 2.1 A and AA, what GB/T 37668 follows


def script() -> str:
    """The text of axe.min.js; the test skips (or, under CI, fails) when it cannot be had."""
    given = os.environ.get("AXE_CORE_JS")
    cached = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "reportgen-tests" / f"axe-core-{VERSION}.js"
    for path in (Path(given) if given else None, cached):
        if path is not None and path.is_file():
            return path.read_text(encoding="utf-8")
    problem = _fetch(cached)
    if problem is None:
        return cached.read_text(encoding="utf-8")
    if os.environ.get("REPORTGEN_REQUIRE_AXE"):
        pytest.fail(f"axe-core {VERSION} not available: {problem}")
    pytest.skip(f"axe-core {VERSION} not available: {problem}")


def _fetch(target: Path) -> str | None:
    npm = shutil.which("npm")
    if npm is None:
        return "npm not installed"
    with tempfile.TemporaryDirectory() as tmp:
        try:
            subprocess.run([npm, "pack", f"axe-core@{VERSION}", "--pack-destination", tmp], check=True,
                           capture_output=True, timeout=120)
        except (subprocess.SubprocessError, OSError) as e:
            return f"npm pack failed: {e}"
        with tarfile.open(next(Path(tmp).glob("axe-core-*.tgz"))) as pack:
            data = pack.extractfile("package/axe.min.js").read()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    partial.write_bytes(data)
    partial.replace(target)  # whole or not at all, with xdist workers fetching at once
    return None


def violations(page, axe_js: str) -> list[dict]:
    """axe-core run on the page as it stands: each violation's rule, impact and first elements."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_js)
    return page.evaluate("""async (rules) => (await axe.run(document, {runOnly: rules})).violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))""", RULES)
