"""Object storage end to end: a real S3-compatible server on loopback, the real CLI.

One moto server (its server mode, as a separate process speaking S3 over
HTTP, `s3_env` in conftest.py) serves the whole session. `presswash`
subprocesses find it the way a user's would find theirs: `AWS_ENDPOINT_URL`
and the standard credential variables, nothing in presswash's own files.
Each simulated machine has its own cache folder, so its own local mirror of
the output's run state.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import RAW, REPO, s3_client

pytest.importorskip("s3fs")
pytest.importorskip("moto.server")

pytestmark = pytest.mark.slow

BUCKET = "presswash-test"
ORIGINAL = "html/en_harbour_ferry.html"


@pytest.fixture(scope="module")
def s3(s3_env: dict[str, str]) -> Any:
    """A bucket holding a copy of the repo's `raw/` under `raw/`; an s3fs client to it."""
    fs = s3_client(s3_env)
    fs.mkdir(BUCKET)
    for path in sorted(RAW.rglob("*")):
        if path.is_file():
            fs.put_file(str(path), f"{BUCKET}/raw/{path.relative_to(RAW).as_posix()}")
    return fs


def presswash(
    args: list[str], s3_env: dict[str, str], machine: Path, **extra: str
) -> subprocess.CompletedProcess[str]:
    """The installed command on one 'machine' (its own cache folder), with no Prefect server."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_API", "PRESSWASH_"))}
    env.update(s3_env, XDG_CACHE_HOME=str(machine), COLUMNS="200", **extra)
    return subprocess.run(
        [str(Path(sys.executable).with_name("presswash")), *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
    )


def records(fs: Any, prefix: str) -> list[dict[str, Any]]:
    """Every record of every part file below a prefix, each line one JSON object."""
    found = []
    for key in sorted(fs.find(f"{BUCKET}/{prefix}")):
        if key.endswith(".jsonl"):
            found += [json.loads(line) for line in fs.cat_file(key).decode().splitlines()]
    return found


def summaries(fs: Any, out: str) -> list[dict[str, Any]]:
    keys = sorted(fs.glob(f"{BUCKET}/{out}/runs/[0-9]*.json"))
    return [json.loads(fs.cat_file(key)) for key in keys]


def test_clean_from_s3_to_s3_then_read_it_there(
    s3: Any, s3_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker process reads the inputs from the store; the output is read back there."""
    url = f"s3://{BUCKET}/clean"
    args = ["clean", f"s3://{BUCKET}/raw/", "--out", url, "--workers", "1"]
    done = presswash(args, s3_env, tmp_path / "a")
    assert done.returncode == 0, done.stderr
    assert f"{url}/articles" in done.stderr
    (summary,) = summaries(s3, "clean")
    assert (summary["inputs"], summary["accepted"], summary["out"]) == (15, 12, url)
    keys = [key.removeprefix(f"{BUCKET}/clean/") for key in s3.find(f"{BUCKET}/clean")]
    assert "_state/state.sqlite" in keys and "report.html" in keys
    assert "_state/lock" not in keys, "the lock is released"
    assert not [k for k in keys if "_staging" in k or k.endswith(".tmp")], keys
    parts = [k for k in keys if k.startswith(("articles/", "rejected/"))]
    assert all(k.endswith(".jsonl") and "/source_name=" in k and "/date=" in k for k in parts)
    articles = records(s3, "clean/articles")
    assert len(articles) == 12 and len({a["id"] for a in articles}) == 12

    for name, value in s3_env.items():
        monkeypatch.setenv(name, value)
    import presswash as api

    assert sorted(a.id for a in api.read_articles(url)) == sorted(a["id"] for a in articles)

    stats = presswash(["stats", url, "--json"], s3_env, tmp_path / "a")
    assert stats.returncode == 0, stats.stderr
    figures = json.loads(stats.stdout)
    assert (figures["articles"], figures["rejections"], figures["runs"]) == (12, 3, 1)

    dest = tmp_path / "parquet"
    export = presswash(
        ["export", url, "--format", "parquet", "--dest", str(dest)], s3_env, tmp_path
    )
    assert export.returncode == 0, export.stderr
    import pyarrow.parquet as pq

    table = pq.read_table(dest / "articles")
    assert table.num_rows == 12 and set(table.column("id").to_pylist()) == {
        a["id"] for a in articles
    }


def test_rerun_elsewhere_replaces_and_keeps_the_same_decisions(
    s3: Any, s3_env: dict[str, str], tmp_path: Path
) -> None:
    """Machines with empty mirrors get the output's state from the store itself.

    Runs on the output the first test wrote when it ran on this session's store
    (one clean less on 2 cores), and writes that output itself otherwise.
    """
    url = f"s3://{BUCKET}/clean"
    fast = {"PRESSWASH_RUN__IN_PROCESS": "true"}
    if not records(s3, "clean/articles"):  # the first test ran on another worker's store
        first = presswash(["clean", f"s3://{BUCKET}/raw", "--out", url], s3_env, tmp_path / "a")
        assert first.returncode == 0, first.stderr
    before = records(s3, "clean/articles")
    assert len(before) == 12
    parts_before = sorted(s3.find(f"{BUCKET}/clean/articles"))

    again = presswash(["clean", f"s3://{BUCKET}/raw", "--out", url], s3_env, tmp_path / "b", **fast)
    assert again.returncode == 0, again.stderr
    after = records(s3, "clean/articles")
    assert sorted(a["id"] for a in after) == sorted(a["id"] for a in before)
    assert sorted(s3.find(f"{BUCKET}/clean/articles")) == parts_before

    original = next(a for a in before if a["source"]["uri"] == ORIGINAL)
    s3.pipe_file(f"{BUCKET}/later/wire/copy.html", (RAW / ORIGINAL).read_bytes())
    third = presswash(
        ["clean", f"s3://{BUCKET}/later", "--out", url], s3_env, tmp_path / "c", **fast
    )
    assert third.returncode == 0, third.stderr
    (copy,) = [r for r in records(s3, "clean/rejected") if r["source"]["uri"] == "wire/copy.html"]
    assert (copy["reason"], copy["duplicate_of"]) == ("duplicate", original["id"])
    assert len(records(s3, "clean/articles")) == 12
    assert [s["accepted"] for s in summaries(s3, "clean")] == [12, 12, 0]


def test_a_live_lock_refuses_a_second_writer(
    s3: Any, s3_env: dict[str, str], tmp_path: Path
) -> None:
    lock = {
        "run_id": "20260101T000000Z-other",
        "host": "another-machine",
        "pid": 4242,
        "since": "2026-01-01T00:00:00+00:00",
        "refreshed_at": time.time(),
    }
    s3.pipe_file(f"{BUCKET}/locked/_state/lock", json.dumps(lock).encode())
    done = presswash(
        ["clean", f"s3://{BUCKET}/raw", "--out", f"s3://{BUCKET}/locked"], s3_env, tmp_path
    )
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "20260101T000000Z-other on another-machine" in lines[0], lines
    assert json.loads(s3.cat_file(f"{BUCKET}/locked/_state/lock")) == lock, "left as it was"
    assert not s3.exists(f"{BUCKET}/locked/articles")


def test_a_dead_runs_lock_is_taken_over_and_its_orphans_removed(
    s3: Any, s3_env: dict[str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A lock not refreshed for STALE_SECONDS, or whose process is gone here, is no one's."""
    from presswash.output import remote

    for name, value in s3_env.items():
        monkeypatch.setenv(name, value)
    out = f"s3://{BUCKET}/crashed"
    stale = {"run_id": "dead", "host": "elsewhere", "pid": 1, "refreshed_at": time.time() - 3600}
    s3.pipe_file(f"{BUCKET}/crashed/_state/lock", json.dumps(stale).encode())
    mine = remote.RemoteLock(out, "run-1")
    mine.acquire()
    assert mine.took_over
    with pytest.raises(remote.RemoteBusy, match="run-1"):
        remote.RemoteLock(out, "run-2").acquire()
    mine.release()
    assert not s3.exists(f"{BUCKET}/crashed/_state/lock")

    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        text=True,
        capture_output=True,
        check=True,
    )
    here = {
        "run_id": "gone",
        "host": socket.gethostname(),
        "pid": int(dead.stdout),
        "refreshed_at": time.time(),
    }
    s3.pipe_file(f"{BUCKET}/crashed/_state/lock", json.dumps(here).encode())
    import sqlite3

    state = tmp_path / "state.sqlite"
    with sqlite3.connect(state) as conn:
        conn.execute("CREATE TABLE shards (shard_id TEXT PRIMARY KEY)")
        conn.execute("INSERT INTO shards VALUES ('aaaa')")
    s3.put_file(str(state), f"{BUCKET}/crashed/_state/state.sqlite")
    kept = f"{BUCKET}/crashed/articles/source_name=x/date=undated/part-aaaa.jsonl"
    orphan = f"{BUCKET}/crashed/articles/source_name=x/date=undated/part-bbbb.jsonl"
    for key in (kept, orphan):
        s3.pipe_file(key, b"{}\n")
    output = remote.RemoteOutput(out, tmp_path / "mirror", "run-3")
    output.prepare()
    try:
        assert output.lock.took_over
        assert s3.exists(kept) and not s3.exists(orphan), "a dead run's unrecorded part goes"
        assert (tmp_path / "mirror" / "_state" / "state.sqlite").is_file()
    finally:
        output.lock.release()


def test_an_output_url_keeps_its_state_in_a_local_mirror(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`out` as a URL: the URL is remembered, `out` becomes its mirror; `file://` is a path."""
    from presswash.schemas.settings import Settings

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    settings = Settings(out="s3://bucket/clean/")
    assert settings.remote_out == "s3://bucket/clean"
    assert settings.out.parent == tmp_path / "cache" / "presswash" / "outputs"
    again = Settings.model_validate(settings.model_dump())
    assert (again.out, again.remote_out) == (settings.out, settings.remote_out)
    assert (
        Settings(out="s3://bucket/clean", run={"state_dir": str(tmp_path)}).out.parent == tmp_path
    )
    assert Settings.model_validate({**settings.model_dump(), "out": "elsewhere"}).remote_out is None
    local = Settings(out=f"file://{tmp_path}/out")
    assert (local.out, local.remote_out) == (tmp_path / "out", None)
    landing = Settings(raw="s3://bucket/raw/")
    assert (landing.remote_raw, landing.landing) == ("s3://bucket/raw", "s3://bucket/raw")
    assert landing.raw.parent == tmp_path / "cache" / "presswash" / "landing"
    assert Settings.model_validate(landing.model_dump()).remote_raw == "s3://bucket/raw"
    assert Settings(raw=f"file://{tmp_path}/raw").landing == str(tmp_path / "raw")


# -- the fetch landing zone and backfill on object storage ------------------------------

FAST_FETCH = {
    "PRESSWASH_RUN__IN_PROCESS": "true",
    "PRESSWASH_FETCH__REQUESTS_PER_SECOND": "200",
    "PRESSWASH_FETCH__TOTAL_TIMEOUT": "10",
}


def warc_pages(fs: Any, key: str) -> list[str]:
    """The target URLs of a WARC object's responses, read from the store whole."""
    import io

    from warcio.archiveiterator import ArchiveIterator

    stream = io.BytesIO(fs.cat_file(key))
    return [
        r.rec_headers.get_header("WARC-Target-URI")
        for r in ArchiveIterator(stream)
        if r.rec_type == "response"
    ]


def test_fetch_into_a_remote_landing_zone_then_clean_and_backfill_there(
    s3: Any, s3_env: dict[str, str], hostile_server: str, tmp_path: Path
) -> None:
    """Fetch lands whole WARC batches in the store; a second machine knows what is landed."""
    raw, out = f"s3://{BUCKET}/landing", f"s3://{BUCKET}/fetched"
    pages = [f"{hostile_server}/ok/{n}.html" for n in (21, 22, 23)]
    common = ["--raw", raw, "--out", out, "--allow-private"]
    first = presswash(["fetch", *pages, "--clean", *common], s3_env, tmp_path / "a", **FAST_FETCH)
    assert first.returncode == 0, first.stderr
    landed = sorted(k for k in s3.find(f"{BUCKET}/landing") if k.endswith(".warc.gz"))
    assert len(landed) == 1 and "/landing/adhoc/" in landed[0], landed
    assert sorted(warc_pages(s3, landed[0])) == pages
    keys = s3.find(f"{BUCKET}/landing")
    assert f"{BUCKET}/landing/.presswash-fetch.sqlite" in keys
    assert not [k for k in keys if k.endswith((".lock", ".tmp"))], "unlocked, nothing half done"
    mirror = next((tmp_path / "a" / "presswash" / "landing").iterdir())
    assert not list(mirror.rglob("*.warc.gz")), "the mirror keeps the state, not the batches"
    articles = records(s3, "fetched/articles")
    assert sorted(a["source"]["url"] for a in articles) == pages
    [summary_key] = s3.glob(f"{BUCKET}/fetched/runs/fetch-*.json")
    summary = json.loads(s3.cat_file(summary_key))
    assert (summary["raw"], summary["out"], summary["fetched"]) == (raw, out, 3)

    # another machine, its mirror empty: the store's fetch state says what is landed
    more = [*pages, f"{hostile_server}/ok/24.html"]
    second = presswash(["fetch", *more, *common], s3_env, tmp_path / "b", **FAST_FETCH)
    assert second.returncode == 0, second.stderr
    summaries_now = [json.loads(s3.cat_file(k)) for k in s3.glob(f"{BUCKET}/fetched/runs/fetch-*")]
    latest = max(summaries_now, key=lambda s: s["started_at"])
    assert (latest["skipped"], latest["fetched"]) == (3, 1)

    # a backfill on that machine plans from the store's state: only the new batch is cleaned
    today = datetime.now(UTC).date()
    span = ["--since", str(today - timedelta(days=1)), "--until", str(today + timedelta(days=1))]
    backfill = ["backfill", *span, "--raw", raw, "--out", out]
    done = presswash(backfill, s3_env, tmp_path / "b", **FAST_FETCH)
    assert done.returncode == 0, done.stderr
    assert "clean 1 new or changed of 2 files" in done.stderr, done.stderr
    after = records(s3, "fetched/articles")
    assert sorted(a["source"]["url"] for a in after) == more
    assert {a["id"] for a in articles} <= {a["id"] for a in after}


def test_a_live_fetch_lock_refuses_a_second_fetch(
    s3: Any, s3_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One fetch at a time per remote landing zone: the second stops before fetching.

    The command runs in this process (no subprocess to start): it fails at its first step.
    """
    from typer.testing import CliRunner

    from presswash.flows.cli import app

    for name, value in {**s3_env, "XDG_CACHE_HOME": str(tmp_path / "cache")}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    lock = {
        "run_id": "20260101T000000Z-fetching",
        "host": "another-machine",
        "pid": 4242,
        "since": "2026-01-01T00:00:00+00:00",
        "refreshed_at": time.time(),
    }
    key = f"{BUCKET}/busy/.presswash-fetch.lock"
    s3.pipe_file(key, json.dumps(lock).encode())
    args = ["fetch", "http://127.0.0.1:9/ok/1.html", "--allow-private"]
    args += ["--raw", f"s3://{BUCKET}/busy", "--out", str(tmp_path / "out")]
    done = CliRunner().invoke(app, args)
    assert done.exit_code == 1, done.stderr
    message = " ".join(done.stderr.split())  # one message (rich wraps it at 80 columns here)
    assert message.startswith("presswash: error:") and "Traceback" not in message
    assert "20260101T000000Z-fetching on another-machine" in message, message
    assert json.loads(s3.cat_file(key)) == lock, "left as it was"
    assert s3.find(f"{BUCKET}/busy") == [key], "nothing landed"
