"""Committing a shard: it replaces older output of its inputs, and a crashed commit is undone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from presswash.output.state import OutputState
from presswash.runner import commit as commit_module
from presswash.runner.commit import commit_shard
from presswash.runner.plan import ShardSpec, plan_shards
from presswash.runner.shard import ShardResult, run_shard
from presswash.schemas.settings import Settings
from presswash.sources.inputs import iter_inputs
from tests.articles import make_dump

VERSION = "test-version"


class Crash(BaseException):
    """The process dying mid-commit (not an error the run could handle)."""


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    folder = tmp_path / "raw" / "wire"
    folder.mkdir(parents=True)
    for n, name in enumerate(("a", "b", "c")):
        (folder / f"{name}.txt").write_text(make_dump(40 + n), encoding="utf-8")
    return tmp_path / "raw"


def shards(raw: Path, files_per_shard: int) -> list[ShardSpec]:
    return list(plan_shards(iter_inputs([str(raw)]), files_per_shard, 1 << 30))


def clean(spec: ShardSpec, out: Path) -> ShardResult:
    settings = Settings(out=out, run={"in_process": True})
    return run_shard(spec, settings, VERSION, out / "_staging" / "run")


def visible(out: Path) -> dict[str, list[str]]:
    """Each article part file in the output, with the inputs of its records."""
    return {
        path.name: [json.loads(line)["source"]["uri"] for line in path.read_text().splitlines()]
        for path in sorted((out / "articles").rglob("*.jsonl"))
    }


def part(spec: ShardSpec) -> str:
    return f"part-{spec.shard_id}.jsonl"


def test_a_shard_replaces_the_output_an_earlier_shard_made_of_its_inputs(
    raw: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    (whole,) = shards(raw, 3)
    first, second = shards(raw, 2)
    with OutputState.open(out) as state:
        commit_shard(state, out, clean(whole, out), "run-1", VERSION)
        assert visible(out) == {part(whole): ["wire/a.txt", "wire/b.txt", "wire/c.txt"]}
        done = commit_shard(state, out, clean(first, out), "run-2", VERSION)
        assert (done.duplicates, done.superseded) == (0, 1)
        assert visible(out) == {
            part(whole): ["wire/c.txt"],
            part(first): ["wire/a.txt", "wire/b.txt"],
        }
        commit_shard(state, out, clean(second, out), "run-2", VERSION)
        assert visible(out) == {
            part(first): ["wire/a.txt", "wire/b.txt"],
            part(second): ["wire/c.txt"],
        }
        assert state.shard_ids() == {first.shard_id, second.shard_id}


def test_a_crash_between_pending_and_confirm_is_undone_by_the_next_run(
    raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    (whole,) = shards(raw, 3)
    first = shards(raw, 2)[0]
    with OutputState.open(out) as state:
        commit_shard(state, out, clean(whole, out), "run-1", VERSION)
    before = visible(out)

    def die(*args: object, **kwargs: object) -> None:  # files in place, state not told yet
        raise Crash

    monkeypatch.setattr(commit_module, "_supersede", die)
    result = clean(first, out)
    with OutputState.open(out) as state, pytest.raises(Crash):
        commit_shard(state, out, result, "run-2", VERSION)
    assert part(first) in visible(out), "the crash came after the files moved into place"
    monkeypatch.undo()

    with OutputState.open(out) as state:  # the next run
        with state.locked():
            assert state.recover_pending() == 1
        assert visible(out) == before
        assert state.shard_ids() == {whole.shard_id}
        commit_shard(state, out, result, "run-3", VERSION)
        assert visible(out) == {
            part(whole): ["wire/c.txt"],
            part(first): ["wire/a.txt", "wire/b.txt"],
        }
