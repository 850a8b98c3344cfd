"""Reading an output folder back: lazily, each line checked by the same model that wrote it.

Readers get `Article` and `Rejection` objects rather than dicts, so a field
renamed or mistyped upstream fails loudly here, at the line that carries it,
instead of as a `KeyError` three steps later in someone's notebook.

An output on object storage is read the same way, given as its URL
(`s3://bucket/clean`): its part files are listed and streamed through fsspec.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePath, PurePosixPath
from typing import BinaryIO, Generic, Literal, TypeVar

from pydantic import BaseModel, ValidationError

from presswash.output import remote
from presswash.schemas import layout
from presswash.schemas.records import Article, Rejection
from presswash.sources import storage

ARTICLES = layout.ARTICLES
REJECTED = layout.REJECTED
UNKNOWN = layout.UNDATED

M = TypeVar("M", bound=BaseModel)
Errors = Literal["raise", "skip"]
# A part file: a local path, or the URL of one on object storage.
Part = Path | str


class RecordError(ValueError):
    """A line of a part file that is not a valid record; names the file and the line."""

    def __init__(self, path: Part, line: int, problem: str) -> None:
        super().__init__(f"{path}, line {line}: {problem}")
        self.path = path
        self.line = line
        self.problem = problem


def part_files(path: str | os.PathLike[str], kind: str = ARTICLES) -> Iterator[Part]:
    """Part files in a stable order, found lazily.

    `path` may be an output folder (its `kind/` subfolder is read), any folder
    below it (a partition), or one part file. Hidden and `_`-prefixed entries
    (`_state/`, temporary files) are never records, so they are skipped.
    An output folder on object storage (a URL) yields URLs.
    """
    if isinstance(path, str) and layout.is_url(path):
        yield from _remote_parts(path, kind)
        return
    root = Path(layout.local_path(path) if isinstance(path, str) else path)
    if root.is_file():
        yield root
        return
    if not root.is_dir():
        raise FileNotFoundError(f"no such file or folder: {str(root)!r}")
    if (root / kind).is_dir():
        root = root / kind
    elif any((root / name).is_dir() for name in (ARTICLES, REJECTED, "runs")):
        return  # an output folder with no records of this kind yet, e.g. no rejections
    elif _tree_of(root) not in (kind, None):
        return  # a partition of the other kind: its records are not of this kind
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        subfolders = []
        for entry in entries:
            if entry.name.startswith((".", "_")):
                continue
            if entry.is_dir():
                subfolders.append(Path(entry.path))
            elif entry.name.endswith(".jsonl") and entry.is_file():
                yield Path(entry.path)
        stack.extend(reversed(subfolders))


def _remote_parts(url: str, kind: str) -> Iterator[str]:
    """The part files below a URL: an output folder's `kind/`, a partition, or one file."""
    if url.endswith(".jsonl"):
        yield url
        return
    if not storage.exists(url):
        raise FileNotFoundError(f"no such file or folder: {url!r}")
    tree = _tree_of(PurePosixPath(url.split("://", 1)[1]))
    if tree is None:
        yield from (part.url for part in remote.walk_parts(url, kind))
    elif tree == kind:
        yield from (part.url for part in remote.walk_parts(url, ""))


def _tree_of(folder: PurePath) -> str | None:
    """'articles' or 'rejected' when `folder` is that folder or a partition below it."""
    for name in (folder.name, *(p.name for p in folder.parents)):
        if "=" not in name:
            return name if name in (ARTICLES, REJECTED) else None
    return None


def partition_of(part: Part) -> dict[str, str]:
    """The Hive keys of a part file's folders (`source_name`, `date`), as pandas would see them."""
    keys: dict[str, str] = {}
    for name in PurePosixPath(part).parent.parts:
        key, sep, value = name.partition("=")
        if sep and key in ("source_name", "date"):
            keys[key] = value
    return keys


@dataclass
class ReadCounts:
    """What a lenient read skipped, so a caller can report it rather than lose it silently."""

    records: int = 0
    skipped: int = 0
    files: int = 0
    first_problems: list[str] = field(default_factory=list)

    def note(self, error: RecordError) -> None:
        self.skipped += 1
        if len(self.first_problems) < 10:
            self.first_problems.append(str(error))


def _open_part(part: Part) -> BinaryIO:
    if isinstance(part, str) and layout.is_url(part):
        return storage.open_binary(part)  # type: ignore[no-any-return]
    return open(part, "rb")


def read_part(
    part: Part, model: type[M], errors: Errors = "raise", counts: ReadCounts | None = None
) -> Iterator[M]:
    """Records of one part file; a bad line raises `RecordError` or, with errors='skip', counts."""
    counts = counts if counts is not None else ReadCounts()
    counts.files += 1
    with _open_part(part) as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                record = model.model_validate_json(raw)
            except ValidationError as exc:
                problem = RecordError(part, number, _first_problem(model, exc))
            else:
                counts.records += 1
                yield record
                continue
            if errors != "skip":
                raise problem
            counts.note(problem)


def _first_problem(model: type[BaseModel], exc: ValidationError) -> str:
    first = exc.errors()[0]
    if first["type"] == "json_invalid":
        return f"not valid JSON ({first['msg']})"
    where = ".".join(str(p) for p in first["loc"]) or "record"
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"not a valid {model.__name__}: {where}: {first['msg']}{more}"


class RecordReader(Iterator[M], Generic[M]):
    """A lazy iterator over every record of a folder that also remembers what it skipped."""

    def __init__(
        self, path: str | os.PathLike[str], model: type[M], kind: str, errors: Errors
    ) -> None:
        if errors not in ("raise", "skip"):
            raise ValueError(f"errors must be 'raise' or 'skip', not {errors!r}")
        if not _exists(path):  # say so at the call, not at the first `next()`
            raise FileNotFoundError(f"no such file or folder: {str(path)!r}")
        self.counts = ReadCounts()
        self._records = self._walk(path, model, kind, errors)

    def _walk(
        self, path: str | os.PathLike[str], model: type[M], kind: str, errors: Errors
    ) -> Iterator[M]:
        for part in part_files(path, kind):
            yield from read_part(part, model, errors, self.counts)

    @property
    def skipped(self) -> int:
        return self.counts.skipped

    def __iter__(self) -> RecordReader[M]:
        return self

    def __next__(self) -> M:
        return next(self._records)


def _exists(path: str | os.PathLike[str]) -> bool:
    if isinstance(path, str) and layout.is_url(path):
        return storage.exists(path)
    return Path(layout.local_path(path) if isinstance(path, str) else path).exists()


def read_articles(path: str | os.PathLike[str], errors: Errors = "raise") -> RecordReader[Article]:
    """Every article under an output folder (its `articles/**/*.jsonl`), or of one part file.

    Lazy: one line in memory at a time. A line that is not a valid `Article`
    raises `RecordError` naming file and line; with `errors="skip"` it is
    skipped and counted in `.skipped` (and `.counts.first_problems`).
    """
    return RecordReader(path, Article, ARTICLES, errors)


def read_rejections(
    path: str | os.PathLike[str], errors: Errors = "raise"
) -> RecordReader[Rejection]:
    """Every rejection under an output folder (its `rejected/**/*.jsonl`), or of one part file."""
    return RecordReader(path, Rejection, REJECTED, errors)
