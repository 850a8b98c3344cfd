"""Object storage (`s3://`, `gs://`, `az://`, ...) through fsspec: list, open, test.

Credentials and endpoints are never presswash's business: each store's own
library reads its standard environment and config files (for S3,
`AWS_ACCESS_KEY_ID`, `AWS_ENDPOINT_URL`, `~/.aws/config`, ...).
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from presswash.schemas.layout import LOCK, STATE_DB, join, normalize


def filesystem(url: str) -> tuple[Any, str]:
    """The fsspec file system of a URL and the URL's path in it (a missing extra: one line)."""
    import fsspec

    try:
        return fsspec.core.url_to_fs(url)
    except ImportError as exc:
        scheme = url.split("://", 1)[0]
        extra = {"s3": "s3", "gs": "gcs", "gcs": "gcs", "az": "azure", "abfs": "azure"}
        hint = extra.get(scheme)
        more = f" (install presswash[{hint}])" if hint else ""
        raise OSError(f"no support for {scheme}:// here{more}: {exc}") from exc


def open_binary(url: str) -> io.BufferedReader:
    """A readable, seekable binary file object for a URL, with the whole `io` interface.

    fsspec's own file objects lack some of it (`readline(limit)`), which the
    readers use to bound a line's length.
    """
    fs, path = filesystem(url)
    return io.BufferedReader(fs.open(path, "rb"), buffer_size=1 << 20)


def full_url(fs: Any, path: str) -> str:
    return fs.unstrip_protocol(path)


def mtime_ns(info: dict[str, Any]) -> int:
    """An object's modification time in nanoseconds, from whichever key its store uses."""
    for key in ("LastModified", "mtime", "last_modified", "updated", "created"):
        value = info.get(key)
        if isinstance(value, datetime):
            return int(value.timestamp() * 1e9)
        if isinstance(value, int | float):
            return int(value * 1e9)
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp() * 1e9)
    return 0


@dataclass(frozen=True, slots=True)
class RemoteFile:
    """One object found below a URL: its full URL, size and modification time."""

    url: str
    size: int
    mtime_ns: int


def list_files(url: str) -> list[RemoteFile]:
    """Every object below a folder URL (or the object itself), sorted by URL."""
    fs, path = filesystem(url)
    found = fs.find(path, detail=True)
    files = [
        RemoteFile(full_url(fs, name), int(info.get("size") or 0), mtime_ns(info))
        for name, info in found.items()
        if info.get("type", "file") != "directory"
    ]
    return sorted(files, key=lambda f: f.url)


def subfolders(url: str) -> list[tuple[str, str]]:
    """The folders right below a folder URL, as (name, URL), sorted; none if it is absent.

    Listed afresh: a store's client may cache listings for the life of the
    process, and a long-running `serve` must see the partitions landed since.
    """
    fs, path = filesystem(url)
    fs.invalidate_cache(path)
    try:
        found = fs.ls(path, detail=True)
    except FileNotFoundError:
        return []
    folders = [
        (info["name"].rstrip("/").rsplit("/", 1)[-1], full_url(fs, info["name"].rstrip("/")))
        for info in found
        if info.get("type") == "directory"
    ]
    return sorted(folders)


def glob_urls(pattern: str) -> list[str]:
    fs, path = filesystem(pattern)
    return sorted(full_url(fs, p) for p in fs.glob(path))


def exists(url: str) -> bool:
    fs, path = filesystem(url)
    return bool(fs.exists(path))


def is_dir(url: str) -> bool:
    fs, path = filesystem(url)
    return bool(fs.isdir(path))


def read_bytes(url: str) -> bytes:
    fs, path = filesystem(url)
    return bytes(fs.cat_file(path))


def inside_output(url: str) -> bool:
    """Whether `url` lies in (or is) a presswash output: an ancestor holds `_state/`."""
    scheme, _, rest = normalize(url).partition("://")
    parts = rest.split("/")
    for end in range(len(parts), 0, -1):
        folder = f"{scheme}://{'/'.join(parts[:end])}"
        if exists(join(folder, STATE_DB)) or exists(join(folder, LOCK)):
            return True
    return False


def output_roots(files: list[RemoteFile]) -> list[str]:
    """The presswash output folders among listed objects: those holding `_state/`."""
    return sorted({f.url[: f.url.index("/_state/")] for f in files if "/_state/" in f.url})
