"""What a backfill cleans: the new or changed files of dated partitions of the landing zone.

The landing zone is laid out `raw/<source>/<YYYY-MM-DD>/...` (what `presswash
fetch` writes, and the layout the README asks of other dumps). A file is
already clean when it was committed, unchanged since (size and modification
time), by the current pipeline version. A partition with one new file cleans
that file only, and the records of its other files stay where they are: a
scheduled run after one new page cleans one page, not the whole day, and a
killed backfill resumes with the files it had not committed yet.

The landing zone and the output may be on object storage: a remote landing
zone's partitions are listed and read through fsspec, and a remote output's
state is read from a copy of the store's own, so every machine plans alike.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pydantic import BaseModel

from presswash.fetching.landing import landing_claim
from presswash.fetching.remote_landing import landing_of
from presswash.output.remote import download
from presswash.output.state import OutputState
from presswash.runner.run import pipeline_version_of
from presswash.schemas.layout import STATE_DB, is_url, join
from presswash.schemas.settings import Settings
from presswash.sources import storage
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


def landing_exists(raw: str | Path) -> bool:
    """Whether a landing zone (a folder or a URL) is there; OSError if a store cannot say."""
    if isinstance(raw, str) and is_url(raw):
        return storage.is_dir(raw)
    return Path(raw).is_dir()


def _subfolders(folder: str | Path) -> list[tuple[str, str]]:
    """The folders right below a folder or folder URL, as (name, location), sorted by name."""
    if isinstance(folder, str) and is_url(folder):
        return storage.subfolders(folder)
    here = Path(folder)
    if not here.is_dir():
        return []
    return sorted((p.name, str(p)) for p in here.iterdir() if p.is_dir())


def _dated_folders(raw: str | Path, sources: list[str] | None) -> Iterator[tuple[str, str, str]]:
    for source, source_dir in _subfolders(raw):
        if source.startswith(".") or (sources and source not in sources):
            continue
        for day, day_dir in _subfolders(source_dir):
            try:
                date.fromisoformat(day)
            except ValueError:
                continue
            if len(day) == 10:
                yield source, day, day_dir


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


@contextlib.contextmanager
def planning_state(settings: Settings) -> Iterator[OutputState | None]:
    """The output's state to plan from; None for an output that has none yet.

    For an output on object storage, a copy of the store's own state (the
    local mirror may be behind, or another run's), in a temporary folder
    beside the mirror.
    """
    out, url = settings.out, settings.remote_out
    with contextlib.ExitStack() as stack:
        if url is None:
            writable = out.exists() or os.access(out.parent, os.W_OK)
            state = OutputState.open(out) if writable else None
        else:
            out.mkdir(parents=True, exist_ok=True)
            temporary = tempfile.TemporaryDirectory(prefix=".presswash-plan-", dir=out)
            copy = Path(stack.enter_context(temporary))
            found = download(join(url, STATE_DB), copy / STATE_DB)
            state = OutputState.open_readonly(copy) if found else None
        if state is not None:
            stack.callback(state.close)
        yield state


def find_partitions(
    raw: str | Path,
    state: OutputState | None,
    since: date,
    until: date,
    pipeline_version: str,
    sources: list[str] | None = None,
) -> list[Partition]:
    """Dated partitions between `since` and `until` (inclusive), each with its stale files."""
    found = []
    for source, day, folder in _dated_folders(raw, sources):
        if not since <= date.fromisoformat(day) <= until:
            continue
        files = list(iter_inputs([folder], root=str(raw)))
        total = sum(f.size for f in files)
        stale = _stale(state, files, pipeline_version)
        found.append(Partition(source, day, folder, len(files), total, stale))
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
    raw: str | Path,
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
    cleaning what it landed is waited for, so its pages are not cleaned twice
    (for a landing zone on object storage, a fetch on this machine, which
    holds the lock in the zone's local mirror).
    """
    version = pipeline_version_of(settings)
    landing = landing_of(raw, settings)
    with (
        landing_claim(landing.folder, exclusive=True, waiting=waiting),
        planning_state(settings) as state,
    ):
        found = find_partitions(landing.where, state, since, until, version, sources)
    todo = [p for p in found if force or not p.clean]
    plan = BackfillPlan(
        raw=landing.where,
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


def dated_spans(
    raw: str | Path, sources: list[str] | None = None
) -> dict[str, tuple[str, str, int]]:
    """Per source of the landing zone: its first and last dated partition, and how many."""
    spans: dict[str, tuple[str, str, int]] = {}
    for source, day, _ in _dated_folders(raw, sources):
        first, last, count = spans.get(source, (day, day, 0))
        spans[source] = (min(first, day), max(last, day), count + 1)
    return spans


def no_partitions_message(raw: str | Path, plan: BackfillPlan, sources: list[str] | None) -> str:
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
