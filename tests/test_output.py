"""The output contract, through the bare runner: atomic parts, re-runs, duplicates, crashes."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from presswash.runner import commit as commit_module
from presswash.runner.run import run_bare
from presswash.schemas.records import Article, Rejection
from presswash.schemas.settings import Settings
from tests.articles import make_dump
from tests.conftest import read_jsonl

VOLATILE = ("ingested_at", "rejected_at")


def stable(records: list[dict]) -> list[str]:
    """Records with run-time stamps removed, in a canonical order."""
    return sorted(
        json.dumps({k: v for k, v in r.items() if k not in VOLATILE}, sort_keys=True)
        for r in records
    )


def make_inputs(root: Path, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        folder = root / "courier" / f"2025-03-0{1 + n % 3}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"page-{n:03d}.txt").write_text(make_dump(n), encoding="utf-8")


def settings(out: Path, **run: int) -> Settings:
    """In-process cleaning: these tests are about the output, not the worker pool."""
    return Settings(out=out, run={"in_process": True, **run})


def test_records_validate_and_partitions_are_hive_style(tmp_path: Path) -> None:
    make_inputs(tmp_path / "raw", 6)
    (tmp_path / "raw" / "courier" / "bad.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(50))
    summary = run_bare([str(tmp_path / "raw")], settings(tmp_path / "out"))
    assert (summary.inputs, summary.accepted, summary.rejected) == (7, 6, 1)
    articles = read_jsonl(tmp_path / "out" / "articles")
    rejected = read_jsonl(tmp_path / "out" / "rejected")
    for record in articles:
        Article.model_validate(record)
    for record in rejected:
        Rejection.model_validate(record)
    dates = {p.parent.name for p in (tmp_path / "out" / "articles").rglob("*.jsonl")}
    assert dates == {"date=2025-03-01", "date=2025-03-02", "date=2025-03-03"}
    assert {p.parent.parent.name for p in (tmp_path / "out").rglob("part-*.jsonl")} == {
        "source_name=courier"
    }
    assert rejected[0]["reason"] == "binary" and rejected[0]["source"]["uri"] == "courier/bad.txt"
    assert not list((tmp_path / "out").rglob("*.tmp")), "temporary files left behind"
    assert not (tmp_path / "out" / "_staging").exists()


def test_rerun_leaves_the_same_records(tmp_path: Path) -> None:
    make_inputs(tmp_path / "raw", 5)
    out = tmp_path / "out"
    run_bare([str(tmp_path / "raw")], settings(out))
    first = stable(read_jsonl(out / "articles")), stable(read_jsonl(out / "rejected"))
    files = sorted(p.relative_to(out) for p in out.rglob("part-*.jsonl"))
    second_summary = run_bare([str(tmp_path / "raw")], settings(out))
    assert second_summary.rejected_by_reason.get("duplicate", 0) == 0
    assert (stable(read_jsonl(out / "articles")), stable(read_jsonl(out / "rejected"))) == first
    assert sorted(p.relative_to(out) for p in out.rglob("part-*.jsonl")) == files


def test_other_sharding_of_the_same_inputs_does_not_duplicate(tmp_path: Path) -> None:
    make_inputs(tmp_path / "raw", 6)
    out = tmp_path / "out"
    run_bare([str(tmp_path / "raw")], settings(out, shard_files=1))
    one_by_one = stable(read_jsonl(out / "articles"))
    run_bare([str(tmp_path / "raw")], settings(out, shard_files=50))
    assert stable(read_jsonl(out / "articles")) == one_by_one
    single = tmp_path / "raw" / "courier" / "2025-03-01" / "page-000.txt"
    run_bare([str(single)], settings(out))
    articles = read_jsonl(out / "articles")
    assert len(articles) == 6
    assert len({a["id"] for a in articles}) == 6


def test_exact_duplicates_keep_the_first_and_point_to_it(tmp_path: Path) -> None:
    raw = tmp_path / "raw" / "wire"
    raw.mkdir(parents=True)
    text = make_dump(7)
    (raw / "a.txt").write_text(text, encoding="utf-8")
    # the same article re-published: other header, other spacing, other bytes
    (raw / "b.txt").write_text("Other Site\n\n" + text.replace(". ", ".  "), encoding="utf-8")
    (raw / "c.txt.gz").write_bytes(gzip.compress(text.encode()))
    out = tmp_path / "out"
    summary = run_bare([str(tmp_path / "raw")], settings(out))
    assert (summary.accepted, summary.rejected_by_reason) == (1, {"duplicate": 2})
    (kept,) = read_jsonl(out / "articles")
    assert kept["source"]["uri"] == "wire/a.txt"
    duplicates = read_jsonl(out / "rejected")
    assert {d["duplicate_of"] for d in duplicates} == {kept["id"]}
    assert {d["stage"] for d in duplicates} == {"dedup"}


def test_duplicates_of_an_earlier_run_are_caught(tmp_path: Path) -> None:
    (tmp_path / "jan").mkdir()
    (tmp_path / "feb").mkdir()
    (tmp_path / "jan" / "story.txt").write_text(make_dump(11), encoding="utf-8")
    (tmp_path / "feb" / "copy.txt").write_text(make_dump(11) + "\nExtra footer\n", encoding="utf-8")
    out = tmp_path / "out"
    run_bare([str(tmp_path / "jan")], settings(out))
    (kept,) = read_jsonl(out / "articles")
    summary = run_bare([str(tmp_path / "feb")], settings(out))
    assert summary.rejected_by_reason == {"duplicate": 1}
    (duplicate,) = read_jsonl(out / "rejected")
    assert duplicate["duplicate_of"] == kept["id"]


def test_a_crash_mid_commit_is_undone_and_the_rerun_completes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_inputs(tmp_path / "raw", 6)
    clean_out = tmp_path / "uninterrupted"
    run_bare([str(tmp_path / "raw")], settings(clean_out, shard_files=2))
    expected = stable(read_jsonl(clean_out / "articles"))

    out = tmp_path / "out"
    calls = {"n": 0}
    real = commit_module._supersede

    def crash_on_second(*args, **kwargs):  # after files moved, before the state is recorded
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt("killed")
        return real(*args, **kwargs)

    monkeypatch.setattr(commit_module, "_supersede", crash_on_second)
    with pytest.raises(KeyboardInterrupt):
        run_bare([str(tmp_path / "raw")], settings(out, shard_files=2))
    monkeypatch.setattr(commit_module, "_supersede", real)
    for path in (out / "articles").rglob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            json.loads(line)  # every visible file is whole
    run_bare([str(tmp_path / "raw")], settings(out, shard_files=2))
    assert stable(read_jsonl(out / "articles")) == expected


def test_summary_counts_add_up(tmp_path: Path) -> None:
    make_inputs(tmp_path / "raw", 3)
    (tmp_path / "raw" / "empty.txt").write_bytes(b"")
    (tmp_path / "raw" / "export.jsonl").write_text(
        '{"text": "The council met on Monday evening and agreed to repair the old stone bridge '
        'before the winter storms arrive."}\n{"broken\n'
    )
    summary = run_bare([str(tmp_path / "raw")], settings(tmp_path / "out"))
    assert summary.inputs == summary.accepted + summary.rejected == 6
    assert summary.rejected_by_reason == {"empty": 1, "too_short": 1, "invalid_record": 1}
    assert summary.languages == {"en": 3}
    saved = json.loads((tmp_path / "out" / "runs" / f"{summary.run_id}.json").read_text())
    assert saved["inputs"] == 6 and saved["status"] == "finished"


def test_near_duplicates_point_to_the_kept_article(tmp_path: Path) -> None:
    raw = tmp_path / "raw" / "wire"
    raw.mkdir(parents=True)
    text = make_dump(21)
    (raw / "a.txt").write_text(text, encoding="utf-8")
    edited = text.replace("Officials said", "Officials told reporters").replace(" the ", " a ", 2)
    assert edited != text
    (raw / "b.txt").write_text(edited, encoding="utf-8")
    (raw / "c.txt").write_text(make_dump(22), encoding="utf-8")
    out = tmp_path / "out"
    summary = run_bare([str(tmp_path / "raw")], settings(out))
    assert (summary.accepted, summary.rejected_by_reason) == (2, {"duplicate": 1})
    (duplicate,) = read_jsonl(out / "rejected")
    kept = {a["source"]["uri"]: a for a in read_jsonl(out / "articles")}
    assert duplicate["source"]["uri"] == "wire/b.txt"
    assert duplicate["duplicate_of"] == kept["wire/a.txt"]["id"]
    assert "Nearly the same text" in duplicate["detail"]
    assert all("_minhash" not in a for a in kept.values())

    again = run_bare([str(tmp_path / "raw")], settings(out))
    assert again.rejected_by_reason == {"duplicate": 1}, "a re-run is never its own duplicate"

    off = Settings(
        out=tmp_path / "off", run={"in_process": True}, cleaning={"near_duplicate_threshold": None}
    )
    assert run_bare([str(tmp_path / "raw")], off).accepted == 3


def test_a_folder_named_like_a_glob_is_read_as_the_folder(tmp_path: Path) -> None:
    from presswash.sources.inputs import iter_inputs

    root = tmp_path / "raw [2024] #1?"
    (root / "courier").mkdir(parents=True)
    (root / "courier" / "a.txt").write_text(make_dump(1), encoding="utf-8")
    found = list(iter_inputs([str(root)]))
    assert [(f.source_name, f.rel) for f in found] == [("courier", "courier/a.txt")]
