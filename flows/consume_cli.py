"""`presswash stats`, `report` and `export`: commands for the people who read the output.

They only read an output folder, so they never import Prefect and answer in
the time it takes to read the records.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from presswash.flows.app import EXIT_USAGE, err, fail, out, print_table

if TYPE_CHECKING:
    from presswash.consumers.stats import FolderStats

FOLDER_HELP = "A clean output folder, or its object-storage URL (s3://, gs://, az://)."


def _output_folder(folder: str) -> Path | str:
    """The folder to read: a local Path, or the URL of an output on object storage."""
    from presswash.schemas import layout
    from presswash.sources import storage

    if layout.is_url(folder):
        try:
            found = storage.is_dir(folder)
        except OSError as exc:  # no credentials, a store out of reach, a missing extra
            raise fail(f"cannot read {folder}: {exc}") from exc
        if not found:
            raise fail(f"no such output folder: {folder!r}", EXIT_USAGE)
        return layout.normalize(folder)
    path = Path(layout.local_path(folder))
    if not path.is_dir():
        raise fail(f"no such output folder: {folder!r}", EXIT_USAGE)
    return path


def _counts_table(title: str, columns: tuple[str, ...], rows: list[tuple[object, ...]]) -> Table:
    table = Table(title=Text(title), title_justify="left")
    for i, column in enumerate(columns):
        table.add_column(column, justify="left" if i == 0 else "right")
    for row in rows:
        # Text, not str: a site name like "[/]" is data, never rich markup
        table.add_row(*(Text(str(cell)) for cell in row))
    return table


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "–"


def _top(mapping: dict[str, int], limit: int) -> list[tuple[str, int]]:
    items = list(mapping.items())
    if len(items) <= limit:
        return items
    rest = items[limit - 1 :]
    return [*items[: limit - 1], (f"other ({len(rest)})", sum(v for _, v in rest))]


def stats_command(
    folder: Annotated[str, typer.Argument(help=FOLDER_HELP, metavar="DIR")] = "clean",
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the figures as one JSON object instead.")
    ] = False,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Rows per table.")] = 20,
) -> None:
    """Count what an output folder holds: records, languages, sources, sites, dates, rejections."""
    from presswash.consumers.stats import folder_stats

    try:
        stats = folder_stats(_output_folder(folder))
    except OSError as exc:
        raise fail(f"cannot read {folder}: {exc.strerror or exc}") from exc
    if as_json:
        data = stats.model_dump(mode="json")
        data.update(records=stats.records, rejection_rate=round(stats.rejection_rate, 4))
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
        return
    for table in stats_tables(stats, folder, limit):
        print_table(out, table)
    for problem in stats.invalid_examples[:3]:
        err.print(f"invalid: {problem}", markup=False)


def stats_tables(stats: FolderStats, folder: Path, limit: int) -> list[Table]:
    """The overview, then one table per breakdown, each cut to `limit` rows."""
    n = stats.articles
    overview = [
        ("records", stats.records, ""),
        ("articles", n, _share(n, stats.records)),
        ("rejections", stats.rejections, _share(stats.rejections, stats.records)),
        ("duplicates", stats.duplicates, _share(stats.duplicates, stats.records)),
        ("words", stats.words, f"mean {stats.mean_words:.0f}"),
        ("min / max words", f"{stats.min_words or 0} / {stats.max_words or 0}", ""),
        ("with published_at", stats.with_published_at, _share(stats.with_published_at, n)),
        ("with authors", stats.with_authors, _share(stats.with_authors, n)),
        ("part files", stats.part_files, ""),
        ("invalid lines", stats.invalid_lines, ""),
        ("runs", stats.runs, ""),
    ]
    sources = sorted(set(stats.sources) | set(stats.source_rejections))[:limit]
    dates = sorted(set(stats.dates) | set(stats.date_rejections))[-limit:]
    return [
        _counts_table(f"presswash stats · {folder}", ("", "count", "share"), overview),
        _counts_table(
            "languages",
            ("language", "articles", "share"),
            [(k, v, _share(v, n)) for k, v in _top(stats.languages, limit)],
        ),
        _counts_table(
            "sources (source_name)",
            ("source", "articles", "rejections"),
            [(s, stats.sources.get(s, 0), stats.source_rejections.get(s, 0)) for s in sources],
        ),
        _counts_table(
            "sites (site_name)",
            ("site", "articles", "share"),
            [(k, v, _share(v, n)) for k, v in _top(stats.sites, limit)],
        ),
        _counts_table(
            "dates (partition)",
            ("date", "articles", "rejections"),
            [(d, stats.dates.get(d, 0), stats.date_rejections.get(d, 0)) for d in dates],
        ),
        _counts_table(
            "rejection reasons",
            ("reason", "rejections", "share"),
            [(k, v, _share(v, stats.rejections)) for k, v in _top(stats.reasons, limit)],
        ),
        _counts_table("words per article", ("words", "articles"), list(stats.lengths.items())),
    ]


def report_command(
    html_file: Annotated[Path, typer.Option("--html", help="Where to write the HTML report.")],
    folder: Annotated[str, typer.Argument(help=FOLDER_HELP, metavar="DIR")] = "clean",
) -> None:
    """Write a one-file HTML report (charts, headline numbers, latest runs) of an output folder."""
    from presswash.consumers.report import write_report

    source = _output_folder(folder)
    try:
        path = write_report(source, html_file)
    except OSError as exc:
        raise fail(f"cannot write {html_file}: {exc.strerror or exc}") from exc
    err.print(f"report written to {path}", markup=False)


def export_command(
    dest: Annotated[Path, typer.Option("--dest", help="Folder to write the Parquet dataset to.")],
    folder: Annotated[str, typer.Argument(help=FOLDER_HELP, metavar="DIR")] = "clean",
    fmt: Annotated[str, typer.Option("--format", help="Output format: parquet.")] = "parquet",
    rejections: Annotated[
        bool, typer.Option("--rejections", help="Export rejected/ too, beside articles/.")
    ] = False,
    batch_rows: Annotated[
        int, typer.Option("--batch-rows", min=1, help="Records per Parquet row group.")
    ] = 10_000,
) -> None:
    """Export an output folder as Hive-partitioned Parquet (DEST/articles, DEST/rejected)."""
    if fmt.lower() != "parquet":
        raise fail(f"--format must be 'parquet', not {fmt!r}", EXIT_USAGE)
    source = _output_folder(folder)
    from presswash.consumers.export import BadDestination, MissingPyarrow, export_parquet

    try:
        result = export_parquet(source, dest, rejections=rejections, batch_rows=batch_rows)
    except MissingPyarrow as exc:
        raise fail(str(exc)) from exc
    except BadDestination as exc:
        raise fail(str(exc), EXIT_USAGE) from exc
    except OSError as exc:
        raise fail(f"cannot write {dest}: {exc.strerror or exc}") from exc
    except Exception as exc:  # an Arrow error on odd data: still one line, never a traceback
        raise fail(f"export failed: {type(exc).__name__}: {exc}") from exc
    for kind, rows in result.rows.items():
        skipped = result.skipped.get(kind, 0)
        note = f", {skipped} invalid lines skipped" if skipped else ""
        err.print(f"{kind}: {rows} rows in {result.files.get(kind, 0)} files → {dest / kind}{note}")
