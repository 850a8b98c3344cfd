"""The run engine with a fake executor: how many shards are in flight, commit retries."""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path

import pytest

from presswash.runner.engine import IN_FLIGHT_PER_SLOT, Engine, Events
from presswash.runner.executors import done_now
from presswash.runner.plan import ShardSpec
from presswash.runner.run import CleanRun, RunFailed
from presswash.runner.shard import ShardResult, run_shard
from presswash.runner.sites import LearnedPages, learn_shard
from presswash.schemas.settings import Settings

TEXT = "Story {n}: the harbour board voted {n} to 2 on the new ferry timetable after a debate.\n"


class Held:
    """A shard handed to the executor: cleaned when the engine asks for its result, not before.

    So a shard stays in flight until the engine collects it, however fast the
    machine: the count of shards in flight depends on the engine alone.
    """

    def __init__(self, owner: Counting, spec: ShardSpec) -> None:
        self.owner, self.spec = owner, spec
        self._result: ShardResult | None = None

    def result(self, timeout: float | None = None) -> ShardResult:
        if self._result is None:
            owner = self.owner
            self._result = run_shard(self.spec, owner.settings, owner.version, owner.staging)
            owner.pending -= 1
        return self._result


class Counting:
    """An executor of `capacity` that records the most shards ever in flight at once."""

    name = "fake"

    def __init__(self, settings: Settings, version: str, staging: Path, capacity: int) -> None:
        self.capacity = capacity
        self.settings, self.version, self.staging = settings, version, staging
        self.pending = 0
        self.most = 0

    def clean(self, spec: ShardSpec) -> Held:
        self.pending += 1
        self.most = max(self.most, self.pending)
        return Held(self, spec)

    def learn(self, spec: ShardSpec, known: frozenset[str], cap: int) -> Future[LearnedPages]:
        return done_now(learn_shard(spec, self.settings, known, cap))

    def close(self) -> None:
        """Nothing runs in the background."""


def _corpus(folder: Path, files: int) -> None:
    folder.mkdir(parents=True)
    for n in range(files):
        (folder / f"s{n:03d}.txt").write_text((TEXT.format(n=n) * 8), encoding="utf-8")


@pytest.mark.parametrize("capacity", [1, 4])
def test_shards_in_flight_follow_the_executors_capacity(tmp_path: Path, capacity: int) -> None:
    _corpus(tmp_path / "raw", 40)
    settings = Settings(out=tmp_path / "out", run={"shard_files": 1, "workers": 1})
    run = CleanRun([str(tmp_path / "raw")], settings)
    executor = Counting(settings, run.pipeline_version, run.staging_dir, capacity)
    summary = Engine(run, executor).execute()
    executor.close()
    assert summary.inputs == 40 and summary.error is None
    assert summary.executor == "fake" and summary.mode == "direct"
    assert executor.most == IN_FLIGHT_PER_SLOT * capacity  # not run.workers, which is 1 here


class Flaky(CleanRun):
    """A run whose first commit fails on the disk once."""

    failures = 1

    def commit(self, result):  # type: ignore[no-untyped-def]
        if self.failures:
            self.failures -= 1
            raise RunFailed("disk hiccup")
        return super().commit(result)


class Seen(Events):
    def __init__(self) -> None:
        self.retries: list[str] = []

    def commit_retry(self, spec: ShardSpec, error: Exception, delay: float) -> None:
        self.retries.append(str(error))


def test_a_commit_that_fails_on_the_disk_is_retried(tmp_path: Path) -> None:
    _corpus(tmp_path / "raw", 3)
    settings = Settings(out=tmp_path / "out", run={"in_process": True})
    run = Flaky([str(tmp_path / "raw")], settings)
    seen = Seen()
    executor = Counting(settings, run.pipeline_version, run.staging_dir, 1)
    summary = Engine(run, executor, seen, retry_delays=(0.0,)).execute()
    executor.close()
    assert summary.error is None and summary.inputs == 3
    assert seen.retries == ["disk hiccup"]
