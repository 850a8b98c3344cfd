"""read_input: the format from the name, every input a RawDoc or a ReadFailure, never raising.

Each format's own cases are in the test module of its reader.
"""

from __future__ import annotations

import gzip
import io

from hypothesis import example, given
from hypothesis import strategies as st

from presswash.parsers.readers import input_format, read_input
from presswash.schemas.document import RawDoc, ReadFailure
from presswash.schemas.settings import Limits
from tests.fuzzing import FUZZ

LIMITS = Limits()


def read(data: bytes, name: str, limits: Limits = LIMITS) -> list[RawDoc | ReadFailure]:
    return list(read_input(io.BytesIO(data), name=name, uri=name, limits=limits))


def test_format_from_name() -> None:
    assert input_format("a/b.jsonl.gz") == ("jsonl", True)
    assert input_format("x.warc.gz") == ("warc", True)
    assert input_format("page.HTM") == ("html", False)
    assert input_format("dump.txt") == ("text", False)
    assert input_format("noext") == ("sniff", False)


NAMES = ["a.txt", "a.html", "a.jsonl", "a.warc", "a.warc.gz", "a.txt.gz", "a.jsonl.gz", "noext"]


@FUZZ
@given(data=st.binary(max_size=4096), name=st.sampled_from(NAMES))
@example(data=gzip.compress(b'{"text": "x"}\n' * 3)[:30], name="a.jsonl.gz")
@example(
    data=b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 999\r\n\r\nHTTP/1.1", name="a.warc"
)
def test_readers_never_raise(data: bytes, name: str) -> None:
    limits = Limits(max_input_bytes=1 << 20)
    for item in read_input(io.BytesIO(data), name=name, uri=name, limits=limits):
        assert isinstance(item, RawDoc | ReadFailure)
        assert item.source.uri.startswith(name)
