"""De-duplication decisions: the same whether the index is read early in a worker or at commit."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from presswash.output.state import OutputState
from presswash.parsers.neardup import pack, signature
from presswash.runner import lookups
from presswash.runner.dedup import Facts, ShardDeduper, look_up, sign
from presswash.runner.run import run_bare
from presswash.schemas.settings import Settings
from tests.articles import make_dump
from tests.conftest import read_jsonl
from tests.test_output import stable

WORDS = [f"w{i}" for i in range(400)]


def text(seed: int, words: int = 120) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) for _ in range(words))


def edited(original: str, seed: int, changes: int) -> str:
    rng = random.Random(seed)
    words = original.split()
    for _ in range(changes):
        words[rng.randrange(len(words))] = rng.choice(WORDS)
    return " ".join(words)


def record(n: int, body: str) -> dict:
    return {"id": f"a{n:04d}", "content_hash": f"h{hash(body) & 0xFFFFFFFF:x}", "text": body}


def facts_of(records: list[dict], shard: str) -> list[Facts]:
    return [sign(r, f"/raw/{shard}/{r['id']}.txt", near=True) for r in records]


def commit(state: OutputState, shard: str, records: list[dict]):
    """Decide a shard against the index as it is now, and add its kept articles."""
    staged = facts_of(records, shard)
    deduper = ShardDeduper(state, {f.input for f in staged}, 0.7)
    found = deduper.decide(staged, None)
    state.add_kept(shard, deduper.kept)
    return {n: (d.kept, d.similarity) for n, d in found.items()}


def corpus() -> list[list[dict]]:
    """Shards of originals, exact copies and light and heavy edits of earlier shards' texts."""
    rng = random.Random(7)
    originals = [text(seed) for seed in range(60)]
    shards: list[list[dict]] = []
    n = 0
    for s in range(6):
        rows = []
        for i in range(30):
            base = rng.choice(originals[: 10 * (s + 1)])
            kind = rng.random()
            body = base if kind < 0.2 else edited(base, n, 3 if kind < 0.6 else 40)
            if i < 10:
                body = originals[10 * s + i]
            rows.append(record(n, body))
            n += 1
        shards.append(rows)
    return shards


def test_lookups_from_before_other_commits_decide_as_lookups_at_commit(tmp_path: Path) -> None:
    shards = corpus()
    at_commit = OutputState.open(tmp_path / "a")
    early = OutputState.open(tmp_path / "b")
    expected = [commit(at_commit, f"s{i}", rows) for i, rows in enumerate(shards[:2])]
    got = [commit(early, f"s{i}", rows) for i, rows in enumerate(shards[:2])]
    # the later shards are looked up now, then committed after one another
    seen = early.watermark()
    staged = [facts_of(rows, f"s{i + 2}") for i, rows in enumerate(shards[2:])]
    for facts_list in staged:
        for facts in facts_list:
            look_up(early, facts, seen.row)
    # and a replaced shard removes rows the early look-ups had seen
    for state in (at_commit, early):
        state.forget_kept(["s0"], [])
    for i, (rows, facts_list) in enumerate(zip(shards[2:], staged, strict=True)):
        expected.append(commit(at_commit, f"s{i + 2}", rows))
        deduper = ShardDeduper(early, {f.input for f in facts_list}, 0.7)
        found = deduper.decide(facts_list, seen)
        early.add_kept(f"s{i + 2}", deduper.kept)
        got.append({n: (d.kept, d.similarity) for n, d in found.items()})
    assert got == expected
    assert sum(len(found) for found in expected) > 40, "the corpus must hold many duplicates"
    assert any(s is not None for found in expected[2:] for _, s in found.values())


def test_an_index_of_version_0_2_is_moved_into_the_new_tables(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "_state").mkdir(parents=True)
    old = sqlite3.connect(out / "_state" / "state.sqlite")
    old.executescript(
        """
        CREATE TABLE hashes (content_hash TEXT PRIMARY KEY, id TEXT, shard_id TEXT, input TEXT);
        CREATE TABLE sigs (id TEXT, sig BLOB, shard_id TEXT, input TEXT);
        CREATE TABLE near (band INTEGER, key INTEGER, id TEXT, shard_id TEXT, input TEXT);
        """
    )
    sig = signature(text(1))
    assert sig is not None
    old.execute("INSERT INTO hashes VALUES ('h1', 'a1', 's1', '/raw/1.txt')")
    old.execute("INSERT INTO hashes VALUES ('h2', 'a2', 's1', '/raw/2.txt')")
    old.execute("INSERT INTO sigs VALUES ('a1', ?, 's1', '/raw/1.txt')", (pack(sig),))
    # more than one batch of the move, over two shards
    old.executemany(
        "INSERT INTO hashes VALUES (?, ?, ?, ?)",
        ((f"x{i}", f"b{i}", f"s{2 + i // 700}", f"/raw/b{i}.txt") for i in range(1500)),
    )
    old.commit()
    old.close()

    state = OutputState.open(out)
    conn = state.conn  # the tables on disk, as they are
    tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
    assert not tables & {"hashes", "sigs", "near"}
    assert conn.execute(
        "SELECT id, content_hash, sig IS NOT NULL FROM kept ORDER BY n LIMIT 2"
    ).fetchall() == [
        ("a1", "h1", 1),
        ("a2", "h2", 0),
    ]
    moved = conn.execute("SELECT id, shard_id FROM kept ORDER BY n").fetchall()
    assert moved[2:] == [(f"b{i}", f"s{2 + i // 700}") for i in range(1500)]
    assert conn.execute("SELECT COUNT(*) FROM bands").fetchone()[0] == 16
    copy = sign(record(9, edited(text(1), 9, 2)), "/raw/9.txt", near=True)
    deduper = ShardDeduper(state, {"/raw/9.txt"}, 0.7)
    (found,) = deduper.decide([look_up(state, copy)], None).values()
    assert found.kept == "a1"


def test_worker_lookups_and_committer_lookups_write_the_same_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = tmp_path / "raw"
    for n in range(60):
        folder = raw / "wire" / f"2025-03-0{1 + n % 2}"
        folder.mkdir(parents=True, exist_ok=True)
        body = make_dump(n % 25)
        if n >= 25:
            body = body.replace(" the ", " a ", 1 + n % 3)
        (folder / f"page-{n:03d}.txt").write_text(body, encoding="utf-8")
    pool = run_bare(
        [str(raw)], Settings(out=tmp_path / "pool", run={"workers": 2, "shard_files": 4})
    )
    monkeypatch.setattr(lookups.OutputState, "open_readonly", staticmethod(lambda out: None))
    alone = run_bare(
        [str(raw)], Settings(out=tmp_path / "alone", run={"in_process": True, "shard_files": 4})
    )
    assert pool.rejected_by_reason == alone.rejected_by_reason
    assert pool.rejected_by_reason["duplicate"] >= 30
    for kind in ("articles", "rejected"):
        assert stable(read_jsonl(tmp_path / "pool" / kind)) == stable(
            read_jsonl(tmp_path / "alone" / kind)
        )
