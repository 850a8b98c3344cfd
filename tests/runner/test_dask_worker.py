"""A Dask worker's side of a run: its worker process, and staging through object storage.

The store here is fsspec's in-memory file system: what goes through it is
what a worker with no shared disk hands to the committer.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from presswash.output.staging import StagedFiles
from presswash.runner.dask_worker import Job, fetch_staged, remove_staged
from presswash.runner.dask_worker import _put_staged as put_staged
from presswash.runner.plan import ShardSpec
from presswash.runner.results import ShardResult
from presswash.schemas.settings import Settings
from presswash.schemas.summary import Tally

STAGING_URL = "memory://presswash-test/clean/_staging/run-1"


def _staged(folder: Path, shard: str) -> ShardResult:
    files = StagedFiles.for_shard(folder, shard)
    folder.mkdir(parents=True, exist_ok=True)
    files.articles.write_bytes(b'{"id": "a"}\n{"id": "b"}\n')
    files.rejected.write_bytes(b"")
    files.facts.write_bytes(b'{"n": 1}\n')
    files.mark_attempt("x")
    return ShardResult(ShardSpec(shard, "src", "2026-01-01", "/in", ()), Tally(), files)


def test_staged_files_go_whole_through_the_store_to_the_committers_folder(
    tmp_path: Path,
) -> None:
    committer = tmp_path / "committer" / "_staging" / "run-1"
    job = Job(Settings(out=tmp_path / "out"), "v", committer, STAGING_URL)
    worker = job.staging_here
    assert worker != committer and worker.name == "run-1"
    done = put_staged(_staged(worker, "abc"), job)
    assert not any(worker.iterdir()), "the worker keeps nothing"
    assert done.error is None and done.staged == StagedFiles.for_shard(committer, "abc")
    assert not committer.exists(), "nothing reached the committer but through the store"

    fetched = fetch_staged(done, STAGING_URL)
    assert fetched.staged.articles.read_bytes() == b'{"id": "a"}\n{"id": "b"}\n'
    assert fetched.staged.rejected.read_bytes() == b""
    assert fetched.staged.facts.read_bytes() == b'{"n": 1}\n'
    import fsspec

    fs = fsspec.filesystem("memory")
    assert not fs.find(STAGING_URL), "fetched objects leave the store"
    remove_staged(STAGING_URL)


def test_a_failed_shard_is_not_fetched(tmp_path: Path) -> None:
    failed = ShardResult(
        ShardSpec("s", "src", "d", "/in", ()),
        Tally(),
        StagedFiles.for_shard(tmp_path, "s"),
        error="cannot stage records",
    )
    assert fetch_staged(failed, STAGING_URL) is failed
    assert not tmp_path.joinpath("s.articles.jsonl").exists()


@pytest.mark.slow
def test_a_local_cluster_starts_every_workers_process_first_and_ends_them(
    tmp_path: Path,
) -> None:
    pytest.importorskip("distributed", reason="dask.distributed (the dask extra) is not installed")
    from presswash.runner import dask_worker
    from presswash.runner.executors import DaskCluster

    settings = Settings(out=tmp_path / "out", run={"executor": "dask", "workers": 2})
    executor = DaskCluster(settings, "v", tmp_path / "out" / "_staging" / "run-1")
    try:
        pools = [pool for _, pool in dask_worker._POOLS.values()]
        assert executor.capacity == 2 and len(pools) == 2, "one process a worker, before a shard"
    finally:
        executor.close()
    assert not dask_worker._POOLS
    for pool in pools:
        with pytest.raises(RuntimeError):  # shut down: it takes no more work
            pool.call(dask_worker._noop)
