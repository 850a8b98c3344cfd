"""Where a run's shards are cleaned: in this process, in local worker processes, or on Dask.

The run engine asks an executor for one thing only: run a function on a
shard and hand back a future. Everything else (plan, learn, commit in plan
order, finish) stays in the engine, so the three executors give the same
records. `capacity` is how many shards the executor really runs at once: the
engine keeps a few times that many in flight, so a cluster of four workers is
fed for four, not for the two a local setting would suggest.

On every executor that has processes of its own, the per-document time limit
and poison handling hold: a Dask worker hands its shard to a worker process
of its own (the same supervised pool as locally), because a timer signal
cannot interrupt a thread, and Dask runs tasks in threads.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol, TypeVar

from presswash.runner.dask_worker import (
    Job,
    clean_in_dask_worker,
    fetch_staged,
    learn_in_dask_worker,
    release,
    remove_staged,
    warm,
)
from presswash.runner.plan import ShardSpec
from presswash.runner.pool import ShardPool
from presswash.runner.results import ShardResult
from presswash.runner.sites import LearnedPages, learn_in_pool, learn_shard
from presswash.schemas.layout import STAGING, join
from presswash.schemas.settings import Settings

T = TypeVar("T")


class ResultFuture(Protocol[T]):  # type: ignore[misc]
    """What the engine needs of a future: its result (concurrent, Dask and Prefect alike)."""

    def result(self, timeout: float | None = None) -> T: ...


class ShardExecutor(Protocol):
    """Runs shard work somewhere and returns futures; the engine owns everything else."""

    capacity: int
    name: str

    def clean(self, spec: ShardSpec) -> ResultFuture[ShardResult]: ...

    def learn(
        self, spec: ShardSpec, known: frozenset[str], cap: int
    ) -> ResultFuture[LearnedPages]: ...

    def close(self) -> None: ...


def done_now(value: T) -> Future[T]:
    """A finished future: work done in this process, handed to code that expects futures."""
    future: Future[T] = Future()
    future.set_result(value)
    return future


class Closing(AbstractContextManager[Any]):
    """Context-manager support for executors: `with executor_for(...) as executor:`."""

    def close(self) -> None:
        """Nothing to release by default."""

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class InProcess(Closing):
    """Cleans each shard in the calling process, one at a time: for debugging.

    No time limit and no crash isolation: those need worker processes.
    """

    name = "in-process"
    capacity = 1

    def __init__(self, settings: Settings, pipeline_version: str, staging_dir: Path) -> None:
        self.settings = settings
        self.pipeline_version = pipeline_version
        self.staging_dir = staging_dir

    def clean(self, spec: ShardSpec) -> Future[ShardResult]:
        from presswash.runner.shard import run_shard

        return done_now(run_shard(spec, self.settings, self.pipeline_version, self.staging_dir))

    def learn(self, spec: ShardSpec, known: frozenset[str], cap: int) -> Future[LearnedPages]:
        return done_now(learn_shard(spec, self.settings, known, cap))


class LocalPool(Closing):
    """Supervised worker processes on this machine (`run.workers` of them)."""

    name = "local"

    def __init__(self, settings: Settings, pipeline_version: str, staging_dir: Path) -> None:
        self.settings = settings
        self.capacity = settings.run.workers
        self._pool = ShardPool(self.capacity, settings, pipeline_version, staging_dir)
        # a thread per worker waits on its shard, so the engine gets plain futures
        self._threads = ThreadPoolExecutor(max_workers=self.capacity)

    def clean(self, spec: ShardSpec) -> Future[ShardResult]:
        return self._threads.submit(self._pool.run, spec)

    def learn(self, spec: ShardSpec, known: frozenset[str], cap: int) -> Future[LearnedPages]:
        return self._threads.submit(learn_in_pool, self._pool, spec, self.settings, known, cap)

    def close(self) -> None:
        self._threads.shutdown(wait=True, cancel_futures=True)
        self._pool.shutdown()


# A local cluster's workers live in the run's process: their sampling profiler (every 10 ms)
# and event-loop ticks cost a tenth of a core for a dashboard nobody looks at.
QUIET_WORKERS = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
}


class DaskCluster(Closing):
    """Shards as Dask tasks: on a local cluster of `run.workers` workers, or at an address.

    Only paths and settings travel to the workers, and only counts come back.
    A local cluster's workers are threads of this process, each handing its
    shards to a worker process of its own: a Dask worker process in between
    would only add a process to start, an interpreter to import Dask into and
    a second hop for every shard. A cluster at an address is the user's; with
    the output on object storage its workers stage there (runner/dask_worker.py).
    """

    name = "dask"

    def __init__(self, settings: Settings, pipeline_version: str, staging_dir: Path) -> None:
        try:
            import dask
            from distributed import Client, LocalCluster
        except ImportError as exc:  # the optional extra is missing
            raise RuntimeError(
                "run.executor 'dask' needs dask.distributed: install presswash[dask] "
                "(uv run --extra dask presswash ...)"
            ) from exc
        remote = settings.remote_out if settings.run.dask_address else None
        staging_url = join(remote, STAGING, staging_dir.name) if remote else None
        self.job = Job(settings, pipeline_version, staging_dir, staging_url)
        self._cluster: Any = None
        # worker processes may start processes of their own: the supervised pool below
        dask.config.set({"distributed.worker.daemon": False})
        if settings.run.dask_address:
            self._client = Client(settings.run.dask_address, timeout="30s")
        else:
            dask.config.set(QUIET_WORKERS)
            self._cluster = LocalCluster(
                n_workers=settings.run.workers,
                threads_per_worker=1,
                processes=False,
                dashboard_address=None,
                # no dashboard; its HTTP endpoint on a free port, never "8787 already in use"
                scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
            )
            self._client = Client(self._cluster)
        workers = self._client.nthreads()
        self.capacity = max(1, sum(workers.values()))
        self._warm(list(workers))

    def _warm(self, workers: list[str]) -> None:
        """Start every worker's process at once, before the first shard: a start-up cost.

        Otherwise each worker would start its own when its first shard comes,
        one after another, inside the run.
        """
        futures = [
            self._client.submit(warm, self.job, workers=[w], allow_other_workers=False, pure=False)
            for w in workers
        ]
        self._client.gather(futures)

    def clean(self, spec: ShardSpec) -> ResultFuture[ShardResult]:
        future = self._client.submit(
            clean_in_dask_worker,
            spec,
            self.job,
            pure=False,
            key=f"clean-shard-{spec.shard_id}-{self.job.staging_dir.name}",
        )
        if self.job.staging_url is None:
            return future
        return Fetched(future, self.job.staging_url)

    def learn(self, spec: ShardSpec, known: frozenset[str], cap: int) -> ResultFuture[LearnedPages]:
        return self._client.submit(learn_in_dask_worker, spec, self.job, known, cap, pure=False)

    def close(self) -> None:
        with contextlib.suppress(Exception):  # a worker gone already has nothing to release
            self._client.run(release, self.job.staging_dir.name)
        if self.job.staging_url is not None:
            remove_staged(self.job.staging_url)
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


class Fetched:
    """A shard's future whose staged files wait on object storage: fetched when asked for."""

    def __init__(self, future: ResultFuture[ShardResult], staging_url: str) -> None:
        self._future = future
        self._url = staging_url

    def result(self, timeout: float | None = None) -> ShardResult:
        return fetch_staged(self._future.result(timeout), self._url)


Factory = Callable[[Settings, str, Path], ShardExecutor]


def executor_for(settings: Settings, pipeline_version: str, staging_dir: Path) -> ShardExecutor:
    """The executor `run.executor` (and `run.in_process`) asks for."""
    if settings.run.executor == "dask":
        return DaskCluster(settings, pipeline_version, staging_dir)
    if settings.run.in_process:
        return InProcess(settings, pipeline_version, staging_dir)
    return LocalPool(settings, pipeline_version, staging_dir)
