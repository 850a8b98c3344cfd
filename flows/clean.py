"""The clean flow: plan shards, clean them in tasks, commit in order, publish the summary.

Orchestration only: every step is a function of `presswash.runner`, and a
task handles a whole shard (up to `run.shard_files` files), never a document.
Tasks get paths and settings, never lists of documents.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.context import get_run_context
from prefect.states import Failed, State
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from presswash.flows import progress
from presswash.runner.commit import Committed
from presswash.runner.plan import ShardSpec
from presswash.runner.pool import ShardPool
from presswash.runner.run import CleanRun, RunFailed, StagingFailed, ordered_results
from presswash.runner.shard import ShardResult, run_shard
from presswash.runner.sites import LearnedPages, learn_in_pool, learn_shard
from presswash.schemas.report import RunSummary
from presswash.schemas.settings import Settings
from presswash.store.inputs import SourceError

# Worker pools by run id: a pool cannot travel as a task parameter.
_POOLS: dict[str, ShardPool] = {}


@task(name="clean-shard", cache_policy=NO_CACHE)
def clean_shard(
    spec: ShardSpec, settings: Settings, version: str, staging_dir: Path, run_id: str
) -> ShardResult:
    """Clean one shard, in a worker process when the run has a pool."""
    pool = _POOLS.get(run_id)
    result = run_shard(spec, settings, version, staging_dir) if pool is None else pool.run(spec)
    tally = result.tally
    get_run_logger().info(
        "shard %s (%s/%s): %d files, %d inputs, %d accepted, %d rejected",
        spec.shard_id,
        spec.source_name,
        spec.date,
        len(spec.files),
        tally.inputs,
        tally.accepted,
        tally.rejected,
    )
    return result


@task(name="learn-sites", cache_policy=NO_CACHE)
def learn_task(
    spec: ShardSpec, settings: Settings, known: frozenset[str], cap: int, run_id: str
) -> LearnedPages:
    """Count the lines of a shard's text pages, for its source's boilerplate list."""
    pool = _POOLS.get(run_id)
    if pool is None:
        return learn_shard(spec, settings, known, cap)
    return learn_in_pool(pool, spec, settings, known, cap)


# Seconds between the attempts of a commit that failed on the disk.
COMMIT_RETRY_DELAYS = (1.0, 5.0)


def commit(run: CleanRun, result: ShardResult) -> Committed:
    """Move one shard's records into place; retried, because it is the step that touches disk.

    Done in the flow itself, not in a task: it is a few milliseconds of
    bookkeeping per shard, and a task run for it would cost more than it does.
    """
    for delay in COMMIT_RETRY_DELAYS:
        try:
            return run.commit(result)
        except StagingFailed:
            raise
        except RunFailed as exc:
            get_run_logger().warning(
                "commit of shard %s failed (%s); retrying in %g s", result.spec.shard_id, exc, delay
            )
            time.sleep(delay)
    return run.commit(result)


def summary_markdown(summary: RunSummary) -> str:
    """The run summary as the markdown table published as a Prefect artifact."""
    rows = [
        ("run", summary.run_id),
        ("status", summary.status),
        ("inputs", summary.inputs),
        ("accepted", summary.accepted),
        ("rejected", summary.rejected),
        ("duration (s)", summary.duration_seconds),
        ("docs/s", summary.docs_per_second),
        ("output", summary.out),
        ("pipeline version", summary.pipeline_version),
    ]
    lines = ["| | |", "|---|---|", *(f"| {k} | {v} |" for k, v in rows)]
    if summary.rejected_by_reason:
        lines += ["", "| rejection reason | count |", "|---|---|"]
        lines += [f"| {k} | {v} |" for k, v in summary.rejected_by_reason.items()]
    if summary.languages:
        lines += ["", "| language | articles |", "|---|---|"]
        lines += [f"| {k} | {v} |" for k, v in summary.languages.items()]
    if summary.alerts:
        lines += ["", "**Alerts**", *(f"- {a}" for a in summary.alerts)]
    if summary.error:
        lines += ["", f"**Failed:** {summary.error}"]
    return "\n".join(lines)


def _flow_run_id() -> str | None:
    try:
        context: Any = get_run_context()
        return str(context.flow_run.id)
    except Exception:
        return None


@flow(name="presswash-clean", log_prints=False, task_runner=ThreadPoolTaskRunner(max_workers=4))
def clean_flow(
    sources: list[str], settings: Settings | None = None, root: str | None = None
) -> RunSummary | State:
    """Clean raw inputs into `settings.out`; returns the run summary (also in `runs/`).

    A run that cannot go on (output not writable, disk full) ends in a Failed
    state whose message says why and whose data is the summary, rather than
    an exception with a traceback: it is an operational fact, not a bug.
    `root`, when given, is the input root of every source (a landing zone
    whose `<source>/<date>` folders are cleaned keeps its partition names).
    """
    return execute(CleanRun(sources, settings or Settings(), root=root))


def execute(run: CleanRun) -> RunSummary | State:
    """Prepare, clean every shard in tasks, commit in plan order, publish the summary."""
    settings = run.settings
    try:
        run.prepare()
    except RunFailed as exc:
        return _failed(run, exc)
    workers = settings.run.workers
    # Prefect walks a task's parameters looking for futures: about 20 ms of CPU per shard
    # task, for values that never hold any. quote() skips that; prefect-dask does not unwrap
    # it, and a cluster's tasks are few for their cost anyway.
    opaque: Callable[[Any], Any] = quote if settings.run.executor == "local" else _same
    if progress.OBSERVER is not None:
        progress.OBSERVER.begin()
    if not settings.run.in_process and settings.run.executor == "local":
        _POOLS[run.run_id] = ShardPool(workers, settings, run.version, run.staging_dir)
    try:
        run.learn_sites(
            lambda spec, known, cap: learn_task.submit(
                opaque(spec), opaque(settings), opaque(known), cap, run.run_id
            )
        )

        def submit(spec: ShardSpec) -> Future[ShardResult]:
            return clean_shard.submit(
                opaque(spec), opaque(settings), run.version, run.staging_dir, run.run_id
            )

        for result in ordered_results(run.shards(), submit, window=2 * workers):
            committed = commit(run, result)
            if progress.OBSERVER is not None:
                progress.OBSERVER.shard_done(committed, result.spec)
    except RunFailed as exc:
        return _failed(run, exc)
    finally:
        pool = _POOLS.pop(run.run_id, None)
        if pool is not None:
            pool.shutdown()
    summary = run.finish(flow_run_id=_flow_run_id())
    _publish(summary, _report(run))
    get_run_logger().info(
        "run %s: %d inputs, %d accepted, %d rejected",
        summary.run_id,
        summary.inputs,
        summary.accepted,
        summary.rejected,
    )
    return summary


def _same(value: Any) -> Any:
    return value


def _failed(run: CleanRun, exc: RunFailed) -> State:
    summary = run.finish(error=str(exc), flow_run_id=_flow_run_id())
    _publish(summary)
    get_run_logger().info("run %s failed: %s", run.run_id, exc)
    return Failed(message=str(exc), data=summary)


def _report(run: CleanRun) -> Path | None:
    """Refresh `<out>/report.html`; a report that cannot be written never fails the run."""
    from presswash.store.report import write_report

    try:
        return write_report(run.out, run.out / "report.html")
    except Exception as exc:  # the records are committed; the report is a convenience
        get_run_logger().warning("report not written: %s", exc)
        return None


def _publish(summary: RunSummary, report: Path | None = None) -> None:
    markdown = summary_markdown(summary)
    if report is not None:
        markdown += f"\n\n[Report of the output folder]({report.resolve().as_uri()})"
    create_markdown_artifact(
        markdown=markdown,
        key="presswash-clean-summary",
        description=f"presswash clean run {summary.run_id}",
    )


__all__ = ["RunFailed", "SourceError", "clean_flow", "execute", "summary_markdown"]
