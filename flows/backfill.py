"""The backfill flow: re-clean chosen dated partitions of the landing zone.

Safe to re-run and to kill: partitions already clean for the current
pipeline version are skipped (unless `--force`), and a partition cut short
by a kill is redone whole, replacing its own output.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from prefect import flow, get_run_logger
from prefect.states import State
from prefect.task_runners import ThreadPoolTaskRunner

from presswash.flows.clean import execute
from presswash.runner.backfill import no_partitions_message, plan_backfill
from presswash.runner.run import CleanRun
from presswash.schemas.report import RunSummary
from presswash.schemas.settings import Settings


@flow(name="presswash-backfill", log_prints=False, task_runner=ThreadPoolTaskRunner(max_workers=4))
def backfill_flow(
    raw: str,
    since: str,
    until: str,
    sources: list[str] | None = None,
    force: bool = False,
    settings: Settings | None = None,
) -> RunSummary | State:
    """Clean the landing zone's partitions dated `since`..`until` that are not clean yet."""
    settings = settings or Settings()
    raw_path = Path(raw)
    plan, todo = plan_backfill(
        raw_path, settings, date.fromisoformat(since), date.fromisoformat(until), sources, force
    )
    if not plan.partitions:  # a scheduled run's log says why it had nothing to do
        get_run_logger().info(no_partitions_message(raw_path, plan, sources))
    run = CleanRun([p.path for p in todo], settings, root=str(raw_path.resolve()))
    return execute(run)


@flow(
    name="presswash-clean-recent",
    log_prints=False,
    retries=1,
    retry_delay_seconds=60,
    task_runner=ThreadPoolTaskRunner(max_workers=4),
)
def recent_flow(
    raw: str = "raw", lookback_days: int = 2, settings: Settings | None = None
) -> RunSummary | State:
    """The scheduled clean: partitions from `lookback_days` ago to today (UTC) not yet clean."""
    today = datetime.now(UTC).date()
    since = today - timedelta(days=lookback_days)
    return backfill_flow(raw, since.isoformat(), today.isoformat(), None, False, settings)
