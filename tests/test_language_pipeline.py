"""Language through the pipeline: the dev set as a scraper export, undetermined text, the filter."""

from __future__ import annotations

import json
from pathlib import Path

from presswash.parsers.doc import Doc
from presswash.parsers.pipeline import CleanConfig, Rejected, run_steps
from presswash.parsers.steps import step_range
from presswash.runner.run import run_bare
from presswash.schemas.document import Extracted, RawDoc, SourceInfo
from presswash.schemas.settings import Settings
from tests.articles import make_dump
from tests.conftest import read_jsonl, shared_or_skip


def test_dev_set_through_the_pipeline(tmp_path: Path) -> None:
    dev = shared_or_skip("bench", "lang", "dev.jsonl")
    truth = json.loads((dev.parent / "dev.truth.json").read_text(encoding="utf-8"))
    settings = Settings(out=tmp_path / "out", run={"workers": 2}, cleaning={"min_words": 5})
    summary = run_bare([str(dev)], settings)
    assert summary.inputs == len(truth)
    records = read_jsonl(tmp_path / "out" / "articles")
    right = sum(
        1
        for r in records
        if r["language"] == truth[r["source"]["external_id"]]
        or (r["language"] == "no" and truth[r["source"]["external_id"]] == "nb")
    )
    assert right / len(truth) >= 0.998, f"{right}/{len(truth)} right"


def _raw() -> RawDoc:
    return RawDoc(SourceInfo(kind="file", uri="x.txt", sha256="b" * 64), media="text")


def test_numbers_and_urls_are_language_undetermined() -> None:
    lines = [
        "2024 2025 2026 1999 1234 5678 90 12 34 56 78 https://example.org/a/b/c 1 2 3 4 5",
        "https://example.com/x?y=1 https://example.net/z 42 43 44 45 46 47 48 49 50 51 52",
        "10.0.0.1 10.0.0.2 3.14159 2.71828 1.41421 1.73205 6.02214 9.10938 1.60217 6.67430",
    ] * 3
    doc = Doc(_raw(), extracted=Extracted(lines=lines, lines_in=9))
    settings = Settings()
    config = CleanConfig(settings.limits, settings.cleaning, "t")
    outcome = run_steps(doc, config, step_range("text", "record"))
    assert isinstance(outcome, Rejected)
    assert outcome.reason == "language_undetermined"


def test_language_filter_rejects_and_counts(tmp_path: Path) -> None:
    src = tmp_path / "raw"
    src.mkdir()
    (src / "en.txt").write_text(make_dump(900))
    (src / "de.txt").write_text(
        "Stadtwerke senken den Strompreis\n\n"
        + "Die Stadtwerke haben am Montag angekündigt, den Strompreis zum ersten April deutlich "
        "zu senken, weil die Einkaufspreise an der Börse seit dem Herbst gefallen sind. "
        * 4
        + "\n\nDer Stadtrat begrüßte die Entscheidung und forderte zugleich mehr Investitionen "
        "in die Netze, damit die Versorgung auch in Zukunft sicher und bezahlbar bleibt.\n"
    )
    settings = Settings(
        out=tmp_path / "out", run={"in_process": True}, cleaning={"languages": ["en", "zh"]}
    )
    summary = run_bare([str(src)], settings)
    assert summary.accepted == 1 and summary.languages == {"en": 1}
    assert summary.rejected_by_reason == {"language_filtered": 1}
    (rejection,) = read_jsonl(tmp_path / "out" / "rejected")
    assert rejection["stage"] == "language" and "'de'" in rejection["detail"]
