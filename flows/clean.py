"""The clean flow: the run engine as a Prefect flow run, shard work as its task runs.

A thin adapter: the engine (`presswash.runner.engine`) plans, cleans on the
run's executor, commits and summarises exactly as in a direct run; this
module adds what Prefect is for: a task run per shard (never per document),
logs on the server, and the summary published as an artifact.
"""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.states import Failed, State
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from presswash.flows import artifacts, progress
from presswash.runner.commit import Committed
from presswash.runner.engine import Engine, Events
from presswash.runner.executors import Closing, ResultFuture, ShardExecutor, executor_for
from presswash.runner.plan import ShardSpec
from presswash.runner.results import ShardResult
from presswash.runner.run import CleanRun, RunFailed
from presswash.runner.sites import LearnedPages
from presswash.schemas.settings import Settings
from presswash.schemas.summary import RunSummary
from presswash.sources.inputs import SourceError


@task(name="clean-shard", cache_policy=NO_CACHE)
def clean_shard(spec: ShardSpec, executor: ShardExecutor) -> ShardResult:
    """One shard, cleaned where the run's executor cleans (worker processes, Dask)."""
    result = executor.clean(spec).result()
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
    spec: ShardSpec, known: frozenset[str], cap: int, executor: ShardExecutor
) -> LearnedPages:
    """Count the lines of a shard's text pages, for its source's boilerplate list."""
    return executor.learn(spec, known, cap).result()


class TaskRuns(Closing):
    """An executor seen through Prefect: each shard's work is a task run of the flow.

    The work itself still runs on the inner executor; the task only waits for
    it and logs, so Prefect shows every shard without running any of it.
    Parameters are quoted: Prefect would otherwise walk every file of a shard
    looking for futures (about 20 ms of CPU per task).
    """

    def __init__(self, inner: ShardExecutor) -> None:
        self.inner = inner
        self.capacity = inner.capacity
        self.name = inner.name

    def clean(self, spec: ShardSpec) -> ResultFuture[ShardResult]:
        return clean_shard.submit(quote(spec), quote(self.inner))

    def learn(self, spec: ShardSpec, known: frozenset[str], cap: int) -> ResultFuture[LearnedPages]:
        return learn_task.submit(quote(spec), quote(known), cap, quote(self.inner))

    def close(self) -> None:
        self.inner.close()


class FlowEvents(Events):
    """The engine's events as Prefect logs, and to the command line's progress bar."""

    def begin(self) -> None:
        if progress.OBSERVER is not None:
            progress.OBSERVER.begin()

    def shard_committed(self, committed: Committed, spec: ShardSpec) -> None:
        if progress.OBSERVER is not None:
            progress.OBSERVER.shard_done(committed, spec)

    def commit_retry(self, spec: ShardSpec, error: Exception, delay: float) -> None:
        get_run_logger().warning(
            "commit of shard %s failed (%s); retrying in %g s", spec.shard_id, error, delay
        )


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
    lines = artifacts.table(rows)
    lines += artifacts.section(("rejection reason", "count"), summary.rejected_by_reason.items())
    lines += artifacts.section(("language", "articles"), summary.languages.items())
    if summary.alerts:
        lines += ["", "**Alerts**", *(f"- {a}" for a in summary.alerts)]
    lines += artifacts.failure(summary.error)
    return "\n".join(lines)


@flow(name="presswash-clean", log_prints=False, task_runner=ThreadPoolTaskRunner(max_workers=8))
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
    """Run the engine on the run's executor, with shard work as task runs; publish the summary."""
    try:
        inner = executor_for(run.settings, run.pipeline_version, run.staging_dir)
    except (RuntimeError, OSError) as exc:
        executor_error = f"cannot start the {run.settings.run.executor} executor: {exc}"
        return _failed(run.finish(error=executor_error, mode="prefect"))
    with TaskRuns(inner) as executor:
        engine = Engine(run, executor, FlowEvents())
        summary = engine.execute(flow_run_id=artifacts.flow_run_id(), mode="prefect")
    if summary.error:
        return _failed(summary)
    _publish_summary(summary, engine.report)
    get_run_logger().info(
        "run %s: %d inputs, %d accepted, %d rejected",
        summary.run_id,
        summary.inputs,
        summary.accepted,
        summary.rejected,
    )
    return summary


def _failed(summary: RunSummary) -> State:
    _publish_summary(summary)
    get_run_logger().info("run %s failed: %s", summary.run_id, summary.error)
    return Failed(message=summary.error or "the run failed", data=summary)


def _publish_summary(summary: RunSummary, report: Path | None = None) -> None:
    markdown = summary_markdown(summary)
    if report is not None:
        markdown += f"\n\n[Report of the output folder]({report.resolve().as_uri()})"
    artifacts.publish(markdown, "presswash-clean-summary", f"presswash clean run {summary.run_id}")


__all__ = ["RunFailed", "SourceError", "clean_flow", "execute", "summary_markdown"]
