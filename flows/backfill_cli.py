"""`presswash backfill`: the command, kept free of Prefect until a run really starts.

With a Prefect API configured (or `--prefect`) the backfill is a flow run;
otherwise the engine cleans the plan's files directly, with the same
records, summary and exit codes, and Prefect is never imported.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from presswash.flows import options, progress
from presswash.flows.app import (
    EXIT_USAGE,
    fail,
    finish_run,
    finish_summary,
    freeze_for_the_run,
    output_problem,
    print_table,
    settings_from,
    show_tracking_hint,
    use_prefect,
)

if TYPE_CHECKING:  # the planner reads the state database: imported when a backfill runs
    from presswash.runner.backfill import BackfillPlan, Partition
    from presswash.schemas.settings import Settings


def plan_table(plan: BackfillPlan) -> Table:
    table = Table(title=Text(f"backfill {plan.since} .. {plan.until} in {plan.raw}"))
    for column in ("source", "date", "files", "action"):
        table.add_column(column, justify="right" if column == "files" else "left")
    for row in plan.partitions:
        table.add_row(str(row["source"]), str(row["date"]), str(row["files"]), str(row["action"]))
    return table


def _date(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise fail(f"{option} must be a date like 2025-03-01, not {value!r}", EXIT_USAGE) from exc


def backfill_command(
    since: Annotated[str, typer.Option("--since", help="First date (YYYY-MM-DD), included.")],
    until: Annotated[str, typer.Option("--until", help="Last date (YYYY-MM-DD), included.")],
    source: Annotated[
        list[str] | None, typer.Option("--source", help="Only this source (repeatable).")
    ] = None,
    raw: Annotated[
        str | None,
        typer.Option(
            "--raw",
            help="The landing zone: a folder, or an object-storage URL (s3://, gs://, az://).",
            show_default="the config's raw (raw/)",
        ),
    ] = None,
    out_dir: options.OutOption = None,
    workers: options.WorkersOption = None,
    executor: options.ExecutorOption = None,
    dask_address: options.DaskAddressOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be cleaned; write nothing.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Clean partitions that are already clean too.")
    ] = False,
    config: options.ConfigOption = None,
    prefect: options.PrefectOption = False,
) -> None:
    """Clean the new or changed files of the landing zone's dated partitions into DIR."""
    first, last = _date(since, "--since"), _date(until, "--until")
    if first > last:
        raise fail("--since is after --until", EXIT_USAGE)
    settings = settings_from(
        config,
        out=out_dir,
        raw=raw,
        run__workers=workers,
        run__executor=executor,
        run__dask_address=dask_address,
    )
    raw = settings.landing  # --raw, else the config's (or the environment's) raw, else raw/
    from presswash.runner.backfill import (
        landing_exists,
        no_partitions_message,
        nothing_new_message,
        plan_backfill,
    )

    try:
        exists = landing_exists(raw)
    except OSError as exc:  # no credentials, a store out of reach, a missing extra
        raise fail(f"cannot read the landing zone {raw}: {exc}") from exc
    if not exists:
        raise fail(f"no such landing zone: {raw!r}", EXIT_USAGE)
    console = Console(stderr=True, highlight=False)

    def waiting() -> None:
        console.print("waiting for a fetch run to finish cleaning the pages it landed")

    plan, todo = plan_backfill(raw, settings, first, last, source, force, waiting=waiting)
    if not plan.partitions:
        console.print(no_partitions_message(raw, plan, source), markup=False, soft_wrap=True)
        return
    print_table(console, plan_table(plan))
    if dry_run:
        console.print(
            f"dry run: {plan.to_clean} partitions would be cleaned "
            f"({plan.files_to_clean} files), {plan.skipped} skipped",
            soft_wrap=True,
        )
        return
    if not todo:
        console.print(nothing_new_message(plan), markup=False, soft_wrap=True)
        return
    problem = output_problem(settings.out)
    if problem:
        raise fail(problem)
    if use_prefect(prefect):
        _as_flow(console, plan, settings, (raw, first, last, source, force))
    else:
        _directly(console, plan, todo, settings, force)


def _directly(
    console: Console, plan: BackfillPlan, todo: list[Partition], settings: Settings, force: bool
) -> None:
    """The plan's files cleaned by the engine itself: no Prefect, no server."""
    from presswash.fetching.remote_landing import landing_of
    from presswash.runner.backfill import sources_of
    from presswash.runner.engine import run_clean

    with progress.RunProgress(console, plan.files_to_clean, "backfill") as observer:
        summary = run_clean(
            sources_of(todo, force),
            settings,
            root=landing_of(plan.raw, settings).root,
            events=progress.engine_events(observer),
            one_shot=True,
        )
    if not summary.error:
        show_tracking_hint(settings.out)
    finish_summary(summary)


def _as_flow(
    console: Console,
    plan: BackfillPlan,
    settings: Settings,
    what: tuple[str, date, date, list[str] | None, bool],
) -> None:
    """The backfill as a Prefect flow run, which plans again on its side (its parameters
    stay a date range, whatever the number of files)."""
    from presswash.flows.prefect_env import configure_prefect_env

    configure_prefect_env()
    from presswash.flows.backfill import backfill_flow
    from presswash.flows.runners import task_runner_for

    raw, first, last, source, force = what
    try:
        threads = task_runner_for(settings)
    except RuntimeError as exc:
        raise fail(str(exc), EXIT_USAGE) from exc
    with progress.RunProgress(console, plan.files_to_clean, "backfill") as observer:
        progress.OBSERVER = observer
        freeze_for_the_run()
        try:
            state = backfill_flow.with_options(task_runner=threads)(
                raw,
                first.isoformat(),
                last.isoformat(),
                source,
                force,
                settings,
                return_state=True,
            )
        finally:
            progress.OBSERVER = None
    if state.is_completed() and state.result(raise_on_failure=False) is None:
        console.print(state.message or "nothing to do", markup=False, soft_wrap=True)
        return
    finish_run(state)
