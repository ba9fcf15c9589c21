"""parse DIR --table is resumable: rows cached by content hash, a second run reads only new
files and writes the same table as a fresh run; another version does not reuse the cache."""
import shutil
from pathlib import Path

from click.testing import CliRunner

from reportgen import table_cache
from reportgen.cli import main

CORPUS = Path(__file__).parent / "fixtures" / "corpus"  # copies of shared/corpus files, in the repo


def _run(*args):
    result = CliRunner().invoke(main, ["parse", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_second_run_reuses_and_equals_fresh(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    files = sorted(CORPUS.glob("*.txt"))
    for f in files[:3]:
        shutil.copy(f, src)
    out = tmp_path / "out" / "t.csv"
    first = _run(str(src), "--table", str(out))
    assert "取自缓存" not in first
    shutil.copy(files[3], src)
    second = _run(str(src), "--table", str(out), "--force")
    assert "4 份报告，其中 3 份取自缓存" in second
    fresh = tmp_path / "fresh" / "t.csv"
    _run(str(src), "--table", str(fresh), "--cache", str(tmp_path / "c2"))
    assert out.read_bytes() == fresh.read_bytes()
    assert len(list((tmp_path / "c2").rglob("*.pickle"))) == 4


def test_renamed_file_keeps_its_new_name(tmp_path):
    root = tmp_path / "c"
    key = "k"
    table_cache.store(root, None, key, ([("old.txt", 1)], ("old.txt", 2)))
    assert table_cache.load(root, None, key) == ([("old.txt", 1)], ("old.txt", 2))
    assert not list(root.rglob("*.tmp"))


def test_other_version_misses(tmp_path, monkeypatch):
    root = tmp_path / "c"
    table_cache.store(root, None, "k", ([], ()))
    monkeypatch.setattr(table_cache, "__version__", "999")
    assert table_cache.load(root, None, "k") is None
