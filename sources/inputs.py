"""Finding the inputs: sources (files, folders, globs) to a lazy, sorted stream of files.

Output partitions are named from where an input lies, never from what it
contains, so nothing inside an input (a JSONL id, a URL, a title) can reach
an output path: the first folder below the input root names the source, and
the first `YYYY-MM-DD` folder names the date.

A source may be an object-storage URL (`s3://bucket/raw/`, a glob of one);
its files are listed through fsspec and an input's path is its full URL.
"""

from __future__ import annotations

import codecs
import glob
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from presswash.schemas import layout
from presswash.sources import storage

_GLOB_CHARS = re.compile(r"[*?\[]")
_DATE_PART = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
UNDATED = layout.UNDATED


def _percent_bytes(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeDecodeError)
    bad = error.object[error.start : error.end]
    return "".join(f"%{byte:02X}" for byte in bad), error.end


codecs.register_error("presswash-percent", _percent_bytes)


def printable_path(path: str) -> str:
    """A path as valid UTF-8 text: bytes that are not UTF-8 become `%XX`, the rest is kept.

    The OS hands back such names with surrogate escapes, which no JSON writer or
    SQLite column accepts; one bad name must not fail a run, and the URI must
    still say which file it was.
    """
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        raw = path.encode("utf-8", "surrogateescape")
        return raw.decode("utf-8", "presswash-percent")
    return path


class SourceError(Exception):
    """A source given on the command line that does not exist or matches nothing."""


@dataclass(frozen=True, slots=True)
class InputFile:
    """One file to read, with its place relative to its root and its output partition."""

    path: str
    root: str
    rel: str
    size: int
    mtime_ns: int
    source_name: str
    date: str
    problem: str | None = None
    problem_reason: str | None = None
    # A piece of a big file (see runner/plan.py): bytes [start, end) holding the records
    # numbered after `first` up to `last`; `before` records (non-blank lines) precede it,
    # and, in a gzipped file, `inflated` bytes. A whole file keeps the defaults, and with
    # them its shard id and state key.
    start: int = 0
    end: int | None = None
    first: int = 0
    last: int | None = None
    before: int = 0
    inflated: int = 0

    @property
    def ranged(self) -> bool:
        """Whether this is one byte range of a file rather than the whole of it."""
        return self.end is not None

    @property
    def key(self) -> str:
        """The input as the state database stores it: always valid UTF-8.

        A piece is keyed by the records it holds (`path#records=a-b`, `b` empty for the
        last piece): a record's `#n` is all that says which piece it came from.
        """
        if self.end is None:
            return printable_path(self.path)
        upto = "" if self.last is None else str(self.last)
        return f"{printable_path(self.path)}#records={self.first + 1}-{upto}"


def safe_key(value: str) -> str:
    """A partition value that is safe in a path and in a Hive `key=value` folder name."""
    cleaned = _UNSAFE.sub("_", value).strip("._")
    return cleaned[:80] or "_"


def _is_date(part: str) -> bool:
    match = _DATE_PART.match(part)
    if not match:
        return False
    try:
        date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return False
    return True


def partition_of(root: str, rel: str) -> tuple[str, str]:
    """(source_name, date) for a file: from its folders below the root, else the root's name."""
    return _folder_partition(root, rel.rpartition("/")[0])


@lru_cache(maxsize=4096)
def _folder_partition(root: str, folder: str) -> tuple[str, str]:
    # Files of one folder share it: computed once per folder, not once per file.
    parts = folder.split("/") if folder else []
    day = next((p for p in parts if _is_date(p)), UNDATED)
    first = parts[0] if parts and parts[0] != day else Path(root).name
    return safe_key(first or "input"), day


def _relative(path: str, root: str) -> str:
    prefix = root.rstrip(os.sep) + os.sep
    if path.startswith(prefix):  # the common case, without relpath's cost
        return printable_path(path[len(prefix) :].replace(os.sep, "/"))
    rel = os.path.relpath(path, root).replace(os.sep, "/")
    return printable_path(os.path.basename(path) if rel == "." else rel)


def _make(
    path: str,
    root: str,
    problem: str | None = None,
    problem_reason: str | None = None,
    st: os.stat_result | None = None,
) -> InputFile:
    rel = _relative(path, root)
    source_name, day = partition_of(root, rel)
    try:
        st = st or os.stat(path)
        size, mtime = st.st_size, st.st_mtime_ns
    except OSError as exc:
        size, mtime = 0, 0
        if problem is None:
            problem, problem_reason = (
                f"The file cannot be read: {exc.strerror or exc}.",
                "unreadable",
            )
    return InputFile(path, root, rel, size, mtime, source_name, day, problem, problem_reason)


def _inside(path: str, root: str) -> bool:
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def _file(path: str, root: str, follow_symlinks: bool) -> InputFile | None:
    """An InputFile for a path found by walking, or None for what is not an input at all."""
    name = os.path.basename(path)
    if name.startswith("."):
        return None
    if os.path.islink(path):
        if not os.path.exists(path):
            return _make(
                path, root, "The file is a symlink whose target does not exist.", "unreadable"
            )
        if not follow_symlinks and not _inside(path, root):
            return _make(
                path,
                root,
                "The file is a symlink that leads out of the input root; not followed "
                "(set run.follow_symlinks to follow such links).",
                "symlink_outside_root",
            )
    if not os.path.isfile(path):
        return None
    return _make(path, root)


def is_output_folder(folder: str) -> bool:
    """Whether a folder is a presswash output folder: its `_state/` database says so.

    An output folder inside an input root would otherwise be read back as input
    (its own state, its part files, its report), growing with every run.
    """
    return os.path.isfile(os.path.join(folder, layout.STATE_DB))


def _skipped(folder: str, exclude: frozenset[str]) -> bool:
    if is_output_folder(folder):
        return True
    return bool(exclude) and os.path.realpath(folder) in exclude


def _walk(
    root: str, follow_symlinks: bool, exclude: frozenset[str] = frozenset()
) -> Iterator[InputFile]:
    """Files below `root` in os.walk's top-down order (a folder's files, then its folders).

    One scandir per folder and one stat per plain file: a backfill lists
    hundreds of thousands of files, twice per run (sampling, then cleaning).
    Output folders (this run's and any other presswash output) are never walked.
    """
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as found:
                entries = sorted(found, key=lambda entry: entry.name)
        except OSError:
            continue
        folders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if _is_folder(entry):
                if (follow_symlinks or not entry.is_symlink()) and not _skipped(
                    entry.path, exclude
                ):
                    folders.append(entry.path)
                continue
            item = _entry_file(entry, root, follow_symlinks)
            if item is not None:
                yield item
        stack.extend(reversed(folders))


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _entry_file(entry: os.DirEntry[str], root: str, follow_symlinks: bool) -> InputFile | None:
    if entry.is_symlink():
        return _file(entry.path, root, follow_symlinks)
    try:
        if not entry.is_file(follow_symlinks=False):
            return None  # a socket, a FIFO, a device: not an input
        st = entry.stat(follow_symlinks=False)
    except OSError:
        return _make(entry.path, root)
    return _make(entry.path, root, st=st)


def _glob_root(pattern: str) -> str:
    """The fixed folder part of a glob: where its matches are relative to."""
    fixed = _GLOB_CHARS.split(pattern, maxsplit=1)[0]
    head = fixed if fixed.endswith(os.sep) else os.path.dirname(fixed)
    return os.path.abspath(head or ".")


def check_sources(sources: list[str], out: str | os.PathLike[str] | None = None) -> None:
    """Raise SourceError for the first source that does not exist, matches nothing, or is output.

    A source inside an output folder (this run's `out`, or any folder holding a
    presswash `_state/`) would feed presswash its own records back.
    """
    for source in sources:
        if layout.is_url(source):
            _check_remote(source)
            continue
        source = layout.local_path(source)
        if _GLOB_CHARS.search(source) and not os.path.lexists(source):
            if next(glob.iglob(source, recursive=True), None) is None:
                raise SourceError(f"no input matches {source!r}")
        elif not os.path.lexists(source):
            raise SourceError(f"no such file or folder: {source!r}")
        elif _inside_output(source, out):
            raise SourceError(
                f"{source!r} is inside a presswash output folder; output is never read as input"
            )


def _check_remote(source: str) -> None:
    """A URL source must exist (or, a glob, match) and lie in no presswash output."""
    try:
        if _GLOB_CHARS.search(source.split("://", 1)[1]):
            if not storage.glob_urls(source):
                raise SourceError(f"no input matches {source!r}")
            return
        if not storage.exists(source):
            raise SourceError(f"no such file or folder: {source!r}")
        if storage.inside_output(source):
            raise SourceError(
                f"{source!r} is inside a presswash output folder; output is never read as input"
            )
    except OSError as exc:  # no credentials, a store out of reach, a missing extra
        raise SourceError(f"cannot list {source!r}: {exc}") from exc


def _remote_inputs(source: str) -> Iterator[InputFile]:
    """The files of a URL source (a folder, a file or a glob), with its root as a local one has.

    Hidden files and presswash output folders below the source are skipped.
    """
    if _GLOB_CHARS.search(source.split("://", 1)[1]):
        root = layout.normalize(_GLOB_CHARS.split(source, maxsplit=1)[0].rsplit("/", 1)[0])
        matches = storage.glob_urls(source)
    elif storage.is_dir(source):
        root = layout.normalize(source)
        matches = [root]
    else:
        root = layout.normalize(source).rsplit("/", 1)[0]
        matches = [layout.normalize(source)]
    for match in matches:
        files = storage.list_files(match)
        skip = tuple(folder + "/" for folder in storage.output_roots(files))
        for found in files:
            rel = found.url[len(root) + 1 :]
            if found.url.startswith(skip) or any(p.startswith(".") for p in rel.split("/")):
                continue
            rel = printable_path(rel)
            source_name, day = partition_of(root, rel)
            yield InputFile(found.url, root, rel, found.size, found.mtime_ns, source_name, day)


def _rebase(item: InputFile, base: str) -> InputFile:
    """A URL input named from another root (a backfill's landing zone)."""
    rel = item.path[len(base) + 1 :] if item.path.startswith(base + "/") else item.rel
    source_name, day = partition_of(base, rel)
    return InputFile(item.path, base, rel, item.size, item.mtime_ns, source_name, day)


def _inside_output(source: str, out: str | os.PathLike[str] | None) -> bool:
    """Whether `source` is `out`, lies in it, or lies in any folder holding presswash state."""
    real = os.path.realpath(source)
    if out is not None:
        real_out = os.path.realpath(out)
        if real == real_out or real.startswith(real_out.rstrip(os.sep) + os.sep):
            return True
    folder = real if os.path.isdir(real) else os.path.dirname(real)
    while True:
        if is_output_folder(folder):
            return True
        parent = os.path.dirname(folder)
        if parent == folder:
            return False
        folder = parent


def iter_inputs(
    sources: list[str],
    *,
    follow_symlinks: bool = False,
    root: str | None = None,
    out: str | os.PathLike[str] | None = None,
) -> Iterator[InputFile]:
    """Every input file of every source, lazily, each once, in a stable order.

    `root`, when given, is the input root of every source: a backfill cleans
    `raw/<source>/<date>/` folders but names inputs (and partitions) from `raw/`.
    `out`, the run's output folder, is skipped wherever it lies, as is any
    other presswash output folder.
    """
    base = _base(root)
    exclude = frozenset([os.path.realpath(out)]) if out is not None else frozenset()
    # Only several sources can overlap; one source lists each file once, with no set to grow.
    seen: set[str] | None = set() if len(sources) > 1 else None
    for given in sources:
        source = given if layout.is_url(given) else layout.local_path(given)
        if layout.is_url(source):
            found: Iterator[InputFile] = _remote_inputs(source)
        elif _GLOB_CHARS.search(source) and not os.path.lexists(source):
            root = _glob_root(source)
            matches = sorted(glob.iglob(source, recursive=True))
            found = (
                item
                for match in matches
                if not _inside_output(match, out)
                for item in (_walk_under(os.path.abspath(match), root, follow_symlinks, exclude))
            )
        elif os.path.isdir(source):
            found = _walk(os.path.abspath(source), follow_symlinks, exclude)
        else:
            path = os.path.abspath(source)
            root = os.path.dirname(path)
            item = _file(path, root, True) if os.path.lexists(path) else None
            found = iter([item] if item is not None else [])
        for item in found:
            if seen is not None:
                if item.path in seen:
                    continue
                seen.add(item.path)
            if not base:
                yield item
            elif layout.is_url(item.path):
                yield _rebase(item, base)
            else:
                yield _make(item.path, base, item.problem, item.problem_reason)


def _base(root: str | None) -> str | None:
    if not root:
        return None
    if layout.is_url(root):
        return layout.normalize(root)
    return os.path.abspath(layout.local_path(root))


def _walk_under(
    path: str, root: str, follow_symlinks: bool, exclude: frozenset[str]
) -> Iterator[InputFile]:
    """A glob match: a folder is walked with the glob's root, a file is itself."""
    if os.path.isdir(path) and not os.path.islink(path):
        for item in _walk(path, follow_symlinks, exclude):
            yield _make(item.path, root, item.problem, item.problem_reason)
    else:
        item = _file(path, root, follow_symlinks)
        if item is not None:
            yield item
