"""Worker processes started before the run: adopted by its pool, or stopped if it never comes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from presswash.runner import pool as pool_module
from presswash.runner.pool import ShardPool, discard_early, start_early
from presswash.schemas.settings import Settings


def test_a_pool_adopts_the_workers_started_early_for_its_size(tmp_path: Path) -> None:
    start_early(2)
    early = pool_module._EARLY[2]
    other = ShardPool(1, Settings(out=tmp_path), "v", tmp_path)
    pool = ShardPool(2, Settings(out=tmp_path), "v", tmp_path)
    try:
        assert pool._executor is early
        assert other._executor is not early
        assert not pool_module._EARLY
        assert pool.call(sum, [1, 2]) == 3
    finally:
        pool.shutdown()
        other.shutdown()


def test_workers_started_early_and_never_used_are_stopped() -> None:
    start_early(1)
    early = pool_module._EARLY[1]
    processes = list(early._processes.values())
    assert processes, "the worker was spawned at once"
    discard_early()
    assert not pool_module._EARLY
    for process in processes:
        process.join(timeout=30)
        assert not process.is_alive()


KILLED_PARENT = """
import os, signal, time
from presswash.runner.pool import new_executor

executor = new_executor(2)
busy = [executor.submit(time.sleep, 1.0) for _ in range(2)]  # two at once: two workers
for future in busy:
    future.result()
print(" ".join(str(pid) for pid in executor._processes), flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_workers_end_when_their_run_is_killed() -> None:
    """`kill -9` of a run leaves no worker process behind."""
    done = subprocess.run(
        [sys.executable, "-c", KILLED_PARENT], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == -signal.SIGKILL
    pids = [int(pid) for pid in done.stdout.split()]
    assert len(pids) == 2
    deadline = time.monotonic() + 20
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [pid for pid in pids if _alive(pid)], "a worker outlived its killed run"


def _alive(pid: int) -> bool:
    """Whether a process runs (a zombie waiting for its reaper does not count)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
    except OSError:
        return os.path.exists(f"/proc/{pid}")


TORN_DOWN = """
import atexit, sys
from presswash.runner.pool import exit_at_once

class Held:
    def __del__(self):
        print("torn down", flush=True)

atexit.register(lambda: print("handler registered earlier", flush=True))
atexit.register(exit_at_once)
atexit.register(lambda: print("handler registered later", flush=True))
held = Held()
print("last words", end=" ")
sys.exit(3)
"""


def test_a_worker_exits_at_once_with_its_output_flushed() -> None:
    """A worker's exit skips the interpreter's teardown (what the run waits for at its end)."""
    done = subprocess.run(
        [sys.executable, "-c", TORN_DOWN], capture_output=True, text=True, timeout=60
    )
    assert done.stdout == "last words handler registered later\n"
    assert done.returncode == 0
