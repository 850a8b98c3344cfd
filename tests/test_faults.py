"""Faults: a worker killed mid-shard, a document that never ends, a disk that fails."""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path

import pytest

from presswash.runner import commit as commit_module
from presswash.runner.plan import plan_shards
from presswash.runner.pool import ShardPool
from presswash.runner.run import CleanRun, RunFailed, run_bare
from presswash.schemas.settings import Settings
from presswash.sources.inputs import iter_inputs
from tests.articles import make_dump
from tests.conftest import read_jsonl
from tests.test_output import stable

KILL = "KILL-THE-WORKER"
STALL = "STALL-FOREVER"


def faulty_run_shard(*args, **kwargs):  # runs in a worker process
    """run_shard with a cleaning step that dies or stalls on marked inputs."""
    import presswash.runner.shard as shard

    real = shard.clean_document

    def clean(raw, *args, **kwargs):
        data = raw.data or b""
        if KILL.encode() in data:
            os._exit(9)  # as a kill -9 or the OOM killer would
        if STALL.encode() in data:
            time.sleep(60)
        return real(raw, *args, **kwargs)

    shard.clean_document = clean
    return shard.run_shard(*args, **kwargs)


def write_inputs(root: Path) -> None:
    root.mkdir(parents=True)
    for n in range(6):
        (root / f"p{n}.txt").write_text(make_dump(300 + n))
    (root / "p2.txt").write_text(make_dump(302) + f"\n{KILL}\n")
    (root / "p4.txt").write_text(make_dump(304) + f"\n{STALL}\n")


def test_a_killed_worker_and_a_stalled_document_do_not_stop_the_run(tmp_path: Path) -> None:
    write_inputs(tmp_path / "raw")
    settings = Settings(
        out=tmp_path / "out", limits={"parse_timeout_seconds": 3}, run={"shard_files": 3}
    )
    run = CleanRun([str(tmp_path / "raw")], settings)
    run.prepare()
    pool = ShardPool(2, settings, run.pipeline_version, run.staging_dir, target=faulty_run_shard)
    try:
        started = time.monotonic()
        for spec in run.shards():
            run.commit(pool.run(spec))
        elapsed = time.monotonic() - started
    finally:
        pool.shutdown()
    summary = run.finish()
    assert summary.inputs == 6 == summary.accepted + summary.rejected
    assert summary.accepted == 4
    rejected = {r["source"]["uri"]: r for r in read_jsonl(tmp_path / "out" / "rejected")}
    assert rejected["p2.txt"]["reason"] == "internal_error"
    assert "worker process died" in rejected["p2.txt"]["detail"]
    assert rejected["p4.txt"]["reason"] == "timeout"
    assert "parse_timeout_seconds" in rejected["p4.txt"]["detail"]
    assert pool.replaced >= 2
    assert elapsed < 60


def test_timeout_is_enforced_in_the_default_worker_pool(tmp_path: Path) -> None:
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "ok.txt").write_text(make_dump(1))
    summary = run_bare([str(tmp_path / "raw")], Settings(out=tmp_path / "out"))
    assert summary.accepted == 1  # the pool path runs real documents too


def test_a_failing_disk_fails_the_run_and_a_rerun_completes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "raw").mkdir()
    for n in range(4):
        (tmp_path / "raw" / f"p{n}.txt").write_text(make_dump(400 + n))
    settings = Settings(out=tmp_path / "out", run={"in_process": True, "shard_files": 1})
    reference = run_bare(
        [str(tmp_path / "raw")], settings.model_copy(update={"out": tmp_path / "ref"})
    )
    assert reference.accepted == 4

    calls = {"n": 0}
    real_place = commit_module._place_ready_file

    def full_disk(staged: Path, final: Path) -> bool:
        calls["n"] += 1
        if calls["n"] > 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_place(staged, final)

    monkeypatch.setattr(commit_module, "_place_ready_file", full_disk)
    failed = run_bare([str(tmp_path / "raw")], settings)
    assert failed.status == "failed" and "No space left" in (failed.error or "")
    monkeypatch.setattr(commit_module, "_place_ready_file", real_place)
    for path in (tmp_path / "out" / "articles").rglob("*.jsonl"):
        assert path.read_text().endswith("\n")
    finished = run_bare([str(tmp_path / "raw")], settings)
    assert finished.status == "finished"
    assert stable(read_jsonl(tmp_path / "out" / "articles")) == stable(
        read_jsonl(tmp_path / "ref" / "articles")
    )


def test_run_failed_names_the_output(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    run = CleanRun([str(tmp_path)], Settings(out=blocker / "out"))
    with pytest.raises(RunFailed, match="not writable"):
        run.prepare()


def test_plan_is_lazy_and_bounded(tmp_path: Path) -> None:
    for n in range(30):
        folder = tmp_path / "src" / f"2025-01-{1 + n % 3:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{n}.txt").write_text("x")
    shards = list(plan_shards(iter_inputs([str(tmp_path / "src")]), max_files=4, max_bytes=10**9))
    assert sum(len(s.files) for s in shards) == 30
    assert all(len(s.files) <= 4 for s in shards)
    assert all(len({f.date for f in s.files}) == 1 for s in shards)
