"""Gzipped inputs: inflated within the byte budget, a cut stream is undecodable."""

from __future__ import annotations

import gzip

from presswash.schemas.document import ReadFailure
from presswash.schemas.settings import Limits
from tests.parsers.readers.test_readers import read


def test_gzip_bomb_stops_at_the_budget() -> None:
    bomb = gzip.compress(b" " * (8 * 1024 * 1024))
    (failure,) = read(bomb, "bomb.txt.gz", Limits(max_input_bytes=1024 * 1024))
    assert isinstance(failure, ReadFailure)
    assert failure.reason == "too_large"


def test_truncated_gzip_is_undecodable() -> None:
    data = gzip.compress(("word " * 5000).encode())
    (failure,) = read(data[: len(data) // 2], "cut.txt.gz")
    assert isinstance(failure, ReadFailure)
    assert failure.reason == "undecodable"
