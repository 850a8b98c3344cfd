"""`presswash serve`: the scheduled deployments, served by Prefect's own `serve`.

Two kinds of deployment come from the config file: one fetch per configured
source (every `serve.fetch_every_minutes`) and one clean of recent
landing-zone partitions (every `serve.clean_every_minutes`). The clean is a
backfill over the last `serve.lookback_days` days: partitions already clean
are skipped, so an hourly run cleans exactly what arrived, and runs missed
while the service was down are caught up by the next one instead of piling
up. Each deployment allows one run at a time, and commits to an output
folder hold a lock, so two runs never write the same partition at once.

Prefect cannot schedule on its temporary server: with no `PREFECT_API_URL`
this module starts `prefect server start` itself, waits until it is
healthy, serves against it, and stops it on exit.

Stopping (SIGTERM or Ctrl-C) stops Prefect's runner from its own event
loop, cancels the flow runs it had started (their files are cleaned again
by the next run), and pauses the served deployments, which makes the
server delete their queued runs: nothing piles up while `serve` is down.
The next `serve` resumes them, and first deletes the runs that were due
more than a minute before it started (left by a `serve` that was killed
rather than stopped): the scheduled clean and fetch work out for
themselves what is missing, so a skipped run loses nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from presswash.schemas.settings import Settings

CLEAN_DEPLOYMENT = "clean-recent"
# Runs due longer ago than this when `serve` starts are late: deleted, not run one after another.
LATE_AFTER = timedelta(minutes=1)


def clean_parameters(settings: Settings) -> dict[str, Any]:
    """Parameters of the scheduled clean; dates are worked out when the run starts."""
    return {
        "raw": settings.landing,
        "lookback_days": settings.serve.lookback_days,
        "settings": settings.model_dump(mode="json"),
    }


def build_deployments(settings: Settings) -> list[Any]:
    """The RunnerDeployments that `serve` runs: one fetch per source, one recent clean."""
    from prefect.client.schemas.objects import ConcurrencyLimitConfig

    from presswash.flows.backfill import recent_flow

    one_at_a_time = ConcurrencyLimitConfig(limit=1, collision_strategy="ENQUEUE")
    deployments = [
        recent_flow.to_deployment(
            name=CLEAN_DEPLOYMENT,
            interval=timedelta(minutes=settings.serve.clean_every_minutes),
            parameters=clean_parameters(settings),
            concurrency_limit=one_at_a_time,
            paused=False,  # a `serve` that stopped paused it; this one resumes it
            tags=["presswash", "clean"],
            description="Clean the new or changed files of the landing zone's recent partitions.",
        )
    ]
    deployments += fetch_deployments(settings, one_at_a_time)
    return deployments


def fetch_deployments(settings: Settings, limit: Any) -> list[Any]:
    """One scheduled fetch per configured source, cleaning what arrived."""
    if not settings.sources:
        return []
    from presswash.flows.fetch import scheduled_fetch_flow

    return [
        scheduled_fetch_flow.to_deployment(
            name=f"fetch-{name}",
            interval=timedelta(minutes=settings.serve.fetch_every_minutes),
            parameters={"source": name, "settings": settings.model_dump(mode="json")},
            concurrency_limit=limit,
            paused=False,
            tags=["presswash", "fetch", f"source:{name}"],
            description=f"Fetch source '{name}' into the landing zone and clean what arrived.",
        )
        for name in sorted(settings.sources)
    ]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_healthy(api_url: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    """Block until the server answers /health, or raise RuntimeError naming what went wrong."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the Prefect server exited with code {process.returncode}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{api_url}/health", timeout=2).status_code == 200:
                return
        time.sleep(0.5)
    raise RuntimeError(f"the Prefect server did not become healthy within {timeout:.0f} s")


# Finished flow runs (and their logs and artifacts) older than this are deleted by the server
# `serve` starts: a schedule every 30 minutes makes some 50,000 runs a year otherwise.
RETENTION_SECONDS = 30 * 24 * 3600


def server_env() -> dict[str, str]:
    """The environment of the server `serve` starts: analytics off, old runs deleted.

    A server's analytics send telemetry out, and on a machine without internet
    access each attempt logs "Failed to send telemetry" into the server's log.
    Prefect's database keeps every run unless its vacuum service deletes
    them; it is turned on for flow runs ended more than 30 days ago. A value
    the user set wins.
    """
    env = dict(os.environ)
    env.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    env.setdefault("PREFECT_SERVER_SERVICES_DB_VACUUM_ENABLED", "events,flow_runs")
    env.setdefault("PREFECT_SERVER_SERVICES_DB_VACUUM_RETENTION_PERIOD", str(RETENTION_SECONDS))
    return env


@contextlib.contextmanager
def prefect_server(timeout: float = 180) -> Iterator[str]:
    """A server to schedule on: the one in PREFECT_API_URL, or a local one for this process."""
    existing = os.environ.get("PREFECT_API_URL")
    if existing:
        yield existing
        return
    port = _free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    command = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1"]
    command += ["--port", str(port)]
    process = subprocess.Popen(
        command,
        env=server_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    from prefect.settings import PREFECT_API_URL, temporary_settings

    try:
        wait_healthy(api_url, process, timeout)
        # flow runs started by `serve` are subprocesses: they read the environment
        os.environ["PREFECT_API_URL"] = api_url
        with temporary_settings(updates={PREFECT_API_URL: api_url}):
            yield api_url
    finally:
        os.environ.pop("PREFECT_API_URL", None)
        stop_server(process)


def stop_server(process: subprocess.Popen[bytes]) -> None:
    """Stop the server and everything it started (it runs in its own process group)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(5)


def serve_until_stopped(deployments: list[Any], started: Callable[[int], None]) -> None:
    """Serve `deployments` until SIGTERM or SIGINT; pause their schedules on the way out.

    Prefect's own `serve` stops on SIGTERM from inside a signal handler that
    cannot await the runner's stop ("coroutine 'Runner.astop' was never
    awaited") and, asked not to pause, leaves the schedules queueing runs
    with nobody to run them. Here both signals schedule the stop on the
    runner's event loop, and the runner pauses its deployments as it exits.
    `started(skipped)` is called once the deployments are registered.
    """
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        asyncio.run(_serve(deployments, started))
    finally:  # the handlers point at a loop that is closed now
        for sig, handler in previous.items():
            signal.signal(sig, handler)


async def _serve(deployments: list[Any], started: Callable[[int], None]) -> None:
    from prefect.runner import Runner

    runner = Runner(pause_on_shutdown=True)
    loop = asyncio.get_running_loop()
    stopping: list[asyncio.Task[None]] = []

    async def stop() -> None:
        while not runner.started:  # a signal that came while the runner was starting
            await asyncio.sleep(0.1)
        await runner.astop()

    def on_signal(*_: object) -> None:
        def begin() -> None:
            if not stopping:
                stopping.append(loop.create_task(stop()))

        loop.call_soon_threadsafe(begin)

    runner.handle_sigterm = on_signal  # type: ignore[method-assign]  (start() installs it)
    # installed before the deployments are registered: a stop asked for while they are
    # (the server already shows them served) must not kill the process half way
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    ids = [await runner.add_deployment(deployment) for deployment in deployments]
    started(await skip_late_runs(ids))
    await runner.start()
    for task in stopping:
        await task


async def skip_late_runs(deployment_ids: list[Any]) -> int:
    """Delete the served deployments' runs that were due before `serve` started; how many.

    They were left by a `serve` that was killed instead of stopped (a stopped
    one pauses its deployments, and pausing deletes their queued runs).
    Starting them all at once would be the pile-up of a long outage.
    """
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        DeploymentFilter,
        DeploymentFilterId,
        FlowRunFilter,
        FlowRunFilterExpectedStartTime,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType

    late = FlowRunFilter(
        state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.SCHEDULED])),
        expected_start_time=FlowRunFilterExpectedStartTime(before_=datetime.now(UTC) - LATE_AFTER),
    )
    async with get_client() as client:
        runs = await client.read_flow_runs(
            flow_run_filter=late,
            deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=deployment_ids)),
        )
        for run in runs:
            await client.delete_flow_run(run.id)
    return len(runs)
