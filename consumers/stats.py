"""The figures of an output folder, in one streaming pass over its records.

`stats` and `report` both read the records themselves rather than adding up
`runs/*.json`: the run summaries describe what each run did, the folder is
what a consumer actually gets after re-runs, superseded shards and
duplicates. Memory holds only per-key counters and a few small fixed-size
lists, never the records, so a folder of millions of articles is fine.
An output on object storage is given as its URL and read through fsspec.
"""

from __future__ import annotations

import heapq
import os
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import orjson
from pydantic import BaseModel, ConfigDict, Field

from presswash.consumers.reader import (
    ARTICLES,
    REJECTED,
    Part,
    ReadCounts,
    part_files,
    partition_of,
    read_part,
)
from presswash.output import remote
from presswash.output.state import OutputState
from presswash.schemas.records import Article, Rejection
from presswash.schemas.summary import RunSummary
from presswash.sources import storage

# upper bounds (inclusive) of the word-count buckets: doubling, because article
# lengths spread over three orders of magnitude and a linear scale hides the short tail
LENGTH_BUCKETS = (49, 99, 199, 399, 799, 1599, 3199, 6399)
LATEST_ARTICLES = 10
LATEST_RUNS = 10
UNKNOWN = "(none)"


def length_bucket(words: int) -> str:
    """The histogram label of a word count: '100-199', ..., '6400+'."""
    low = 0
    for high in LENGTH_BUCKETS:
        if words <= high:
            return f"{low}-{high}"
        low = high + 1
    return f"{low}+"


def bucket_labels() -> list[str]:
    """Every histogram label in order, so empty buckets still show as zero bars."""
    labels = []
    low = 0
    for high in LENGTH_BUCKETS:
        labels.append(f"{low}-{high}")
        low = high + 1
    labels.append(f"{low}+")
    return labels


class ArticleLine(BaseModel):
    """One row of the 'latest articles' table: enough to recognise a record, not the text."""

    model_config = ConfigDict(extra="forbid")

    ingested_at: str
    id: str
    title: str | None
    site_name: str | None
    source_name: str
    language: str
    word_count: int
    published_at: str | None


class FolderStats(BaseModel):
    """What an output folder holds; every mapping is sorted by count, largest first."""

    model_config = ConfigDict(extra="forbid")

    folder: str
    articles: int = 0
    rejections: int = 0
    duplicates: int = 0
    words: int = 0
    min_words: int | None = None
    max_words: int | None = None
    invalid_lines: int = Field(0, description="Lines that are not valid records (skipped).")
    invalid_examples: list[str] = Field(default_factory=list)
    part_files: int = 0
    languages: dict[str, int] = Field(default_factory=dict)
    sources: dict[str, int] = Field(default_factory=dict, description="Articles per source_name.")
    source_rejections: dict[str, int] = Field(default_factory=dict)
    sites: dict[str, int] = Field(default_factory=dict, description="Articles per site_name.")
    dates: dict[str, int] = Field(
        default_factory=dict, description="Articles per partition date, sorted by date."
    )
    date_rejections: dict[str, int] = Field(default_factory=dict)
    published: dict[str, int] = Field(
        default_factory=dict, description="Articles per day of published_at, sorted by date."
    )
    reasons: dict[str, int] = Field(default_factory=dict)
    stages: dict[str, int] = Field(default_factory=dict)
    extractors: dict[str, int] = Field(default_factory=dict)
    removed_lines: dict[str, int] = Field(default_factory=dict)
    lengths: dict[str, int] = Field(
        default_factory=dict, description="Articles per word-count bucket, in bucket order."
    )
    with_title: int = 0
    with_authors: int = 0
    with_published_at: int = 0
    with_site_name: int = 0
    with_url: int = 0
    pipeline_versions: dict[str, int] = Field(default_factory=dict)
    latest_articles: list[ArticleLine] = Field(default_factory=list)
    runs: int = 0
    latest_runs: list[RunSummary] = Field(default_factory=list)

    @property
    def records(self) -> int:
        return self.articles + self.rejections

    @property
    def rejection_rate(self) -> float:
        return self.rejections / self.records if self.records else 0.0

    @property
    def mean_words(self) -> float:
        return self.words / self.articles if self.articles else 0.0


class _Counting:
    """The counters of one pass; kept apart from the model so the pass stays cheap."""

    def __init__(self) -> None:
        self.counts: dict[str, Counter[str]] = {
            name: Counter()
            for name in (
                "languages",
                "sources",
                "source_rejections",
                "sites",
                "dates",
                "date_rejections",
                "published",
                "reasons",
                "stages",
                "extractors",
                "removed_lines",
                "lengths",
                "pipeline_versions",
            )
        }
        self.numbers: Counter[str] = Counter()
        self.min_words: int | None = None
        self.max_words: int | None = None
        self.latest: list[tuple[str, str, int, ArticleLine]] = []
        self.read = ReadCounts()

    def article(self, record: Article, partition: dict[str, str]) -> None:
        c, n = self.counts, self.numbers
        source_name = partition.get("source_name", UNKNOWN)
        n["articles"] += 1
        n["words"] += record.word_count
        self.min_words = min(self.min_words or record.word_count, record.word_count)
        self.max_words = max(self.max_words or 0, record.word_count)
        c["languages"][record.language] += 1
        c["sources"][source_name] += 1
        c["sites"][record.site_name or UNKNOWN] += 1
        c["dates"][partition.get("date", UNKNOWN)] += 1
        c["published"][(record.published_at or "")[:10] or UNKNOWN] += 1
        c["extractors"][record.cleaning.extractor] += 1
        c["removed_lines"].update(record.cleaning.removed)
        c["lengths"][length_bucket(record.word_count)] += 1
        c["pipeline_versions"][record.pipeline_version] += 1
        n["with_title"] += bool(record.title)
        n["with_authors"] += bool(record.authors)
        n["with_published_at"] += bool(record.published_at)
        n["with_site_name"] += bool(record.site_name)
        n["with_url"] += bool(record.url)
        self._keep_latest(
            (record.ingested_at, record.id),
            lambda: ArticleLine(
                ingested_at=record.ingested_at,
                id=record.id,
                title=record.title,
                site_name=record.site_name,
                source_name=source_name,
                language=record.language,
                word_count=record.word_count,
                published_at=record.published_at,
            ),
        )

    def _keep_latest(self, key: tuple[str, str], line: Callable[[], ArticleLine]) -> None:
        """Keep the newest LATEST_ARTICLES; the line is built only for one that is kept."""
        self.numbers["latest_seq"] += 1
        entry_key = (*key, self.numbers["latest_seq"])
        if len(self.latest) >= LATEST_ARTICLES and entry_key <= self.latest[0][:3]:
            return
        entry = (*entry_key, line())
        if len(self.latest) < LATEST_ARTICLES:
            heapq.heappush(self.latest, entry)
        else:
            heapq.heappushpop(self.latest, entry)

    def rejection(self, record: Rejection, partition: dict[str, str]) -> None:
        c = self.counts
        self.numbers["rejections"] += 1
        self.numbers["duplicates"] += record.reason == "duplicate"
        c["reasons"][str(record.reason)] += 1
        c["stages"][str(record.stage)] += 1
        c["source_rejections"][partition.get("source_name", UNKNOWN)] += 1
        c["date_rejections"][partition.get("date", UNKNOWN)] += 1
        c["pipeline_versions"][record.pipeline_version] += 1

    def merge(self, other: _Counting) -> None:
        for name, counter in other.counts.items():
            self.counts[name].update(counter)
        seq = self.numbers["latest_seq"]
        self.numbers.update(other.numbers)
        self.numbers["latest_seq"] = seq
        if other.min_words is not None:
            self.min_words = min(self.min_words or other.min_words, other.min_words)
        if other.max_words is not None:
            self.max_words = max(self.max_words or 0, other.max_words)
        for ingested_at, record_id, _, line in other.latest:
            self._keep_latest((ingested_at, record_id), lambda line=line: line)
        self.read.records += other.read.records
        self.read.skipped += other.read.skipped
        self.read.files += other.read.files
        room = 10 - len(self.read.first_problems)
        self.read.first_problems.extend(other.read.first_problems[: max(0, room)])

    def dump(self) -> bytes:
        return orjson.dumps(
            {
                "counts": self.counts,
                "numbers": self.numbers,
                "min_words": self.min_words,
                "max_words": self.max_words,
                "latest": [[a, b, c, line.model_dump()] for a, b, c, line in self.latest],
                "read": [
                    self.read.records,
                    self.read.skipped,
                    self.read.files,
                    self.read.first_problems,
                ],
            }
        )

    @classmethod
    def load(cls, blob: bytes) -> _Counting:
        data = orjson.loads(blob)
        tally = cls()
        for name, values in data["counts"].items():
            tally.counts[name] = Counter(values)
        tally.numbers = Counter(data["numbers"])
        tally.min_words, tally.max_words = data["min_words"], data["max_words"]
        tally.latest = [(a, b, c, ArticleLine(**line)) for a, b, c, line in data["latest"]]
        records, skipped, files, problems = data["read"]
        tally.read = ReadCounts(records, skipped, files, problems)
        return tally


def _by_count(counter: Counter[str]) -> dict[str, int]:
    return {k: v for k, v in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])) if v}


def _by_key(counter: Counter[str]) -> dict[str, int]:
    return {k: counter[k] for k in sorted(counter) if counter[k]}


def _parts(folder: Path | str, kind: str) -> Iterator[tuple[Part, tuple[str, int, int]]]:
    """Each part file with its cache key: path below the folder, size, modification time."""
    if isinstance(folder, str):
        for found in remote.walk_parts(folder, kind):
            yield found.url, (found.url[len(folder) + 1 :], found.size, found.mtime_ns)
        return
    for part in part_files(folder, kind):
        stat = Path(part).stat()
        yield part, (str(Path(part).relative_to(folder)), stat.st_size, stat.st_mtime_ns)


def folder_stats(
    out_dir: str | os.PathLike[str], runs: int = LATEST_RUNS, state_in: Path | None = None
) -> FolderStats:
    """Count everything in `out_dir` once; lines that are not valid records are counted, not fatal.

    A stats command that dies on the first bad line would hide the other
    million good ones; the invalid count and the first examples say what to fix.
    `state_in` is the local folder whose state keeps per-part counts (by default
    the output folder itself; an output on object storage has none unless given).
    """
    folder = remote.existing_output(out_dir)
    tally = _Counting()
    if state_in is None and isinstance(folder, Path):
        state_in = folder
    with _PartCache(state_in) as parts:
        for kind in (ARTICLES, REJECTED):
            for part, key in _parts(folder, kind):
                tally.merge(parts.get(key) or parts.put(key, _count_part(part, kind)))
    read = tally.read
    c, n = tally.counts, tally.numbers
    lengths = {label: c["lengths"][label] for label in bucket_labels()}
    count, summaries = _runs(folder, runs)
    return FolderStats(
        folder=str(folder),
        articles=n["articles"],
        rejections=n["rejections"],
        duplicates=n["duplicates"],
        words=n["words"],
        min_words=tally.min_words,
        max_words=tally.max_words,
        invalid_lines=read.skipped,
        invalid_examples=read.first_problems,
        part_files=read.files,
        languages=_by_count(c["languages"]),
        sources=_by_count(c["sources"]),
        source_rejections=_by_count(c["source_rejections"]),
        sites=_by_count(c["sites"]),
        dates=_by_key(c["dates"]),
        date_rejections=_by_key(c["date_rejections"]),
        published=_by_key(c["published"]),
        reasons=_by_count(c["reasons"]),
        stages=_by_count(c["stages"]),
        extractors=_by_count(c["extractors"]),
        removed_lines=_by_count(c["removed_lines"]),
        lengths=lengths,
        with_title=n["with_title"],
        with_authors=n["with_authors"],
        with_published_at=n["with_published_at"],
        with_site_name=n["with_site_name"],
        with_url=n["with_url"],
        pipeline_versions=_by_count(c["pipeline_versions"]),
        latest_articles=[entry[-1] for entry in sorted(tally.latest, reverse=True)],
        runs=count,
        latest_runs=summaries,
    )


def _count_part(part: Part, kind: str) -> _Counting:
    tally = _Counting()
    partition = partition_of(part)
    if kind == ARTICLES:
        for article in read_part(part, Article, "skip", tally.read):
            tally.article(article, partition)
    else:
        for rejection in read_part(part, Rejection, "skip", tally.read):
            tally.rejection(rejection, partition)
    return tally


class _PartCache:
    """The counts of each part file, kept in the output's state and reused while it is unchanged.

    Without a state database (a copied folder, a read-only one) every part is
    simply read (output/part_counts.py says why the cache holds).
    """

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.state: OutputState | None = None
        self.seen: set[str] = set()

    def __enter__(self) -> _PartCache:
        state = OutputState.open_existing(self.folder) if self.folder is not None else None
        if state is not None and state.begin_part_counts():
            self.state = state
        elif state is not None:
            state.close()
        return self

    def get(self, key: tuple[str, int, int]) -> _Counting | None:
        if self.state is None:
            return None
        self.seen.add(key[0])
        blob = self.state.part_counts(*key)
        return _Counting.load(blob) if blob is not None else None

    def put(self, key: tuple[str, int, int], tally: _Counting) -> _Counting:
        if self.state is not None:
            self.state.put_part_counts(*key, tally.dump())
        return tally

    def __exit__(self, *exc: object) -> None:
        if self.state is None:
            return
        try:
            self.state.end_part_counts(self.seen)
        finally:
            self.state.close()


def _summary_files(folder: Path | str) -> list[Path] | list[str]:
    """The run summary files, newest first: clean and backfill runs are named by time.

    Fetch runs (`fetch-*.json`) have another model.
    """
    if isinstance(folder, str):
        return sorted(storage.glob_urls(f"{folder}/runs/[0-9]*.json"), reverse=True)
    runs = folder / "runs"
    return sorted(runs.glob("[0-9]*.json"), reverse=True) if runs.is_dir() else []


def _runs(folder: Path | str, limit: int) -> tuple[int, list[RunSummary]]:
    """How many run summaries there are, and the newest that parse (a broken one is skipped)."""
    paths = _summary_files(folder)
    latest = []
    for path in paths:
        if len(latest) >= limit:
            break
        try:
            blob = storage.read_bytes(path) if isinstance(path, str) else path.read_bytes()
            latest.append(RunSummary.model_validate_json(blob))
        except (OSError, ValueError):
            continue
    return len(paths), latest
