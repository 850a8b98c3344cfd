"""What a backfill cleans: dated partitions of the landing zone, and which are already clean.

The landing zone is laid out `raw/<source>/<YYYY-MM-DD>/...` (what `presswash
fetch` writes, and the layout the README asks of other dumps). A partition is
already clean when every file in it was committed, unchanged since (size and
modification time), by the current pipeline version; anything else is
cleaned again, whole, which is what makes a killed backfill resumable: the
partitions it finished are skipped and the one it was in is redone.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pydantic import BaseModel

from presswash.runner.run import pipeline_version
from presswash.schemas.settings import Settings
from presswash.store.inputs import iter_inputs
from presswash.store.state import connect


@dataclass(frozen=True, slots=True)
class Partition:
    """One `<source>/<date>` folder of the landing zone."""

    source: str
    day: str
    path: str
    files: int
    bytes: int
    clean: bool


def _dated_folders(raw: Path, sources: list[str] | None) -> Iterator[tuple[str, str, Path]]:
    if not raw.is_dir():
        return
    for source_dir in sorted(p for p in raw.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if sources and source_dir.name not in sources:
            continue
        for day_dir in sorted(p for p in source_dir.iterdir() if p.is_dir()):
            try:
                date.fromisoformat(day_dir.name)
            except ValueError:
                continue
            if len(day_dir.name) == 10:
                yield source_dir.name, day_dir.name, day_dir


def _is_clean(conn: sqlite3.Connection, paths: list[tuple[str, int, int]], version: str) -> bool:
    if not paths:
        return True
    for path, size, mtime in paths:
        row = conn.execute(
            "SELECT i.size, i.mtime_ns, s.pipeline_version FROM inputs i "
            "JOIN shards s ON s.shard_id = i.shard_id WHERE i.path = ?",
            (path,),
        ).fetchone()
        if row is None or tuple(row) != (size, mtime, version):
            return False
    return True


def find_partitions(
    raw: Path,
    out: Path,
    since: date,
    until: date,
    version: str,
    sources: list[str] | None = None,
) -> list[Partition]:
    """Dated partitions between `since` and `until` (inclusive), each marked clean or not."""
    found = []
    conn = connect(out) if out.exists() or os.access(out.parent, os.W_OK) else None
    try:
        for source, day, folder in _dated_folders(raw, sources):
            if not since <= date.fromisoformat(day) <= until:
                continue
            found_files = iter_inputs([str(folder)], root=str(raw))
            files = [(f.key, f.size, f.mtime_ns) for f in found_files]
            clean = conn is not None and _is_clean(conn, files, version)
            total = sum(size for _, size, _ in files)
            found.append(Partition(source, day, str(folder), len(files), total, clean))
    finally:
        if conn is not None:
            conn.close()
    return found


class BackfillPlan(BaseModel):
    """The partitions a backfill found, and which it cleans."""

    raw: str
    since: str
    until: str
    partitions: list[dict[str, object]]
    to_clean: int
    skipped: int


def plan_backfill(
    raw: Path, settings: Settings, since: date, until: date, sources: list[str] | None, force: bool
) -> tuple[BackfillPlan, list[Partition]]:
    found = find_partitions(raw, settings.out, since, until, pipeline_version(settings), sources)
    todo = [p for p in found if force or not p.clean]
    plan = BackfillPlan(
        raw=str(raw),
        since=since.isoformat(),
        until=until.isoformat(),
        partitions=[
            {
                "source": p.source,
                "date": p.day,
                "files": p.files,
                "bytes": p.bytes,
                "action": "clean" if p in todo else "skip (already clean)",
            }
            for p in found
        ],
        to_clean=len(todo),
        skipped=len(found) - len(todo),
    )
    return plan, todo


MAX_SOURCES_SHOWN = 8


def dated_spans(raw: Path, sources: list[str] | None = None) -> dict[str, tuple[str, str, int]]:
    """Per source of the landing zone: its first and last dated partition, and how many."""
    spans: dict[str, tuple[str, str, int]] = {}
    for source, day, _ in _dated_folders(raw, sources):
        first, last, count = spans.get(source, (day, day, 0))
        spans[source] = (min(first, day), max(last, day), count + 1)
    return spans


def no_partitions_message(raw: Path, plan: BackfillPlan, sources: list[str] | None) -> str:
    """What a backfill that found no partition in its range says.

    Not "everything is clean": a range with nothing in it is most often a
    wrong date or a wrong landing zone, so the message names the range and
    what the landing zone does hold (first and last date per source, a few
    sources at most, so a large landing zone still gives one short line).
    """
    only = f" for source {', '.join(sources)}" if sources else ""
    head = f"nothing to clean: no partition dated {plan.since} .. {plan.until} in {raw}{only}"
    spans = dated_spans(raw, sources)
    if not spans:
        return f"{head}; it holds no dated partitions (<source>/<YYYY-MM-DD>/) at all"
    shown = [
        f"{source} {first} .. {last} ({count} partitions)" if count > 1 else f"{source} {first}"
        for source, (first, last, count) in list(spans.items())[:MAX_SOURCES_SHOWN]
    ]
    if len(spans) > MAX_SOURCES_SHOWN:
        shown.append(f"{len(spans) - MAX_SOURCES_SHOWN} more sources")
    return f"{head}; partitions found: {'; '.join(shown)}"
