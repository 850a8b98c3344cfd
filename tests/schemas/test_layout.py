"""Locations: which strings name object storage, file URLs as paths, a remote output's mirror."""

from __future__ import annotations

from pathlib import Path

import pytest

from presswash.schemas.layout import default_mirror, is_url, join, local_path


@pytest.mark.parametrize(
    ("value", "remote"),
    [
        ("s3://bucket/raw/", True),
        ("GCS://bucket/out", True),
        ("memory://x", True),
        ("file:///data/raw", False),
        ("local://data/raw", False),
        ("/data/raw", False),
        ("raw/s3://not-a-scheme", False),
        ("C:\\data\\raw", False),
        (Path("s3://bucket"), False),  # a Path is always local
    ],
)
def test_is_url_is_object_storage_only(value: str, remote: bool) -> None:
    assert is_url(value) is remote


def test_local_path_strips_the_file_scheme_only() -> None:
    assert local_path("file:///data/raw") == "/data/raw"
    assert local_path("FILE:///data/raw") == "/data/raw"
    assert local_path("file://") == "/"
    assert local_path("raw/2025-03-01") == "raw/2025-03-01"
    assert local_path("s3://bucket/raw") == "s3://bucket/raw"


def test_join_ignores_the_slashes_at_either_end() -> None:
    assert (
        join("s3://bucket/out/", "/articles/", "part.jsonl")
        == "s3://bucket/out/articles/part.jsonl"
    )


def test_default_mirror_is_one_folder_per_output_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mirror = default_mirror("s3://bucket/news out/", tmp_path)
    assert mirror.parent == tmp_path
    assert mirror.name.startswith("bucket_news_out-")
    assert default_mirror("s3://bucket/news out", tmp_path) == mirror  # the trailing slash aside
    assert default_mirror("s3://other/news out", tmp_path) != mirror
    assert default_mirror("gs://bucket/news out", tmp_path) != mirror  # same name, other store
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert default_mirror("s3://bucket/x").parent == tmp_path / "cache" / "presswash" / "outputs"
