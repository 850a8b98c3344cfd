"""The `presswash` command: thin verbs over the flows and the store.

Prefect is imported only by the verbs that run a flow, so `presswash schema`
and `--version` answer at once. A run that cannot go on prints one line on
stderr and exits 1; bad usage exits 2; a run that crossed an alert
threshold exits 3 (CONTRACT.md).
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from presswash import __version__
from presswash.flows.options import (
    ConfigOption,
    DaskAddressOption,
    ExecutorOption,
    OutOption,
    PrefectOption,
    WorkersOption,
)

# The models, the cleaning core and Prefect are imported by the verbs that use them, so that
# `presswash --help` and `--version` answer at once.
if TYPE_CHECKING:
    from presswash.schemas.report import RunSummary
    from presswash.schemas.settings import Settings

# Plain help (rich_markup_mode=None): typer's rich help prints `<bool>` after flags such as
# `--dry-run`, which reads as if they took a value; click's plain help names only real values.
app = typer.Typer(
    name="presswash",
    help="Clean raw news dumps (HTML, text dumps, JSONL exports, WARC) into article JSONL.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"max_content_width": 120},
)
err = Console(stderr=True, highlight=False)
out = Console(highlight=False)

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_ALERT = 3


def fail(message: str, code: int = EXIT_FAILED) -> typer.Exit:
    """One line on stderr, no traceback, and the exit code that says whose fault it was."""
    err.print(f"presswash: error: {message}", markup=False, soft_wrap=True)
    return typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        out.print(f"presswash {__version__}")
        raise typer.Exit(0)


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """presswash: clean, validated, de-duplicated news articles in JSONL."""


def settings_from(config: Path | None, **overrides: object) -> Settings:
    """Settings from the config file and environment, with command-line options on top."""
    from pydantic import ValidationError

    from presswash.schemas.settings import Settings, load_settings

    given = {k: v for k, v in overrides.items() if v is not None}
    nested: dict[str, dict[str, object]] = {}
    flat: dict[str, object] = {}
    for key, value in given.items():
        section, _, name = key.partition("__")
        if name:
            nested.setdefault(section, {})[name] = value
        else:
            flat[key] = value
    try:
        base = load_settings(config)
        data = base.model_dump()
        for section, values in nested.items():
            data[section] = {**data[section], **values}
        data.update(flat)
        return Settings.model_validate(data)
    except FileNotFoundError as exc:
        raise fail(str(exc), EXIT_USAGE) from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(p) for p in first["loc"]) or "config"
        raise fail(f"bad setting '{key}': {first['msg']}", EXIT_USAGE) from exc
    except ValueError as exc:  # TOML syntax errors
        raise fail(f"cannot read config: {exc}", EXIT_USAGE) from exc


def output_problem(folder: Path) -> str | None:
    """Why the output folder cannot be written, found before any flow starts; None if it can."""
    from presswash.output.writable import unwritable

    return unwritable(folder)


def print_table(console: Console, table: Table) -> None:
    """A table whole, wherever it goes.

    On a terminal rich fits it to the window. In a pipe or a file there is no
    window: rich would fall back to 80 columns (or COLUMNS) and cut cells with
    an ellipsis (run ids read `202612…`), so the table is printed as wide as
    its longest cells instead, plain (no colour codes), its title on a line
    of its own (rich wraps a title to the table's width).
    """
    if console.is_terminal:
        console.print(table)
        return
    untitled = copy.copy(table)
    untitled.title = None
    wide = console.options.update_width(1_000_000)
    width = max(1, console.measure(untitled, options=wide).maximum)
    plain = Console(file=console.file, width=width, color_system=None, highlight=False)
    if table.title:
        plain.print(table.title, soft_wrap=True)
    plain.print(untitled, crop=False)


def print_summary(summary: RunSummary) -> None:
    """The at-a-glance end of a run: counts, reasons, languages, where the output went."""
    table = Table(title=f"presswash · run {summary.run_id}", show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column()
    table.add_row("inputs", str(summary.inputs))
    table.add_row("accepted", f"[green]{summary.accepted}[/green]")
    rejected = ", ".join(f"{k} {v}" for k, v in summary.rejected_by_reason.items()) or "none"
    table.add_row("rejected", f"{summary.rejected} ({rejected})")
    languages = ", ".join(f"{k} {v}" for k, v in summary.languages.items()) or "none"
    table.add_row("languages", languages)
    removed = ", ".join(f"{k} {v}" for k, v in list(summary.removed_lines.items())[:8]) or "none"
    table.add_row("lines removed", removed)
    table.add_row(
        "time", f"{summary.duration_seconds:.1f} s ({summary.docs_per_second:.0f} docs/s)"
    )
    table.add_row("output", f"{summary.out}/articles, {summary.out}/rejected")
    table.add_row("summary", f"{summary.out}/runs/{summary.run_id}.json")
    for alert in summary.alerts:
        table.add_row("[red]alert[/red]", alert)
    print_table(err, table)


@app.command()
def clean(
    sources: Annotated[
        list[str] | None,
        typer.Argument(
            help="Files, folders or globs of raw inputs.", show_default="the config's raw (raw/)"
        ),
    ] = None,
    out_dir: OutOption = None,
    config: ConfigOption = None,
    workers: WorkersOption = None,
    executor: ExecutorOption = None,
    dask_address: DaskAddressOption = None,
    explain: Annotated[
        Path | None,
        typer.Option("--explain", help="Print FILE's lines marked kept or dropped, with reasons."),
    ] = None,
    prefect: PrefectOption = False,
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


def use_prefect(forced: bool) -> bool:
    """A flow run when asked (`--prefect`) or when a Prefect API is configured; else direct."""
    from presswash.flows.prefect_env import configured_api_url

    return forced or configured_api_url() is not None


def clean_directly(paths: list[str], settings: Settings) -> None:
    """The engine with no Prefect at all: same records, summary, report and exit codes."""
    from presswash.runner.engine import run_clean

    summary = run_clean(paths, settings)
    if not summary.error:
        show_tracking_hint(settings.out)
    finish_summary(summary)


def show_tracking_hint(out_dir: Path) -> None:
    """After a direct run: how to get runs tracked in Prefect, once per output folder."""
    from presswash.flows.prefect_env import tracking_hint

    hint = tracking_hint(out_dir)
    if hint:
        err.print(hint, markup=False, highlight=False, soft_wrap=True)


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
            state = flow(paths, settings, return_state=True)
    finally:
        discard_early()
    finish_run(state)


def finish_run(state: Any) -> None:
    """Print a flow's summary, or its one-line failure, and exit with the contract's code."""
    summary = state.result(raise_on_failure=False)
    from presswash.schemas.report import RunSummary

    if not isinstance(summary, RunSummary):
        raise fail(state.message or "the run failed")
    if state.is_failed():
        raise fail(summary.error or state.message or "the run failed")
    finish_summary(summary)


def finish_summary(summary: RunSummary) -> None:
    """Print a run's summary, or its one-line failure, and exit with the contract's code."""
    if summary.error:
        raise fail(summary.error)
    print_summary(summary)
    if summary.alerts:
        raise typer.Exit(EXIT_ALERT)


@app.command()
def serve(
    config: ConfigOption = None,
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


def _register_more_verbs() -> None:
    """Verbs defined beside their flows, registered here so there is one `app`."""
    from presswash.flows.backfill_cli import backfill_command
    from presswash.flows.consume_cli import export_command, report_command, stats_command
    from presswash.flows.fetch_cli import fetch_command

    app.command("fetch")(fetch_command)
    app.command("backfill")(backfill_command)
    app.command("stats")(stats_command)
    app.command("report")(report_command)
    app.command("export")(export_command)


_register_more_verbs()


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
