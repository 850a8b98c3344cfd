"""What every verb of the `presswash` command shares: the typer app, its consoles and exit codes.

Verb modules (`cli`, `backfill_cli`, `consume_cli`, `fetch_cli`) import
from here and never from each other; `cli` registers them all on `app`.
Only typer and rich are imported at module level: the models, the cleaning
core and Prefect are imported by the helpers that use them, so that
`presswash --help` and `--version` answer at once. A run that cannot go on
prints one line on stderr and exits 1; bad usage exits 2; a run that
crossed an alert threshold exits 3 (CONTRACT.md).
"""

from __future__ import annotations

import copy
import gc
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from presswash import __version__

if TYPE_CHECKING:
    from presswash.schemas.settings import Settings
    from presswash.schemas.summary import RunSummary

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


def use_prefect(forced: bool) -> bool:
    """A flow run when asked (`--prefect`) or when a Prefect API is configured; else direct."""
    from presswash.flows.prefect_env import configured_api_url

    return forced or configured_api_url() is not None


def freeze_for_the_run() -> None:
    """Keep what this process holds now out of Python's full garbage collections.

    The command line's process ends with its run, and what it has loaded
    before a flow run starts (Prefect, its settings and client models) lives
    until then; each full collection that the commit's allocations set off
    would walk all of it again. On 10,000 dumps in a flow run that was more
    CPU in the run's process than the commits themselves. (A direct run does
    the same once its executor is up: `run_clean(one_shot=True)`.)
    """
    gc.freeze()


def show_tracking_hint(out_dir: Path) -> None:
    """After a direct run: how to get runs tracked in Prefect, once per output folder."""
    from presswash.flows.prefect_env import tracking_hint

    hint = tracking_hint(out_dir)
    if hint:
        err.print(hint, markup=False, highlight=False, soft_wrap=True)


def finish_run(state: Any) -> None:
    """Print a flow's summary, or its one-line failure, and exit with the contract's code."""
    summary = state.result(raise_on_failure=False)
    from presswash.schemas.summary import RunSummary

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
