"""Command-line options shared by several verbs, declared once so they read the same everywhere."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

# A string, not a Path: a Path would fold the `//` of an `s3://bucket/clean` URL.
OutOption = Annotated[
    str | None,
    typer.Option(
        "--out",
        help="Output folder, or an object-storage URL (s3://, gs://, az://).",
        show_default="clean/",
    ),
]
ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", help="TOML config file.", show_default="presswash.toml"),
]
WorkersOption = Annotated[
    int | None,
    typer.Option(
        "--workers",
        min=1,
        help="Worker processes for cleaning (a local Dask cluster's size with --executor dask).",
        show_default="the machine's cores, at most 8",
    ),
]
ExecutorOption = Annotated[
    str | None,
    typer.Option(
        "--executor", help="'local' (worker processes) or 'dask' (a Dask cluster, see --workers)."
    ),
]
DaskAddressOption = Annotated[
    str | None, typer.Option("--dask-address", help="A running Dask scheduler's address.")
]
PrefectOption = Annotated[
    bool,
    typer.Option(
        "--prefect",
        help="Run as a Prefect flow run even when no Prefect API is configured (starts "
        "Prefect's temporary server, about 10 s).",
    ),
]
