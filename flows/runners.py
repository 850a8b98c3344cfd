"""Which Prefect task runner a flow uses: threads that wait on the run's executor.

Shard work runs on the run's own executor (worker processes, or a Dask
cluster: see `presswash.runner.executors`); a Prefect task only waits for its
shard and logs it. So the flow's task runner is always a thread pool, sized
so that every shard the executor can run at once has a task waiting on it.
"""

from __future__ import annotations

from typing import Any

from presswash.schemas.settings import Settings


def task_runner_for(settings: Settings) -> Any:
    """A thread pool with room for the shards in flight (twice the workers, at least 8)."""
    from prefect.task_runners import ThreadPoolTaskRunner

    return ThreadPoolTaskRunner(max_workers=max(8, 2 * settings.run.workers))
