"""The raw landing zone: fetched pages as WARC files that are written once and never changed.

Layout: `<raw>/<source>/<YYYY-MM-DD>/fetch-<batch-id>.warc.gz`, the date being
the UTC fetch date, so `presswash clean <raw>` maps each folder one to one
onto an output partition. A WARC is written under a hidden temporary name in
its folder, flushed to disk and then linked into place: a reader sees a
complete file or none, and an existing file is never replaced.

Beside it, `<raw>/.presswash-fetch.sqlite` (hidden, so never read as an
input) remembers what was fetched: a URL already landed is not fetched again
unless asked, and then conditionally (If-None-Match / If-Modified-Since).

Fetch rejections go where clean's rejections go, as
`<out>/rejected/source_name=<source>/date=<day>/part-fetch-<batch-id>.jsonl`.
This module also holds the Prefect-free core of a fetch run (discovery and
one batch), which the flow runs in tasks and the benchmark runs directly.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import secrets
import sqlite3
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

import orjson
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from presswash import __version__
from presswash.parsers.discovery import parse_discovery
from presswash.schemas.records import Rejection, Source
from presswash.schemas.settings import FetchSettings
from presswash.schemas.stages import Stage
from presswash.store.http import (
    Fetched,
    Fetcher,
    FetchError,
    Outcome,
    RobotsRules,
    Unchanged,
    Validators,
    decoded_body,
    normalize_url,
    origin_of,
    utc_iso,
)
from presswash.store.inputs import safe_key

STATE_FILE = ".presswash-fetch.sqlite"
REQUESTED_URI = "WARC-Presswash-Requested-URI"
_DROPPED_HEADERS = frozenset({"transfer-encoding"})


def new_batch_id() -> str:
    """Sortable by time, unique across concurrent tasks and machines."""
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + "-" + secrets.token_hex(4)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _publish(tmp: Path, final: Path) -> None:
    """Move a finished temp file into place without ever replacing an existing file."""
    os.link(tmp, final)  # fails if `final` exists: landed files are immutable
    tmp.unlink()
    _fsync_dir(final.parent)


# -- fetch state --------------------------------------------------------------


class FetchState:
    """`<raw>/.presswash-fetch.sqlite`: url -> validators, fetch time and WARC file.

    One connection per task; SQLite's WAL and busy timeout let concurrent
    tasks of one run update it safely.
    """

    def __init__(self, raw: Path) -> None:
        raw.mkdir(parents=True, exist_ok=True)
        self.path = raw / STATE_FILE
        self._conn = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        # a lost last commit only means a page is fetched again; no fsync per batch
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS fetched ("
            " url TEXT PRIMARY KEY, final_url TEXT, etag TEXT, last_modified TEXT,"
            " fetched_at TEXT, checked_at TEXT, warc TEXT, source TEXT)"
        )

    def close(self) -> None:
        self._conn.close()

    def known(self, urls: Iterable[str]) -> dict[str, Validators]:
        """The URLs among `urls` already landed, with what a conditional GET sends."""
        found: dict[str, Validators] = {}
        chunk: list[str] = []
        for url in [*urls, None]:
            if url is not None:
                chunk.append(url)
            if chunk and (url is None or len(chunk) >= 500):
                marks = ",".join("?" * len(chunk))
                rows = self._conn.execute(
                    f"SELECT url, etag, last_modified FROM fetched WHERE url IN ({marks})", chunk
                )
                for row_url, etag, modified in rows:
                    found[row_url] = Validators(etag, modified)
                chunk = []
        return found

    def landed(self, pages: list[tuple[Fetched, str]], source: str) -> None:
        """Remember pages once their WARC file is in place (never before)."""
        if not pages:
            return
        rows = [
            (
                page.url,
                page.final_url,
                page.header("ETag"),
                page.header("Last-Modified"),
                page.fetched_at,
                page.fetched_at,
                warc,
                source,
            )
            for page, warc in pages
        ]
        with self._conn:
            self._conn.executemany(
                "INSERT OR REPLACE INTO fetched VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows
            )

    def checked(self, urls: list[tuple[str, str]]) -> None:
        """A 304 confirms the landed copy: record when, keep everything else."""
        if not urls:
            return
        with self._conn:
            self._conn.executemany(
                "UPDATE fetched SET checked_at = ? WHERE url = ?", [(t, u) for u, t in urls]
            )


# -- WARC writing ---------------------------------------------------------------


class WarcBatch:
    """The WARC files of one batch, one per fetch date, published together by `close`."""

    def __init__(self, raw: Path, source: str, batch_id: str) -> None:
        self.raw = raw
        self.source = safe_key(source)
        self.batch_id = batch_id
        self._open: dict[str, tuple[Path, Path, BinaryIO, WARCWriter]] = {}
        self.pages: list[tuple[Fetched, str]] = []

    def _writer(self, day: str) -> tuple[WARCWriter, str]:
        if day not in self._open:
            folder = self.raw / self.source / day
            folder.mkdir(parents=True, exist_ok=True)
            name = f"fetch-{self.batch_id}.warc.gz"
            tmp = folder / f".{name}.tmp"
            handle = open(tmp, "wb")  # noqa: SIM115 - closed in close()/abort()
            writer = WARCWriter(handle, gzip=True)
            info = {"software": f"presswash/{__version__}", "format": "WARC File Format 1.0"}
            writer.write_record(writer.create_warcinfo_record(name, info))
            self._open[day] = (tmp, folder / name, handle, writer)
        tmp, final, _handle, writer = self._open[day]
        return writer, final.relative_to(self.raw).as_posix()

    def add(self, page: Fetched) -> None:
        """Append a request + response pair; the response holds the bytes as received."""
        writer, rel = self._writer(page.fetched_at[:10])
        parts = urlsplit(page.final_url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        request = writer.create_warc_record(
            page.final_url,
            "request",
            payload=io.BytesIO(b""),
            length=0,
            http_headers=StatusAndHeaders(
                f"GET {target} HTTP/1.1", page.request_headers, is_http_request=True
            ),
            warc_headers_dict={"WARC-Date": page.fetched_at},
        )
        warc_headers = {"WARC-Date": page.fetched_at}
        if page.peer:
            warc_headers["WARC-IP-Address"] = page.peer
        if page.url != page.final_url:
            warc_headers[REQUESTED_URI] = page.url
        headers = [(k, v) for k, v in page.headers if k.lower() not in _DROPPED_HEADERS]
        response = writer.create_warc_record(
            page.final_url,
            "response",
            payload=io.BytesIO(page.body),
            length=len(page.body),
            http_headers=StatusAndHeaders(
                f"{page.status} {page.reason_phrase}".strip(), headers, protocol=page.http_version
            ),
            warc_headers_dict=warc_headers,
        )
        request.rec_headers.add_header(
            "WARC-Concurrent-To", response.rec_headers.get_header("WARC-Record-ID")
        )
        writer.write_record(request)
        writer.write_record(response)
        self.pages.append((page, rel))

    def close(self) -> list[str]:
        """Flush, fsync and link every file into place; the paths relative to `raw`."""
        done = []
        for tmp, final, handle, _writer in self._open.values():
            handle.flush()
            os.fsync(handle.fileno())
            handle.close()
            _publish(tmp, final)
            done.append(final.relative_to(self.raw).as_posix())
        self._open.clear()
        return sorted(done)

    def abort(self) -> None:
        """Remove unfinished files; their pages were never recorded as landed."""
        for tmp, _final, handle, _writer in self._open.values():
            handle.close()
            tmp.unlink(missing_ok=True)
        self._open.clear()
        self.pages.clear()


# -- rejections -----------------------------------------------------------------


def rejection_record(error: FetchError, version: str) -> dict[str, object]:
    """A `Rejection` at stage `fetch` for a URL given up on, validated against the schema."""
    extra: dict[str, object] = {}
    if error.http_status is not None:
        extra["http_status"] = error.http_status
    source = Source(
        kind="url", uri=error.url, sha256="0" * 64, fetched_at=error.fetched_at, **extra
    )
    record = Rejection(
        source=source,
        stage=Stage.FETCH,
        reason=error.reason,
        detail=error.detail,
        rejected_at=utc_iso(),
        pipeline_version=version,
    )
    return record.model_dump(mode="json")


def write_rejections(
    out: Path, source: str, batch_id: str, errors: list[FetchError], version: str
) -> list[str]:
    """One part file per fetch date, each written beside its place and renamed in."""
    by_day: dict[str, list[FetchError]] = {}
    for error in errors:
        by_day.setdefault(error.fetched_at[:10], []).append(error)
    written = []
    for day, items in sorted(by_day.items()):
        folder = out / "rejected" / f"source_name={safe_key(source)}" / f"date={day}"
        folder.mkdir(parents=True, exist_ok=True)
        final = folder / f"part-fetch-{batch_id}.jsonl"
        tmp = folder / f".{final.name}.tmp"
        with open(tmp, "wb") as handle:
            for error in items:
                handle.write(orjson.dumps(rejection_record(error, version)) + b"\n")
            handle.flush()
            os.fsync(handle.fileno())
        _publish(tmp, final)
        written.append(final.relative_to(out).as_posix())
    return written


# -- the core of a run, without Prefect -------------------------------------------


@dataclass(frozen=True, slots=True)
class BatchSpec:
    """A batch task's whole input: plain data, so it travels to any worker."""

    batch_id: str
    source: str
    urls: list[tuple[str, str | None, str | None]]  # url, etag, last_modified


@dataclass(slots=True)
class BatchResult:
    """What one batch did; results add up to the run's summary."""

    batch_id: str
    asked: int = 0
    fetched: int = 0
    unchanged: int = 0
    rejected: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    warc_files: list[str] = field(default_factory=list)
    rejection_files: list[str] = field(default_factory=list)
    bytes_received: int = 0
    seconds: float = 0.0
    error: str | None = None

    @property
    def partitions(self) -> list[str]:
        return sorted({str(Path(p).parent.as_posix()) for p in self.warc_files})


@dataclass(frozen=True, slots=True)
class SourcePolicy:
    """A source's own politeness settings, where it has them."""

    user_agent: str | None = None
    per_host_concurrency: int | None = None
    requests_per_second: float | None = None


def make_batches(
    urls: list[tuple[str, Validators | None]], source: str, size: int
) -> Iterator[BatchSpec]:
    """Cut the URLs into batches of `size`, grouped by host so per-host limits hold."""
    by_host: dict[str, list[tuple[str, Validators | None]]] = {}
    for url, validators in urls:
        by_host.setdefault(origin_of(url), []).append((url, validators))
    for items in by_host.values():
        for start in range(0, len(items), size):
            chunk = items[start : start + size]
            yield BatchSpec(
                new_batch_id(),
                source,
                [(u, v.etag if v else None, v.last_modified if v else None) for u, v in chunk],
            )


async def land_batch(
    spec: BatchSpec,
    settings: FetchSettings,
    *,
    raw: Path,
    out: Path,
    version: str,
    robots: dict[str, RobotsRules] | None = None,
    policy: SourcePolicy | None = None,
) -> BatchResult:
    """Fetch one batch with one client, write its pages and rejections, remember them.

    Pages go to the WARC as they arrive, so memory holds the pages in flight,
    not the batch. If writing fails, the unfinished WARC is removed and the
    error reported: no page is recorded as landed that is not on disk.
    """
    started = time.monotonic()
    policy = policy or SourcePolicy()
    result = BatchResult(spec.batch_id, asked=len(spec.urls))
    warc = WarcBatch(raw, spec.source, spec.batch_id)
    errors: list[FetchError] = []
    unchanged: list[tuple[str, str]] = []
    fetcher = Fetcher(
        settings,
        user_agent=policy.user_agent,
        per_host_concurrency=policy.per_host_concurrency,
        requests_per_second=policy.requests_per_second,
        robots=robots,
    )
    try:
        async with fetcher:
            jobs = [
                fetcher.fetch(url, Validators(etag, modified) if etag or modified else None)
                for url, etag, modified in spec.urls
            ]
            for job in asyncio.as_completed(jobs):
                outcome: Outcome = await job
                if isinstance(outcome, Fetched):
                    warc.add(outcome)
                    result.bytes_received += len(outcome.body)
                elif isinstance(outcome, Unchanged):
                    unchanged.append((outcome.url, outcome.fetched_at))
                else:
                    errors.append(outcome)
        result.warc_files = warc.close()
    except OSError as exc:
        warc.abort()
        result.error = f"cannot write to the landing zone {raw}: {exc.strerror or exc}"
        return result
    state = FetchState(raw)
    try:
        state.landed(warc.pages, spec.source)
        state.checked(unchanged)
    finally:
        state.close()
    result.rejection_files = write_rejections(out, spec.source, spec.batch_id, errors, version)
    result.fetched = len(warc.pages)
    result.unchanged = len(unchanged)
    result.rejected = len(errors)
    result.reasons = Counter(str(e.reason) for e in errors)
    result.seconds = round(time.monotonic() - started, 3)
    return result


def run_batch(
    spec: BatchSpec,
    settings: FetchSettings,
    *,
    raw: Path,
    out: Path,
    version: str,
    robots: dict[str, RobotsRules] | None = None,
    policy: SourcePolicy | None = None,
) -> BatchResult:
    """`land_batch` on an event loop of its own, for a synchronous task or script."""
    return asyncio.run(
        land_batch(spec, settings, raw=raw, out=out, version=version, robots=robots, policy=policy)
    )


async def fetch_robots(
    urls: Iterable[str], settings: FetchSettings, policy: SourcePolicy | None = None
) -> dict[str, RobotsRules]:
    """robots.txt of every origin among `urls`, each read once, for all batches of a run."""
    if not settings.respect_robots:
        return {}
    policy = policy or SourcePolicy()
    origins = sorted({origin_of(u) for u in urls if urlsplit(u).scheme in ("http", "https")})
    async with Fetcher(
        settings,
        user_agent=policy.user_agent,
        per_host_concurrency=policy.per_host_concurrency,
        requests_per_second=policy.requests_per_second,
    ) as fetcher:
        await asyncio.gather(*(fetcher.robots_for(o + "/") for o in origins))
        return dict(fetcher.robots)


@dataclass(slots=True)
class Discovered:
    """The page URLs discovery found, in order, and what each document gave."""

    urls: list[str] = field(default_factory=list)
    documents: list[dict[str, object]] = field(default_factory=list)
    robots: dict[str, RobotsRules] = field(default_factory=dict)


async def discover_urls(
    feeds: list[str],
    sitemaps: list[str],
    settings: FetchSettings,
    *,
    robots: dict[str, RobotsRules] | None = None,
    policy: SourcePolicy | None = None,
) -> Discovered:
    """Page URLs from feeds and sitemaps, following sitemap indexes breadth first.

    Bounded three ways: index nesting (`max_discovery_depth`), documents
    read (`max_discovery_documents`) and URLs taken (`max_discovered_urls`),
    so a sitemap index that points at itself or at a million children ends.
    """
    policy = policy or SourcePolicy()
    found = Discovered()
    seen_urls: set[str] = set()
    seen_docs: set[str] = set()
    queue: list[tuple[str, int]] = [(normalize_url(u), 0) for u in [*feeds, *sitemaps]]
    async with Fetcher(
        settings,
        user_agent=policy.user_agent,
        per_host_concurrency=policy.per_host_concurrency,
        requests_per_second=policy.requests_per_second,
        robots=robots,
    ) as fetcher:
        while queue and len(seen_docs) < settings.max_discovery_documents:
            url, depth = queue.pop(0)
            if url in seen_docs:
                continue
            seen_docs.add(url)
            record, pages, children = await _read_document(fetcher, url, settings)
            found.documents.append(record)
            if depth < settings.max_discovery_depth:
                queue.extend((normalize_url(child), depth + 1) for child in children)
            for page in pages:
                key = normalize_url(page)
                if key not in seen_urls and len(found.urls) < settings.max_discovered_urls:
                    seen_urls.add(key)
                    found.urls.append(key)
        found.robots = dict(fetcher.robots)
    return found


async def _read_document(
    fetcher: Fetcher, url: str, settings: FetchSettings
) -> tuple[dict[str, object], list[str], list[str]]:
    """One feed or sitemap: (its summary record, page URLs, child sitemap URLs)."""
    outcome = await fetcher.fetch(url, mode="document")
    if isinstance(outcome, FetchError):
        error = f"{outcome.reason}: {outcome.detail}"
        return {"url": url, "kind": "unknown", "links": 0, "error": error}, [], []
    if not isinstance(outcome, Fetched):
        return {"url": url, "kind": "unknown", "links": 0, "error": "unchanged"}, [], []
    parsed = parse_discovery(decoded_body(outcome, settings.max_decoded_bytes), outcome.final_url)
    links = parsed.sitemaps if parsed.kind == "sitemap_index" else parsed.pages
    record = {"url": url, "kind": parsed.kind, "links": len(links), "error": parsed.error}
    return record, [x.url for x in parsed.pages], [x.url for x in parsed.sitemaps]
