"""Batch: many files, directories and globs; parallel workers; outputs mirroring the input
tree; one bad file reported while the batch goes on; a summary; no half-written output."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

from click.testing import CliRunner

from conftest import ROOT
from reportgen.batch import expand, mirrored
from reportgen.cli import main

EXAMPLE = ROOT / "examples" / "report-2021.yaml"


def _tree(tmp_path, n=4):
    src = tmp_path / "in"
    for i in range(n):
        d = src / ("a" if i % 2 else "b") / f"sub{i}"
        d.mkdir(parents=True)
        shutil.copy(EXAMPLE, d / f"r{i}.yaml")
    return src


def test_expand_directories_globs_and_files(tmp_path):
    src = _tree(tmp_path)
    (src / "reportgen.yaml").write_text("文字: zh-Hans\n", "utf-8")
    found = expand([str(src)], (".yaml",))
    assert len(found) == 4 and all(root == str(src) for _, root in found)
    assert len(expand([str(src / "**" / "*.yaml")], (".yaml",))) == 4
    assert expand([str(EXAMPLE)], (".yaml",)) == [(str(EXAMPLE), None)]
    assert mirrored(str(src / "a" / "sub1" / "r1.yaml"), str(src), str(tmp_path / "out")) == \
        str(tmp_path / "out" / "a" / "sub1")


def test_render_a_tree_in_parallel_mirrors_it(tmp_path):
    src = _tree(tmp_path)
    (src / "b" / "sub0" / "broken.yaml").write_text("机关名称: [\n", "utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["render", str(src), "-o", str(out), "-f", "txt", "-j", "2"])
    assert result.exit_code == 1  # one bad file: reported, the rest done, non-zero at the end
    assert "broken.yaml" in result.output and "完成 4 个，失败 1 个" in result.output
    for i in range(4):
        assert (out / ("a" if i % 2 else "b") / f"sub{i}" / f"r{i}.txt").is_file()
    assert not list(out.rglob("*.tmp")) and not list(out.rglob(".*"))


def test_parse_and_check_many(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    for p in (ROOT / "seeds").glob("*.txt"):
        shutil.copy(p, reports / p.name)
    out = tmp_path / "data"
    result = CliRunner().invoke(main, ["parse", str(reports), "-o", str(out), "-j", "2"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(p.stem + ".yaml" for p in reports.iterdir())
    result = CliRunner().invoke(main, ["check", str(reports / "*.txt"), "-j", "2"])
    assert result.exit_code == 0 and "完成 5 个，失败 0 个" in result.output


def test_interrupted_batch_leaves_no_half_written_file(tmp_path):
    src = _tree(tmp_path, 150)
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen([sys.executable, "-m", "reportgen", "render", str(src), "-o", str(out), "-f", "docx,txt",
                             "-j", "2"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline and not (out.exists() and any(out.rglob("*.docx"))):
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)
    proc.wait(timeout=60)
    assert proc.returncode == 130, proc.stderr.read().decode()
    for path in out.rglob("*"):
        if path.is_file():
            assert not path.name.startswith(".") and not path.name.endswith(".tmp"), path
            if path.suffix == ".docx":
                import zipfile
                assert zipfile.is_zipfile(path)  # complete, or not there at all
