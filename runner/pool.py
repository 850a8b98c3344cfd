"""Worker processes for shards, supervised: a dead worker is replaced and its shard resumed.

ProcessPoolExecutor breaks as a whole when one worker dies (killed, out of
memory, a crash in a C extension). The supervisor replaces the pool and
resubmits each affected shard from where its staged files end; a shard
whose worker dies twice with no progress gives up on the input it was on
(a rejection saying so) and goes on. Workers are spawned, import no Prefect,
and are recycled after a number of shards so memory cannot creep up over a
long backfill.
"""

from __future__ import annotations

import atexit
import contextlib
import multiprocessing
import os
import secrets
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, TypeVar

from presswash.output.staging import StagedFiles, staged_outcomes
from presswash.parsers.language import load_profiles
from presswash.runner.deadline import enable_in_worker
from presswash.runner.plan import ShardSpec
from presswash.runner.results import Resume, ShardResult
from presswash.schemas.settings import Settings

SHARDS_PER_WORKER = 50
T = TypeVar("T")


# How often a worker checks that the process that started it is still there.
PARENT_CHECK_SECONDS = 1.0


def _init_worker() -> None:
    """Arm the per-document timer and load what the first document would otherwise pay for."""
    enable_in_worker()
    exit_with_parent(os.getppid())
    atexit.register(exit_at_once)
    load_profiles()


def exit_at_once() -> None:
    """End a worker the moment it is told to, without tearing its interpreter down.

    A spawned worker exits through `sys.exit`, and Python then frees every
    module and object it loaded (the parsers, the language profiles) one by
    one: a quarter of a second that the run waits for in its shutdown, as
    long as a small run's cleaning. A worker holds nothing to finish by then:
    every staged file was closed before its shard's result went back. Exit
    handlers registered after this one (by what the cleaning imports) still run
    before it, last in first out; the standard streams are flushed here.
    """
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(0)


def exit_with_parent(parent: int) -> None:
    """End this worker when its parent is gone (killed with -9, or crashed).

    A pool worker waits on a queue whose write end it holds itself, so it
    never sees end-of-file when the parent dies: without this, every
    `kill -9` of a run would leave its workers idle for ever, holding their
    memory. A daemon thread polls the parent's pid once a second.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(0)

    threading.Thread(target=watch, name="presswash-parent-watch", daemon=True).start()


def _ready() -> None:
    """A no-op task: submitting it makes the executor spawn a worker now."""


def new_executor(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_init_worker,
        max_tasks_per_child=SHARDS_PER_WORKER,
    )


# Worker processes started ahead of the run by `start_early`, for the next ShardPool to adopt.
_EARLY: dict[int, ProcessPoolExecutor] = {}


def start_early(workers: int) -> None:
    """Spawn a run's worker processes now, while the caller goes on importing and connecting.

    A worker takes about a second to start (imports, language profiles); the
    command line starts them before it imports Prefect, so the two overlap.
    """
    if workers in _EARLY:
        return
    executor = new_executor(workers)
    for _ in range(workers):
        executor.submit(_ready)
    _EARLY[workers] = executor


def discard_early() -> None:
    """Stop worker processes started early that no run adopted (a run that failed first)."""
    while _EARLY:
        _, executor = _EARLY.popitem()
        executor.shutdown(wait=True, cancel_futures=True)


def clean_shard(
    spec: ShardSpec, settings: Settings, pipeline_version: str, staging_dir: Path, resume: Resume
) -> ShardResult:
    """`run_shard` as a pool's default work, imported where it runs: in the worker.

    The process that submits shards then never imports the cleaning core.
    """
    from presswash.runner.shard import run_shard

    return run_shard(spec, settings, pipeline_version, staging_dir, resume)


class ShardPool:
    """Runs shards in worker processes; thread-safe, so Prefect task threads can share it."""

    def __init__(
        self,
        workers: int,
        settings: Settings,
        pipeline_version: str,
        staging_dir: Path,
        target: Callable[..., ShardResult] | None = None,
    ) -> None:
        self.target = target or clean_shard
        self.workers = workers
        self.settings = settings
        self.pipeline_version = pipeline_version
        self.staging_dir = staging_dir
        self.replaced = 0
        self._lock = threading.Lock()
        self._generation = 0
        self._executor = _EARLY.pop(workers, None) or new_executor(workers)

    def _replace(self, generation: int) -> None:
        """Swap in a new executor, once per breakage however many shards notice it."""
        with self._lock:
            if self._generation != generation:
                return
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = new_executor(self.workers)
            self._generation += 1
            self.replaced += 1

    def run(self, spec: ShardSpec) -> ShardResult:
        """Clean one shard in a worker, surviving the death of workers along the way."""
        files = StagedFiles.for_shard(self.staging_dir, spec.shard_id)
        resume = Resume(attempt=secrets.token_hex(4))
        strikes = 0
        while True:
            with self._lock:
                executor, generation = self._executor, self._generation
            try:
                future = executor.submit(
                    self.target,
                    spec,
                    self.settings,
                    self.pipeline_version,
                    self.staging_dir,
                    resume,
                )
                return future.result()
            except BrokenProcessPool:
                self._replace(generation)
            started = files.attempt_marker() == resume.attempt
            done = staged_outcomes(files) if started or resume.done else 0
            # two deaths on the same input, with this shard really running: give that input up
            strikes = strikes + 1 if started and done == resume.done else 0
            poison = done + 1 if strikes >= 2 else None
            resume = Resume(done=done, poison=poison, attempt=secrets.token_hex(4))

    def call(self, fn: Callable[..., T], *args: Any) -> T:
        """Run `fn(*args)` in a worker; a broken pool is replaced once, then the error is raised."""
        retried = False
        while True:
            with self._lock:
                executor, generation = self._executor, self._generation
            try:
                return executor.submit(fn, *args).result()
            except BrokenProcessPool:
                self._replace(generation)
                if retried:
                    raise
                retried = True

    def shutdown(self) -> None:
        with self._lock:
            self._executor.shutdown(wait=True, cancel_futures=True)
