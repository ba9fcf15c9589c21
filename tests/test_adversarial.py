"""Issue #10: nothing lost, nothing injected, nothing unbounded — every case an adversarial run
found, and its neighbours.

Data-loss cases compare the protected file's bytes before and after. Resource cases run the
real command in a fresh process and measure its peak memory and time (``measure.py``): at
most 500 MB and 10 s each. The stress test interrupts a 300-file batch at random moments."""
from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from badcorpus import BAD, DATA, REPORTS, commands
from conftest import EXAMPLE, ROOT
from measure import BUDGET_MB, BUDGET_SECONDS, assert_within_budget, run_measured
from reportgen.cli import main
from reportgen.document import LINE_BREAKS, Heading, Meta, Paragraph, Table, Title

FUZZ = settings(max_examples=150, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def run(*args, **kwargs):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, **kwargs)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def clean(result) -> None:
    assert "Traceback" not in result.output and "内部错误" not in result.output, result.output


# --- an input or a user's file is never replaced ----------------------------------------------

def test_parse_of_a_folder_never_replaces_the_hand_written_data_file(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    shutil.copy(EXAMPLE, d / "2023.yaml")
    (d / "2023.yaml").write_text("# 手写的注释\n" + EXAMPLE.read_text("utf-8"), "utf-8")
    before = sha(d / "2023.yaml")
    assert run("render", d / "2023.yaml", "-f", "docx,txt,html").exit_code == 0
    result = run("parse", d)
    assert result.exit_code == 1 and "多个输入会写出同一个输出文件" in result.output, result.output
    assert sha(d / "2023.yaml") == before
    result = run("parse", d / "2023.txt")  # one report: the data file is not its output
    assert result.exit_code == 0  # to standard output
    result = run("parse", d / "2023.txt", "-o", d)
    assert result.exit_code == 1 and "不是本次输入的输出" in result.output
    assert sha(d / "2023.yaml") == before
    assert run("parse", d / "2023.txt", "-o", d, "--force").exit_code == 0
    assert sha(d / "2023.yaml") != before  # --force: the user asked


def test_outputs_of_two_inputs_that_collide_are_refused_before_anything_is_written(tmp_path):
    src = tmp_path / "src"
    (src / "a").mkdir(parents=True)
    (src / "b").mkdir()
    shutil.copy(EXAMPLE, src / "a" / "b.yaml")
    shutil.copy(EXAMPLE, src / "b" / "b.yml")
    out = tmp_path / "o"
    result = run("render", src / "a" / "b.yaml", src / "b" / "b.yml", "-o", out)
    assert result.exit_code == 1 and "多个输入会写出同一个输出文件" in result.output
    assert not out.exists()
    result = run("render", src / "a" / "b.yaml", src / "b" / "b.yml", "-o", out, "-f", "txt", "--force")
    assert result.exit_code == 0 and "--force：" in result.output and "按后给出的输入写出" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["b.txt"]
    # parse: x.txt and x.html → o/x.yaml
    reports = tmp_path / "r"
    reports.mkdir()
    run("render", EXAMPLE, "-o", reports, "-f", "txt,html")
    (reports / "report-2021.txt").rename(reports / "x.txt")
    (reports / "report-2021.html").rename(reports / "x.html")
    result = run("parse", reports / "x.txt", reports / "x.html", "-o", tmp_path / "p")
    assert result.exit_code == 1 and "x.yaml" in result.output and not (tmp_path / "p").exists()
    result = run("parse", reports / "x.txt", reports / "x.html", "-o", tmp_path / "p", "--force")
    assert result.exit_code == 0 and "（html）" in (tmp_path / "p" / "x.yaml").read_text("utf-8")


def test_a_reference_doc_profile_or_template_is_never_an_output(tmp_path):
    data = tmp_path / "a.yaml"
    shutil.copy(EXAMPLE, data)
    ref = tmp_path / "a.docx"
    shutil.copy(ROOT / "templates" / "reference.docx", ref)
    before = sha(ref)
    result = run("render", data, "--reference-doc", ref)
    assert result.exit_code == 1 and "拒绝覆盖输入" in result.output
    assert sha(ref) == before and not (tmp_path / "a.txt").exists()  # the txt of the set is not written either
    config = tmp_path / "a.txt"
    config.write_text("文字: zh-Hans\n", "utf-8")
    before = sha(config)
    result = run("render", data, "--config", config, "-f", "txt")
    assert result.exit_code == 1 and "拒绝覆盖输入" in result.output and sha(config) == before
    tdir = tmp_path / "t" / "common"
    tdir.mkdir(parents=True)
    (tdir / "problems.j2").write_text("# {{ headings[4] }}\n", "utf-8")
    before = sha(tdir / "problems.j2")
    result = run("render", data, "--template-dir", tmp_path / "t", "-o", tdir, "-f", "txt")
    assert result.exit_code == 0  # a.txt beside the template: not a template, allowed
    shutil.copy(data, tdir / "problems.yaml")
    result = run("render", tdir / "problems.yaml", "--template-dir", tmp_path / "t", "-f", "txt", "-o", tdir)
    assert result.exit_code == 0 and sha(tdir / "problems.j2") == before


def test_init_never_replaces_its_input_or_a_schema_it_did_not_write(tmp_path):
    src = tmp_path / "i.yaml"
    shutil.copy(EXAMPLE, src)
    before = sha(src)
    result = run("init", "--from", src, "-o", src, "--force")
    assert result.exit_code == 1 and "拒绝覆盖输入" in result.output and sha(src) == before
    s = tmp_path / "s"
    s.mkdir()
    (s / "reportgen.schema.json").write_text('{"mine": true}\n', "utf-8")
    result = run("init", "-o", s / "x.yaml", "--year", 2024)
    assert result.exit_code == 1 and "reportgen.schema.json" in result.output
    assert (s / "reportgen.schema.json").read_text("utf-8") == '{"mine": true}\n' and not (s / "x.yaml").exists()
    assert run("init", "-o", s / "x.yaml", "--year", 2024, "--force").exit_code == 0
    assert run("init", "-o", s / "y.yaml", "--year", 2024).exit_code == 0  # the schema it wrote: same bytes


@pytest.mark.parametrize("target", ["/dev/full", "/dev/stdout", "/dev/null"])
def test_devices_are_never_replaced(tmp_path, target):
    report = tmp_path / "r.txt"
    run("render", EXAMPLE, "-o", tmp_path, "-f", "txt")
    (tmp_path / "report-2021.txt").rename(report)
    kind = os.stat(target).st_mode
    result = run("parse", report, "-o", target + ".yaml" if False else target)
    assert result.exit_code == 1, result.output
    assert os.stat(target).st_mode == kind  # still the device
    result = run("render", EXAMPLE, "-o", target, "-f", "txt")
    assert result.exit_code == 1 and os.stat(target).st_mode == kind
    clean(result)


def test_a_symlink_is_never_replaced(tmp_path):
    run("render", EXAMPLE, "-o", tmp_path, "-f", "txt")
    report = tmp_path / "report-2021.txt"
    victim = tmp_path / "victim.yaml"
    victim.write_text("机关名称: 受害者\n", "utf-8")
    link = tmp_path / "link.yaml"
    link.symlink_to(victim)
    result = run("parse", report, "-o", link, "--force")
    assert result.exit_code == 1 and "符号链接" in result.output
    assert link.is_symlink() and victim.read_text("utf-8") == "机关名称: 受害者\n"
    out = tmp_path / "o"
    out.mkdir()
    (out / "report-2021.txt").symlink_to(victim)
    result = run("render", EXAMPLE, "-o", out, "-f", "txt,docx", "--force")
    assert result.exit_code == 1 and (out / "report-2021.txt").is_symlink() and not (out / "report-2021.docx").exists()


def test_an_output_edited_after_rendering_is_kept_unless_forced(tmp_path):
    assert run("render", EXAMPLE, "-o", tmp_path).exit_code == 0
    assert run("render", EXAMPLE, "-o", tmp_path).exit_code == 0  # our own outputs, unchanged: replaced
    txt = tmp_path / "report-2021.txt"
    txt.write_text(txt.read_text("utf-8") + "手工补充的一段。\n", "utf-8")
    docx_before, txt_before = sha(tmp_path / "report-2021.docx"), sha(txt)
    result = run("render", EXAMPLE, "-o", tmp_path)
    assert result.exit_code == 1 and "被修改过" in result.output
    assert (sha(tmp_path / "report-2021.docx"), sha(txt)) == (docx_before, txt_before)  # neither of the set
    other = tmp_path / "other"
    other.mkdir()
    (other / "report-2021.yaml").write_text(EXAMPLE.read_text("utf-8").replace("行政处罚: 1543", "行政处罚: 1544"), "utf-8")
    result = run("render", other / "report-2021.yaml", "-o", tmp_path, "-f", "docx")
    assert result.exit_code == 1 and "由其他输入生成" in result.output
    assert run("render", EXAMPLE, "-o", tmp_path, "--force").exit_code == 0
    assert "手工补充" not in txt.read_text("utf-8")


def _mount_tool() -> list[str] | None:
    exe = shutil.which("unshare")
    if exe is None:
        return None
    for cmd in ([exe, "-rm"], [exe, "-m"]):
        if subprocess.run([*cmd, "true"], capture_output=True).returncode == 0:
            return cmd
    return None


@pytest.mark.skipif(_mount_tool() is None, reason="no mount namespace for a small file system")
def test_a_full_disk_leaves_no_partial_set(tmp_path):
    """A 20 KB file system: the docx (10 KB) fits, the txt (17 KB) does not."""
    disk = tmp_path / "disk"
    disk.mkdir()
    script = (f"mount -t tmpfs -o size=20k tmpfs {disk} && {sys.executable} -m reportgen render {EXAMPLE} "
              f"-o {disk} -f docx,txt; echo exit=$?; ls -A {disk}")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run([*_mount_tool(), "sh", "-c", script], capture_output=True, text=True, env=env)
    assert "exit=1" in out.stdout and "磁盘空间不足" in out.stderr, out
    assert out.stdout.strip().endswith("exit=1"), out.stdout  # nothing listed: no docx, no temporary


def test_a_failed_rename_restores_what_was_there(tmp_path, monkeypatch):
    from reportgen import outputs
    from reportgen.errors import OutputError

    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_bytes(b"old a")
    calls = []
    real = os.replace

    def flaky(src, dst):
        calls.append(dst)
        if str(dst).endswith("b.txt"):
            raise OSError(28, "No space left on device", str(dst))
        return real(src, dst)

    monkeypatch.setattr(outputs.os, "replace", flaky)
    with pytest.raises(OutputError, match="已恢复原有文件"):
        outputs.commit({a: b"new a", b: b"new b"}, "x", force=True)
    monkeypatch.setattr(outputs.os, "replace", real)
    assert a.read_bytes() == b"old a" and not b.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


# --- signals ----------------------------------------------------------------------------------

def _tree(root: Path, n: int) -> Path:
    src = root / "in"
    for i in range(n):
        d = src / f"d{i % 7}"
        d.mkdir(parents=True, exist_ok=True)
        shutil.copy(EXAMPLE, d / f"r{i}.yaml")
    return src


def _processes_with(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if marker in (entry / "cmdline").read_bytes().decode("utf-8", "replace") and \
                    (entry / "stat").read_text().split()[2] != "Z":
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def _wait_for_handlers(proc: subprocess.Popen, limit: float = 10) -> None:
    """Until reportgen catches SIGHUP (Python does not by default): a signal before that comes
    while the interpreter itself is starting (site, runpy), which ends it with its own code."""
    deadline = time.time() + limit
    while time.time() < deadline and proc.poll() is None:
        try:
            status = Path(f"/proc/{proc.pid}/status").read_text()
        except OSError:
            return
        caught = int(next(line.split()[1] for line in status.splitlines() if line.startswith("SigCgt:")), 16)
        if caught & (1 << (signal.SIGHUP - 1)):
            return
        time.sleep(0.005)


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc")
def test_stress_signals_at_random_moments_of_a_300_file_batch(tmp_path):
    """SIGINT, SIGTERM and SIGHUP to a batch's process group at random moments, 50 times: no
    temporary file left, no process left, every output present complete, each set whole."""
    src = _tree(tmp_path, 300)
    rng = random.Random(10)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    for k in range(50):
        out = tmp_path / f"out{k}"
        proc = subprocess.Popen([sys.executable, "-m", "reportgen", "render", str(src), "-o", str(out),
                                 "-f", "docx,txt", "-j", "2"], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, start_new_session=True)
        time.sleep(rng.uniform(0.05, 1.2))
        _wait_for_handlers(proc)
        sig = rng.choice([signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
        _, err = proc.communicate(timeout=30)
        assert proc.returncode in (0, 128 + sig, -sig), (k, sig, proc.returncode, err.decode("utf-8", "replace")[-2000:])
        deadline = time.time() + 5
        while _processes_with(str(out)) and time.time() < deadline:
            time.sleep(0.05)
        assert not _processes_with(str(out)), f"run {k}: processes left behind"
        files = [p for p in out.rglob("*") if p.is_file()] if out.exists() else []
        assert not [p for p in files if p.name.startswith(".")], f"run {k}: temporary files left"
        stems = {p.with_suffix("") for p in files}
        for stem in stems:
            docx, txt = stem.with_suffix(".docx"), stem.with_suffix(".txt")
            assert docx.exists() and txt.exists(), f"run {k}: half a set at {stem}"
            assert zipfile.is_zipfile(docx) and txt.read_text("utf-8").endswith("\n")


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGKILL])
def test_workers_die_with_their_parent(tmp_path, sig):
    """A signal to the parent alone (not its group): the workers stop too, and a caller waiting
    on the pipe gets its end."""
    src = _tree(tmp_path, 200)
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen([sys.executable, "-m", "reportgen", "render", str(src), "-o", str(out), "-f", "docx,txt",
                             "-j", "4"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 30
    while time.time() < deadline and not (out.exists() and any(out.rglob("*.txt"))):
        time.sleep(0.02)
    os.kill(proc.pid, sig)
    proc.communicate(timeout=20)  # the pipe closes: no worker holds it open
    deadline = time.time() + 5
    while _processes_with(str(out)) and time.time() < deadline:
        time.sleep(0.05)
    assert not _processes_with(str(out))
    assert not [p for p in out.rglob(".*") if p.is_file()]


# --- data text never becomes structure or markup ---------------------------------------------

def _structure(doc) -> list:
    return [(type(b).__name__, getattr(b, "level", None), getattr(b, "name", None))
            for b in doc.blocks if not isinstance(b, Paragraph)]


@pytest.mark.parametrize("ch", list(LINE_BREAKS))
def test_no_line_break_of_any_kind_passes_the_one_line_check(data, write_yaml, ch):
    from reportgen.errors import ValidationFailed
    from reportgen.loader import validate_data

    for key in ("标题", "机关名称"):
        bad = dict(data, **{key: f"某局报告{ch}@table reviews{ch}# 伪造标题"})
        with pytest.raises(ValidationFailed):
            validate_data(bad)
    src = write_yaml(dict(data, 标题=f"某局报告{ch}# 伪造标题"))
    result = run("render", src, "-f", "txt")
    if result.exit_code == 0:  # YAML itself folded the break (NEL, LS, PS are breaks to YAML too): one line
        lines = src.with_suffix(".txt").read_text("utf-8").split("\n")
        assert lines[0].startswith("某局报告") and lines[0].endswith("# 伪造标题") and lines[1] == ""
    else:
        assert result.exit_code == 1 and ("不能换行" in result.output or "控制字符" in result.output), result.output


def test_line_separators_inside_paragraphs_only_split_paragraphs(data, loaded):
    from reportgen.compose import compose
    from reportgen.loader import validate_data

    data["存在的主要问题及改进情况"] = "第一段\u2028@table reviews\u2029# 第三段\x85= 第四段"
    doc = compose(validate_data(data))
    assert _structure(doc) == _structure(compose(loaded))
    start = next(i for i, b in enumerate(doc.blocks) if isinstance(b, Heading) and b.text.startswith("五、"))
    assert [b.text for b in doc.blocks[start + 1:start + 5]] == ["第一段", "@table reviews", "# 第三段", "= 第四段"]


def _md_tokens(md: str):
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(md)
    return tokens + [c for t in tokens for c in (t.children or [])]


ALLOWED_HTML = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "li", "html", "body"}


def _assert_markdown_holds_no_foreign_markup(md: str) -> None:
    import re

    from lxml import html as lhtml
    from markdown_it import MarkdownIt

    kinds = {t.type for t in _md_tokens(md)}
    assert not kinds & {"html_inline", "fence", "code_block", "code_inline", "link_open", "image", "em_open",
                        "strong_open", "blockquote_open", "ordered_list_open", "hr", "s_open"}, kinds
    for t in _md_tokens(md):
        if t.type == "html_block":  # ours: a closing line, its text escaped
            assert re.fullmatch(r'<p align="right">[^<>]*</p>\n', t.content), t.content
    root = lhtml.document_fromstring("<html><body>" + MarkdownIt("commonmark").render(md) + "</body></html>")
    assert {el.tag for el in root.iter()} <= ALLOWED_HTML
    assert all(set(el.attrib) <= {"align"} for el in root.iter())


def test_markdown_keeps_data_as_text(tmp_path):
    result = run("render", BAD / "markup-in-data.yaml", "-f", "md,html", "-o", tmp_path)
    assert result.exit_code == 0, result.output
    md = (tmp_path / "markup-in-data.md").read_text("utf-8")
    _assert_markdown_holds_no_foreign_markup(md)
    assert '<p align="right">&lt;img src=x onerror=alert(1) y=&gt;</p>' in md
    from lxml import html as lhtml

    page = lhtml.fromstring((tmp_path / "markup-in-data.html").read_bytes())
    assert not page.xpath("//img | //body//script | //a")
    assert "<script>alert(1)</script>" in page.text_content()


def test_markdown_escapes_unit_names_in_the_appendix(tmp_path):
    from reportgen.aggregate import aggregate
    from reportgen.compose import compose
    from reportgen.document import Document
    from reportgen.writers.markdown import write_markdown

    units = []
    for i, name in enumerate(["<img src=x onerror=alert(1)>", "~~~", "**粗**单位"]):
        p = tmp_path / f"u{i}.yaml"
        p.write_text(EXAMPLE.read_text("utf-8").replace("机关名称: 云溪市市场监督管理局", f"机关名称: '{name}'"), "utf-8")
        units.append(str(p))
    _, summary = aggregate(units, "某县人民政府")
    md = write_markdown(compose(summary)).decode()
    _assert_markdown_holds_no_foreign_markup(md)
    assert isinstance(compose(summary), Document)


def test_a_report_name_cannot_inject_into_the_data_file_header(tmp_path):
    from reportgen.yamlio import load_yaml

    run("render", EXAMPLE, "-o", tmp_path, "-f", "txt")
    for name in ("a\n恶意: 1\nb.txt", "a\u2028恶意: 1.txt", "a\x85恶意: 1.txt"):
        report = tmp_path / name
        shutil.copy(tmp_path / "report-2021.txt", report)
        result = run("parse", report)
        assert result.exit_code == 0, result.output
        data, _ = load_yaml(result.stdout, "x.yaml")
        assert "恶意" not in data and data["机关名称"] == "云溪市市场监督管理局"


PRINTABLE_MARKUP = st.text(alphabet="<>&\"'`~*_[]()!#|\\-=+.0123456789 abcx政府\u2028\u2029\x85", min_size=1, max_size=30)


@FUZZ
@given(st.lists(PRINTABLE_MARKUP, min_size=1, max_size=4), PRINTABLE_MARKUP)
def test_fuzz_markup_in_report_text_stays_text(paragraphs, closing):
    """Report text with markup, in paragraphs, a closing line and a table label: the Markdown
    holds no element the data did not ask for, and the HTML page none either."""
    from lxml import html as lhtml

    from reportgen.document import Cell, Document
    from reportgen.writers.html import write_html
    from reportgen.writers.markdown import write_markdown

    doc = Document([Title(paragraphs[0]), Meta([("索引号", closing)]), Heading(1, closing),
                    *[Paragraph(p) for p in paragraphs], Paragraph(closing, "right"),
                    Table(1, 2, 0, [Cell(closing, 0, 0, role="label"), Cell("1", 0, 1)])])
    _assert_markdown_holds_no_foreign_markup(write_markdown(doc).decode())
    page = lhtml.fromstring(write_html(doc))
    assert {el.tag for el in page.iter()} <= {"html", "head", "meta", "title", "style", "body", "main", "h1", "h2",
                                               "dl", "div", "dt", "dd", "p", "table", "tbody", "tr", "th", "td", "caption"}


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(["标题", "机关名称", "概述", "存在的主要问题及改进情况", "落款"]),
                          st.text(alphabet="一二三局#@=><" + LINE_BREAKS, min_size=1, max_size=20)),
                min_size=1, max_size=4))
def test_fuzz_line_separators_in_any_string(example_data, pairs):
    """Line breaks of any kind in any string: the report either does not validate or composes
    with exactly the structure of the example (headings, tables, title), no text on two lines."""
    import copy

    from reportgen.compose import compose
    from reportgen.errors import ReportgenError
    from reportgen.loader import load_report, validate_data

    data = copy.deepcopy(example_data)
    for key, text in pairs:
        if key == "概述":
            data["总体情况"]["概述"] = text
        else:
            data[key] = text
    try:
        loaded = validate_data(data)
    except ReportgenError:
        return
    doc = compose(loaded)
    assert _structure(doc) == _structure(compose(load_report(str(EXAMPLE))))
    texts = [b.text for b in doc.blocks if hasattr(b, "text")] + [c.text for b in doc.blocks if isinstance(b, Table)
                                                                  for c in b.cells]
    assert not any(ch in t for t in texts for ch in LINE_BREAKS)


# --- every resource has a budget --------------------------------------------------------------

PLACES = {"行政处罚: 1543": "行政处罚: {}", "行政事业性收费: 356.40": "行政事业性收费: {}",
          "本年新收: {自然人: 126,": "本年新收: {{自然人: {},"}


@FUZZ
@given(st.one_of(st.text(alphabet="0123456789", min_size=13, max_size=6000).map(lambda d: "1" + d), st.integers(5, 10 ** 9).map(lambda n: f"1.0e-{n}"),
                 st.integers(13, 10 ** 9).map(lambda n: f"1.0e+{n}"), st.integers(1, 50_000).map(lambda n: "0x" + "f" * n + "f" * 8),
                 st.integers(5, 6000).map(lambda n: "0." + "1" * n)),
       st.sampled_from(sorted(PLACES)))
def test_fuzz_huge_numbers_are_refused_where_they_are_read(number, where):
    """Numbers no report holds — long, with huge exponents, too many places — are refused
    where they are read (an error naming the place), never taken to the writers."""
    from reportgen.errors import ReportgenError
    from reportgen.loader import validate_data
    from reportgen.yamlio import load_yaml

    text = EXAMPLE.read_text("utf-8").replace(where, PLACES[where].format(number), 1)
    with pytest.raises(ReportgenError):
        data, lines = load_yaml(text, "x.yaml")
        validate_data(data, lines, "x.yaml")


def _bad_cases() -> list[tuple[str, str, list[str]]]:
    """(file, what, arguments): every bad file through every command that takes it."""
    return [(name, what, args) for name in DATA + REPORTS for what, args in commands(name, "{tmp}")]


@pytest.mark.slow  # some 600 processes: 7 minutes on 2 cores, run by .ci/run
def test_every_robustness_case_within_500_mb_and_10_s(tmp_path):
    """Every bad input through every command that takes it, each in its own process: a clear
    outcome (exit 0, 1 or 2, no traceback, the file named), peak memory and time measured."""
    cases = _bad_cases()
    results = {}

    def one(k_case):
        k, (name, what, args) = k_case
        work = tmp_path / str(k)
        work.mkdir()
        return k, name, what, run_measured([a.replace("{tmp}", str(work)) for a in args])

    with ThreadPoolExecutor(2) as pool:
        for k, name, what, m in pool.map(one, enumerate(cases)):
            results[k] = (name, what, m)
    worst_mb = max(m.peak_mb for _, _, m in results.values())
    worst_s = max(m.seconds for _, _, m in results.values())
    print(f"\n{len(cases)} robustness cases: peak memory at most {worst_mb:.0f} MB, time at most {worst_s:.2f} s")
    for name, what, m in results.values():
        where = f"{name}: {what}"
        assert m.code in (0, 1, 2), (where, m.code, m.output[-500:])
        assert "Traceback" not in m.output and "内部错误" not in m.output, (where, m.output[-500:])
        if m.code:
            assert name in m.output, (where, m.output[-300:])
        assert len(max(m.output.splitlines() or [""], key=len)) < 2000, (where, "a message of 2000+ characters")
        assert_within_budget(m, where)


def test_a_workbook_inflating_to_gigabytes_is_refused_at_once(tmp_path):
    """Issue #18: a 2.4 MB workbook whose sheet inflates to 1.5 GB (the issue's hung validate,
    convert and render past 3 GB) is refused from the zip's directory, before openpyxl sees it."""
    bomb = BAD / "xlsx-bomb.xlsx"
    with zipfile.ZipFile(bomb) as z:
        assert max(i.file_size for i in z.infolist()) > 1.5e9 and bomb.stat().st_size < 3e6
    from reportgen.errors import InputError
    from reportgen.loader import read_data_file

    t0 = time.perf_counter()
    with pytest.raises(InputError, match="压缩炸弹"):
        read_data_file(str(bomb))
    assert time.perf_counter() - t0 < 1.0
    for args in (["validate", bomb], ["convert", bomb, "-o", tmp_path / "x.yaml"], ["render", bomb, "-o", tmp_path],
                 ["check", bomb]):
        m = run_measured(args)
        assert m.code in (1, 2) and "压缩炸弹" in m.output and "1.5 GB" in m.output, (args, m.output[-300:])
        assert m.peak_mb < 150, (args, m.peak_mb)  # the interpreter and reportgen's imports: some 70 MB
        assert_within_budget(m, str(args))
    assert not list(tmp_path.iterdir())


def test_big_inputs_within_budget(tmp_path):
    """Inputs made here (too big to commit): a 4 MB agency name, a 1.3 MB page declaring the
    punycode charset, a page of spans, /dev/zero, an endless pipe and a FIFO."""
    agency = tmp_path / "agency.yaml"
    agency.write_text(EXAMPLE.read_text("utf-8").replace("机关名称: 云溪市市场监督管理局", "机关名称: " + "局" * 1_300_000, 1),
                      "utf-8")
    page = tmp_path / "page.html"
    page.write_text("<html><head><meta charset='punycode'></head><body><p>"
                    + "某局2023年政府信息公开工作年度报告" * 70_000 + "</p></body></html>", "utf-8")
    spans = tmp_path / "spans.html"
    spans.write_text("<html><body><table>" + ("<tr>" + "<td rowspan=1000 colspan=1000>1</td>" * 30 + "</tr>") * 40
                     + "</table></body></html>", "utf-8")
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    stop = threading.Event()

    def feed():
        try:
            with open(fifo, "wb") as fh:
                while not stop.is_set():
                    fh.write(b"a" * 65536)
        except (BrokenPipeError, OSError):
            pass

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    cases = [(["validate", agency], 1, "过长"), (["parse", page], None, None), (["parse", spans], None, None),
             (["validate", "/dev/zero"], 1, "过大"), (["parse", "/dev/zero", "--from", "txt"], 1, "过大"),
             (["validate", fifo], 1, "过大")]
    for args, code, message in cases:
        m = run_measured(args)
        assert m.code in (0, 1) and "Traceback" not in m.output and "内部错误" not in m.output, (args, m.output[-300:])
        if code is not None:
            assert m.code == code and message in m.output, (args, m.output[-300:])
            assert max(len(line) for line in m.output.splitlines()) < 500
        assert_within_budget(m, str(args))
    stop.set()
    with subprocess.Popen(["yes"], stdout=subprocess.PIPE) as yes:
        m = run_measured(["validate", "/dev/stdin"], stdin=yes.stdout)
        yes.kill()
    assert m.code == 1 and "过大" in m.output
    assert_within_budget(m, "yes | validate /dev/stdin")
    empty = tmp_path / "empty.fifo"
    os.mkfifo(empty)
    m = run_measured(["validate", empty])  # no writer: told at once, not waited on forever
    assert m.code == 1 and "管道（FIFO）" in m.output and "文件是空的" not in m.output, m.output
    assert_within_budget(m, "a FIFO nobody writes")


@pytest.mark.parametrize("body,message", [
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "循环次数"),
    ("{{ 'x' * 2000000000 }}", "过大"),
    ("{{ 'x'|center(2000000000) }}", "过大"),
    ("{{ '%2000000000s' % 'x' }}", "宽度"),
    ("{{ 2 ** 100000000 }}", "乘方"),
    ("{% macro f(s) %}{{ f(s ~ s) }}{% endmacro %}{{ f('x') }}", "过大"),
    ("{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}", "过大"),
    ("{{ ('x' * 1000000)|replace('x', 'xxxxxxxxxx') }}", "过大"),
    ('{% include "common/problems.j2" %}', "递归"),
])
def test_templates_run_on_a_budget(tmp_path, body, message):
    tdir = tmp_path / "t" / "common"
    tdir.mkdir(parents=True)
    (tdir / "problems.j2").write_text(body + "\n", "utf-8")
    m = run_measured(["render", EXAMPLE, "-o", tmp_path / "o", "-f", "txt", "--template-dir", tmp_path / "t"])
    assert m.code == 1 and message in m.output and "problems.j2" in m.output, m.output
    assert_within_budget(m, body)
    assert not (tmp_path / "o").exists()


def test_the_template_deadline_stops_a_loop_that_calls_nothing():
    from reportgen.templating import BudgetExceeded, render_on_budget

    def endless():
        while True:
            pass
        yield ""  # pragma: no cover

    t0 = time.monotonic()
    with pytest.raises(BudgetExceeded, match="超时"):
        render_on_budget(endless, seconds=0.3)
    assert time.monotonic() - t0 < 3


# --- outside the machine ----------------------------------------------------------------------

def _external_reference(path: Path, url: str) -> None:
    """The default reference docx with an external picture in the body, a linked template and a
    field that fetches, all pointing at ``url``."""
    import io
    import re

    z = zipfile.ZipFile(ROOT / "templates" / "reference.docx")
    parts = {n: z.read(n) for n in z.namelist()}
    rels = parts["word/_rels/document.xml.rels"].decode()
    ext = 'TargetMode="External"'
    rels = rels.replace("</Relationships>",
                        f'<Relationship Id="rIdX1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                        f'relationships/image" Target="{url}/logo.png" {ext}/><Relationship Id="rIdX2" '
                        f'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" '
                        f'Target="file:///etc/passwd" {ext}/></Relationships>')
    parts["word/_rels/document.xml.rels"] = rels.encode()
    parts["word/_rels/settings.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships"><Relationship Id="rIdT" Type="http://schemas.openxmlformats.org/officeDocument/'
        f'2006/relationships/attachedTemplate" Target="{url}/t.dotx" {ext}/></Relationships>').encode()
    parts["word/settings.xml"] = re.sub(
        rb"(<w:settings[^>]*>)", rb'\1<w:attachedTemplate xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
        rb'2006/relationships" r:id="rIdT"/>', parts.get("word/settings.xml", b""), count=1)
    footer = next(n for n in parts if n.startswith("word/footer"))
    parts[footer] = parts[footer].replace(
        b"</w:ftr>", f'<w:p><w:fldSimple w:instr="INCLUDEPICTURE &quot;{url}/f.png&quot;"/></w:p></w:ftr>'.encode())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zw:
        for name, data in parts.items():
            zw.writestr(name, data)
    path.write_bytes(out.getvalue())


@pytest.fixture
def listener():
    """A local HTTP server that records every request."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        do_OPTIONS = do_HEAD = do_PROPFIND = do_GET  # noqa: N815

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()


def test_external_relationships_of_a_reference_doc_are_dropped_with_a_notice(tmp_path, listener):
    url, hits = listener
    ref = tmp_path / "ref.docx"
    _external_reference(ref, url)
    result = run("render", EXAMPLE, "-o", tmp_path / "o", "-f", "docx", "--reference-doc", ref)
    assert result.exit_code == 0 and "已移除外部链接（image）" in result.output and "attachedTemplate" in result.output
    assert "INCLUDEPICTURE" in result.output
    with zipfile.ZipFile(tmp_path / "o" / "report-2021.docx") as z:
        for name in z.namelist():
            assert b"External" not in z.read(name) and url.encode() not in z.read(name), name
    assert not hits


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")
def test_libreoffice_fetches_nothing(tmp_path, listener):
    url, hits = listener
    ref = tmp_path / "ref.docx"
    _external_reference(ref, url)
    result = run("render", EXAMPLE, "-o", tmp_path / "o", "-f", "pdf", "--reference-doc", ref)
    assert result.exit_code == 0, result.output
    from reportgen import office

    office.convert(ref.read_bytes(), ".docx", "pdf")  # the document as it came, not stripped
    assert not hits, hits


# --- clear errors instead of 内部错误 ------------------------------------------------------------

def test_long_titles_and_agency_names_render(tmp_path):
    import docx

    for key in ("标题", "机关名称"):
        src = tmp_path / f"{key}.yaml"
        src.write_text(EXAMPLE.read_text("utf-8").replace("机关名称: 云溪市市场监督管理局",
                                                         f"机关名称: 云溪市市场监督管理局\n{key}: {'长' * 256}"
                                                         if key == "标题" else f"机关名称: {'长' * 256}", 1), "utf-8")
        result = run("render", src, "-o", tmp_path / "o")
        assert result.exit_code == 0, result.output
        props = docx.Document(str(tmp_path / "o" / f"{key}.docx")).core_properties
        assert len(props.title) <= 255 and len(props.author) <= 255


def test_a_symlink_loop_is_a_clear_error(tmp_path):
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    for args in (["validate", tmp_path / "a.yaml"], ["parse", tmp_path / "a.yaml"], ["check", tmp_path / "a.yaml"]):
        result = run(*args)
        assert result.exit_code in (1, 2) and "循环" in result.output, result.output
        clean(result)


def test_a_file_name_that_is_not_utf8(tmp_path):
    run("render", EXAMPLE, "-o", tmp_path, "-f", "txt")
    name = os.fsdecode(b"rep\xff.txt")
    shutil.copy(tmp_path / "report-2021.txt", tmp_path / name)
    out = tmp_path / "d"
    result = run("parse", tmp_path / name, "-o", out)
    assert result.exit_code == 0, result.output
    assert (out / os.fsdecode(b"rep\xff.yaml")).is_file()
    assert "rep\ufffd" in result.output


def test_init_from_the_last_possible_year_is_a_clear_error(tmp_path):
    src = tmp_path / "2100.yaml"
    src.write_text(EXAMPLE.read_text("utf-8").replace("报告年度: 2023", "报告年度: 2100").replace("发布日期: 2024-01-26\n", ""),
                   "utf-8")
    result = run("init", "--from", src, "-o", tmp_path / "next.yaml")
    assert result.exit_code == 1 and "2101" in result.output and not (tmp_path / "next.yaml").exists()
    clean(result)


def test_a_unit_in_traditional_script_is_not_counted_twice(tmp_path):
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    shutil.copy(EXAMPLE, a)
    b.write_text(EXAMPLE.read_text("utf-8").replace("机关名称: 云溪市市场监督管理局", "机关名称: 雲溪市市場監督管理局"), "utf-8")
    result = run("aggregate", a, b, "-o", tmp_path / "sum.yaml")
    assert result.exit_code == 1 and "同一单位" in result.output and not (tmp_path / "sum.yaml").exists()


def test_our_own_large_repetitive_docx_is_read(tmp_path, data, write_yaml):
    """A 3.8 MB data file of repeated sentences: its docx compresses several hundred to one,
    which is no reason to refuse reading it."""
    data["存在的主要问题及改进情况"] = ["公开" * 1000] * 620
    src = write_yaml(data)
    assert src.stat().st_size > 3_500_000
    assert run("render", src, "-o", tmp_path, "-f", "docx").exit_code == 0
    docx_file = tmp_path / "data.docx"
    with zipfile.ZipFile(docx_file) as z:
        info = z.getinfo("word/document.xml")
    assert info.file_size / info.compress_size > 200 and info.file_size > 1 << 20
    m = run_measured(["parse", docx_file, "-o", tmp_path / "back.yaml"])
    assert m.code == 0 and "压缩炸弹" not in m.output, m.output[-300:]
    assert_within_budget(m, "large docx")


@pytest.mark.parametrize("name,message", [("traditional-duplicate-key.yaml", "同一项"),
                                          ("alias-duplicate-key.yaml", "同一项"),
                                          ("line-separator-title.yaml", "不能换行"),
                                          ("tiny-exponent-fee.yaml", "小数位数过多"),
                                          ("five-places-fee.yaml", "最多 4 位小数"),
                                          ("huge-exponent-fee.yaml", "数值过大"),
                                          ("digits-5000.yaml", "数值过长"),
                                          ("hex-100000.yaml", "数值过长"),
                                          ("count-too-large.yaml", "数值过大")])
def test_specific_adversarial_data_errors(name, message):
    result = run("validate", BAD / name)
    assert result.exit_code == 1 and message in result.output and name in result.output, result.output
    clean(result)


def test_check_previous_that_cannot_be_read_exits_2(tmp_path):
    garbage = tmp_path / "garbage.yaml"
    garbage.write_bytes(os.urandom(2000))
    result = run("check", EXAMPLE, "--previous", garbage)
    assert result.exit_code == 2 and "上一年度报告无法使用" in result.output


def test_missing_option_files_are_chinese_errors(tmp_path):
    for args in (["--reference-doc", tmp_path / "nope.docx"], ["--config", tmp_path / "nope.yaml"],
                 ["--template-dir", tmp_path / "nope"], ["--reference-doc", tmp_path]):
        result = run("render", EXAMPLE, "-o", tmp_path / "o", *args)
        assert result.exit_code in (1, 2) and "找不到" in result.output, result.output
        assert "Path" not in result.output and "does not exist" not in result.output


def test_our_own_page_with_a_bad_level_attribute(tmp_path):
    result = run("parse", BAD / "own-bad-level.html")
    assert result.exit_code == 0, result.output
    assert "一、总体情况" in result.output or "总体情况" in result.output


@pytest.mark.parametrize("codec", ["idna", "unicode-escape", "zlib", "punycode"])
def test_charsets_outside_the_known_list_are_ignored(codec):
    result = run("parse", BAD / f"{codec}-charset.html")
    assert result.exit_code == 0 and "某局" in result.output, result.output


def _slow_outcome(job):
    from reportgen.batch import Outcome

    time.sleep(0.01)
    return Outcome(job.path, True)


def test_an_interruption_python_swallowed_still_stops_a_batch(monkeypatch):
    """A signal whose exception Python swallowed (it struck in a fork hook or a finaliser, where
    Python only prints "Exception ignored") still stops the batch, and no worker outlives it."""
    import multiprocessing

    from reportgen import batch
    from reportgen.errors import Interrupted

    jobs = [batch.Job(f"r{i}.yaml", None) for i in range(200)]
    done = []
    monkeypatch.setattr(Interrupted, "_received", [])
    with pytest.raises(Interrupted) as e:
        for outcome in batch.run(jobs, _slow_outcome, workers=2, progress=False):
            done.append(outcome)
            if len(done) == 5:
                Interrupted._received.append(signal.SIGTERM)  # the handler ran; its exception was lost
    assert e.value.exit_code == 143 and 5 <= len(done) < 200
    assert not multiprocessing.active_children()


def test_the_command_ends_as_interrupted_when_the_exception_was_swallowed(monkeypatch):
    from reportgen.cli import main
    from reportgen.errors import Interrupted

    monkeypatch.setattr(Interrupted, "_received", [signal.SIGHUP])
    result = CliRunner().invoke(main, ["validate", str(EXAMPLE)])
    assert result.exit_code == 129 and "已中断" in result.output
