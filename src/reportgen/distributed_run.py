"""Reading a batch on Dask distributed (``parse --scheduler tcp://host:8786`` or ``local``):
for corpora one machine cannot read (OCR) in time. The jobs are sent to the cluster's workers
and their outcomes come back as they finish, in the order they finish, like the local pool's.
Dask is an optional extra (``pip install 'reportgen[dask]'``)."""
from __future__ import annotations

from typing import Callable, Iterator

from .errors import UsageError


def client_for(scheduler: str):
    """A Dask client: ``local`` starts a LocalCluster on this machine, anything else is the
    address of a running scheduler (tcp://host:8786)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise UsageError("--scheduler 需要 Dask distributed：请安装 pip install 'reportgen[dask]'"
                         "（或 pip install 'dask[distributed]'）") from None
    if scheduler == "local":
        return Client(LocalCluster(processes=True, dashboard_address=None))
    try:
        return Client(scheduler, timeout="10s")
    except (OSError, TimeoutError) as e:
        raise UsageError(f"无法连接 Dask 调度器“{scheduler}”：{e}") from None


def run_distributed(jobs: list, worker: Callable, scheduler, advance: Callable[[], None] | None = None) -> Iterator:
    """Outcomes of ``worker`` over ``jobs`` run on ``scheduler`` (an address, ``local``, or a
    ``distributed.Client``), yielded as they finish."""
    own = not hasattr(scheduler, "map")
    client = client_for(scheduler) if own else scheduler  # says clearly when Dask is missing
    from distributed import as_completed

    try:
        futures = client.map(worker, jobs, pure=False)
        for future in as_completed(futures):
            outcome = future.result()
            if advance is not None:
                advance()
            yield outcome
    finally:
        if own:
            cluster = getattr(client, "cluster", None)
            client.close()
            if cluster is not None:
                cluster.close()
