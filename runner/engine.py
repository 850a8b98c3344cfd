"""The run engine: one object runs a whole clean, whatever executes its shards.

Plan, learn each source's boilerplate, clean shards on an executor, commit
them in plan order (with retries, since commits touch the disk), finish with
the run summary and the folder's report. The command line calls it directly
when no Prefect server is configured; the Prefect flow wraps the same
engine and only adds task runs, logs and the summary artifact. Nothing here
imports Prefect.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from presswash.runner.commit import Committed
from presswash.runner.executors import ShardExecutor, executor_for
from presswash.runner.ordered import ordered_results
from presswash.runner.plan import ShardSpec
from presswash.runner.results import ShardResult
from presswash.runner.run import CleanRun, RunFailed, StagingFailed
from presswash.schemas.settings import Settings
from presswash.schemas.summary import RunSummary

log = logging.getLogger("presswash.run")

# Shards in flight per shard the executor runs at once. Commits go in plan order, so a shard
# several times bigger than the rest holds the commits behind it: with only two per worker in
# flight, the other workers would run out of shards while it lasts. Results are counts, file
# names and their shard's plan, so a deeper window costs little memory: its shards' file lists.
IN_FLIGHT_PER_SLOT = 4
# Seconds between the attempts of a commit that failed on the disk.
COMMIT_RETRY_DELAYS = (1.0, 5.0)


class Events:
    """What the engine tells the outside as it goes; the default says nothing.

    The command line's progress bar and the Prefect adapter's logs subclass it.
    """

    def begin(self) -> None:
        """The run is prepared and about to clean its first shard."""

    def shard_committed(self, committed: Committed, spec: ShardSpec) -> None:
        """One shard's records are in place."""

    def commit_retry(self, spec: ShardSpec, error: Exception, delay: float) -> None:
        """A commit failed on the disk and will be tried again after `delay` seconds."""
        log.warning("commit of shard %s failed (%s); retrying in %g s", spec.shard_id, error, delay)


@dataclass
class Engine:
    """One clean run on one executor; `execute()` returns its summary, never raises RunFailed."""

    run: CleanRun
    executor: ShardExecutor
    events: Events = field(default_factory=Events)
    retry_delays: tuple[float, ...] = COMMIT_RETRY_DELAYS
    report: Path | None = None

    def execute(self, *, flow_run_id: str | None = None, mode: str = "direct") -> RunSummary:
        """Prepare, learn, clean and commit every shard in plan order, then summarise."""
        try:
            self.run.prepare()
            self.events.begin()
            self.run.learn_sites(self.executor.learn, self.executor.capacity)
            window = IN_FLIGHT_PER_SLOT * self.executor.capacity
            for result in ordered_results(self.run.shards(), self.executor.clean, window):
                committed = self.commit(result)
                self.events.shard_committed(committed, result.spec)
        except RunFailed as exc:
            return self.run.finish(
                error=str(exc), flow_run_id=flow_run_id, mode=mode, executor=self.executor.name
            )
        summary = self.run.finish(flow_run_id=flow_run_id, mode=mode, executor=self.executor.name)
        self.report = write_report(self.run.out)
        return summary

    def commit(self, result: ShardResult) -> Committed:
        """Commit one shard, trying again after a disk error; a staging failure is final."""
        for delay in self.retry_delays:
            try:
                return self.run.commit(result)
            except StagingFailed:
                raise
            except RunFailed as exc:
                self.events.commit_retry(result.spec, exc, delay)
                time.sleep(delay)
        return self.run.commit(result)


def write_report(out: Path) -> Path | None:
    """Refresh `<out>/report.html`; a report that cannot be written never fails the run."""
    from presswash.consumers.report import write_report as write_html

    try:
        return write_html(out, out / "report.html")
    except Exception as exc:  # the records are committed; the report is a convenience
        log.warning("report not written: %s", exc)
        return None


Factory = Callable[[Settings, str, Path], ShardExecutor]


def run_clean(
    sources: list[str],
    settings: Settings,
    root: str | None = None,
    events: Events | None = None,
    executor: Factory = executor_for,
    one_shot: bool = False,
) -> RunSummary:
    """A whole clean run with no Prefect: the command line's direct mode and the benchmark's.

    `one_shot` says the process ends with the run (the command line). What it
    holds once the executor is up (imported modules, a local Dask cluster) then
    lives until the end, so it is frozen out of the garbage collector's full
    passes, which would otherwise walk it again and again while the run's own
    process commits: full passes were a sixth of its CPU time with a Dask cluster.
    """
    run = CleanRun(sources, settings, root=root)
    try:
        shard_executor = executor(settings, run.pipeline_version, run.staging_dir)
    except (RuntimeError, OSError) as exc:  # a missing extra, a cluster out of reach
        return run.finish(error=f"cannot start the {settings.run.executor} executor: {exc}")
    if one_shot:
        gc.freeze()
    try:
        return Engine(run, shard_executor, events or Events()).execute()
    finally:
        shard_executor.close()
