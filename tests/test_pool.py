"""Worker processes started before the run: adopted by its pool, or stopped if it never comes."""

from __future__ import annotations

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
