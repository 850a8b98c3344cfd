"""The state database of an output folder: opening it, one committer at a time, crash recovery."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from presswash.output.index import NewRow
from presswash.output.state import InputRow, OutputState, ShardRow


def shard_row(shard_id: str, articles: int = 1) -> ShardRow:
    return ShardRow(
        shard_id, "wire", "undated", "/raw", "v1", "run-1", "2025-03-01T00:00:00Z", articles, 0
    )


def inputs(*paths: str) -> list[InputRow]:
    return [InputRow(path, "/raw", 10, 1_000) for path in paths]


def kept(number: int, path: str) -> NewRow:
    return NewRow(f"a{number}", f"h{number}", path, None, None)


def part_files(folder: Path, shard_id: str) -> list[Path]:
    paths = [
        folder / "articles" / f"part-{shard_id}.jsonl",
        folder / "rejected" / f"part-{shard_id}.jsonl",
    ]
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("{}\n")
    return paths


def test_the_database_is_made_in_the_state_folder_and_kept(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with OutputState.open(out) as state:
        state.record_commit(shard_row("s1"), inputs("/raw/a.txt"), [kept(1, "/raw/a.txt")], [])
    assert (out / "_state" / "state.sqlite").is_file()
    with OutputState.open(out) as again:
        assert again.shard_ids() == {"s1"}
        assert again.shard_inputs("s1") == {"/raw/a.txt"}
        assert again.shard_place("s1") == ("wire", "undated", "/raw")
        assert [r.id for r in again.same_hash("h1")] == ["a1"]


def test_a_commit_replaces_the_shards_it_supersedes(tmp_path: Path) -> None:
    with OutputState.open(tmp_path / "out") as state:
        state.record_commit(shard_row("old"), inputs("/raw/a.txt"), [kept(1, "/raw/a.txt")], [])
        state.record_commit(
            shard_row("new"), inputs("/raw/a.txt", "/raw/b.txt"), [kept(2, "/raw/a.txt")], ["old"]
        )
        assert state.shard_ids() == {"new"}
        assert state.shard_inputs("new") == {"/raw/a.txt", "/raw/b.txt"}
        assert [r.id for r in state.same_hash("h1")] == []
        assert [r.id for r in state.same_hash("h2")] == ["a2"]


def test_the_lock_lets_one_committer_in_at_a_time(tmp_path: Path) -> None:
    first = OutputState.open(tmp_path / "out")
    second = OutputState.open(tmp_path / "out")
    order: list[str] = []

    def commit_later() -> None:
        with second.locked():
            order.append("second")

    with first.locked():
        waiting = threading.Thread(target=commit_later)
        waiting.start()
        waiting.join(0.5)
        assert waiting.is_alive(), "the second committer went in while the first held the lock"
        order.append("first")
    waiting.join(10)
    assert order == ["first", "second"]
    first.close()
    second.close()


def test_a_crash_between_pending_and_confirm_is_undone(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with OutputState.open(out) as state:
        state.record_commit(shard_row("s1"), inputs("/raw/a.txt"), [kept(1, "/raw/a.txt")], [])
        state.record_commit(shard_row("s2"), inputs("/raw/b.txt"), [kept(2, "/raw/b.txt")], [])
        # s1 is committed again (a re-run): its files move into place, then the process dies
        files = part_files(out, "s1")
        state.mark_pending("s1", files)
    with OutputState.open(out) as state, state.locked():
        assert state.recover_pending() == 1
        assert not any(path.exists() for path in files)
        assert state.shard_ids() == {"s2"}
        assert state.same_hash("h1") == [] and [r.id for r in state.same_hash("h2")] == ["a2"]
        assert state.recover_pending() == 0


def test_a_confirmed_commit_is_not_undone(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with OutputState.open(out) as state:
        files = part_files(out, "s1")
        state.mark_pending("s1", files)
        state.record_commit(shard_row("s1"), inputs("/raw/a.txt"), [], [])
        assert state.recover_pending() == 0
    assert all(path.exists() for path in files)


def test_reading_a_folder_without_state_makes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    assert OutputState.open_readonly(out) is None
    assert OutputState.open_existing(out) is None
    assert list(out.iterdir()) == []


def test_a_reader_cannot_write(tmp_path: Path) -> None:
    OutputState.open(tmp_path / "out").close()
    reader = OutputState.open_readonly(tmp_path / "out")
    assert reader is not None
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        reader.mark_pending("s1", [])
    reader.close()


def test_a_reader_of_an_older_folder_finds_what_it_has(tmp_path: Path) -> None:
    (tmp_path / "out" / "_state").mkdir(parents=True)
    with sqlite3.connect(tmp_path / "out" / "_state" / "state.sqlite") as old:
        old.execute("CREATE TABLE shards (shard_id TEXT PRIMARY KEY)")
        old.execute("INSERT INTO shards VALUES ('s1')")
    old.close()
    reader = OutputState.open_readonly(tmp_path / "out")
    assert reader is not None
    with reader:
        assert reader.shard_ids() == {"s1"}
        assert not reader.has_index()
        assert reader.page_count("wire") == 0 and reader.known_pages("wire") == frozenset()


def test_part_counts_are_kept_while_the_part_is_unchanged(tmp_path: Path) -> None:
    OutputState.open(tmp_path / "out").close()
    state = OutputState.open_existing(tmp_path / "out")
    assert state is not None and state.begin_part_counts()
    state.put_part_counts("articles/a.jsonl", 10, 1, b"counts a")
    state.put_part_counts("articles/b.jsonl", 20, 2, b"counts b")
    state.end_part_counts({"articles/a.jsonl", "articles/b.jsonl"})
    state.close()
    with OutputState.open_existing(tmp_path / "out") as state:
        assert state.begin_part_counts()
        assert state.part_counts("articles/a.jsonl", 10, 1) == b"counts a"
        assert state.part_counts("articles/a.jsonl", 11, 1) is None  # changed since
        state.end_part_counts({"articles/a.jsonl"})  # b is gone
    with OutputState.open_existing(tmp_path / "out") as state:
        assert state.begin_part_counts()
        assert state.part_counts("articles/b.jsonl", 20, 2) is None


def test_inputs_are_found_whole_or_by_their_pieces(tmp_path: Path) -> None:
    with OutputState.open(tmp_path / "out") as state:
        state.record_commit(shard_row("whole"), inputs("/raw/big.jsonl"), [], [])
        state.record_commit(shard_row("piece"), inputs("/raw/big.jsonl#records=1-9"), [], [])
        state.record_commit(
            shard_row("other"), inputs("/raw/big.jsonl2", "/raw/big.jsonl#x"), [], []
        )
        pieces = "/raw/big.jsonl#records="
        found = state.holders("mine", "/raw/big.jsonl#records=5-", "/raw/big.jsonl", pieces)
        assert sorted(found) == [
            ("piece", "/raw/big.jsonl#records=1-9"),
            ("whole", "/raw/big.jsonl"),
        ]
        assert state.holders("piece", "/raw/big.jsonl#records=1-9", "/raw/big.jsonl", pieces) == [
            ("whole", "/raw/big.jsonl")
        ]
        committed = state.committed_inputs("/raw/big.jsonl", pieces)
        assert sorted(committed) == [
            ("/raw/big.jsonl", 10, 1_000, "v1"),
            ("/raw/big.jsonl#records=1-9", 10, 1_000, "v1"),
        ]


def test_a_snapshot_is_a_whole_copy_of_the_open_database(tmp_path: Path) -> None:
    with OutputState.open(tmp_path / "out") as state:
        state.record_commit(shard_row("s1"), inputs("/raw/a.txt"), [kept(1, "/raw/a.txt")], [])
        copy = state.snapshot()
    assert copy.parent == tmp_path / "out" / "_state" and copy.name != "state.sqlite"
    copied = tmp_path / "copy"
    (copied / "_state").mkdir(parents=True)
    copy.rename(copied / "_state" / "state.sqlite")
    with OutputState.open(copied) as restored:
        assert restored.shard_ids() == {"s1"}
        assert [r.id for r in restored.same_hash("h1")] == ["a1"]
