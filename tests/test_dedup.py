"""De-duplication decisions: the same whether the index is read early in a worker or at commit."""

from __future__ import annotations

import os
import random
import sqlite3
from pathlib import Path

import pytest

from presswash.output.state import OutputState
from presswash.parsers.neardup import band_keys, pack, signature, similarity, titles_agree
from presswash.runner import lookups
from presswash.runner.dedup import Facts, ShardDeduper, look_up, sign
from presswash.runner.run import run_bare
from presswash.schemas.settings import Settings
from tests.articles import make_dump
from tests.conftest import presswash, read_jsonl
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


def record(n: int, body: str, title: str | None = None, url: str | None = None) -> dict:
    return {
        "id": f"a{n:04d}",
        "content_hash": f"h{hash(body) & 0xFFFFFFFF:x}",
        "text": body,
        "title": title,
        "url": url,
    }


def facts_of(records: list[dict], shard: str) -> list[Facts]:
    return [sign(r, f"/raw/{shard}/{r['id']}.txt", near=True) for r in records]


def commit(state: OutputState, shard: str, records: list[dict]):
    """Decide a shard against the index as it is now, and add its kept articles."""
    staged = facts_of(records, shard)
    deduper = ShardDeduper(state, {f.input for f in staged}, 0.7)
    found = deduper.decide(staged, None)
    state.add_kept(shard, deduper.kept)
    return {n: (d.kept, d.similarity) for n, d in found.items()}


def story(seed: int) -> str:
    return text(1000 + seed, words=6)


def copy_title(rng: random.Random, seed: int) -> str | None:
    """A copy's title: its original's, none, or another story's (a page of the same furniture)."""
    kind = rng.random()
    if kind < 0.5:
        return story(seed)
    return None if kind < 0.7 else story(seed + 100)


def corpus() -> list[list[dict]]:
    """Shards of originals, exact copies and light and heavy edits of earlier shards' texts,
    under their original's title, no title, or another one.
    """
    rng = random.Random(7)
    originals = [text(seed) for seed in range(60)]
    shards: list[list[dict]] = []
    n = 0
    for s in range(6):
        rows = []
        for i in range(30):
            seed = rng.randrange(10 * (s + 1))
            kind = rng.random()
            body = (
                originals[seed]
                if kind < 0.2
                else edited(originals[seed], n, 3 if kind < 0.6 else 40)
            )
            title = copy_title(rng, seed)
            if i < 10:
                body, title = originals[10 * s + i], story(10 * s + i)
            rows.append(record(n, body, title))
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
    # no near copy has a title that disagrees with its kept article's, in both ways of looking
    # up, though without the titles several would have
    untitled = OutputState.open(tmp_path / "c")
    blind = [
        commit(untitled, f"s{i}", [{**row, "title": None} for row in rows])
        for i, rows in enumerate(shards)
    ]
    assert disagreeing(shards, expected) == []
    assert len(disagreeing(shards, blind)) > 5


def disagreeing(shards: list[list[dict]], found: list[dict]) -> list[tuple[str, str]]:
    """The near duplicates whose title disagrees with the kept article's: (copy, kept)."""
    titles = {row["id"]: row["title"] for rows in shards for row in rows}
    return [
        (rows[number]["id"], kept)
        for rows, decided in zip(shards, found, strict=True)
        for number, (kept, score) in decided.items()
        if score is not None and not titles_agree(rows[number]["title"], titles[kept])
    ]


HONG_KONG = "https://ledger.example/opinion/hong-kong"
HOME = "https://www.ledger.example/"


@pytest.mark.parametrize(
    ("first_url", "title", "url", "duplicate"),
    [
        # another story on another page, its text mostly the same furniture
        (HONG_KONG, "Prince Andrew's titles should go", "https://ledger.example/a", False),
        # the same story re-published, the site's name added to the headline
        (HONG_KONG, "Hong Kong deserves better | The Ledger", "https://wire.example/b", True),
        # nothing to tell the stories apart by
        (HONG_KONG, None, "https://ledger.example/a", True),
        # the same page fetched again after its headline was rewritten: an update
        (
            HONG_KONG,
            "Prince Andrew's titles should go",
            "http://ledger.example/opinion/hong-kong/",
            True,
        ),
        # every page names the home page: that is no page of one story
        (HOME, "Prince Andrew's titles should go", "https://ledger.example", False),
    ],
)
@pytest.mark.parametrize("shards", [1, 2])
def test_a_near_copy_must_name_the_same_story(
    tmp_path: Path, first_url: str, title: str | None, url: str, duplicate: bool, shards: int
) -> None:
    body = text(1)
    copy = edited(body, 13, 4)
    assert 0.75 <= similarity(signature(body), signature(copy)) <= 0.85
    rows = [record(1, body, "Hong Kong deserves better", first_url), record(2, copy, title, url)]
    state = OutputState.open(tmp_path / "out")
    if shards == 1:
        found = commit(state, "s1", rows)
    else:  # the first is in the index, the second in a later shard
        assert commit(state, "s1", rows[:1]) == {}
        found = {n + 1: d for n, d in commit(state, "s2", rows[1:]).items()}
    assert found == ({1: ("a0001", pytest.approx(0.8, abs=0.05))} if duplicate else {})


@pytest.mark.parametrize("shards", [1, 2])
@pytest.mark.parametrize(
    ("words", "title", "url", "furniture"),
    [
        # the same short text on another page of the site, under another story's title
        (100, "Kayaks", "https://shop.example/c/kayaks", True),
        # the same story under a headline that names it, or with no title: a copy
        (100, "Camp stoves: top rated", "https://shop.example/c/stoves-2", False),
        (100, None, "https://shop.example/c/kayaks", False),
        # the same page fetched again, or a copy on another site (syndicated): a copy
        (100, "Kayaks", "https://shop.example/c/camp-stoves/", False),
        (100, "Kayaks", "https://other.example/c/kayaks", False),
        # a text as long as a story is a copy of one, whatever its headline
        (400, "Kayaks", "https://shop.example/c/kayaks", False),
    ],
)
def test_an_exact_copy_of_short_site_furniture_under_another_title_is_no_article(
    tmp_path: Path, words: int, title: str | None, url: str, furniture: bool, shards: int
) -> None:
    body = text(5, words=words)
    first = record(1, body, "Camp Stoves", "https://www.shop.example/c/camp-stoves")
    rows = [first | {"word_count": words}, record(2, body, title, url) | {"word_count": words}]
    state = OutputState.open(tmp_path / "out")
    staged = facts_of(rows, "s1")
    if shards == 1:
        found = ShardDeduper(state, {f.input for f in staged}, 0.7).decide(staged, None)
    else:  # the first is in the index, the second in a later shard
        assert commit(state, "s1", rows[:1]) == {}
        later = facts_of(rows[1:], "s2")
        found = ShardDeduper(state, {f.input for f in later}, 0.7).decide(later, None)
        found = {n + 1: d for n, d in found.items()}
    (duplicate,) = found.values()
    assert (duplicate.kept, duplicate.furniture) == ("a0001", furniture)
    assert ("furniture" in duplicate.detail()) == furniture


def test_an_index_of_version_0_3_gains_titles_and_its_rows_agree_with_any(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "_state").mkdir(parents=True)
    old = sqlite3.connect(out / "_state" / "state.sqlite")
    old.executescript(
        """
        CREATE TABLE kept (
            n INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, content_hash TEXT NOT NULL,
            sig BLOB, shard_id TEXT NOT NULL, input TEXT NOT NULL
        );
        CREATE TABLE bands (key INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (key, n))
            WITHOUT ROWID;
        CREATE TABLE removals (count INTEGER NOT NULL);
        INSERT INTO removals VALUES (0);
        """
    )
    sig = signature(text(1))
    assert sig is not None
    old.execute(
        "INSERT INTO kept(id, content_hash, sig, shard_id, input) VALUES (?, ?, ?, ?, ?)",
        ("a0001", "h1", pack(sig), "s0", "/raw/s0/a0001.txt"),
    )
    old.executemany("INSERT INTO bands VALUES (?, 1)", ((key,) for key in band_keys(sig)))
    old.commit()
    old.close()

    state = OutputState.open(out)
    columns = {row[1] for row in state.conn.execute("PRAGMA table_info(kept)")}
    assert {"title", "url"} <= columns
    # the old row has no title: a near copy under any headline is still its duplicate
    copy = record(2, edited(text(1), 13, 4), "Prince Andrew's titles should go")
    assert commit(state, "s1", [copy]) == {0: ("a0001", pytest.approx(0.8, abs=0.05))}
    # what is indexed now has its title: a near copy under another headline is kept
    fresh = record(3, text(2), "Storm closes the coast road")
    assert commit(state, "s2", [fresh]) == {}
    other = record(4, edited(text(2), 13, 4), "Prince Andrew's titles should go")
    assert similarity(signature(fresh["text"]), signature(other["text"])) >= 0.7
    assert commit(state, "s3", [other]) == {}
    assert state.conn.execute("SELECT id, title FROM kept ORDER BY n").fetchall() == [
        ("a0001", None),
        ("a0003", "Storm closes the coast road"),
        ("a0004", "Prince Andrew's titles should go"),
    ]
    state.close()
    # opened again, nothing is left to migrate
    OutputState.open(out).close()


# The standfirsts of a site's "More from Opinion" block: what extraction keeps of a page
# whose own text it misses, the same on every page of the section.
MORE = [
    "Ministers defend the new budget as the opposition calls for a vote on spending cuts.",
    "The harbour ferry returns after a winter of repairs, with longer evening crossings.",
    "A teacher who founded the town's first robotics club retires after thirty years.",
    "Rail operators promise fewer cancellations once the new timetable starts in autumn.",
    "Farmers warn that the dry spring could push up the price of vegetables at markets.",
    "The museum's night opening draws record crowds to its exhibition of sea paintings.",
    "Volunteers plant two thousand trees along the river path in a weekend of work.",
    "Doctors urge parents to book vaccinations early as the clinic extends its hours.",
]


def opinion_page(headline: str, slug: str, own: str) -> str:
    """An opinion page of a made-up site: one paragraph of its own, then the More block."""
    more = "\n".join(f"<p>{line}</p>" for line in MORE)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{headline} | The Ledger</title>
<meta property="og:title" content="{headline}">
<meta property="og:site_name" content="The Ledger">
<link rel="canonical" href="https://ledger.example/opinion/{slug}">
</head><body><nav><a href="/">Home</a> <a href="/opinion">Opinion</a></nav>
<article><h1>{headline}</h1><p class="byline">By Ann Writer</p>
<p>{own}</p><h2>More from Opinion</h2>
{more}
</article><footer>Copyright 2025 The Ledger</footer></body></html>"""


def test_pages_of_one_site_with_other_headlines_are_not_duplicates_of_its_furniture(
    tmp_path: Path,
) -> None:
    site = tmp_path / "raw" / "ledger"
    site.mkdir(parents=True)
    hong_kong = "The city's freedoms are worth defending, and the world should say so {}."
    pages = {
        "a-hong-kong": ("Hong Kong deserves better than this", hong_kong.format("clearly")),
        "b-prince-andrew": ("Prince Andrew's titles should go", "The palace waited too long."),
        # the first piece again, syndicated under its own headline with a word changed
        "c-hong-kong-again": ("Hong Kong deserves better than this", hong_kong.format("loudly")),
    }
    for name, (headline, own) in pages.items():
        (site / f"{name}.html").write_text(opinion_page(headline, name, own), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")
    out = tmp_path / "out"
    done = presswash(["clean", str(tmp_path / "raw"), "--out", str(out)], env)
    assert done.returncode == 0, done.stderr
    articles = {r["source"]["uri"]: r for r in read_jsonl(out / "articles")}
    first, second = articles["ledger/a-hong-kong.html"], articles["ledger/b-prince-andrew.html"]
    assert similarity(signature(first["text"]), signature(second["text"])) >= 0.7
    (copy,) = read_jsonl(out / "rejected")
    assert copy["source"]["uri"] == "ledger/c-hong-kong-again.html"
    assert (copy["reason"], copy["duplicate_of"]) == ("duplicate", first["id"])
    assert copy["detail"].startswith("Nearly the same text")


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


def retitled(body: str, n: int) -> str:
    """A dump with another story's headline over the same text: a page of a site's furniture."""
    lines = body.split("\n")
    lines[3] = f"Why our ferry timetable must change, a column by reader {n}"
    return "\n".join(lines)


def test_worker_lookups_and_committer_lookups_write_the_same_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = tmp_path / "raw"
    for n in range(70):
        folder = raw / "wire" / f"2025-03-0{1 + n % 2}"
        folder.mkdir(parents=True, exist_ok=True)
        body = make_dump(n % 25)
        if n >= 60:
            body = retitled(body, n)
        if n >= 25:
            body = body.replace(" the ", " a ", 1 + n % 3)
        (folder / f"page-{n:03d}.txt").write_text(body, encoding="utf-8")
    runs = {
        "pool": {"workers": 2, "shard_files": 4},
        "one": {"workers": 1, "shard_files": 4},
    }
    summaries = {
        name: run_bare([str(raw)], Settings(out=tmp_path / name, run=run))
        for name, run in runs.items()
    }
    monkeypatch.setattr(lookups.OutputState, "open_readonly", staticmethod(lambda out: None))
    summaries["alone"] = run_bare(
        [str(raw)], Settings(out=tmp_path / "alone", run={"in_process": True, "shard_files": 4})
    )
    assert summaries["pool"].rejected_by_reason["duplicate"] >= 30
    for name in ("one", "alone"):
        assert summaries[name].rejected_by_reason == summaries["pool"].rejected_by_reason
        for kind in ("articles", "rejected"):
            assert stable(read_jsonl(tmp_path / name / kind)) == stable(
                read_jsonl(tmp_path / "pool" / kind)
            )
    # the pages under another headline are kept, though each text is a near copy of another
    articles = read_jsonl(tmp_path / "pool" / "articles")
    pages = [r for r in articles if r["title"].startswith("Why our ferry timetable")]
    assert len(pages) == 10
    for page in pages:
        sig = signature(page["text"])
        others = [r["text"] for r in articles if r not in pages]
        assert max(similarity(sig, signature(other)) for other in others) >= 0.7
