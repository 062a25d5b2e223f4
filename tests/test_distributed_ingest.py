"""`supplier-search ingest --dask-scheduler ADDRESS` against a real local Dask cluster."""

from __future__ import annotations

import socket

import pytest

distributed = pytest.importorskip("distributed")

from benchmarks.generate import generate  # noqa: E402
from index.build import ingest  # noqa: E402
from index.search import Directory  # noqa: E402
from supplier_search.cli import main  # noqa: E402


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    out = tmp_path_factory.mktemp("dask-corpus")
    generate(out, 30, seed=3)
    return out / "docs"


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=2,
        processes=False,
        protocol="tcp://",
        host="127.0.0.1",
        dashboard_address=None,
    ) as c:
        yield c


def _profiles(ix) -> list[tuple[str, str, tuple]]:
    return sorted(
        (r["id"], r["name"], tuple(sorted(r["capabilities"])))
        for r in Directory(ix).list()["results"]
    )


def test_cluster_ingest_builds_the_same_directory_as_local_processes(
    docs, cluster, tmp_path, capsys
):
    dask_ix, local_ix = tmp_path / "dask", tmp_path / "local"
    rc = main(
        [
            "--index",
            str(dask_ix),
            "ingest",
            str(docs),
            "--dask-scheduler",
            cluster.scheduler_address,
        ]
    )
    assert rc == 0
    assert "added 30," in capsys.readouterr().out
    # every file was loaded and extracted by the cluster, not in this process
    assert cluster.scheduler.task_prefixes["process_file"].state_counts["memory"] == 30
    ingest([docs], index_dir=local_ix, workers=2)
    dask_profiles = _profiles(dask_ix)
    assert dask_profiles and dask_profiles == _profiles(local_ix)


def test_unreachable_scheduler_is_reported_and_nothing_is_written(docs, tmp_path, capsys):
    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    ix = tmp_path / "ix"
    rc = main(
        ["--index", str(ix), "ingest", str(docs), "--dask-scheduler", f"tcp://127.0.0.1:{port}"]
    )
    assert rc == 4
    assert "no Dask scheduler reachable" in capsys.readouterr().err
    assert not ix.exists()
