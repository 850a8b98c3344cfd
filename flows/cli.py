"""The `presswash` command: every verb registered on the one app, and the entry point.

The verbs are thin: they read options into settings and call the engine, a
flow or a reader. `clean`, `serve`, `runs` and `schema` are here; the others
live beside what they drive (`fetch_cli`, `backfill_cli`, `consume_cli`).
All of them import what they share from `app`, never from each other, and
Prefect only inside the verbs that run a flow, so `presswash --help`,
`schema` and `--version` answer at once.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from presswash.flows import options
from presswash.flows.app import (
    EXIT_USAGE,
    app,
    err,
    fail,
    finish_run,
    finish_summary,
    freeze_for_the_run,
    out,
    output_problem,
    print_table,
    settings_from,
    show_tracking_hint,
    use_prefect,
)
from presswash.flows.backfill_cli import backfill_command
from presswash.flows.consume_cli import export_command, report_command, stats_command
from presswash.flows.fetch_cli import fetch_command

if TYPE_CHECKING:
    from presswash.schemas.settings import Settings


@app.command()
def clean(
    sources: Annotated[
        list[str] | None,
        typer.Argument(
            help="Files, folders or globs of raw inputs.", show_default="the config's raw (raw/)"
        ),
    ] = None,
    out_dir: options.OutOption = None,
    config: options.ConfigOption = None,
    workers: options.WorkersOption = None,
    executor: options.ExecutorOption = None,
    dask_address: options.DaskAddressOption = None,
    explain: Annotated[
        Path | None,
        typer.Option("--explain", help="Print FILE's lines marked kept or dropped, with reasons."),
    ] = None,
    prefect: options.PrefectOption = False,
) -> None:
    """Clean raw inputs into DIR/articles, DIR/rejected and DIR/runs."""
    settings = settings_from(
        config,
        out=out_dir,
        run__workers=workers,
        run__executor=executor,
        run__dask_address=dask_address,
    )
    if explain is not None:
        from presswash.flows.explain import explain_file

        raise typer.Exit(explain_file(explain, settings, out))
    from presswash.sources.inputs import SourceError, check_sources

    paths = list(sources or [settings.landing])
    try:
        check_sources(paths, settings.out)
    except SourceError as exc:
        raise fail(str(exc), EXIT_USAGE) from exc
    problem = output_problem(settings.out)
    if problem:
        raise fail(problem)
    if use_prefect(prefect):
        clean_as_flow(paths, settings)
    else:
        clean_directly(paths, settings)


def clean_directly(paths: list[str], settings: Settings) -> None:
    """The engine with no Prefect at all: same records, summary, report and exit codes."""
    from presswash.runner.pool import discard_early, start_early

    if settings.run.executor == "local" and not settings.run.in_process:
        start_early(settings.run.workers)  # they start while the engine is imported and plans
    try:
        from presswash.runner.engine import run_clean

        summary = run_clean(paths, settings, one_shot=True)
    finally:
        discard_early()
    if not summary.error:
        show_tracking_hint(settings.out)
    finish_summary(summary)


def clean_as_flow(paths: list[str], settings: Settings) -> None:
    """The same engine as a Prefect flow run (the configured server, or a temporary one)."""
    from presswash.flows.prefect_env import configure_prefect_env, one_off_run
    from presswash.runner.pool import discard_early, start_early

    if settings.run.executor == "local" and not settings.run.in_process:
        start_early(settings.run.workers)  # they start while Prefect is imported
    configure_prefect_env()
    from presswash.flows.clean import clean_flow
    from presswash.flows.runners import task_runner_for

    try:
        with one_off_run():
            flow = clean_flow.with_options(task_runner=task_runner_for(settings))
            freeze_for_the_run()
            state = flow(paths, settings, return_state=True)
    finally:
        discard_early()
    finish_run(state)


@app.command()
def serve(
    config: options.ConfigOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the deployments and their schedules; exit.")
    ] = False,
) -> None:
    """Serve the scheduled deployments of the config (fetch each source, clean new partitions)."""
    settings = settings_from(config)
    from presswash.flows.serve import build_deployments, prefect_server

    if dry_run:
        _print_deployments(build_deployments(settings))
        return
    from presswash.flows.serve import serve_until_stopped

    try:
        with prefect_server() as api_url:
            deployments = build_deployments(settings)
            _print_deployments(deployments)

            def started(skipped: int) -> None:
                late = f"; {skipped} late runs skipped" if skipped else ""
                ui = api_url.removesuffix("/api")
                err.print(f"serving on {api_url} (UI: {ui}){late}; Ctrl-C stops", soft_wrap=True)

            serve_until_stopped(deployments, started)
    except RuntimeError as exc:
        raise fail(str(exc)) from exc
    err.print("stopped; the deployments' schedules are paused until the next `presswash serve`")


def _print_deployments(deployments: list[Any]) -> None:
    table = Table(title="presswash deployments")
    for column in ("deployment", "every", "what"):
        table.add_column(column)
    for deployment in deployments:
        every = ", ".join(str(s.schedule.interval) for s in deployment.schedules or [])
        table.add_row(f"{deployment.flow_name}/{deployment.name}", every, deployment.description)
    print_table(err, table)


@app.command()
def runs(
    folder: Annotated[Path, typer.Argument(help="A clean output folder.")] = Path("clean"),
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many runs, newest first.")] = 20,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the runs' summaries as one JSON list instead.")
    ] = False,
) -> None:
    """List recent clean and fetch runs of an output folder with their counts, from DIR/runs/."""
    from presswash.output.runs import list_runs

    if not folder.is_dir():
        raise fail(f"no such output folder: {str(folder)!r}", EXIT_USAGE)
    try:
        found = list_runs(folder, limit)
    except (OSError, ValueError) as exc:
        raise fail(f"cannot read {folder}/runs: {exc}") from exc
    if as_json:
        data = [{**summary.model_dump(mode="json"), "kind": _kind(summary)} for summary in found]
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
        return
    if not found:
        out.print(f"no runs in {folder}/runs")
        return
    print_table(out, runs_table(folder, found))


def _kind(summary: Any) -> str:
    """'fetch' for a fetch run's summary, 'clean' for a clean or backfill run's."""
    return "fetch" if hasattr(summary, "fetched") else "clean"


def runs_table(folder: Path, found: list[Any]) -> Table:
    """One row a run: its id, kind, status (and alerts), when, how long, and its counts.

    A fetch run's counts read in the same columns: URLs asked as inputs,
    pages fetched as accepted, URLs given up on as rejected.
    """
    table = Table(title=Text(f"runs in {folder}"))
    numeric = ("seconds", "inputs", "accepted", "rejected")
    for column in ("run", "kind", "status", "mode", "started", *numeric, "top reasons"):
        table.add_column(column, justify="right" if column in numeric else "left")
    for summary in found:
        reasons = ", ".join(f"{k} {v}" for k, v in list(summary.rejected_by_reason.items())[:3])
        status = summary.status
        if getattr(summary, "alerts", None):
            status = f"{status}: {'; '.join(summary.alerts)}"
        fetch = _kind(summary) == "fetch"
        cells = (
            summary.run_id,
            _kind(summary),
            status,
            _mode_of(summary),
            summary.started_at,
            f"{summary.duration_seconds:.1f}",
            str(summary.asked if fetch else summary.inputs),
            str(summary.fetched if fetch else summary.accepted),
            str(summary.rejected),
            reasons,
        )
        table.add_row(*(Text(cell) for cell in cells))  # alerts and paths are data, not markup
    return table


def _mode_of(summary: Any) -> str:
    """'direct' or 'prefect', with the executor when it is not the local pool ('prefect/dask')."""
    flow_run = getattr(summary, "prefect_flow_run_id", None)
    mode = getattr(summary, "mode", None) or ("prefect" if flow_run else "direct")
    executor = getattr(summary, "executor", None)
    if executor and executor != "local":
        mode = f"{mode}/{executor}"
    return mode


@app.command()
def schema(
    rejection: Annotated[
        bool, typer.Option("--rejection", help="The rejection record's schema instead.")
    ] = False,
) -> None:
    """Print the JSON Schema of the article record (or of the rejection record)."""
    from presswash.schemas.records import Article, Rejection, json_schema

    model = Rejection if rejection else Article
    sys.stdout.write(json.dumps(json_schema(model), indent=2, ensure_ascii=False) + "\n")


# Verbs defined beside what they drive, after the ones above (the order `--help` lists them in).
app.command("fetch")(fetch_command)
app.command("backfill")(backfill_command)
app.command("stats")(stats_command)
app.command("report")(report_command)
app.command("export")(export_command)


def main() -> None:
    """Entry point: any error escaping a verb still ends as one line, never a traceback."""
    from presswash.flows.prefect_env import configure_prefect_env

    configure_prefect_env()
    try:
        app()
    except KeyboardInterrupt:
        err.print("presswash: interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
