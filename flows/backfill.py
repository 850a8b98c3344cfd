"""The backfill flow: re-clean chosen dated partitions of the landing zone.

Safe to re-run and to kill: files already clean for the current pipeline
version are skipped (unless `--force`), so a partition with one new file
cleans that file, and a backfill cut short by a kill redoes only the files
it had not committed. A run with nothing to clean ends before it makes a
run id: no summary is written, and its flow run's state message says why.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from prefect import flow, get_run_logger
from prefect.states import Completed, State
from prefect.task_runners import ThreadPoolTaskRunner

from presswash.fetching.remote_landing import landing_of
from presswash.flows.clean import execute
from presswash.runner.backfill import (
    no_partitions_message,
    nothing_new_message,
    plan_backfill,
    sources_of,
)
from presswash.runner.run import CleanRun
from presswash.schemas.settings import Settings
from presswash.schemas.summary import RunSummary


@flow(name="presswash-backfill", log_prints=False, task_runner=ThreadPoolTaskRunner(max_workers=4))
def backfill_flow(
    raw: str,
    since: str,
    until: str,
    sources: list[str] | None = None,
    force: bool = False,
    settings: Settings | None = None,
) -> RunSummary | State:
    """Clean the new or changed files of the landing zone's partitions dated `since`..`until`.

    `raw` is a folder or an object-storage URL.
    """
    return backfill(raw, since, until, sources, force, settings or Settings())


def backfill(
    raw: str | Path,
    since: str,
    until: str,
    sources: list[str] | None,
    force: bool,
    settings: Settings,
) -> RunSummary | State:
    """Plan, then clean what the plan found inside the calling flow; nothing new, no run."""
    logger = get_run_logger()

    def waiting() -> None:
        logger.info("waiting for a fetch run to finish cleaning the pages it landed")

    plan, todo = plan_backfill(
        raw,
        settings,
        date.fromisoformat(since),
        date.fromisoformat(until),
        sources,
        force,
        waiting=waiting,
    )
    if not todo:  # a scheduled run's log and state say why it had nothing to do
        message = nothing_new_message(plan)
        if not plan.partitions:
            message = no_partitions_message(raw, plan, sources)
        logger.info(message)
        return Completed(message=message)
    run = CleanRun(sources_of(todo, force), settings, root=landing_of(raw, settings).root)
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
    """The scheduled clean: new or changed files dated `lookback_days` ago to today (UTC)."""
    today = datetime.now(UTC).date()
    since = today - timedelta(days=lookback_days)
    return backfill(raw, since.isoformat(), today.isoformat(), None, False, settings or Settings())
