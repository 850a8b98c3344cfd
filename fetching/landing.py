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
A landing zone or output on object storage is written in a local folder
first, and each finished file put in the store whole (`put_files`; the
rest of a remote landing zone is `remote_landing`).
This module also holds the Prefect-free core of a fetch run (discovery and
one batch), which the flow runs in tasks and the benchmark runs directly.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import io
import os
import secrets
import sqlite3
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

import orjson
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from presswash import __version__
from presswash.fetching.discovery import parse_discovery
from presswash.fetching.http import (
    Fetched,
    Fetcher,
    FetchError,
    FetchOutcome,
    RobotsByOrigin,
    Unchanged,
    Validators,
    iter_decoded,
    normalize_url,
    origin_of,
    redact_url,
    url_problem,
)
from presswash.output.remote import upload
from presswash.output.writable import fsync_dir
from presswash.schemas.document import SourceInfo
from presswash.schemas.layout import join
from presswash.schemas.records import Rejection, rejection_record, utc_now
from presswash.schemas.settings import FetchSettings
from presswash.schemas.stages import Reason, Stage
from presswash.sources.inputs import safe_key

STATE_FILE = ".presswash-fetch.sqlite"
LANDING_LOCK = ".presswash-landing.lock"
REQUESTED_URI = "WARC-Presswash-Requested-URI"
_DROPPED_HEADERS = frozenset({"transfer-encoding"})
# httpx turns a URL's user:password into this header; it must not be archived
_SECRET_REQUEST_HEADERS = frozenset({"authorization", "proxy-authorization"})


def new_batch_id() -> str:
    """Sortable by time, unique across concurrent tasks and machines."""
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + "-" + secrets.token_hex(4)


def _place_new_file(tmp: Path, final: Path) -> None:
    """Move a finished temp file into place without ever replacing an existing file."""
    os.link(tmp, final)  # fails if `final` exists: landed files are immutable
    tmp.unlink()
    with contextlib.suppress(OSError):  # the file is in place; only its durability is unsure
        fsync_dir(final.parent)


# -- where landed files go ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Stores:
    """The URLs of a fetch run's landing zone and output where they are on object storage.

    Plain data, so it travels with a batch to any task.
    """

    raw: str | None = None
    out: str | None = None


def put_files(local: Path, url: str | None, rels: list[str], *, keep: bool = False) -> None:
    """Files written below `local` put at the same places below `url`, each whole.

    The local copy of each goes once it is up, unless `keep`. Nothing to do
    for a local folder (`url` None).
    """
    if url is None:
        return
    for rel in rels:
        try:
            upload(local / rel, join(url, rel))
        except Exception as exc:  # a store's client has errors of its own, not only OSError
            raise OSError(f"cannot put {rel} in {url}: {exc}") from exc
        if not keep:
            (local / rel).unlink(missing_ok=True)


# -- who cleans what lands ------------------------------------------------------


@contextlib.contextmanager
def landing_claim(
    raw: Path, *, exclusive: bool, waiting: Callable[[], None] | None = None
) -> Iterator[None]:
    """A lock on `<raw>/.presswash-landing.lock`, so that a landed file is cleaned once.

    A fetch that cleans what it lands holds it shared from its first batch to
    its clean's last commit; the scheduled clean holds it exclusive while it
    decides what is new. So the scheduled clean never sees a page that a
    fetch has landed and is about to clean itself: it waits for that fetch,
    then finds its pages clean. `waiting` is called once if the lock is busy.
    A landing zone that does not exist, or where the lock cannot be made
    (read-only), is not locked.
    """
    try:
        handle = open(raw / LANDING_LOCK, "a+b")  # noqa: SIM115  (closed below)
    except OSError:
        yield
        return
    mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
    try:
        try:
            fcntl.flock(handle.fileno(), mode | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting is not None:
                waiting()
            fcntl.flock(handle.fileno(), mode)
        yield
    finally:
        handle.close()  # closing drops the lock


# -- fetch state --------------------------------------------------------------


class FetchState:
    """`<raw>/.presswash-fetch.sqlite`: url -> validators, fetch time and WARC file.

    One connection per task; SQLite's WAL and busy timeout let concurrent
    tasks of one run update it safely. URLs are stored without their
    user:password (`redact_url`), and looked up the same way.
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
        chunk: dict[str, list[str]] = {}  # stored form -> the URLs asked for
        for url in [*urls, None]:
            if url is not None:
                chunk.setdefault(redact_url(url), []).append(url)
            if chunk and (url is None or len(chunk) >= 500):
                marks = ",".join("?" * len(chunk))
                rows = self._conn.execute(
                    f"SELECT url, etag, last_modified FROM fetched WHERE url IN ({marks})",
                    list(chunk),
                )
                for row_url, etag, modified in rows:
                    for asked in chunk.get(row_url, []):
                        found[asked] = Validators(etag, modified)
                chunk = {}
        return found

    def landed(self, pages: list[tuple[Fetched, str]], source: str) -> None:
        """Remember pages once their WARC file is in place (never before)."""
        if not pages:
            return
        rows = [
            (
                redact_url(page.url),
                redact_url(page.final_url),
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
                "UPDATE fetched SET checked_at = ? WHERE url = ?",
                [(t, redact_url(u)) for u, t in urls],
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
        final_url = redact_url(page.final_url)
        sent = [(k, v) for k, v in page.request_headers if k.lower() not in _SECRET_REQUEST_HEADERS]
        request = writer.create_warc_record(
            final_url,
            "request",
            payload=io.BytesIO(b""),
            length=0,
            http_headers=StatusAndHeaders(f"GET {target} HTTP/1.1", sent, is_http_request=True),
            warc_headers_dict={"WARC-Date": page.fetched_at},
        )
        warc_headers = {"WARC-Date": page.fetched_at}
        if page.peer:
            warc_headers["WARC-IP-Address"] = page.peer
        if page.url != page.final_url:
            warc_headers[REQUESTED_URI] = redact_url(page.url)
        headers = [(k, v) for k, v in page.headers if k.lower() not in _DROPPED_HEADERS]
        response = writer.create_warc_record(
            final_url,
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
            _place_new_file(tmp, final)
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


def fetch_rejection(error: FetchError, pipeline_version: str) -> dict[str, Any]:
    """The rejection record at stage `fetch` of a URL given up on, validated against the schema.

    The URL and the detail are written through `redact_url`: no user:password.
    """
    extra: dict[str, Any] = {}
    if error.http_status is not None:
        extra["http_status"] = error.http_status
    uri = redact_url(error.url) or "(empty)"
    source = SourceInfo("url", uri, "0" * 64, error.fetched_at, extra)
    detail = redact_url(error.detail) or "(no detail)"
    record = rejection_record(source.as_dict(), Stage.FETCH, error.reason, detail, pipeline_version)
    Rejection.model_validate(record)
    return record


def write_rejections(
    out: Path, source: str, batch_id: str, errors: list[FetchError], pipeline_version: str
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
                handle.write(orjson.dumps(fetch_rejection(error, pipeline_version)) + b"\n")
            handle.flush()
            os.fsync(handle.fileno())
        _place_new_file(tmp, final)
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
    pipeline_version: str,
    robots: RobotsByOrigin | None = None,
    policy: SourcePolicy | None = None,
    stores: Stores | None = None,
) -> BatchResult:
    """Fetch one batch with one client, write its pages and rejections, remember them.

    Pages go to the WARC as they arrive, so memory holds the pages in flight,
    not the batch. If writing fails, the unfinished WARC is removed and the
    error reported: no page is recorded as landed that is not on disk (or,
    for a landing zone on object storage, not in the store).
    """
    started = time.monotonic()
    policy = policy or SourcePolicy()
    stores = stores or Stores()
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
                _outcome(fetcher, url, Validators(etag, modified) if etag or modified else None)
                for url, etag, modified in spec.urls
            ]
            for job in asyncio.as_completed(jobs):
                outcome: FetchOutcome = await job
                if isinstance(outcome, Fetched):
                    _land_page(warc, outcome, result, errors)
                elif isinstance(outcome, Unchanged):
                    unchanged.append((outcome.url, outcome.fetched_at))
                else:
                    errors.append(outcome)
        result.warc_files = warc.close()
        put_files(raw, stores.raw, result.warc_files)
    except OSError as exc:
        warc.abort()
        where = stores.raw or raw
        result.error = f"cannot write to the landing zone {where}: {exc.strerror or exc}"
        return result
    state = FetchState(raw)
    try:
        state.landed(warc.pages, spec.source)
        state.checked(unchanged)
    finally:
        state.close()
    result.rejection_files = write_rejections(
        out, spec.source, spec.batch_id, errors, pipeline_version
    )
    put_files(out, stores.out, result.rejection_files)
    result.fetched = len(warc.pages)
    result.unchanged = len(unchanged)
    result.rejected = len(errors)
    result.reasons = Counter(str(e.reason) for e in errors)
    result.seconds = round(time.monotonic() - started, 3)
    return result


def _unexpected(url: str, exc: Exception, what: str) -> FetchError:
    return FetchError(
        url, Reason.FETCH_FAILED, f"{what}: {type(exc).__name__}: {str(exc)[:200]}.", utc_now()
    )


async def _outcome(fetcher: Fetcher, url: str, validators: Validators | None) -> FetchOutcome:
    """One URL's outcome; whatever goes wrong with one URL stays with that URL."""
    try:
        return await fetcher.fetch(url, validators)
    except Exception as exc:
        return _unexpected(url, exc, "The fetch failed unexpectedly")


def _land_page(
    warc: WarcBatch, page: Fetched, result: BatchResult, errors: list[FetchError]
) -> None:
    """Archive one page; a page the WARC writer cannot take is rejected, not the batch.

    An OSError is the landing zone's, not the page's, and ends the batch.
    """
    try:
        warc.add(page)
    except OSError:
        raise
    except Exception as exc:
        errors.append(_unexpected(page.url, exc, "The page could not be archived"))
        return
    result.bytes_received += len(page.body)


def split_unparseable(urls: Iterable[str]) -> tuple[list[str], list[FetchError]]:
    """The URLs that can be parsed, and a `fetch_failed` rejection for each that cannot.

    Done before a run's URLs meet the fetch state, robots.txt and batching,
    which handle URLs by the hundred: a malformed one is rejected on its own.
    """
    good: list[str] = []
    bad: list[FetchError] = []
    now = utc_now()
    for url in urls:
        problem = url_problem(url)
        if problem is None:
            good.append(url)
        else:
            bad.append(FetchError(url, Reason.FETCH_FAILED, problem, now))
    return good, bad


def reject_batch(
    errors: list[FetchError],
    out: Path,
    source: str,
    pipeline_version: str,
    stores: Stores | None = None,
) -> BatchResult:
    """Rejections written as a batch of their own, counted like a fetched batch's."""
    result = BatchResult(new_batch_id(), asked=len(errors), rejected=len(errors))
    result.reasons = Counter(str(e.reason) for e in errors)
    result.rejection_files = write_rejections(
        out, source, result.batch_id, errors, pipeline_version
    )
    put_files(out, (stores or Stores()).out, result.rejection_files)
    return result


async def fetch_robots(
    urls: Iterable[str], settings: FetchSettings, policy: SourcePolicy | None = None
) -> RobotsByOrigin:
    """robots.txt of every origin among `urls`, each read once, for all batches of a run."""
    if not settings.respect_robots:
        return {}
    policy = policy or SourcePolicy()
    origins = sorted(
        {origin_of(u) for u in urls if url_problem(u) is None and _is_web(urlsplit(u).scheme)}
    )
    async with Fetcher(
        settings,
        user_agent=policy.user_agent,
        per_host_concurrency=policy.per_host_concurrency,
        requests_per_second=policy.requests_per_second,
    ) as fetcher:
        await asyncio.gather(*(fetcher.robots_for(o + "/") for o in origins))
        return dict(fetcher.robots)


def _is_web(scheme: str) -> bool:
    return scheme.lower() in ("http", "https")


@dataclass(slots=True)
class Discovered:
    """The page URLs discovery found, in order, and what each document gave."""

    urls: list[str] = field(default_factory=list)
    documents: list[dict[str, object]] = field(default_factory=list)
    robots: RobotsByOrigin = field(default_factory=dict)


def _note(record: dict[str, object], text: str) -> None:
    """Add a sentence to a document's record: what of it was left out, and why."""
    record["error"] = f"{record['error']}; {text}" if record.get("error") else text


class _Crawl:
    """Discovery's books: URLs taken, documents read and queued, what the bounds left out."""

    def __init__(self, settings: FetchSettings) -> None:
        self.settings = settings
        self.found = Discovered()
        self.seen_urls: set[str] = set()
        self.seen_docs: set[str] = set()
        self.queue: deque[tuple[str, int, int | None]] = deque()  # url, depth, parent record

    def take(self, record: dict[str, object], pages: list[str]) -> None:
        """The new page URLs of one document, up to the run's `max_discovered_urls`."""
        cap, left_out = self.settings.max_discovered_urls, 0
        for page in pages:
            key = normalize_url(page)
            if key in self.seen_urls:
                continue
            if len(self.found.urls) >= cap:
                left_out += 1
                continue
            self.seen_urls.add(key)
            self.found.urls.append(key)
        if left_out:
            _note(
                record,
                f"{left_out:,} of its links were left out: the run took its "
                f"fetch.max_discovered_urls ({cap:,})",
            )

    def follow(self, record: dict[str, object], children: list[str], depth: int) -> None:
        """Queue a sitemap index's children, unless they are nested too deep."""
        if not children:
            return
        if depth < self.settings.max_discovery_depth:
            index = len(self.found.documents) - 1
            self.queue.extend((normalize_url(c), depth + 1, index) for c in children)
        else:
            _note(
                record,
                f"its {len(children):,} sitemaps were not read: they are nested deeper than "
                f"fetch.max_discovery_depth ({self.settings.max_discovery_depth})",
            )

    def unread(self) -> None:
        """What was still queued when `max_discovery_documents` was reached, said per parent."""
        limit = self.settings.max_discovery_documents
        per_parent: Counter[int] = Counter()
        for url, _depth, parent in self.queue:
            if url in self.seen_docs:
                continue
            self.seen_docs.add(url)
            if parent is None:
                error = f"not read: the run read fetch.max_discovery_documents ({limit})"
                self.found.documents.append(
                    {"url": redact_url(url), "kind": "unknown", "links": 0, "error": error}
                )
            else:
                per_parent[parent] += 1
        for parent, count in per_parent.items():
            _note(
                self.found.documents[parent],
                f"{count:,} of its sitemaps were not read: the run read "
                f"fetch.max_discovery_documents ({limit})",
            )


async def discover_urls(
    feeds: list[str],
    sitemaps: list[str],
    settings: FetchSettings,
    *,
    robots: RobotsByOrigin | None = None,
    policy: SourcePolicy | None = None,
) -> Discovered:
    """Page URLs from feeds and sitemaps, following sitemap indexes breadth first.

    Bounded three ways: index nesting (`max_discovery_depth`), documents
    read (`max_discovery_documents`) and URLs taken (`max_discovered_urls`),
    so a sitemap index that points at itself or at a million children ends.
    What a bound left out is said in the record of the document it came from.
    """
    policy = policy or SourcePolicy()
    crawl = _Crawl(settings)
    crawl.queue.extend((normalize_url(u), 0, None) for u in [*feeds, *sitemaps])
    async with Fetcher(
        settings,
        user_agent=policy.user_agent,
        per_host_concurrency=policy.per_host_concurrency,
        requests_per_second=policy.requests_per_second,
        robots=robots,
    ) as fetcher:
        while crawl.queue and len(crawl.seen_docs) < settings.max_discovery_documents:
            url, depth, _parent = crawl.queue.popleft()
            if url in crawl.seen_docs:
                continue
            crawl.seen_docs.add(url)
            record, pages, children = await _read_document(fetcher, url, settings)
            crawl.found.documents.append(record)
            crawl.follow(record, children, depth)
            crawl.take(record, pages)
        crawl.unread()
        crawl.found.robots = dict(fetcher.robots)
    return crawl.found


async def _read_document(
    fetcher: Fetcher, url: str, settings: FetchSettings
) -> tuple[dict[str, object], list[str], list[str]]:
    """One feed or sitemap: (its summary record, page URLs, child sitemap URLs).

    The body is inflated and parsed a chunk at a time, never held inflated
    whole. Whatever goes wrong with one document stays in its record.
    """
    record: dict[str, object] = {"url": redact_url(url), "kind": "unknown", "links": 0}
    try:
        outcome = await fetcher.fetch(url, mode="document")
    except Exception as exc:
        outcome = _unexpected(url, exc, "The fetch failed unexpectedly")
    if isinstance(outcome, FetchError):
        return {**record, "error": redact_url(f"{outcome.reason}: {outcome.detail}")}, [], []
    if not isinstance(outcome, Fetched):
        return {**record, "error": "unchanged"}, [], []
    body = iter_decoded(outcome, settings.max_decoded_bytes)
    parsed = parse_discovery(body, outcome.final_url)
    links = parsed.sitemaps if parsed.kind == "sitemap_index" else parsed.pages
    problem = parsed.error or parsed.note
    record.update(kind=parsed.kind, links=len(links), error=problem and redact_url(problem))
    return record, [x.url for x in parsed.pages], [x.url for x in parsed.sitemaps]
