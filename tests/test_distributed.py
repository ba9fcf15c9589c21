"""parse --table on Dask distributed (a LocalCluster of 2 worker processes) gives the same
table as the local run; without Dask installed, a clear Chinese message."""
import builtins
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportgen.batch import Job, run
from reportgen.cli import main
from reportgen.parse import dataset_outputs, parse_worker

distributed = pytest.importorskip("distributed")
CORPUS = Path(__file__).parent / "fixtures" / "corpus"  # copies of shared/corpus files, in the repo


def test_local_cluster_same_table(tmp_path):
    files = sorted(CORPUS.glob("*.txt"))[:3]
    options = {"table": str(tmp_path / "t.csv"), "no_data_files": True}
    jobs = [Job(str(f), None, options) for f in files]
    local = list(run(jobs, parse_worker, 1, progress=False))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        remote = list(run(jobs, parse_worker, None, progress=False, scheduler=client))
    assert len(remote) == len(files)
    assert dataset_outputs(options["table"], remote) == dataset_outputs(options["table"], local)


def test_without_dask_clear_message(tmp_path, monkeypatch):
    real = builtins.__import__

    def no_dask(name, *a, **k):
        if name == "distributed" or name.startswith("distributed."):
            raise ImportError(name)
        return real(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_dask)
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(next(CORPUS.glob("017_*.txt")), src)
    result = CliRunner().invoke(main, ["parse", str(src), "--table", str(tmp_path / "t.csv"), "--scheduler", "local"])
    assert result.exit_code != 0
    assert "reportgen[dask]" in result.output
