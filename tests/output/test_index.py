"""The de-duplication index of an output folder: rows numbered in commit order, never reused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from presswash.output.index import BUCKET_ROWS, NewRow, Watermark
from presswash.output.state import OutputState
from presswash.parsers.neardup import BANDS

SHARED_KEY = 7


def keys_of(number: int, shared: bool = False) -> list[int]:
    """Band keys of one article: its own in every band, or the shared key in band 0."""
    own = [10_000 * band + number for band in range(BANDS)]
    return [SHARED_KEY, *own[1:]] if shared else own


def row(number: int, digest: str | None = None, shared: bool = False) -> NewRow:
    return NewRow(
        f"a{number}",
        digest or f"h{number}",
        f"/raw/{number}.txt",
        bytes([number]),
        keys_of(number, shared),
        f"Story {number}",
        f"https://example.org/{number}",
    )


@pytest.fixture
def state(tmp_path: Path) -> Iterator[OutputState]:
    opened = OutputState.open(tmp_path / "out")
    yield opened
    opened.close()


def test_rows_are_numbered_in_commit_order_and_found_by_hash(state: OutputState) -> None:
    state.add_kept("s1", [row(1, "same"), row(2)])
    state.add_kept("s2", [row(3, "same")])
    assert [(r.n, r.id, r.input) for r in state.same_hash("same")] == [
        (1, "a1", "/raw/1.txt"),
        (3, "a3", "/raw/3.txt"),
    ]
    assert [r.n for r in state.same_hash("same", after=1)] == [3]
    assert [r.n for r in state.same_hash("same", upto=2)] == [1]
    assert state.same_hash("other") == []


def test_a_bucket_holds_the_oldest_rows_sharing_a_key(state: OutputState) -> None:
    state.add_kept("s1", [row(n, shared=True) for n in range(1, BUCKET_ROWS + 5)])
    found = state.buckets(keys_of(99, shared=True))
    assert found[0] == list(range(1, BUCKET_ROWS + 1))
    assert found[1:] == [[] for _ in range(BANDS - 1)]
    assert state.buckets(keys_of(99, shared=True), after=3)[0] == list(range(4, BUCKET_ROWS + 4))
    assert state.buckets(keys_of(99, shared=True), upto=2)[0] == [1, 2]
    assert state.buckets(keys_of(5))[3] == [5]  # a row's own key in another band


def test_forgetting_removes_rows_by_shard_and_by_input_and_counts_them(
    state: OutputState,
) -> None:
    state.add_kept("s1", [row(1), row(2)])
    state.add_kept("s2", [row(3), row(4)])
    before = state.watermark()
    state.forget_kept(["s1"], ["/raw/4.txt"])
    assert set(state.rows(range(1, 5), sigs=False)) == {3}
    assert state.buckets(keys_of(1))[0] == []
    assert state.removed_count() == 3
    # the next row is numbered after every row ever added: a reader's numbers stay valid
    state.add_kept("s3", [row(5)])
    assert state.same_hash("h5")[0].n == 5
    assert state.watermark() == Watermark(5, 3)
    assert before == Watermark(4, 0)


def test_rows_bring_signatures_only_when_asked(state: OutputState) -> None:
    state.add_kept("s1", [row(1), NewRow("a2", "h2", "/raw/2.txt", None, None)])
    first = state.rows([1, 2, 9], sigs=True)[1]
    assert (first.sig, first.title, first.url) == (b"\x01", "Story 1", "https://example.org/1")
    assert state.rows([2], sigs=True)[2].sig is None
    assert state.rows([2], sigs=True)[2].title is None
    assert state.rows([1], sigs=False)[1].sig is None


def test_newer_rows_come_with_their_keys_unless_there_are_too_many(state: OutputState) -> None:
    state.add_kept("s1", [row(1), row(2), row(3)])
    newer = state.newer_than(1, limit=5)
    assert newer is not None
    kept, keys = newer
    assert [(row.n, row.id, digest) for digest, row in kept] == [(2, "a2", "h2"), (3, "a3", "h3")]
    assert [row.title for _, row in kept] == ["Story 2", "Story 3"]
    assert sorted(keys) == sorted((key, n) for n in (2, 3) for key in keys_of(n))
    assert state.newer_than(0, limit=2) is None


def test_a_reader_sees_the_index_as_committed(tmp_path: Path) -> None:
    writer = OutputState.open(tmp_path / "out")
    writer.add_kept("s1", [row(1)])
    reader = OutputState.open_readonly(tmp_path / "out")
    assert reader is not None and reader.has_index()
    seen = reader.watermark()
    writer.add_kept("s2", [row(2)])
    assert seen == Watermark(1, 0)
    assert reader.watermark() == Watermark(2, 0)
    assert [r.n for r in reader.same_hash("h2", after=seen.row)] == [2]
    reader.close()
    writer.close()


def _newer(state: OutputState, after: int) -> tuple[list, list] | None:
    found = state.newer_than(after, limit=1_000)
    if found is None:
        return None
    kept, keys = found
    return [(digest, row) for digest, row in kept], sorted(keys)


def test_the_committer_answers_from_memory_as_the_index_would(tmp_path: Path) -> None:
    writer = OutputState.open(tmp_path / "out")
    writer.add_kept("s1", [row(1), row(2, "same")])
    writer.add_kept("s2", [row(3, "same"), NewRow("a4", "h4", "/raw/4.txt", None, None)])
    # two bands with the same key: the index stores (key, n) once, and so does memory
    writer.add_kept("s3", [NewRow("a5", "h5", "/raw/5.txt", b"\x05", [9, 9, 8])])
    reader = OutputState.open(tmp_path / "out")  # remembers nothing: reads SQLite
    for after in range(6):
        assert writer.remembered.after(after, 5, 0) is not None
        assert _newer(writer, after) == _newer(reader, after)


def test_memory_gives_way_to_the_index_after_another_writer_or_a_removal(tmp_path: Path) -> None:
    first = OutputState.open(tmp_path / "out")
    other = OutputState.open(tmp_path / "out")
    first.add_kept("s1", [row(1), row(2)])
    other.add_kept("s2", [row(3)])  # another process's commit: not in first's memory
    assert [r.n for _, r in first.newer_than(1, limit=10)[0]] == [2, 3]  # type: ignore[index]
    first.add_kept("s3", [row(4)])
    first.forget_kept(["s3"], [])  # row 4 is gone: memory must not bring it back
    assert [r.n for _, r in first.newer_than(1, limit=10)[0]] == [2, 3]  # type: ignore[index]
