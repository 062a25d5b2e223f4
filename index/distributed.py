"""Parsing and extraction on a Dask cluster; the index is still written here, by one writer.

`ingest(..., executor_factory=dask_executor_factory(address))` sends every file's load and
extraction (`index.build.process_file`) to the workers of a running dask.distributed scheduler
and gets the extraction back; resolution, curation and the single atomic Whoosh commit stay in
the calling process, so the index has exactly one writer however large the cluster.

What the cluster must share with the writer: the project installed at the same version
(`pip install 'supplier-search[dask]'`; checked below through the extractor version, because a
worker running other extraction code would fill the cache with extractions the writer cannot
trust) and the files at the same paths (a shared or network file system). A worker thread runs
no per-file time limit (SIGALRM works only in a process's main thread); the memory and size
limits still apply.
"""

from __future__ import annotations

import concurrent.futures as cf


class ClusterError(RuntimeError):
    """The Dask cluster cannot be used: not reachable, not installed, or other code on it."""


class _ClusterPool(cf.Executor):
    """A concurrent.futures executor over a connected Dask client (which it leaves open)."""

    def __init__(self, client):
        self._executor = client.get_executor(pure=False)

    def submit(self, fn, /, *args, **kwargs) -> cf.Future:
        return self._executor.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._executor.shutdown(wait=wait)


def connect(address: str, timeout: float = 10.0):
    """A client of the scheduler at `address`, after checking its workers run our extractor."""
    try:
        from distributed import Client
    except ImportError:
        raise ClusterError(
            "dask.distributed is not installed: pip install 'supplier-search[dask]'"
        ) from None
    from .build import extractor_version

    try:
        client = Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"no Dask scheduler reachable at {address} ({exc})") from None
    try:
        mine = extractor_version()
        theirs = client.run(extractor_version)
        if not theirs:
            raise ClusterError(f"the Dask cluster at {address} has no workers")
        other = sorted(w for w, v in theirs.items() if v != mine)
        if other:
            raise ClusterError(
                f"{len(other)} Dask worker(s) run a different extractor version "
                f"({theirs[other[0]]} ≠ {mine} here), e.g. {other[0]}: install the same "
                "supplier-search version on every worker"
            )
    except BaseException:
        client.close()
        raise
    return client


class DaskCluster:
    """A connection to a Dask scheduler for one ingest run.

    Connecting (and checking the workers) happens before the index is opened, so an unusable
    cluster is reported before anything starts:

        with DaskCluster("tcp://10.0.0.5:8786") as cluster:
            ingest(paths, workers=cluster.threads, executor_factory=cluster.executor_factory)
    """

    def __init__(self, address: str, timeout: float = 10.0):
        self.address = address
        self.client = connect(address, timeout)

    @property
    def threads(self) -> int:
        """How many files the cluster works on at once."""
        return max(1, sum(self.client.nthreads().values()))

    def executor_factory(self, _workers: int) -> cf.Executor:
        return _ClusterPool(self.client)

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> DaskCluster:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
