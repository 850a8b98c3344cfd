"""Naming inputs: the partition comes from the folders an input lies in, in names safe anywhere."""

from __future__ import annotations

import os

import pytest

from presswash.sources.inputs import partition_of, printable_path, safe_key


@pytest.mark.parametrize(
    ("root", "rel", "partition"),
    [
        ("/data/raw", "wire/2025-03-01/a.txt", ("wire", "2025-03-01")),
        ("/data/raw", "wire/archive/2025-03-01/a.txt", ("wire", "2025-03-01")),
        ("/data/raw", "2025-03-01/a.txt", ("raw", "2025-03-01")),  # no source folder: the root's
        ("/data/raw", "a.txt", ("raw", "undated")),
        ("/data/raw", "wire/2025-02-30/a.txt", ("wire", "undated")),  # not a day of the calendar
        ("s3://bucket/raw", "wire/2025-03-01/a.txt", ("wire", "2025-03-01")),
        ("/", "a.txt", ("input", "undated")),
        ("/data/raw", "../etc/a.txt", ("_", "undated")),
    ],
)
def test_partition_of_reads_the_source_and_the_day_from_the_folders(
    root: str, rel: str, partition: tuple[str, str]
) -> None:
    assert partition_of(root, rel) == partition


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ("wire", "wire"),
        ("Le Monde (fr)", "Le_Monde_fr"),
        ("source=1/../x", "source_1_.._x"),
        (".hidden", "hidden"),
        ("...", "_"),
        ("", "_"),
        ("a" * 100, "a" * 80),
    ],
)
def test_safe_key_is_a_folder_name_and_a_hive_value(value: str, key: str) -> None:
    assert safe_key(value) == key
    assert "/" not in safe_key(value) and "=" not in safe_key(value)


def test_printable_path_keeps_utf8_and_percent_encodes_the_bytes_that_are_not() -> None:
    assert printable_path("wire/café.txt") == "wire/café.txt"
    assert printable_path(os.fsdecode(b"wire/caf\xe9.txt")) == "wire/caf%E9.txt"
    assert printable_path(os.fsdecode(b"a/\xff\xfe/b")).encode("utf-8") == b"a/%FF%FE/b"
