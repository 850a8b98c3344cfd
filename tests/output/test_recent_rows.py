"""The committer's memory of its last rows: it answers only when SQLite would say the same."""

from __future__ import annotations

from presswash.output.index import NewRow
from presswash.output.recent_rows import RecentRows


def rows(*numbers: int) -> list[NewRow]:
    return [NewRow(f"a{n}", f"h{n}", f"/raw/{n}.txt", None, [n, n, 100 + n]) for n in numbers]


def test_rows_after_a_number_oldest_first_with_each_key_once() -> None:
    memory = RecentRows(bound=10)
    memory.add(1, rows(1, 2, 3), removed=0)
    found = memory.after(1, newest=3, removed=0)
    assert found is not None
    assert [(r.n, r.id, r.keys) for r in found] == [(2, "a2", (2, 102)), (3, "a3", (3, 103))]
    assert memory.after(3, newest=3, removed=0) == []


def test_no_answer_when_the_index_moved_without_it() -> None:
    memory = RecentRows(bound=10)
    memory.add(5, rows(5, 6), removed=2)
    assert memory.after(4, newest=7, removed=2) is None  # another writer added row 7
    assert memory.after(4, newest=6, removed=3) is None  # a row was removed since
    assert memory.after(3, newest=6, removed=2) is None  # row 4 was never remembered
    assert memory.after(4, newest=6, removed=2) is not None


def test_rows_that_do_not_follow_or_follow_a_removal_start_it_afresh() -> None:
    memory = RecentRows(bound=10)
    memory.add(1, rows(1, 2), removed=0)
    memory.add(9, rows(9), removed=0)  # rows 3 to 8 came from elsewhere
    assert memory.after(8, newest=9, removed=0) is not None
    assert memory.after(1, newest=9, removed=0) is None
    memory.add(10, rows(10), removed=1)  # the commit that added row 10 removed one
    assert [r.n for r in memory.after(9, newest=10, removed=1) or ()] == [10]
    assert memory.after(8, newest=10, removed=1) is None


def test_it_keeps_the_newest_rows_up_to_its_bound() -> None:
    memory = RecentRows(bound=3)
    memory.add(1, rows(1, 2, 3, 4, 5), removed=0)
    assert len(memory) == 3
    assert memory.after(1, newest=5, removed=0) is None
    assert [r.n for r in memory.after(2, newest=5, removed=0) or ()] == [3, 4, 5]
