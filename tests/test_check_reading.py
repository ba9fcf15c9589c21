"""check tells the reader's doubts (读取说明) from the report's faults: its own short section,
never counted in the summary nor the exit code unless --strict."""
import json
from pathlib import Path

from click.testing import CliRunner

from reportgen.check import Finding, check_file, format_result
from reportgen.cli import main
from reportgen.errors import KINDS, READING_NOTE, REPORT_FAULT, kind_of

CORPUS = Path(__file__).parent / "fixtures" / "corpus"  # copies of shared/corpus files, in the repo
CRAWLED = next(CORPUS.glob("017_*.txt"))


def test_kinds_declared_once():
    assert kind_of("unread-cells") == kind_of("undecided") == kind_of("blank") == READING_NOTE
    assert kind_of("balance") == kind_of("missing-table") == REPORT_FAULT
    assert Finding("warning", "ocr", "", "x").kind == KINDS["ocr"]


def test_notes_apart_from_faults():
    result = check_file(str(CRAWLED))
    notes = result.notes()
    assert notes and all(f.kind == READING_NOTE for f in notes)
    text = format_result(result)
    head = text.splitlines()[0]
    faults = sum(1 for f in result.faults() if f.severity in ("error", "warning"))
    assert f"{READING_NOTE} {len(notes)} 条" in head
    assert "读取说明（不计入报告的问题）" in text
    assert "|" not in text.split(READING_NOTE + "（")[1]  # no digit-run listings
    assert all(len(line) < 140 for line in text.split(READING_NOTE + "（")[1].splitlines())
    assert "|" in format_result(result, verbose=True)
    assert faults == len(result.faults()) - sum(1 for f in result.faults() if f.severity == "info")


def test_exit_code_and_json(tmp_path):
    runner = CliRunner()
    out = runner.invoke(main, ["check", "--json", "--fail-on", "warning", str(CRAWLED)])
    data = json.loads(out.output[out.output.index("["):])
    kinds = {f["code"]: f["kind"] for r in data for f in r["findings"]}
    assert kinds["unread-cells"] == READING_NOTE
    result = check_file(str(CRAWLED))
    note_only = result.notes()[0]
    result.findings = [note_only]
    assert result.worst() is None and result.worst(strict=True) == note_only.severity


def test_corpus_pdf_fee_read_not_warned():
    pdf = next(CORPUS.glob("*.pdf"))
    result = check_file(str(pdf))
    assert not [f for f in result.findings if f.code == "fee-statement"]
    notes = [f for f in result.notes() if f.code == "fee-partial"]
    assert len(notes) == 1 and "3940 元" in notes[0].message
