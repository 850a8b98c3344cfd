"""The fetch flow: the fetch driver as a Prefect flow run, its steps as task runs.

A thin adapter. `presswash.runner.fetch` resolves the URLs, discovers,
reads robots.txt, lands the batches, cleans what landed and writes the
summary, exactly as in a direct run; here discovery, robots.txt and each
batch of URLs become task runs (each batch with its own event loop and
HTTP client; a host's batches wait for each other), `--clean` becomes a
clean subflow, and the summary is published as an artifact. The `presswash
fetch` command is in `fetch_cli`, which imports no Prefect until a flow runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from prefect import Flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture
from prefect.states import Completed, Failed, State
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from presswash.fetching.http import RobotsByOrigin, origin_of, redact_url
from presswash.fetching.landing import BatchResult, BatchSpec, Discovered, SourcePolicy
from presswash.flows import artifacts
from presswash.runner.fetch import (
    FetchFailed,
    FetchJob,
    FetchRequest,
    FetchSteps,
    batch_or_error,
    landing_zone,
    log_batch,
    nothing_new,
    read_robots,
    run_fetch,
    write_fetch_summary,
)
from presswash.schemas.fetch import DEFAULT_SOURCE, FetchSummary
from presswash.schemas.settings import FetchSettings, Settings

P = ParamSpec("P")
R = TypeVar("R")


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
    lines = artifacts.table(rows)
    lines += artifacts.section(("rejection reason", "count"), summary.rejected_by_reason.items())
    lines += artifacts.section(
        ("feed / sitemap", "kind", "links", "problem"),
        ((d.url, d.kind, d.links, d.error or "") for d in summary.discovered),
    )
    lines += artifacts.failure(summary.error)
    return "\n".join(lines)


@task(name="fetch-discover", cache_policy=NO_CACHE)
def discover(
    feeds: list[str], sitemaps: list[str], settings: FetchSettings, policy: SourcePolicy
) -> Discovered:
    """Read the feeds and sitemaps (indexes followed) into a list of page URLs."""
    return FetchSteps().discover(feeds, sitemaps, settings, policy)


@task(name="fetch-robots", cache_policy=NO_CACHE)
def robots(
    urls: list[str], settings: FetchSettings, policy: SourcePolicy, known: RobotsByOrigin
) -> RobotsByOrigin:
    """robots.txt of every host once per run; batches get the rules, not the job."""
    return read_robots(urls, settings, policy, known, get_run_logger().warning)


@task(name="fetch-batch", cache_policy=NO_CACHE)
def fetch_batch(spec: BatchSpec, job: FetchJob, rules: RobotsByOrigin) -> BatchResult:
    """One batch: one event loop, one HTTP client, one WARC file per fetch date."""
    result = batch_or_error(spec, job, rules)
    log_batch(get_run_logger().info, result)
    return result


class TaskSteps(FetchSteps):
    """The fetch driver's steps as task runs of the flow, and its clean as a subflow."""

    def discover(
        self, feeds: list[str], sitemaps: list[str], fs: FetchSettings, policy: SourcePolicy
    ) -> Discovered:
        return discover(feeds, sitemaps, fs, policy)

    def robots(
        self, urls: list[str], fs: FetchSettings, policy: SourcePolicy, known: RobotsByOrigin
    ) -> RobotsByOrigin:
        return robots(quote(urls), fs, policy, known)

    def batches(
        self, specs: list[BatchSpec], job: FetchJob, rules: RobotsByOrigin
    ) -> list[BatchResult]:
        """One task per batch; a host's batches wait for each other, hosts run side by side."""
        last_of_host: dict[str, PrefectFuture[BatchResult]] = {}
        futures: list[PrefectFuture[BatchResult]] = []
        for spec in specs:
            host = origin_of(spec.urls[0][0])
            before = [last_of_host[host]] if host in last_of_host else []
            future = fetch_batch.submit(quote(spec), job, quote(rules), wait_for=before)
            last_of_host[host] = future
            futures.append(future)
        return [f.result() for f in futures]

    def clean(
        self, files: list[str], root: str, settings: Settings
    ) -> tuple[str | None, str | None]:
        """Clean the files this run landed (below the input root `root`), as a subflow."""
        from presswash.flows.clean import clean_flow

        try:
            state = clean_flow(files, settings, root=root, return_state=True)
            result = state.result(raise_on_failure=False)
        except Exception as exc:  # the fetch is done and landed; say why cleaning did not follow
            return None, f"the clean run failed: {exc!r}"[:500]
        run_id = getattr(result, "run_id", None)
        if run_id is None:
            return None, f"the clean run failed: {state.message or result!r}"[:500]
        return run_id, getattr(result, "error", None)


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


@_redacting_flow(
    name="presswash-fetch", log_prints=False, task_runner=ThreadPoolTaskRunner(max_workers=4)
)
def fetch_flow(
    urls: list[str] | None = None,
    feeds: list[str] | None = None,
    sitemaps: list[str] | None = None,
    source: str = DEFAULT_SOURCE,
    raw: str | None = None,
    settings: Settings | None = None,
    refetch: bool = False,
    clean: bool = False,
    scheduled: bool = False,
) -> FetchSummary | State:
    """Fetch pages into `<raw>/<source>/<date>/` and, with `clean`, clean what landed.

    `raw` is a folder or an object-storage URL (the config's `raw` if None).

    Returns the `FetchSummary` (also in `<out>/runs/fetch-<run-id>.json`). A
    run that cannot write ends in a Failed state carrying the summary. One
    URL's trouble, whatever it is, ends as that URL's rejection, never the run's.
    A `scheduled` run that finds nothing new writes no summary and publishes
    no artifact; its state's message says so.
    """
    settings = settings or Settings()
    request = FetchRequest(
        list(urls or []),
        list(feeds or []),
        list(sitemaps or []),
        source,
        raw or landing_zone(settings),
        refetch,
        clean,
        scheduled,
    )
    return fetch_in_flow(request, settings)


def fetch_in_flow(request: FetchRequest, settings: Settings) -> FetchSummary | State:
    """The fetch driver inside the calling flow, its steps as task runs; the flow's end state."""
    summary = run_fetch(request, settings, TaskSteps(), flow_run_id=artifacts.flow_run_id())
    if request.scheduled and nothing_new(summary):
        message = (
            f"nothing new: all {summary.skipped} URLs found are already landed; no summary written"
        )
        get_run_logger().info(message)
        return Completed(message=message, data=summary)
    return _end_state(summary)


def _end_state(summary: FetchSummary) -> FetchSummary | State:
    """The flow's end state, after the summary's artifact and log line."""
    artifacts.publish(
        summary_markdown(summary),
        "presswash-fetch-summary",
        f"presswash fetch run {summary.run_id}",
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
    polled every half hour costs one request per new article; the pages it
    lands are cleaned by this run, and the scheduled clean finds them clean.
    """
    settings = settings or Settings()
    if source not in settings.sources:
        return Failed(message=f"source {source!r} is not in the config's sources table")
    request = FetchRequest(source=source, raw=landing_zone(settings), clean=True, scheduled=True)
    return fetch_in_flow(request, settings)


__all__ = [
    "FetchFailed",
    "fetch_flow",
    "landing_zone",
    "redact_url",
    "scheduled_fetch_flow",
    "summary_markdown",
    "write_fetch_summary",
]
