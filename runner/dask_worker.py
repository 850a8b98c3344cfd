"""What runs on a Dask worker: its supervised worker process, and staging it can reach.

A Dask worker runs tasks in threads, and a timer signal cannot interrupt a
thread: so each Dask worker hands its shards (and its site samples) to
worker processes of its own (one per thread), the same supervised pool as
a local run, and the per-document time limit and poison handling hold
there too. The Dask worker itself then never imports the cleaning core.

Staging: a worker of a local cluster stages where the committer reads, the
output's `_staging/<run-id>/`. A worker of a remote cluster shares no file
system with the committer; when the output is on object storage, it stages
on its own disk and puts each staged file whole under the output's staging
prefix (`<out>/_staging/<run-id>/`), where the committer fetches it.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from presswash.output.remote import download, upload
from presswash.output.staging import StagedFiles
from presswash.runner.plan import ShardSpec
from presswash.runner.pool import ShardPool
from presswash.runner.results import ShardResult
from presswash.runner.sites import LearnedPages, learn_in_pool, learn_shard
from presswash.schemas import layout
from presswash.schemas.settings import Settings
from presswash.sources.storage import filesystem


@dataclass(frozen=True, slots=True)
class Job:
    """What every task of a run takes along: small and picklable.

    `staging_dir` is the committer's staging folder; `staging_url`, when set,
    is where a worker with no shared file system puts its staged files instead.
    """

    settings: Settings
    pipeline_version: str
    staging_dir: Path
    staging_url: str | None = None

    @property
    def staging_here(self) -> Path:
        """Where this worker stages: the committer's folder, or a folder on its own disk."""
        if self.staging_url is None:
            return self.staging_dir
        return Path(tempfile.gettempdir()) / "presswash-staging" / self.staging_dir.name


# One supervised pool per Dask worker (a local cluster's workers share a process), of a
# process per worker thread, for the run it serves now: {worker: (run's staging folder, pool)}.
_POOLS: dict[str, tuple[str, ShardPool]] = {}
_LOCK = threading.Lock()
# Shards cleaned in this process as a Dask worker, and those of them staged on object storage:
# `Client.run(shards_cleaned_here)` asks each worker.
_CLEANED = [0, 0]


def shards_cleaned_here() -> tuple[int, int]:
    """Shards this process cleaned as a Dask worker, and staged on the store (where work went)."""
    return _CLEANED[0], _CLEANED[1]


def _worker_key() -> tuple[str, int]:
    """The Dask worker running this task, and its threads: a process for each."""
    try:
        from distributed import get_worker

        worker = get_worker()
    except (ImportError, ValueError):  # not in a Dask task: the calling process
        return "", 1
    return str(worker.address), max(1, int(getattr(worker, "nthreads", 1)))


def _pool_for(job: Job) -> ShardPool:
    (key, threads), run = _worker_key(), str(job.staging_here)
    with _LOCK:
        held = _POOLS.get(key)
        if held is not None and held[0] == run:
            return held[1]
        if held is not None:  # a new run: the last one's pool is done
            held[1].shutdown()
        pool = ShardPool(threads, job.settings, job.pipeline_version, job.staging_here)
        pool.call(_noop)  # fails here, not mid-shard, where processes may not start
        _POOLS[key] = (run, pool)
        return pool


def _noop() -> None:
    """Started once in a new pool: proves a worker process can run."""


def warm(job: Job) -> bool:
    """Start this worker's process before the first shard; False where it may not start one."""
    try:
        _pool_for(job)
    except AssertionError:  # "daemonic processes are not allowed to have children"
        return False
    return True


def release(staging_dir_name: str, dask_worker: Any = None) -> None:
    """End this worker's process and remove what it staged for the run (the run is over).

    `Client.run` passes `dask_worker`: a local cluster's workers share one
    process, so each must name its own pool.
    """
    key = str(dask_worker.address) if dask_worker is not None else _worker_key()[0]
    with _LOCK:
        held = _POOLS.pop(key, None)
    if held is not None:
        held[1].shutdown()
    shutil.rmtree(
        Path(tempfile.gettempdir()) / "presswash-staging" / staging_dir_name, ignore_errors=True
    )


def clean_in_dask_worker(spec: ShardSpec, job: Job) -> ShardResult:
    """A shard on a Dask worker, in a worker process of its own: timed, and resumed if it dies.

    A worker whose process may not start children (a daemonic nanny process)
    cleans in its own thread instead, without the per-document time limit.
    """
    _CLEANED[0] += 1
    try:
        pool = _pool_for(job)
    except AssertionError:  # "daemonic processes are not allowed to have children"
        from presswash.runner.shard import run_shard  # the cleaning core, only here

        result = run_shard(spec, job.settings, job.pipeline_version, job.staging_here)
    else:
        result = pool.run(spec)
    if job.staging_url is None or result.error is not None:
        return result
    return _put_staged(result, job)


def learn_in_dask_worker(
    spec: ShardSpec, job: Job, known: frozenset[str], cap: int
) -> LearnedPages:
    """A shard's site sample, read in this worker's process like its cleaning."""
    try:
        pool = _pool_for(job)
    except AssertionError:
        return learn_shard(spec, job.settings, known, cap)
    return learn_in_pool(pool, spec, job.settings, known, cap)


def _put_staged(result: ShardResult, job: Job) -> ShardResult:
    """Put the staged files under the staging URL, whole; the result names the committer's."""
    assert job.staging_url is not None
    try:
        for path in result.staged.all():
            if path.exists() and path.suffix == ".jsonl":
                upload(path, layout.join(job.staging_url, path.name))
    except OSError as exc:
        return replace(result, error=f"cannot stage records in {job.staging_url}: {exc}")
    finally:
        for path in result.staged.all():
            path.unlink(missing_ok=True)
    _CLEANED[1] += 1
    return replace(result, staged=StagedFiles.for_shard(job.staging_dir, result.spec.shard_id))


def fetch_staged(result: ShardResult, staging_url: str) -> ShardResult:
    """Bring a shard's staged files down from the staging URL to the committer's folder.

    The objects go once they are here: a retried commit reads the local copies.
    """
    if result.error is not None:
        return result
    try:
        for path in result.staged.all():
            if path.suffix != ".jsonl":
                continue
            name = layout.join(staging_url, path.name)
            if not download(name, path):
                path.write_bytes(b"")  # nothing staged of that kind
                continue
            fs, key = filesystem(name)
            with contextlib.suppress(FileNotFoundError):
                fs.rm_file(key)
    except OSError as exc:
        return replace(result, error=f"cannot fetch staged records from {staging_url}: {exc}")
    return result


def remove_staged(staging_url: str) -> None:
    """Remove what is left under a run's staging URL (a shard never committed)."""
    fs, key = filesystem(staging_url)
    with contextlib.suppress(Exception):  # nothing there, or the store out of reach: harmless
        fs.rm(key, recursive=True)
