"""Where a run's shards are cleaned: in this process, in local worker processes, or on Dask.

The run engine asks an executor for one thing only: run a function on a
shard and hand back a future. Everything else (plan, learn, commit in plan
order, finish) stays in the engine, so the three executors give the same
records. `capacity` is how many shards the executor really runs at once: the
engine keeps twice that many in flight, so a cluster of four workers is fed
four shards, not the two a local setting would suggest.

On every executor that has processes of its own, the per-document time limit
and poison handling hold: a Dask worker hands its shard to a worker process
of its own (the same supervised pool as locally), because a timer signal
cannot interrupt a thread, and Dask runs tasks in threads.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol, TypeVar

from presswash.runner.plan import ShardSpec
from presswash.runner.pool import ShardPool
from presswash.runner.results import ShardResult
from presswash.runner.sites import LearnedPages, learn_in_pool, learn_shard
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


class DaskCluster(Closing):
    """Shards as Dask tasks: on a local cluster of `run.workers` processes, or at an address.

    Only paths and settings travel to the workers, and only counts come back.
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
        self.settings = settings
        self.pipeline_version = pipeline_version
        self.staging_dir = staging_dir
        self._cluster: Any = None
        # worker processes may start processes of their own: the supervised pool below
        dask.config.set({"distributed.worker.daemon": False})
        if settings.run.dask_address:
            self._client = Client(settings.run.dask_address, timeout="30s")
        else:
            self._cluster = LocalCluster(
                n_workers=settings.run.workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                # no dashboard; its HTTP endpoint on a free port, never "8787 already in use"
                scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
            )
            self._client = Client(self._cluster)
        self.capacity = max(1, sum(self._client.nthreads().values()))

    def clean(self, spec: ShardSpec) -> ResultFuture[ShardResult]:
        return self._client.submit(
            clean_in_dask_worker,
            spec,
            self.settings,
            self.pipeline_version,
            self.staging_dir,
            pure=False,
            key=f"clean-shard-{spec.shard_id}-{self.staging_dir.name}",
        )

    def learn(self, spec: ShardSpec, known: frozenset[str], cap: int) -> ResultFuture[LearnedPages]:
        return self._client.submit(learn_shard, spec, self.settings, known, cap, pure=False)

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


# One supervised pool per Dask worker process, for the run it serves now.
_DASK_POOL: dict[str, ShardPool] = {}
_DASK_LOCK = threading.Lock()
# Shards this Dask worker process has cleaned: `Client.run(shards_cleaned_here)` asks each.
_CLEANED = [0]


def shards_cleaned_here() -> int:
    """How many shards this process cleaned as a Dask worker (to see where work went)."""
    return _CLEANED[0]


def clean_in_dask_worker(
    spec: ShardSpec, settings: Settings, pipeline_version: str, staging_dir: Path
) -> ShardResult:
    """A shard on a Dask worker, in a worker process of its own: timed, and resumed if it dies.

    A worker whose process may not start children (a daemonic nanny process)
    cleans in its own thread instead, without the per-document time limit.
    """
    from presswash.runner.shard import run_shard

    _CLEANED[0] += 1
    try:
        pool = _pool_for(settings, pipeline_version, staging_dir)
    except AssertionError:  # "daemonic processes are not allowed to have children"
        return run_shard(spec, settings, pipeline_version, staging_dir)
    return pool.run(spec)


def _pool_for(settings: Settings, pipeline_version: str, staging_dir: Path) -> ShardPool:
    key = str(staging_dir)
    with _DASK_LOCK:
        pool = _DASK_POOL.get(key)
        if pool is None:
            for old in _DASK_POOL.values():  # a new run: the last one's pool is done
                old.shutdown()
            _DASK_POOL.clear()
            pool = ShardPool(1, settings, pipeline_version, staging_dir)
            pool.call(_noop)  # fails here, not mid-shard, where processes may not start
            _DASK_POOL[key] = pool
        return pool


def _noop() -> None:
    """Started once in a new pool: proves a worker process can run."""


Factory = Callable[[Settings, str, Path], ShardExecutor]


def executor_for(settings: Settings, pipeline_version: str, staging_dir: Path) -> ShardExecutor:
    """The executor `run.executor` (and `run.in_process`) asks for."""
    if settings.run.executor == "dask":
        return DaskCluster(settings, pipeline_version, staging_dir)
    if settings.run.in_process:
        return InProcess(settings, pipeline_version, staging_dir)
    return LocalPool(settings, pipeline_version, staging_dir)
