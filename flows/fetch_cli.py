"""`presswash fetch`: the command, kept free of Prefect until a run really starts.

`presswash schema` and `--version` import every command's module; importing
Prefect takes seconds, so the flow (`presswash.flows.fetch`) is imported
only inside the command, after `configure_prefect_env()`, and only when a
Prefect API is configured (or `--prefect` is given). Otherwise the fetch
driver (`presswash.runner.fetch`) runs directly, with the same landing
zone, rejections, summary and exit codes, and Prefect is never imported.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from presswash.flows.app import (
    EXIT_ALERT,
    EXIT_USAGE,
    err,
    fail,
    freeze_for_the_run,
    print_summary,
    settings_from,
    show_tracking_hint,
    use_prefect,
)
from presswash.flows.options import PrefectOption

if TYPE_CHECKING:
    from presswash.runner.fetch import FetchRequest
    from presswash.schemas.fetch import FetchSummary
    from presswash.schemas.settings import Settings

# The landing folder of URLs fetched without --source; `presswash.schemas.fetch` says the same,
# but importing its models here would slow `presswash --help` down.
DEFAULT_SOURCE = "adhoc"


def _read_url_file(path: Path) -> list[str]:
    """One URL a line; blank lines and lines starting with '#' are skipped."""
    text = path.read_text(encoding="utf-8", errors="replace")
    return [s for line in text.splitlines() if (s := line.strip()) and not s.startswith("#")]


def fetch_command(
    urls: Annotated[
        list[str] | None, typer.Argument(help="Page URLs to fetch.", show_default=False)
    ] = None,
    urls_file: Annotated[
        Path | None, typer.Option("--urls", help="A file of page URLs, one a line.")
    ] = None,
    feed: Annotated[
        list[str] | None, typer.Option("--feed", help="An RSS or Atom feed (repeatable).")
    ] = None,
    sitemap: Annotated[
        list[str] | None,
        typer.Option("--sitemap", help="A sitemap or sitemap index (repeatable)."),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(
            "--source",
            help="A source of the config's sources table, or the landing folder's name.",
            show_default=DEFAULT_SOURCE,
        ),
    ] = None,
    raw: Annotated[
        str | None,
        typer.Option(
            "--raw",
            help="The landing zone folder, or an object-storage URL (s3://, gs://, az://).",
            show_default="raw/",
        ),
    ] = None,
    clean: Annotated[
        bool, typer.Option("--clean", help="Clean the pages fetched, into --out.")
    ] = False,
    out_dir: Annotated[
        str | None,
        typer.Option(
            "--out",
            help="Output folder (rejections, summaries), or an object-storage URL.",
            show_default="clean/",
        ),
    ] = None,
    allow_private: Annotated[
        bool,
        typer.Option(
            "--allow-private",
            help="Allow private and loopback addresses (never link-local or metadata ones).",
        ),
    ] = False,
    config: Annotated[
        Path | None,
        typer.Option("--config", help="TOML config file.", show_default="presswash.toml"),
    ] = None,
    refetch: Annotated[
        bool,
        typer.Option("--refetch", help="Ask again for URLs already landed (conditional GET)."),
    ] = False,
    prefect: PrefectOption = False,
) -> None:
    """Fetch pages, feeds and sitemaps into RAW/<source>/<date>/ as WARC files."""
    settings = settings_from(
        config, out=out_dir, raw=raw, fetch__allow_private=allow_private or None
    )
    name = source or DEFAULT_SOURCE
    given = list(urls or [])
    if urls_file is not None:
        try:
            given += _read_url_file(urls_file)
        except OSError as exc:
            raise fail(
                f"cannot read --urls {urls_file}: {exc.strerror or exc}", EXIT_USAGE
            ) from exc
    feeds, sitemaps = list(feed or []), list(sitemap or [])
    if source is not None and source not in settings.sources and not (given or feeds or sitemaps):
        raise fail(f"source {source!r} is not in the config's [sources]", EXIT_USAGE)
    if not (given or feeds or sitemaps or name in settings.sources):
        raise fail(
            "nothing to fetch: give URLs, --urls, --feed, --sitemap or --source",
            EXIT_USAGE,
        )
    from presswash.runner.fetch import FetchRequest, landing_zone

    request = FetchRequest(given, feeds, sitemaps, name, landing_zone(settings), refetch, clean)
    summary = _as_flow(request, settings) if use_prefect(prefect) else _directly(request, settings)
    print_fetch_summary(summary)
    if summary.clean_error and not summary.clean_run_id:
        raise fail(summary.clean_error)
    if summary.clean_run_id:
        _finish_clean(summary, settings)
    elif clean and summary.fetched == 0:
        err.print("nothing new landed: no clean run", markup=False)


def _directly(request: FetchRequest, settings: Settings) -> FetchSummary:
    """The fetch driver with no Prefect: batches on a thread pool, `--clean` by the engine."""
    from presswash.runner.fetch import run_fetch

    summary = run_fetch(request, settings)
    if summary.error:
        raise fail(summary.error)
    show_tracking_hint(settings.out)
    return summary


def _as_flow(request: FetchRequest, settings: Settings) -> FetchSummary:
    """The same driver as a Prefect flow run, its batches as task runs."""
    from presswash.flows.prefect_env import configure_prefect_env, one_off_run

    configure_prefect_env()
    from presswash.flows.fetch import fetch_flow

    with one_off_run():
        freeze_for_the_run()
        state = fetch_flow(
            request.urls,
            request.feeds,
            request.sitemaps,
            request.source,
            request.raw,
            settings,
            request.refetch,
            request.clean,
            return_state=True,
        )
    summary = state.result(raise_on_failure=False)
    from presswash.schemas.fetch import FetchSummary

    if not isinstance(summary, FetchSummary):
        raise fail(state.message or "the fetch run failed")
    if state.is_failed() or summary.error:
        raise fail(summary.error or state.message or "the fetch run failed")
    return summary


def _finish_clean(summary: FetchSummary, settings: Settings) -> None:
    """Print the clean run's summary of `--clean`; exit as that run says."""
    from presswash.schemas.summary import RunSummary

    path = settings.out / "runs" / f"{summary.clean_run_id}.json"
    clean_summary: RunSummary = RunSummary.model_validate_json(path.read_text("utf-8"))
    print_summary(clean_summary)
    if clean_summary.error:
        raise fail(clean_summary.error)
    if clean_summary.alerts:
        raise typer.Exit(EXIT_ALERT)


def print_fetch_summary(summary: FetchSummary) -> None:
    """The at-a-glance end of a fetch run, in the style of clean's."""
    table = Table(title=f"presswash fetch · run {summary.run_id}", show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column()
    if summary.discovered:
        docs = sum(1 for d in summary.discovered if d.kind != "unknown")
        table.add_row("discovered", f"{docs} of {len(summary.discovered)} feeds/sitemaps read")
        _add_problems(table, summary)
    table.add_row("asked", str(summary.asked))
    table.add_row("fetched", f"[green]{summary.fetched}[/green]")
    table.add_row("unchanged", str(summary.unchanged))
    reasons = ", ".join(f"{k} {v}" for k, v in summary.rejected_by_reason.items()) or "none"
    table.add_row("rejected", f"{summary.rejected} ({reasons})")
    table.add_row("skipped", f"{summary.skipped} (already landed; --refetch asks again)")
    if summary.over_max_pages:
        table.add_row("over max_pages", str(summary.over_max_pages))
    table.add_row(
        "time", f"{summary.duration_seconds:.1f} s ({summary.pages_per_second:.0f} pages/s)"
    )
    landed = ", ".join(f"{summary.raw}/{p}" for p in summary.partitions) or "nothing new"
    table.add_row("landed", landed)
    table.add_row("mode", "prefect" if summary.prefect_flow_run_id else "direct")
    table.add_row("summary", f"{summary.out}/runs/fetch-{summary.run_id}.json")
    err.print(table)


def _add_problems(table: Table, summary: FetchSummary, shown: int = 5) -> None:
    """A row per feed or sitemap that gave nothing or not all it holds (a cap cut it short).

    The summary file lists them all; the terminal gets the first few.
    """
    problems = [d for d in summary.discovered if d.error]
    for doc in problems[:shown]:  # Text: a URL's brackets are not rich markup
        table.add_row("", Text(f"{doc.url}: {doc.error}", style="yellow"))
    if len(problems) > shown:
        table.add_row("", f"... and {len(problems) - shown} more in the summary file")


__all__ = ["fetch_command", "print_fetch_summary"]
