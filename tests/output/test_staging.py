"""Staging: a run's claim on its folder, and a shard's staged records surviving a dead worker."""

from __future__ import annotations

from pathlib import Path

import orjson

from presswash.output.staging import (
    ShardWriter,
    StagedFiles,
    StagingClaim,
    remove_abandoned,
    staged_outcomes,
)


def test_only_the_folders_of_runs_that_died_are_removed(tmp_path: Path) -> None:
    root = tmp_path / "_staging"
    live = StagingClaim(root / "live-run")
    dead = StagingClaim(root / "dead-run")
    dead.release()
    (root / "older-version-run").mkdir()  # no claim file at all
    mine = root / "this-run"
    mine.mkdir()
    assert remove_abandoned(root, keep=mine) == 2
    assert sorted(p.name for p in root.iterdir()) == ["live-run", "this-run"]
    live.release()
    assert remove_abandoned(root, keep=mine) == 1
    assert [p.name for p in root.iterdir()] == ["this-run"]


def test_a_missing_staging_root_removes_nothing(tmp_path: Path) -> None:
    assert remove_abandoned(tmp_path / "nowhere", keep=tmp_path / "nowhere" / "run") == 0


def test_staged_records_are_read_back_whole_and_appended_to_on_resume(tmp_path: Path) -> None:
    files = StagedFiles.for_shard(tmp_path / "run", "abc")
    with ShardWriter(files) as writer:
        writer.article({"id": "a1"})
        writer.article({"id": "a2"})
        writer.rejection({"reason": "empty"})
    with open(files.articles, "ab") as handle:  # the worker died half way through a line
        handle.write(b'{"id": "a3", "te')
    assert staged_outcomes(files) == 3
    assert files.articles.read_bytes().endswith(b'"a2"}\n'), "the torn line is cut off"
    with ShardWriter(files, resume=True) as writer:
        writer.article({"id": "a3"})
    lines = files.articles.read_bytes().splitlines()
    assert [orjson.loads(line)["id"] for line in lines] == ["a1", "a2", "a3"]
    with ShardWriter(files) as writer:  # a new attempt from the start
        writer.article({"id": "b1"})
    assert staged_outcomes(files) == 1


def test_a_shard_says_which_attempt_runs_it_and_names_every_file_to_remove(tmp_path: Path) -> None:
    files = StagedFiles.for_shard(tmp_path / "run", "abc")
    assert files.attempt_marker() is None
    files.mark_attempt("attempt-2")
    assert files.attempt_marker() == "attempt-2"
    names = {path.name for path in files.all()}
    assert {"abc.articles.jsonl", "abc.rejected.jsonl", "abc.facts.jsonl"} <= names
    assert any(path.exists() for path in files.all())
    assert staged_outcomes(files) == 0  # nothing staged yet
