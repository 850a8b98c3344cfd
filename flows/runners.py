"""Which Prefect task runner a run uses: local threads feeding worker processes, or Dask.

Locally, shard tasks run on a thread pool and hand their shard to presswash's
own worker processes (cheap to start, supervised, with a per-document time
limit). With `run.executor = "dask"` the same flow's shard tasks run on a
Dask cluster through prefect-dask: a local one by default, or the scheduler
at `run.dask_address`. Commits always run in the flow's own process, because
they hold the output folder's lock and state database.
"""

from __future__ import annotations

from typing import Any

from presswash.schemas.settings import Settings


def task_runner_for(settings: Settings) -> Any:
    """The task runner for these settings; prefect-dask is imported only when asked for."""
    if settings.run.executor == "dask":
        try:
            from prefect_dask import DaskTaskRunner
        except ImportError as exc:  # the optional extra is missing
            raise RuntimeError(
                "run.executor 'dask' needs prefect-dask: install presswash[dask] "
                "(uv run --extra dask presswash ...)"
            ) from exc
        if settings.run.dask_address:
            return DaskTaskRunner(address=settings.run.dask_address)
        return DaskTaskRunner(
            cluster_kwargs={
                "n_workers": settings.run.workers,
                "threads_per_worker": 1,
                "processes": True,
                "dashboard_address": None,
            }
        )
    from prefect.task_runners import ThreadPoolTaskRunner

    return ThreadPoolTaskRunner(max_workers=max(4, settings.run.workers))
