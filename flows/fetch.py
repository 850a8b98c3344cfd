"""The fetch flow: URLs, feeds and sitemaps into the landing zone `<raw>/<source>/<date>/`.

Orchestration only. Discovery, robots.txt, the batches and the landing zone
are functions of `presswash.store` that run without Prefect (the benchmark
calls them directly); here they become tasks: one discovery task, one
robots task, then one task per batch of URLs, each with its own event loop
and HTTP client. Batches of one host run one after another, so the per-host
concurrency and rate limits hold for the whole run, while different hosts
are fetched in parallel. The `presswash fetch` command is in `fetch_cli`,
which imports no Prefect until a run starts.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from prefect import Flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture
from prefect.states import Failed, State
from prefect.task_runners import ThreadPoolTaskRunner

from presswash.schemas.fetch import DEFAULT_SOURCE, DiscoveredDoc, FetchSummary
from presswash.schemas.settings import FetchSettings, Settings
from presswash.store.http import (
    RobotsRules,
    Validators,
    normalize_url,
    origin_of,
    redact_url,
    utc_iso,
)
from presswash.store.landing import (
    BatchResult,
    BatchSpec,
    Discovered,
    FetchState,
    SourcePolicy,
    discover_urls,
    fetch_robots,
    make_batches,
    reject_batch,
    run_batch,
    split_unparseable,
)
from presswash.store.runs import new_run_id
from presswash.store.writable import unwritable

P = ParamSpec("P")
R = TypeVar("R")


class FetchFailed(Exception):
    """The run cannot go on (landing zone or output not writable); not a URL's fault."""


def _resolve(
    settings: Settings,
    source: str,
    urls: list[str],
    feeds: list[str],
    sitemaps: list[str],
) -> tuple[list[str], list[str], list[str], SourcePolicy, int | None]:
    """The command line's URLs plus those of the configured source of that name."""
    configured = settings.sources.get(source)
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


def summary_markdown(summary: FetchSummary) -> str:
    """The fetch summary as the markdown published as a Prefect artifact."""
    rows = [
        ("run", summary.run_id),
        ("status", summary.status),
        ("source", summary.source),
        ("asked", summary.asked),
        ("fetched", summary.fetched),
        ("unchanged (304)", summary.unchanged),
        ("rejected", summary.rejected),
        ("skipped (already landed)", summary.skipped),
        ("duration (s)", summary.duration_seconds),
        ("pages/s", summary.pages_per_second),
        ("landing zone", summary.raw),
        ("clean run", summary.clean_run_id or "-"),
    ]
    lines = ["| | |", "|---|---|", *(f"| {k} | {v} |" for k, v in rows)]
    if summary.rejected_by_reason:
        lines += ["", "| rejection reason | count |", "|---|---|"]
        lines += [f"| {k} | {v} |" for k, v in summary.rejected_by_reason.items()]
    if summary.discovered:
        lines += ["", "| feed / sitemap | kind | links | problem |", "|---|---|---|---|"]
        lines += [
            f"| {d.url} | {d.kind} | {d.links} | {d.error or ''} |" for d in summary.discovered
        ]
    if summary.error:
        lines += ["", f"**Failed:** {summary.error}"]
    return "\n".join(lines)


def write_fetch_summary(out: Path, summary: FetchSummary) -> Path:
    """`<out>/runs/fetch-<run-id>.json`, written beside its place and renamed in."""
    folder = out / "runs"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"fetch-{summary.run_id}.json"
    tmp = folder / f".{path.name}.tmp"
    tmp.write_text(summary.model_dump_json(indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path


def _flow_run_id() -> str | None:
    try:
        from prefect.context import get_run_context

        context: Any = get_run_context()
        return str(context.flow_run.id)
    except Exception:
        return None


@task(name="fetch-discover", cache_policy=NO_CACHE)
def discover(
    feeds: list[str], sitemaps: list[str], settings: FetchSettings, policy: SourcePolicy
) -> Discovered:
    """Read the feeds and sitemaps (indexes followed) into a list of page URLs."""
    return asyncio.run(discover_urls(feeds, sitemaps, settings, policy=policy))


@task(name="fetch-robots", cache_policy=NO_CACHE)
def robots(
    urls: list[str],
    settings: FetchSettings,
    policy: SourcePolicy,
    known: dict[str, RobotsRules],
) -> dict[str, RobotsRules]:
    """robots.txt of every host once per run; batches get the rules, not the job."""
    wanted = [u for u in urls if origin_of(u) not in known]
    try:
        fetched = asyncio.run(fetch_robots(wanted, settings, policy)) if wanted else {}
    except Exception as exc:  # each batch then reads robots.txt itself
        get_run_logger().warning("robots.txt could not be read up front: %s", redact_url(repr(exc)))
        fetched = {}
    return {**known, **fetched}


@task(name="fetch-batch", cache_policy=NO_CACHE)
def fetch_batch(
    spec: BatchSpec,
    settings: FetchSettings,
    raw: Path,
    out: Path,
    version: str,
    rules: dict[str, RobotsRules],
    policy: SourcePolicy,
) -> BatchResult:
    """One batch: one event loop, one HTTP client, one WARC file per fetch date."""
    try:
        result = run_batch(
            spec, settings, raw=raw, out=out, version=version, robots=rules, policy=policy
        )
    except Exception as exc:  # a bug or a full disk: the run fails with one line, not a trace
        error = redact_url(f"batch failed: {exc!r}")
        return BatchResult(spec.batch_id, asked=len(spec.urls), error=error)
    get_run_logger().info(
        "batch %s: %d asked, %d fetched, %d unchanged, %d rejected in %.1f s",
        spec.batch_id,
        result.asked,
        result.fetched,
        result.unchanged,
        result.rejected,
        result.seconds,
    )
    return result


class _RedactingFlow(Flow[P, R]):
    """A flow whose run parameters reach the Prefect API with no URL's user:password.

    The flow itself gets the URLs as given (a password is used to fetch);
    only the copy Prefect stores and shows in its UI is redacted.
    """

    def serialize_parameters(self, parameters: dict[str, Any]) -> dict[str, Any]:
        redacted: dict[str, Any] = _redacted(super().serialize_parameters(parameters))
        return redacted


def _redacted(value: Any) -> Any:
    if isinstance(value, str):
        return redact_url(value)
    if isinstance(value, list | tuple):
        return [_redacted(v) for v in value]
    if isinstance(value, dict):
        return {k: _redacted(v) for k, v in value.items()}
    return value


def _redacting_flow(**options: Any) -> Callable[[Callable[P, R]], Flow[P, R]]:
    """`@flow(...)`, with `_RedactingFlow`."""

    def wrap(fn: Callable[P, R]) -> Flow[P, R]:
        return _RedactingFlow(fn, **options)

    return wrap


def _new_summary(
    run_id: str, version: str, source: str, raw: Path, settings: Settings
) -> FetchSummary:
    started_at = utc_iso()
    return FetchSummary(
        run_id=run_id,
        status="finished",
        started_at=started_at,
        finished_at=started_at,
        duration_seconds=0.0,
        pipeline_version=version,
        source=source,
        raw=str(raw),
        out=str(settings.out),
        asked=0,
        fetched=0,
        unchanged=0,
        rejected=0,
        skipped=0,
    )


@dataclass(frozen=True, slots=True)
class _Run:
    """What every step of one fetch run needs to know."""

    source: str
    raw: Path
    out: Path
    version: str
    fs: FetchSettings
    policy: SourcePolicy
    refetch: bool


def _fetch(
    summary: FetchSummary,
    run: _Run,
    given: tuple[list[str], list[str], list[str]],
    max_pages: int | None,
) -> None:
    """Discovery, robots.txt and the batches, adding up into `summary`.

    A URL that cannot be parsed, given as a page, feed or sitemap, is
    rejected here on its own, so it never meets the steps that handle URLs
    by the hundred (fetch state, robots.txt, batching).
    """
    urls, feeds, sitemaps = given
    _check_writable(run.raw, "landing zone")
    _check_writable(run.out, "output folder")
    feeds, bad_feeds = split_unparseable(_dedupe(feeds))
    sitemaps, bad_sitemaps = split_unparseable(_dedupe(sitemaps))
    found = Discovered()
    if feeds or sitemaps:
        found = discover(feeds, sitemaps, run.fs, run.policy)
        summary.discovered = [DiscoveredDoc.model_validate(d) for d in found.documents]
    wanted = _dedupe([*urls, *found.urls])
    if max_pages is not None and len(wanted) > max_pages:
        summary.over_max_pages = len(wanted) - max_pages
        wanted = wanted[:max_pages]
    wanted, bad_pages = split_unparseable(wanted)
    bad = [*bad_feeds, *bad_sitemaps, *bad_pages]
    results = [reject_batch(bad, run.out, run.source, run.version)] if bad else []
    summary.asked = len(wanted) + len(bad)
    state = FetchState(run.raw)
    try:
        known = state.known(wanted)
    finally:
        state.close()
    plan: list[tuple[str, Validators | None]] = []
    for url in wanted:
        if url in known and not run.refetch:
            summary.skipped += 1
        else:
            plan.append((url, known.get(url) if run.refetch else None))
    rules = robots([u for u, _ in plan], run.fs, run.policy, found.robots) if plan else {}
    results += _run_batches(plan, rules, run)
    _add_results(summary, results)


@_redacting_flow(
    name="presswash-fetch", log_prints=False, task_runner=ThreadPoolTaskRunner(max_workers=4)
)
def fetch_flow(
    urls: list[str] | None = None,
    feeds: list[str] | None = None,
    sitemaps: list[str] | None = None,
    source: str = DEFAULT_SOURCE,
    raw: Path | None = None,
    settings: Settings | None = None,
    refetch: bool = False,
    clean: bool = False,
) -> FetchSummary | State:
    """Fetch pages into `<raw>/<source>/<date>/` and, with `clean`, clean what landed.

    Returns the `FetchSummary` (also in `<out>/runs/fetch-<run-id>.json`). A
    run that cannot write ends in a Failed state carrying the summary. One
    URL's trouble, whatever it is, ends as that URL's rejection, never the run's.
    """
    settings = settings or Settings()
    raw = raw or landing_zone(settings)
    t0 = time.perf_counter()
    from presswash.runner.run import pipeline_version

    version = pipeline_version(settings)
    urls, feeds, sitemaps, policy, max_pages = _resolve(
        settings, source, list(urls or []), list(feeds or []), list(sitemaps or [])
    )
    summary = _new_summary(new_run_id(), version, source, raw, settings)
    run = _Run(source, raw, settings.out, version, settings.fetch, policy, refetch)
    try:
        _fetch(summary, run, (urls, feeds, sitemaps), max_pages)
    except (FetchFailed, OSError) as exc:
        summary.status, summary.error = "failed", str(exc)
    except Exception as exc:  # a bug: the run ends with its summary and one line, not a trace
        summary.status = "failed"
        summary.error = f"internal error: {type(exc).__name__}: {exc} (please report it)"
    summary.duration_seconds = round(time.perf_counter() - t0, 3)
    summary.pages_per_second = (
        round(summary.fetched / summary.duration_seconds, 2) if summary.duration_seconds else 0.0
    )
    summary.finished_at = utc_iso()
    summary.prefect_flow_run_id = _flow_run_id()
    if summary.error is None and not summary.balanced():
        summary.status = "failed"
        summary.error = "internal error: the fetch counts do not balance (please report it)"
    if clean and summary.error is None and summary.partitions:
        summary.clean_run_id, summary.clean_error = _clean(raw, summary.partitions, settings)
    return _publish(summary, settings)


def _publish(summary: FetchSummary, settings: Settings) -> FetchSummary | State:
    """Write the summary, its artifact and log line; the flow's end state."""
    summary.error = summary.error and redact_url(summary.error)
    summary.clean_error = summary.clean_error and redact_url(summary.clean_error)
    with contextlib.suppress(OSError):
        write_fetch_summary(settings.out, summary)
    create_markdown_artifact(
        markdown=summary_markdown(summary),
        key="presswash-fetch-summary",
        description=f"presswash fetch run {summary.run_id}",
    )
    get_run_logger().info(
        "fetch run %s: %d asked, %d fetched, %d unchanged, %d rejected, %d skipped",
        summary.run_id,
        summary.asked,
        summary.fetched,
        summary.unchanged,
        summary.rejected,
        summary.skipped,
    )
    if summary.error:
        return Failed(message=summary.error, data=summary)
    return summary


@_redacting_flow(name="presswash-fetch-source", log_prints=False)
def scheduled_fetch_flow(source: str, settings: Settings | None = None) -> FetchSummary | State:
    """A configured source on a schedule: new pages of its feeds and sitemaps, then cleaned.

    URLs already landed are skipped rather than asked again, so a feed
    polled every half hour costs one request per new article.
    """
    settings = settings or Settings()
    if source not in settings.sources:
        return Failed(message=f"source {source!r} is not in the config's sources table")
    return fetch_flow(source=source, settings=settings, clean=True)


def landing_zone(settings: Settings) -> Path:
    """The configured landing zone (`raw`, default `raw/`)."""
    return Path(getattr(settings, "raw", None) or "raw")


def _run_batches(
    plan: list[tuple[str, Validators | None]], rules: dict[str, RobotsRules], run: _Run
) -> list[BatchResult]:
    """One task per batch; a host's batches wait for each other, hosts run side by side."""
    last_of_host: dict[str, PrefectFuture[BatchResult]] = {}
    futures: list[PrefectFuture[BatchResult]] = []
    for spec in make_batches(plan, run.source, run.fs.batch_size):
        host = origin_of(spec.urls[0][0])
        before = [last_of_host[host]] if host in last_of_host else []
        future = fetch_batch.submit(
            spec, run.fs, run.raw, run.out, run.version, rules, run.policy, wait_for=before
        )
        last_of_host[host] = future
        futures.append(future)
    return [f.result() for f in futures]


def _add_results(summary: FetchSummary, results: list[BatchResult]) -> None:
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


def _clean(raw: Path, partitions: list[str], settings: Settings) -> tuple[str | None, str | None]:
    """Clean the landing-zone partitions this run wrote to, as a subflow: (run id, error)."""
    from presswash.flows.clean import clean_flow

    try:
        folders = [str(raw / p) for p in partitions if p]
        state = clean_flow(folders, settings, root=str(raw.resolve()), return_state=True)
        result = state.result(raise_on_failure=False)
    except Exception as exc:  # the fetch is done and landed; say why cleaning did not follow
        return None, f"the clean run failed: {exc!r}"[:500]
    run_id = getattr(result, "run_id", None)
    if run_id is None:
        return None, f"the clean run failed: {state.message or result!r}"[:500]
    return run_id, getattr(result, "error", None)


# -- the command ---------------------------------------------------------------


__all__ = [
    "FetchFailed",
    "fetch_flow",
    "landing_zone",
    "scheduled_fetch_flow",
    "summary_markdown",
]
