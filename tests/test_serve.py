"""Deployments of `presswash serve`, registered on a real Prefect API and run by hand.

Nothing serves the deployments registered here, so the tests check the
schedules that were registered and start the scheduled flow themselves, as
a runner would. Stopping `serve` is tested against the session's real
`prefect server start`, whose scheduler queues runs: they must be gone, and
the schedules paused, once `serve` has stopped. The server is shared: each
test deletes what other tests registered under the names it counts.
"""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from presswash.schemas.settings import Settings
from tests.articles import make_dump
from tests.conftest import read_jsonl, run_cli
from tests.test_prefect_server import RECENT_LOOP_SECONDS, delete_deployments, prefect_env

pytestmark = pytest.mark.slow


def configured(tmp_path: Path) -> Settings:
    return Settings(
        out=tmp_path / "clean",
        raw=tmp_path / "raw",
        serve={"fetch_every_minutes": 15, "clean_every_minutes": 45, "lookback_days": 1},
        sources={"example-news": {"feeds": ["https://news.example/rss.xml"]}},
        run={"in_process": True},
    )


def test_deployments_are_registered_with_their_schedules(
    prefect_api_url: str, tmp_path: Path
) -> None:
    from prefect.client.orchestration import get_client

    from presswash.flows.serve import build_deployments

    deployments = build_deployments(configured(tmp_path))
    by_name = {d.name: d for d in deployments}
    assert set(by_name) == {"clean-recent", "fetch-example-news"}
    assert by_name["clean-recent"].schedules[0].schedule.interval == timedelta(minutes=45)
    assert by_name["fetch-example-news"].schedules[0].schedule.interval == timedelta(minutes=15)
    assert by_name["fetch-example-news"].parameters["source"] == "example-news"

    async def registered() -> dict[str, float]:
        async with get_client() as client:
            found = {}
            for deployment in deployments:
                deployment_id = await deployment.apply()
                stored = await client.read_deployment(deployment_id)
                limit = stored.global_concurrency_limit
                assert limit is not None and limit.limit == 1, "one run at a time"
                found[stored.name] = stored.schedules[0].schedule.interval.total_seconds()
            return found

    try:
        found = asyncio.run(registered())
    finally:
        names = [f"{d.flow_name}/{d.name}" for d in deployments]
        delete_deployments(prefect_api_url, names)
    assert found == {"clean-recent": 2700.0, "fetch-example-news": 900.0}


def test_the_scheduled_clean_cleans_new_partitions_once(
    prefect_api_url: str, tmp_path: Path
) -> None:
    from presswash.flows.backfill import recent_flow
    from presswash.flows.serve import clean_parameters

    settings = configured(tmp_path)
    today = datetime.now(UTC).date()
    for day, n in ((today, 1), (today - timedelta(days=1), 2), (today - timedelta(days=9), 3)):
        folder = settings.raw / "example-news" / day.isoformat()
        folder.mkdir(parents=True)
        (folder / "page.txt").write_text(make_dump(960 + n))

    parameters = clean_parameters(settings)
    first = recent_flow(**parameters)
    assert first.inputs == 2, "only partitions within the look-back window"
    runs = sorted((settings.out / "runs").glob("*.json"))
    state = recent_flow(**parameters, return_state=True)
    assert state.is_completed() and state.result() is None, "nothing new: no run"
    assert "nothing to do" in (state.message or "")
    assert sorted((settings.out / "runs").glob("*.json")) == runs, "and no summary"

    # one new page in today's partition: that page is cleaned, not the whole day again
    (settings.raw / "example-news" / today.isoformat() / "late.txt").write_text(make_dump(970))
    third = recent_flow(**parameters)
    assert third.inputs == 1 and third.sources[0].endswith("late.txt")
    assert len(read_jsonl(settings.out / "articles")) == 3


def test_serve_dry_run_lists_the_deployments(prefect_api_url: str, tmp_path: Path) -> None:
    config = tmp_path / "presswash.toml"
    config.write_text('[sources.example-news]\nfeeds = ["https://news.example/rss.xml"]\n')
    result = run_cli(["serve", "--dry-run", "--config", str(config)], prefect_api_url)
    assert result.returncode == 0, result.stderr[-1500:]
    assert "clean-recent" in result.stderr and "fetch-example-news" in result.stderr


DEPLOYMENTS = ("presswash-clean-recent/clean-recent", "presswash-fetch-source/fetch-gazette")


def _read_deployments(api_url: str) -> dict[str, tuple[bool, int, datetime]]:
    """Each served deployment: whether it is paused, how many runs it has queued, when changed."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId
    from prefect.settings import PREFECT_API_URL, temporary_settings

    async def read() -> dict[str, tuple[bool, int, datetime]]:
        found = {}
        async with get_client() as client:
            for name in DEPLOYMENTS:
                deployment = await client.read_deployment_by_name(name)
                queued = await client.read_flow_runs(
                    deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment.id]))
                )
                scheduled = [
                    r for r in queued if r.state_type and r.state_type.value == "SCHEDULED"
                ]
                assert deployment.updated is not None
                found[name] = (deployment.paused, len(scheduled), deployment.updated)
        return found

    with temporary_settings(updates={PREFECT_API_URL: api_url}):
        return asyncio.run(read())


def _queued(api_url: str) -> dict[str, tuple[bool, int]]:
    """Each served deployment: whether it is paused, and how many runs it has queued."""
    return {
        name: (paused, count) for name, (paused, count, _) in _read_deployments(api_url).items()
    }


def _scheduled_and_settled(api_url: str) -> dict[str, tuple[bool, int]]:
    """The served deployments once the scheduler has queued their runs and is done with them.

    Prefect's scheduler reads a deployment, then inserts its runs in a later
    transaction: a pause that lands in between is undone by the insert, and
    the runs stay queued for a paused deployment. It reschedules a deployment
    only while its last change is recent (RECENT_LOOP_SECONDS + 1), so a stop
    sent once the runs are queued and that time is past (with a margin for a
    slow insert) meets no scheduling in flight.
    """
    deadline = time.monotonic() + 60
    found = _read_deployments(api_url)
    while not all(count for _, count, _ in found.values()):
        assert time.monotonic() < deadline, f"the scheduler queued no runs: {found}"
        time.sleep(0.5)
        found = _read_deployments(api_url)
    changed = max(updated for _, _, updated in found.values())
    settled = max(changed + timedelta(seconds=RECENT_LOOP_SECONDS + 1), datetime.now(UTC))
    wait = settled + timedelta(seconds=2) - datetime.now(UTC)
    time.sleep(wait.total_seconds())
    return {name: (paused, count) for name, (paused, count, _) in found.items()}


def _serve_then_stop(
    env: dict[str, str], cwd: Path, log: Path, api_url: str
) -> tuple[int, float, str, dict[str, tuple[bool, int]]]:
    """`presswash serve` until it serves, then SIGTERM.

    Returns its exit code, the seconds it took to stop, its stderr, and the
    deployments as they were while it served, once their runs were queued.
    """
    with log.open("w") as stderr:
        process = subprocess.Popen(
            [str(Path(sys.executable).with_name("presswash")), "serve"],
            cwd=cwd,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 180
        while "serving on" not in log.read_text() and time.monotonic() < deadline:
            assert process.poll() is None, log.read_text()[-2000:]
            time.sleep(0.2)
        serving = _scheduled_and_settled(api_url)
        process.send_signal(signal.SIGTERM)
        sent = time.monotonic()
        code = process.wait(60)
    return code, time.monotonic() - sent, log.read_text(), serving


def test_serve_stops_on_sigterm_pauses_its_schedules_and_resumes_them(
    real_server: tuple[str, Path],
    tmp_path: Path,
) -> None:
    api_url, home = real_server
    (tmp_path / "presswash.toml").write_text(
        "[serve]\nfetch_every_minutes = 1\nclean_every_minutes = 1\n"
        '[sources.gazette]\nfeeds = ["http://127.0.0.1:9/feed.xml"]\n',
        encoding="utf-8",
    )
    env: dict[str, Any] = prefect_env(home, api_url)
    delete_deployments(api_url, list(DEPLOYMENTS))  # left by another test: not this one's runs
    for attempt in ("first", "second"):
        log = tmp_path / f"{attempt}.log"
        code, seconds, stderr, serving = _serve_then_stop(env, tmp_path, log, api_url)
        assert all(not paused for paused, _ in serving.values()), f"{attempt}: not resumed"
        assert code == 0, stderr[-3000:]
        assert seconds < 30, f"{attempt} serve took {seconds:.0f} s to stop"
        assert "never awaited" not in stderr and "Traceback" not in stderr, stderr[-3000:]
        assert "schedules are paused" in stderr
        assert _queued(api_url) == {name: (True, 0) for name in DEPLOYMENTS}
