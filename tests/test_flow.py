"""The clean flow called from Python, as a deployment or a notebook would."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

import pytest

from presswash.schemas.settings import Settings
from tests.articles import make_dump
from tests.conftest import read_jsonl
from tests.test_output import stable

pytestmark = pytest.mark.slow


def test_flow_is_importable_and_publishes_its_summary(prefect_api_url: str, tmp_path: Path) -> None:
    from prefect.client.orchestration import get_client

    from presswash.flows.clean import clean_flow

    src = tmp_path / "raw" / "site"
    src.mkdir(parents=True)
    for n in range(12):
        (src / f"p{n}.txt").write_text(make_dump(100 + n))
    settings = Settings(out=tmp_path / "out", run={"shard_files": 5})
    summary = clean_flow([str(tmp_path / "raw")], settings)
    assert (summary.inputs, summary.accepted, summary.shards) == (12, 12, 3)
    assert len(read_jsonl(tmp_path / "out" / "articles")) == 12
    assert summary.prefect_flow_run_id

    async def artifact_markdown() -> str:
        async with get_client() as client:
            response = await client._client.post(
                "/artifacts/filter",
                json={
                    "artifacts": {"key": {"any_": ["presswash-clean-summary"]}},
                    "limit": 50,
                    "offset": 0,
                    "sort": "CREATED_DESC",
                },
            )
            response.raise_for_status()
            found = response.json()
            return next(a["data"] for a in found if summary.run_id in (a["description"] or ""))

    markdown = asyncio.run(artifact_markdown())
    assert "| accepted | 12 |" in markdown
    assert "report.html" in markdown and (tmp_path / "out" / "report.html").is_file()


def test_two_workers_give_the_same_records(prefect_api_url: str, tmp_path: Path) -> None:
    from presswash.flows.clean import clean_flow

    src = tmp_path / "raw"
    src.mkdir()
    for n in range(8):
        (src / f"p{n}.txt").write_text(make_dump(200 + n))
    one = clean_flow([str(src)], Settings(out=tmp_path / "one", run={"shard_files": 2}))
    two = clean_flow(
        [str(src)], Settings(out=tmp_path / "two", run={"shard_files": 2, "workers": 2})
    )
    assert one.accepted == two.accepted == 8

    def texts(folder: Path) -> list[str]:
        return sorted(a["text"] for a in read_jsonl(folder / "articles"))

    assert texts(tmp_path / "one") == texts(tmp_path / "two")


def test_a_commit_retried_by_prefect_completes_the_run(
    prefect_api_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from presswash.flows.clean import clean_flow
    from presswash.runner import commit as commit_module

    src = tmp_path / "raw"
    src.mkdir()
    for n in range(4):
        (src / f"p{n}.txt").write_text(make_dump(500 + n))
    real = commit_module._supersede
    failures = {"left": 1}

    def flaky_disk(*args, **kwargs):  # after the files moved, before the state is recorded
        if failures["left"]:
            failures["left"] -= 1
            raise OSError(errno.EIO, "Input/output error")
        return real(*args, **kwargs)

    monkeypatch.setattr(commit_module, "_supersede", flaky_disk)
    settings = Settings(out=tmp_path / "out", run={"shard_files": 2, "in_process": True})
    summary = clean_flow([str(src)], settings)
    assert failures["left"] == 0
    assert (summary.status, summary.inputs, summary.accepted) == ("finished", 4, 4)
    articles = read_jsonl(tmp_path / "out" / "articles")
    assert len(articles) == 4 == len({a["id"] for a in articles})


def test_one_documents_bug_rejects_only_that_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from presswash.parsers import pipeline
    from presswash.runner.run import run_bare

    src = tmp_path / "raw"
    src.mkdir()
    for n in range(3):
        (src / f"p{n}.txt").write_text(make_dump(600 + n))
    *before, last = pipeline.STEPS

    def buggy(doc, config):
        if doc.raw.source.uri == "p1.txt":
            raise ValueError("a bug in one document's cleaning")
        return last.run(doc, config)

    monkeypatch.setattr(pipeline, "STEPS", (*before, replace(last, run=buggy)))
    settings = Settings(out=tmp_path / "out", run={"in_process": True})
    summary = run_bare([str(src)], settings)
    assert (summary.accepted, summary.rejected_by_reason) == (2, {"internal_error": 1})
    (rejection,) = read_jsonl(tmp_path / "out" / "rejected")
    assert "ValueError" in rejection["detail"] and rejection["source"]["uri"] == "p1.txt"


def test_a_local_dask_cluster_gives_the_same_records(prefect_api_url: str, tmp_path: Path) -> None:
    pytest.importorskip("distributed", reason="dask.distributed (the dask extra) is not installed")
    from presswash.flows.clean import clean_flow

    src = tmp_path / "raw"
    src.mkdir()
    for n in range(6):
        (src / f"p{n}.txt").write_text(make_dump(700 + n))
    (src / "bad.txt").write_bytes(b"")
    local = Settings(out=tmp_path / "local", run={"shard_files": 2, "in_process": True})
    clean_flow([str(src)], local)
    dask = Settings(out=tmp_path / "dask", run={"shard_files": 2, "executor": "dask", "workers": 2})
    summary = clean_flow([str(src)], dask)
    assert (summary.inputs, summary.accepted) == (7, 6)
    assert summary.executor == "dask" and summary.mode == "prefect"

    def records(folder: Path) -> list[str]:
        return stable(read_jsonl(folder / "articles")) + stable(read_jsonl(folder / "rejected"))

    assert records(tmp_path / "dask") == records(tmp_path / "local")
