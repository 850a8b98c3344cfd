"""What a backfill cleans: the new or changed files of dated partitions of the landing zone.

The landing zone is laid out `raw/<source>/<YYYY-MM-DD>/...` (what `presswash
fetch` writes, and the layout the README asks of other dumps). A file is
already clean when it was committed, unchanged since (size and modification
time), by the current pipeline version. A partition with one new file cleans
that file only, and the records of its other files stay where they are: a
scheduled run after one new page cleans one page, not the whole day, and a
killed backfill resumes with the files it had not committed yet.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pydantic import BaseModel

from presswash.fetching.landing import landing_claim
from presswash.output.state import OutputState
from presswash.runner.run import pipeline_version_of
from presswash.schemas.settings import Settings
from presswash.sources.inputs import InputFile, iter_inputs


@dataclass(frozen=True, slots=True)
class Partition:
    """One `<source>/<date>` folder of the landing zone."""

    source: str
    day: str
    path: str
    files: int
    bytes: int
    stale: tuple[str, ...] = ()

    @property
    def clean(self) -> bool:
        """Every file of the partition is committed, unchanged, by this pipeline version."""
        return not self.stale

    def sources(self, force: bool = False) -> list[str]:
        """What a clean run reads for this partition: the folder, or only its stale files.

        The folder when all of it is to be cleaned, so that a backfill's run
        summary names partitions rather than thousands of files.
        """
        if force or len(self.stale) == self.files:
            return [self.path]
        return list(self.stale)


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


def _stale(
    state: OutputState | None, files: list[InputFile], pipeline_version: str
) -> tuple[str, ...]:
    """The files not committed, changed since, or committed by another pipeline version."""
    if state is None:
        return tuple(f.path for f in files)
    return tuple(item.path for item in files if not _clean_file(state, item, pipeline_version))


def _clean_file(state: OutputState, item: InputFile, pipeline_version: str) -> bool:
    """Whether a file's records are committed, unchanged, by this pipeline version.

    A big file split into pieces is known by its pieces (`path#records=a-b`):
    it is clean when every piece is, with the file's own modification time.
    """
    rows = state.committed_inputs(item.key, item.key + "#records=")
    if not rows:
        return False
    for path, size, mtime, committed_by in rows:
        whole = path == item.key
        if (
            committed_by != pipeline_version
            or mtime != item.mtime_ns
            or (whole and size != item.size)
        ):
            return False
    return True


def find_partitions(
    raw: Path,
    out: Path,
    since: date,
    until: date,
    pipeline_version: str,
    sources: list[str] | None = None,
) -> list[Partition]:
    """Dated partitions between `since` and `until` (inclusive), each with its stale files."""
    found = []
    state = OutputState.open(out) if out.exists() or os.access(out.parent, os.W_OK) else None
    try:
        for source, day, folder in _dated_folders(raw, sources):
            if not since <= date.fromisoformat(day) <= until:
                continue
            files = list(iter_inputs([str(folder)], root=str(raw)))
            total = sum(f.size for f in files)
            stale = _stale(state, files, pipeline_version)
            found.append(Partition(source, day, str(folder), len(files), total, stale))
    finally:
        if state is not None:
            state.close()
    return found


class BackfillPlan(BaseModel):
    """The partitions a backfill found, and which it cleans."""

    raw: str
    since: str
    until: str
    partitions: list[dict[str, object]]
    to_clean: int
    skipped: int
    files_to_clean: int = 0


def _action(partition: Partition, cleaned: bool, force: bool) -> str:
    if not cleaned:
        return "skip (already clean)"
    if force or len(partition.stale) == partition.files:
        return "clean"
    return f"clean {len(partition.stale)} new or changed of {partition.files} files"


def plan_backfill(
    raw: Path,
    settings: Settings,
    since: date,
    until: date,
    sources: list[str] | None,
    force: bool,
    *,
    waiting: Callable[[], None] | None = None,
) -> tuple[BackfillPlan, list[Partition]]:
    """The partitions in range and the ones to clean (all of them with `force`).

    Planned under the landing zone's lock (`landing_claim`): a fetch that is
    cleaning what it landed is waited for, so its pages are not cleaned twice.
    """
    pipeline_version = pipeline_version_of(settings)
    with landing_claim(raw, exclusive=True, waiting=waiting):
        found = find_partitions(raw, settings.out, since, until, pipeline_version, sources)
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
                "action": _action(p, p in todo, force),
            }
            for p in found
        ],
        to_clean=len(todo),
        skipped=len(found) - len(todo),
        files_to_clean=sum(p.files if force else len(p.stale) for p in todo),
    )
    return plan, todo


def sources_of(todo: list[Partition], force: bool = False) -> list[str]:
    """The clean run's sources for the partitions to clean (folders, or their stale files)."""
    return [source for partition in todo for source in partition.sources(force)]


MAX_SOURCES_SHOWN = 8


def nothing_new_message(plan: BackfillPlan) -> str:
    """What a backfill says when every file in its range is clean: no run, no summary."""
    count = len(plan.partitions)
    noun = "partition" if count == 1 else "partitions"
    return (
        f"nothing to do: every file of the {count} {noun} dated {plan.since} .. {plan.until} "
        f"in {plan.raw} is already clean; no run started, no summary written"
    )


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
