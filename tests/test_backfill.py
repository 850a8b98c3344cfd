"""Backfills over dated partitions through the real CLI: skip, force, dry run, kill -9, resume."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from presswash.runner.backfill import no_partitions_message, plan_backfill
from presswash.runner.run import run_bare
from presswash.schemas.settings import Settings
from tests.articles import make_dump
from tests.conftest import cli_env, latest_summary, read_jsonl, run_cli
from tests.test_cli import invoke
from tests.test_output import stable

pytestmark = pytest.mark.slow


def landing_zone(raw: Path, sources: tuple[str, ...], days: int, per_day: int) -> None:
    for s, source in enumerate(sources):
        for d in range(1, days + 1):
            folder = raw / source / f"2025-03-{d:02d}"
            folder.mkdir(parents=True)
            for n in range(per_day):
                (folder / f"page-{n}.txt").write_text(make_dump(10_000 * s + 100 * d + n))
    (raw / "notes").mkdir()
    (raw / "notes" / "readme.txt").write_text("not a dated partition")


def partitions(out: Path) -> set[tuple[str, str]]:
    return {(p.parent.parent.name, p.parent.name) for p in (out / "articles").rglob("part-*.jsonl")}


def test_backfill_cleans_the_range_skips_clean_ones_and_forces(
    prefect_api_url: str, tmp_path: Path
) -> None:
    raw, out = tmp_path / "raw", tmp_path / "clean"
    landing_zone(raw, ("courier", "gazette"), days=3, per_day=2)
    args = ["backfill", "--since", "2025-03-02", "--until", "2025-03-03", "--raw", str(raw)]
    args += ["--out", str(out)]

    dry = run_cli([*args, "--dry-run"], prefect_api_url)
    assert dry.returncode == 0, dry.stderr
    assert "4 partitions would be cleaned" in dry.stderr
    assert not (out / "articles").exists()

    first = run_cli(args, prefect_api_url)
    assert first.returncode == 0, first.stderr[-2000:]
    assert partitions(out) == {
        (f"source_name={s}", f"date=2025-03-0{d}") for s in ("courier", "gazette") for d in (2, 3)
    }
    records = stable(read_jsonl(out / "articles"))
    assert len(records) == 8

    again = run_cli(args, prefect_api_url)
    assert again.returncode == 0
    assert "nothing to do" in again.stderr

    only = run_cli([*args, "--source", "gazette", "--force"], prefect_api_url)
    assert only.returncode == 0, only.stderr[-2000:]
    assert "4 partitions" not in only.stderr
    assert stable(read_jsonl(out / "articles")) == records


def test_backfill_rejects_bad_dates(prefect_api_url: str, tmp_path: Path) -> None:
    (tmp_path / "raw").mkdir()
    bad = run_cli(
        ["backfill", "--since", "March", "--until", "2025-03-01", "--raw", str(tmp_path / "raw")],
        prefect_api_url,
    )
    assert bad.returncode == 2 and "--since must be a date" in bad.stderr
    backwards = run_cli(
        [
            "backfill",
            "--since",
            "2025-03-05",
            "--until",
            "2025-03-01",
            "--raw",
            str(tmp_path / "raw"),
        ],
        prefect_api_url,
    )
    assert backwards.returncode == 2


def test_a_backfill_killed_with_sigkill_resumes_to_the_same_records(
    prefect_api_url: str, tmp_path: Path
) -> None:
    raw = tmp_path / "raw"
    landing_zone(raw, ("courier", "gazette"), days=3, per_day=4)
    args = ["backfill", "--since", "2025-03-01", "--until", "2025-03-31", "--raw", str(raw)]
    env = cli_env(prefect_api_url)
    env["PRESSWASH_RUN__SHARD_FILES"] = "2"

    reference = tmp_path / "reference"
    days = sorted(str(p) for p in raw.glob("*/2025-*"))
    settings = Settings(out=reference, run={"in_process": True, "shard_files": 2})
    assert run_bare(days, settings, root=str(raw)).accepted == 24
    expected = stable(read_jsonl(reference / "articles"))

    out = tmp_path / "clean"
    victim = subprocess.Popen(
        [str(Path(sys.executable).with_name("presswash")), *args, "--out", str(out)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and len(list(out.glob("articles/*/*/part-*.jsonl"))) < 3:
        assert victim.poll() is None, "the backfill ended before it could be killed"
        time.sleep(0.05)
    os.killpg(victim.pid, signal.SIGKILL)
    victim.wait(10)
    committed = list(out.glob("articles/*/*/part-*.jsonl"))
    assert 3 <= len(committed) < 12, "killed too late to show a resume"
    for path in committed:
        for line in path.read_text(encoding="utf-8").splitlines():
            assert line.endswith("}")  # whole records only

    resumed = subprocess.run(
        [str(Path(sys.executable).with_name("presswash")), *args, "--out", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert latest_summary(out)["inputs"] < 24, "finished partitions were cleaned again"
    assert stable(read_jsonl(out / "articles")) == expected
    assert not list(out.rglob("*.tmp"))


def test_backfill_reads_the_configs_raw_and_tells_an_empty_range_apart(tmp_path: Path) -> None:
    zone = tmp_path / "a-landing-zone-named-in-the-config-far-wider-than-forty-columns"
    landing_zone(zone, ("courier", "gazette"), days=3, per_day=1)
    config = tmp_path / "presswash.toml"
    config.write_text(f"raw = {json.dumps(str(zone))}\n", encoding="utf-8")
    args = ["backfill", "--config", str(config), "--out", str(tmp_path / "clean")]

    dry = invoke([*args, "--since", "2025-03-02", "--until", "2025-03-03", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "4 partitions would be cleaned" in dry.stderr
    assert f"backfill 2025-03-02 .. 2025-03-03 in {zone}\n" in dry.stderr  # whole, one line
    assert "…" not in dry.stderr

    for extra in (["--dry-run"], []):
        empty = invoke([*args, "--since", "2025-04-01", "--until", "2025-04-30", *extra])
        assert empty.exit_code == 0, empty.output
        assert "already clean" not in empty.stderr
        assert f"no partition dated 2025-04-01 .. 2025-04-30 in {zone}" in empty.stderr
        assert "courier 2025-03-01 .. 2025-03-03 (3 partitions)" in empty.stderr
        assert "gazette 2025-03-01 .. 2025-03-03 (3 partitions)" in empty.stderr
        assert "┃" not in empty.stderr, "no empty table"
    assert not (tmp_path / "clean" / "articles").exists()

    other = invoke([*args, "--since", "2025-04-01", "--until", "2025-04-30", "--source", "nope"])
    assert "for source nope" in other.stderr and "no dated partitions" in other.stderr


def test_a_large_landing_zone_gives_a_short_message(tmp_path: Path) -> None:
    for n in range(40):
        (tmp_path / f"source-{n:02d}" / "2025-01-01").mkdir(parents=True)
    plan, _ = plan_backfill(
        tmp_path, Settings(out=tmp_path / "out"), date(2026, 1, 1), date(2026, 1, 2), None, False
    )
    message = no_partitions_message(tmp_path, plan, None)
    assert "source-00 2025-01-01" in message and "32 more sources" in message
    assert len(message) < 600
