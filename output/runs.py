"""Run summaries: `runs/<run-id>.json` (and fetch runs' `runs/fetch-<run-id>.json`),
written atomically, listed newest first."""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

from presswash.schemas.fetch import FetchSummary
from presswash.schemas.summary import RunSummary

FETCH_PREFIX = "fetch-"


def new_run_id() -> str:
    """Sortable by time, unique across concurrent runs."""
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + "-" + secrets.token_hex(3)


def write_summary(out: Path, summary: RunSummary) -> Path:
    folder = out / "runs"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{summary.run_id}.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(summary.model_dump_json(indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path


def list_summaries(out: Path, limit: int = 20) -> list[RunSummary]:
    folder = out / "runs"
    if not folder.is_dir():
        return []
    # clean and backfill runs are named by time; fetch runs (`fetch-*.json`) have their own model
    paths = sorted(folder.glob("[0-9]*.json"), reverse=True)[:limit]
    return [RunSummary.model_validate_json(p.read_text(encoding="utf-8")) for p in paths]


def list_runs(out: Path, limit: int = 20) -> list[RunSummary | FetchSummary]:
    """Clean and fetch runs together, newest first: both kinds of run id sort by time."""
    folder = out / "runs"
    if not folder.is_dir():
        return []
    paths = [*folder.glob("[0-9]*.json"), *folder.glob(f"{FETCH_PREFIX}[0-9]*.json")]
    paths = sorted(paths, key=lambda p: p.name.removeprefix(FETCH_PREFIX), reverse=True)[:limit]
    found: list[RunSummary | FetchSummary] = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        if path.name.startswith(FETCH_PREFIX):
            found.append(FetchSummary.model_validate_json(text))
        else:
            found.append(RunSummary.model_validate_json(text))
    return found
