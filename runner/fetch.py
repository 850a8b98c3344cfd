"""A fetch run without Prefect: URLs, feeds and sitemaps into the landing zone, then `--clean`.

The driver resolves the URLs (the command line's plus the configured
source's), discovers pages in feeds and sitemaps, reads robots.txt once per
host, lands the pages batch by batch, writes the run's summary and, when
asked, cleans what it landed. How each step runs is `FetchSteps`: directly
here (a thread pool for the batches), as Prefect task runs in
`presswash.flows.fetch`, so the logic of a fetch run exists once.

Batches of one host run one after another, so the per-host concurrency and
rate limits hold for the whole run, while different hosts are fetched side
by side. A fetch that cleans what it lands holds the landing zone's claim
(`landing_claim`) until its clean is committed, so the scheduled clean does
not clean the same pages again.

A landing zone on object storage is written in its local mirror folder and
put in the store batch by batch, under its lock and with its fetch state
brought down and up (`presswash.fetching.remote_landing`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from presswash.fetching.http import (
    RobotsByOrigin,
    Validators,
    normalize_url,
    origin_of,
    redact_url,
)
from presswash.fetching.landing import (
    BatchResult,
    BatchSpec,
    Discovered,
    FetchState,
    SourcePolicy,
    Stores,
    discover_urls,
    fetch_robots,
    land_batch,
    landing_claim,
    make_batches,
    put_files,
    reject_batch,
    split_unparseable,
)
from presswash.fetching.remote_landing import RemoteLanding, landing_of
from presswash.output.remote import RemoteBusy
from presswash.output.runs import new_run_id
from presswash.output.writable import unwritable
from presswash.schemas.fetch import DiscoveredDoc, FetchSummary
from presswash.schemas.records import utc_now
from presswash.schemas.settings import FetchSettings, Settings

log = logging.getLogger("presswash.fetch")

# Batches fetched at once (different hosts; one host's batches wait for each other).
BATCH_THREADS = 4


class FetchFailed(Exception):
    """The run cannot go on (landing zone or output not writable); not a URL's fault."""


@dataclass(frozen=True, slots=True)
class FetchRequest:
    """What a fetch run was asked for: pages, feeds and sitemaps, and where they land."""

    urls: list[str] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    source: str = "adhoc"
    raw: str | None = None  # a folder or an object-storage URL; None: the config's
    refetch: bool = False
    clean: bool = False
    # a scheduled run that finds nothing new writes no summary (CONTRACT.md)
    scheduled: bool = False


@dataclass(frozen=True, slots=True)
class FetchJob:
    """What every step of one fetch run needs to know."""

    source: str
    raw: Path
    out: Path
    pipeline_version: str
    fs: FetchSettings
    policy: SourcePolicy
    refetch: bool
    stores: Stores = field(default_factory=Stores)


def batch_or_error(spec: BatchSpec, job: FetchJob, rules: RobotsByOrigin) -> BatchResult:
    """One batch; a bug or a full disk ends as the batch's error (the run's one line)."""
    try:
        landing = land_batch(
            spec,
            job.fs,
            raw=job.raw,
            out=job.out,
            pipeline_version=job.pipeline_version,
            robots=rules,
            policy=job.policy,
            stores=job.stores,
        )
        return asyncio.run(landing)
    except Exception as exc:
        return BatchResult(
            spec.batch_id, asked=len(spec.urls), error=redact_url(f"batch failed: {exc!r}")
        )


class FetchSteps:
    """How the steps of a fetch run are run: here directly; Prefect's adapter makes them tasks."""

    def discover(
        self, feeds: list[str], sitemaps: list[str], fs: FetchSettings, policy: SourcePolicy
    ) -> Discovered:
        """Read the feeds and sitemaps (indexes followed) into a list of page URLs."""
        return asyncio.run(discover_urls(feeds, sitemaps, fs, policy=policy))

    def robots(
        self, urls: list[str], fs: FetchSettings, policy: SourcePolicy, known: RobotsByOrigin
    ) -> RobotsByOrigin:
        """robots.txt of every host once per run; batches get the rules, not the job."""
        return read_robots(urls, fs, policy, known, log.warning)

    def batches(
        self, specs: list[BatchSpec], job: FetchJob, rules: RobotsByOrigin
    ) -> list[BatchResult]:
        """The batches on a thread pool: one host's in order, hosts side by side."""
        by_host: dict[str, list[int]] = {}
        for n, spec in enumerate(specs):
            by_host.setdefault(origin_of(spec.urls[0][0]), []).append(n)
        results: list[BatchResult | None] = [None] * len(specs)

        def host(numbers: list[int]) -> None:
            for n in numbers:
                results[n] = batch_or_error(specs[n], job, rules)
                log_batch(log.info, results[n])

        with ThreadPoolExecutor(BATCH_THREADS, thread_name_prefix="fetch") as pool:
            for future in [pool.submit(host, numbers) for numbers in by_host.values()]:
                future.result()
        return [r for r in results if r is not None]

    def clean(
        self, files: list[str], root: str, settings: Settings
    ) -> tuple[str | None, str | None]:
        """Clean the files this run landed (below the input root `root`): (run id, error)."""
        from presswash.runner.engine import run_clean

        try:
            summary = run_clean(files, settings, root=root)
        except Exception as exc:  # the fetch is done and landed; say why cleaning did not follow
            return None, f"the clean run failed: {exc!r}"[:500]
        return summary.run_id, summary.error


def read_robots(
    urls: list[str],
    fs: FetchSettings,
    policy: SourcePolicy,
    known: RobotsByOrigin,
    warn: Callable[..., None],
) -> RobotsByOrigin:
    """The rules of every host not known yet; if they cannot be read, each batch reads its own."""
    wanted = [u for u in urls if origin_of(u) not in known]
    try:
        fetched = asyncio.run(fetch_robots(wanted, fs, policy)) if wanted else {}
    except Exception as exc:
        warn("robots.txt could not be read up front: %s", redact_url(repr(exc)))
        fetched = {}
    return {**known, **fetched}


def log_batch(say: Callable[..., None], result: BatchResult | None) -> None:
    """One line per batch, never one per page."""
    if result is None or result.error:
        return
    say(
        "batch %s: %d asked, %d fetched, %d unchanged, %d rejected in %.1f s",
        result.batch_id,
        result.asked,
        result.fetched,
        result.unchanged,
        result.rejected,
        result.seconds,
    )


def landing_zone(settings: Settings) -> str:
    """The configured landing zone (`raw`, default `raw/`): a folder or a URL."""
    return settings.landing


def resolve(
    settings: Settings, request: FetchRequest
) -> tuple[list[str], list[str], list[str], SourcePolicy, int | None]:
    """The request's URLs plus those of the configured source of that name."""
    urls, feeds, sitemaps = list(request.urls), list(request.feeds), list(request.sitemaps)
    configured = settings.sources.get(request.source)
    if configured is None:
        return urls, feeds, sitemaps, SourcePolicy(), None
    policy = SourcePolicy(
        configured.user_agent, configured.per_host_concurrency, configured.requests_per_second
    )
    return (
        [*urls, *configured.urls],
        [*feeds, *configured.feeds],
        [*sitemaps, *configured.sitemaps],
        policy,
        configured.max_pages,
    )


def _dedupe(urls: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for url in urls:
        if url.strip():
            seen.setdefault(normalize_url(url), None)
    return list(seen)


def _check_writable(folder: Path, what: str) -> None:
    problem = unwritable(folder, what)
    if problem:
        raise FetchFailed(problem)


def write_fetch_summary(out: Path, summary: FetchSummary, remote_out: str | None = None) -> Path:
    """`<out>/runs/fetch-<run-id>.json`, written beside its place and renamed in.

    With `remote_out`, `out` is the output's local mirror and the file is put
    in the store too.
    """
    folder = out / "runs"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"fetch-{summary.run_id}.json"
    tmp = folder / f".{path.name}.tmp"
    tmp.write_text(summary.model_dump_json(indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    put_files(out, remote_out, [f"runs/{path.name}"], keep=True)
    return path


def new_summary(
    run_id: str, pipeline_version: str, source: str, raw: str, settings: Settings
) -> FetchSummary:
    """A fetch summary with nothing counted yet."""
    started_at = utc_now()
    return FetchSummary(
        run_id=run_id,
        status="finished",
        started_at=started_at,
        finished_at=started_at,
        duration_seconds=0.0,
        pipeline_version=pipeline_version,
        source=source,
        raw=raw,
        out=settings.remote_out or str(settings.out),
        asked=0,
        fetched=0,
        unchanged=0,
        rejected=0,
        skipped=0,
    )


def _plan(
    wanted: list[str], job: FetchJob, summary: FetchSummary
) -> list[tuple[str, Validators | None]]:
    """The URLs to ask for: those not landed yet, or all of them, conditionally, to refetch."""
    state = FetchState(job.raw)
    try:
        known = state.known(wanted)
    finally:
        state.close()
    plan: list[tuple[str, Validators | None]] = []
    for url in wanted:
        if url in known and not job.refetch:
            summary.skipped += 1
        else:
            plan.append((url, known.get(url) if job.refetch else None))
    return plan


def fetch_pages(
    summary: FetchSummary,
    job: FetchJob,
    given: tuple[list[str], list[str], list[str]],
    max_pages: int | None,
    steps: FetchSteps,
) -> None:
    """Discovery, robots.txt and the batches, adding up into `summary`.

    A URL that cannot be parsed, given as a page, feed or sitemap, is
    rejected here on its own, so it never meets the steps that handle URLs
    by the hundred (fetch state, robots.txt, batching).
    """
    urls, feeds, sitemaps = given
    feeds, bad_feeds = split_unparseable(_dedupe(feeds))
    sitemaps, bad_sitemaps = split_unparseable(_dedupe(sitemaps))
    found = Discovered()
    if feeds or sitemaps:
        found = steps.discover(feeds, sitemaps, job.fs, job.policy)
        summary.discovered = [DiscoveredDoc.model_validate(d) for d in found.documents]
    wanted = _dedupe([*urls, *found.urls])
    if max_pages is not None and len(wanted) > max_pages:
        summary.over_max_pages = len(wanted) - max_pages
        wanted = wanted[:max_pages]
    wanted, bad_pages = split_unparseable(wanted)
    bad = [*bad_feeds, *bad_sitemaps, *bad_pages]
    results = (
        [reject_batch(bad, job.out, job.source, job.pipeline_version, job.stores)] if bad else []
    )
    summary.asked = len(wanted) + len(bad)
    plan = _plan(wanted, job, summary)
    rules = steps.robots([u for u, _ in plan], job.fs, job.policy, found.robots) if plan else {}
    specs = list(make_batches(plan, job.source, job.fs.batch_size))
    results += steps.batches(specs, job, rules) if specs else []
    add_results(summary, results)


def add_results(summary: FetchSummary, results: list[BatchResult]) -> None:
    """Sum the batches into the summary; a batch's error is the run's."""
    reasons: Counter[str] = Counter()
    errors = []
    for result in results:
        summary.fetched += result.fetched
        summary.unchanged += result.unchanged
        summary.rejected += result.rejected
        summary.bytes_received += result.bytes_received
        summary.warc_files += result.warc_files
        summary.rejection_files += result.rejection_files
        reasons.update(result.reasons)
        if result.error:
            errors.append(result.error)
    summary.batches = len(results)
    summary.rejected_by_reason = dict(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])))
    summary.warc_files.sort()
    summary.partitions = sorted({str(Path(p).parent.as_posix()) for p in summary.warc_files})
    if errors:
        raise FetchFailed(errors[0])


def fetch_into(
    summary: FetchSummary,
    job: FetchJob,
    given: tuple[list[str], list[str], list[str]],
    max_pages: int | None,
    steps: FetchSteps,
) -> None:
    """`fetch_pages`; into a remote landing zone, under its lock and with its fetch state.

    The state goes up and the lock is released once the pages are in, before
    any clean of them: the clean does not write the landing zone.
    """
    if job.stores.raw is None:
        fetch_pages(summary, job, given, max_pages, steps)
        return
    landing = RemoteLanding(job.stores.raw, job.raw, summary.run_id)
    landing.prepare()
    try:
        fetch_pages(summary, job, given, max_pages, steps)
    finally:
        problem = landing.finish()
    if problem:
        raise FetchFailed(problem)


def run_fetch(
    request: FetchRequest,
    settings: Settings,
    steps: FetchSteps | None = None,
    flow_run_id: str | None = None,
) -> FetchSummary:
    """A whole fetch run: fetch, count, clean what landed when asked, write the summary.

    Never raises for a URL's trouble (that is the URL's rejection) nor for a
    run that cannot go on: the summary says so in `status` and `error`.
    """
    steps = steps or FetchSteps()
    landing = landing_of(request.raw or landing_zone(settings), settings)
    t0 = time.perf_counter()
    from presswash.runner.run import pipeline_version_of

    pipeline_version = pipeline_version_of(settings)
    urls, feeds, sitemaps, policy, max_pages = resolve(settings, request)
    summary = new_summary(new_run_id(), pipeline_version, request.source, landing.where, settings)
    summary.prefect_flow_run_id = flow_run_id
    stores = Stores(landing.url, settings.remote_out)
    job = FetchJob(
        request.source,
        landing.folder,
        settings.out,
        pipeline_version,
        settings.fetch,
        policy,
        request.refetch,
        stores,
    )
    with contextlib.ExitStack() as claim:
        try:
            _check_writable(landing.folder, "landing zone")
            _check_writable(settings.out, "output folder")
            if request.clean:  # the scheduled clean waits for this run's own clean
                claim.enter_context(landing_claim(landing.folder, exclusive=False))
            fetch_into(summary, job, (urls, feeds, sitemaps), max_pages, steps)
        except (FetchFailed, OSError, RemoteBusy) as exc:
            summary.status, summary.error = "failed", str(exc)
        except Exception as exc:  # a bug: the run ends with its summary and one line, not a trace
            summary.status = "failed"
            summary.error = f"internal error: {type(exc).__name__}: {exc} (please report it)"
        _finish_counts(summary, time.perf_counter() - t0)
        if request.clean and summary.error is None and summary.warc_files:
            landed = landing.files(summary.warc_files)
            summary.clean_run_id, summary.clean_error = steps.clean(landed, landing.root, settings)
    summary.error = summary.error and redact_url(summary.error)
    summary.clean_error = summary.clean_error and redact_url(summary.clean_error)
    if not (request.scheduled and nothing_new(summary)):
        with contextlib.suppress(OSError):
            write_fetch_summary(settings.out, summary, settings.remote_out)
    return summary


def nothing_new(summary: FetchSummary) -> bool:
    """Nothing landed, refused, answered 304 or went wrong: every URL was already landed."""
    problems = summary.error or any(d.error for d in summary.discovered)
    return not (problems or summary.fetched or summary.rejected or summary.unchanged)


def _finish_counts(summary: FetchSummary, seconds: float) -> None:
    """Duration, rate and the books' balance, once the pages are in."""
    summary.duration_seconds = round(seconds, 3)
    summary.pages_per_second = (
        round(summary.fetched / summary.duration_seconds, 2) if summary.duration_seconds else 0.0
    )
    summary.finished_at = utc_now()
    if summary.error is None and not summary.balanced():
        summary.status = "failed"
        summary.error = "internal error: the fetch counts do not balance (please report it)"
