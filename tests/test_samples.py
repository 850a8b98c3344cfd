"""The two real dumps come out exactly as their expected results say, through the core."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from presswash.parsers.pipeline import Accepted, CleanConfig, clean_document
from presswash.parsers.readers import read_input
from presswash.schemas.settings import Settings
from tests.conftest import DATA, RAW

SAMPLES = sorted((RAW / "samples").glob("*.txt"))


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def clean_sample(path: Path) -> dict:
    with open(path, "rb") as handle:
        (raw,) = read_input(handle, name=path.name, uri=path.name, limits=Settings().limits)
    outcome = clean_document(raw, CleanConfig(Settings().limits, Settings().cleaning, "test"))
    assert isinstance(outcome, Accepted), outcome
    return outcome.record


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_sample_matches_expected(path: Path) -> None:
    expected = json.loads((DATA / "samples" / f"{path.stem}.expected.json").read_text())
    record = clean_sample(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    text_lines = {fold(line) for line in record["text"].splitlines()}

    for field in ("title", "site_name", "language"):
        want = expected[field]
        got = record[field]
        assert (fold(got) if got else got) == (fold(want) if want else want), field
    if expected["authors"] != "either":
        assert record["authors"] == expected["authors"]
    if expected["published"] is None:
        assert record["published_at"] is None
    else:
        assert (record["published_at"] or "").startswith(expected["published"])
    for number in expected["keep"]:
        assert fold(lines[number - 1]) in text_lines, f"line {number} missing"
    for number in expected["drop"]:
        line = fold(lines[number - 1])
        if line:
            assert line not in text_lines, f"line {number} kept: {line[:60]}"
            assert line not in record["text"], f"line {number} kept inside a line"


def test_samples_are_there() -> None:
    assert len(SAMPLES) == 2, "raw/samples should hold the two real dumps"
