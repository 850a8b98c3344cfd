"""Deployments of `presswash serve`, registered on a real (test) Prefect API and run by hand.

The test server runs no scheduler, so the tests check the schedules that were
registered and start the scheduled flow themselves, as the scheduler would.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from presswash.schemas.settings import Settings
from tests.articles import make_dump
from tests.conftest import read_jsonl, run_cli

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

    assert asyncio.run(registered()) == {"clean-recent": 2700.0, "fetch-example-news": 900.0}


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
    second = recent_flow(**parameters)
    assert second.inputs == 0, "partitions already clean are skipped"
    assert len(read_jsonl(settings.out / "articles")) == 2


def test_serve_dry_run_lists_the_deployments(prefect_api_url: str, tmp_path: Path) -> None:
    config = tmp_path / "presswash.toml"
    config.write_text('[sources.example-news]\nfeeds = ["https://news.example/rss.xml"]\n')
    result = run_cli(["serve", "--dry-run", "--config", str(config)], prefect_api_url)
    assert result.returncode == 0, result.stderr[-1500:]
    assert "clean-recent" in result.stderr and "fetch-example-news" in result.stderr
