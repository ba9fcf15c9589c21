"""Shared fixtures. ``pytest --accept`` rewrites golden files instead of comparing (pandoc's convention)."""
from __future__ import annotations

import copy
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "report-2021.yaml"
GOLDEN = Path(__file__).resolve().parent / "golden"
STATUTORY = ROOT.parent / "shared" / "spec" / "statutory.md"


def pytest_addoption(parser):
    parser.addoption("--accept", action="store_true", help="rewrite golden files from the current output")


@pytest.fixture
def accept(request) -> bool:
    return request.config.getoption("--accept")


EPOCH = "1706227200"  # 2024-01-26: every test renders with fixed timestamps


def pytest_configure(config):
    import tempfile

    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    # the output ledger (what reportgen wrote) of this run only, not the user's
    os.environ["REPORTGEN_STATE_DIR"] = tempfile.mkdtemp(prefix="reportgen-test-state-")


@pytest.fixture(scope="session")
def example_data() -> dict:
    from reportgen.yamlio import load_yaml

    data, _ = load_yaml(EXAMPLE.read_text("utf-8"), str(EXAMPLE))
    return data


@pytest.fixture
def data(example_data) -> dict:
    """A deep copy of the example's data, free to modify."""
    return copy.deepcopy(example_data)


@pytest.fixture(scope="session")
def loaded():
    from reportgen.loader import load_report

    return load_report(str(EXAMPLE))


@pytest.fixture(scope="session")
def document(loaded):
    from reportgen.compose import compose

    return compose(loaded)


@pytest.fixture
def write_yaml(tmp_path):
    """Write a data mapping (or raw text) to a file in tmp_path and return its path."""
    def write(content, name: str = "data.yaml") -> Path:
        path = tmp_path / name
        text = content if isinstance(content, str) else dump_yaml(content)
        path.write_text(text, encoding="utf-8")
        return path

    return write


def dump_yaml(data: object) -> str:
    """Any mapping as YAML (for test data, valid or not): Chinese unescaped, decimals as written."""
    import yaml
    from decimal import Decimal

    class Dumper(yaml.SafeDumper):
        pass

    Dumper.add_representer(Decimal, lambda d, v: d.represent_scalar("tag:yaml.org,2002:float", format(v, "f")))
    Dumper.add_representer(str, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", v,
                                                                style="|" if "\n" in v else None))
    return yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=False)


def check_golden(path: Path, actual: str, accept: bool) -> None:
    if accept or not path.exists():
        path.write_text(actual, encoding="utf-8")
        if not accept:
            pytest.fail(f"golden file {path.name} was missing and has been written; review and commit it")
        return
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{path.name} differs from the golden file; run pytest --accept to update after review"
