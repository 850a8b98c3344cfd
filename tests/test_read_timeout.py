"""Reading is under the per-document time limit too, not only cleaning."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from presswash.runner import shard
from presswash.runner.deadline import enable_in_worker
from presswash.runner.plan import plan_shards
from presswash.schemas.document import RawDoc, ReadFailure, SourceInfo
from presswash.schemas.settings import Settings
from presswash.sources.inputs import iter_inputs

TEXT = "The harbour board voted on the new ferry timetable after a long debate. " * 12


def test_a_reader_stuck_on_a_record_is_a_timeout_and_the_shard_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "raw"
    src.mkdir()
    (src / "a.jsonl").write_text("{}\n")
    (src / "b.txt").write_text(TEXT)
    real = shard.read_input

    def stuck(stream, *, name: str, uri: str, limits, **rest) -> Iterator[RawDoc | ReadFailure]:
        if not name.endswith(".jsonl"):
            yield from real(stream, name=name, uri=uri, limits=limits, **rest)
            return
        source = SourceInfo(kind="jsonl", uri=f"{uri}#1", sha256="1" * 64)
        yield RawDoc(source=source, media="text", text=TEXT + " first record")
        time.sleep(30)  # a record that never finishes reading
        yield RawDoc(source=source, media="text", text="never")

    monkeypatch.setattr(shard, "read_input", stuck)
    enable_in_worker()  # pytest's main thread, as in a worker process
    settings = Settings(out=tmp_path / "out", limits={"parse_timeout_seconds": 1})
    (spec,) = list(plan_shards(iter_inputs([str(src)]), 10, 1 << 30))
    started = time.monotonic()
    result = shard.run_shard(spec, settings, "v", tmp_path / "staging")
    assert time.monotonic() - started < 10
    assert (result.tally.inputs, result.tally.accepted) == (3, 2)
    lines = result.staged.rejected.read_text(encoding="utf-8").splitlines()
    (rejection,) = [json.loads(line) for line in lines]
    assert rejection["reason"] == "timeout" and rejection["stage"] == "read"
    assert rejection["source"]["uri"] == "a.jsonl#2"
    assert "limits.parse_timeout_seconds" in rejection["detail"]
