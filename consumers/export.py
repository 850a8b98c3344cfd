"""Parquet export of an output folder, for warehouses and dataframe tools.

Why an explicit Arrow schema instead of letting pyarrow infer one: inference
from JSON sees only the rows at hand, so a batch where every `source` lacks
`http_status` (or every `removed` is empty) gets a different schema from the
next, and the files of one dataset stop agreeing. Fixing the schema here
makes every file of every export identical in shape.

Layout mirrors the JSONL one (`articles/source_name=<s>/date=<d>/part-<shard>.parquet`),
so the same Hive-partitioned query works on both. Each JSONL part becomes one
Parquet part, written in row groups of `batch_rows` records: memory is bounded
by one batch, never the folder. The new tree is built beside the old one and
swapped in at the end, so a reader never sees half an export and parts that
no longer exist in the JSONL do not linger. An output on object storage is
read from its URL; the Parquet dataset is written to a local folder.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import orjson

from presswash.consumers.reader import ARTICLES, REJECTED, Part, ReadCounts, part_files, read_part
from presswash.output import remote
from presswash.schemas.records import Article, Rejection

if TYPE_CHECKING:
    import pyarrow as pa

SOURCE_KEYS = ("kind", "uri", "sha256", "fetched_at", "external_id", "url", "http_status")
INSTALL_HINT = (
    "Parquet export needs pyarrow: run `uv run --extra parquet presswash export ...` "
    "or `pip install 'presswash[parquet]'`"
)


class BadDestination(ValueError):
    """The destination would overwrite or feed back into the folder being exported."""


class MissingPyarrow(RuntimeError):
    """pyarrow is an optional extra; the message says how to get it, in one line."""


def _pyarrow() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet  # the submodule must load too
    except ImportError as exc:
        raise MissingPyarrow(INSTALL_HINT) from exc
    return pyarrow


def source_type(pa: Any) -> pa.DataType:
    fields = [pa.field(key, pa.string()) for key in SOURCE_KEYS if key != "http_status"]
    fields.append(pa.field("http_status", pa.int32()))
    fields.append(pa.field("extra_json", pa.string()))
    return pa.struct(fields)


def article_schema(pa: Any) -> pa.Schema:
    """The Arrow schema of an exported article; date-times stay ISO strings except UTC stamps.

    `published_at` keeps its string form because its precision and offset vary
    by source (a plain date, a naive date-time, one with an offset) and any
    single timestamp type would invent what the page did not say.
    `ingested_at` is always UTC, so it is a real timestamp.
    """
    return pa.schema(
        [
            pa.field("schema_version", pa.int32(), nullable=False),
            pa.field("id", pa.string(), nullable=False),
            pa.field("source", source_type(pa), nullable=False),
            pa.field("url", pa.string()),
            pa.field("title", pa.string()),
            pa.field("authors", pa.list_(pa.string()), nullable=False),
            pa.field("published_at", pa.string()),
            pa.field("site_name", pa.string()),
            pa.field("language", pa.string(), nullable=False),
            pa.field("language_confidence", pa.float64(), nullable=False),
            pa.field("text", pa.large_string(), nullable=False),
            pa.field("word_count", pa.int64(), nullable=False),
            pa.field("content_hash", pa.string(), nullable=False),
            pa.field(
                "cleaning",
                pa.struct(
                    [
                        pa.field("lines_in", pa.int64()),
                        pa.field("lines_kept", pa.int64()),
                        pa.field("removed", pa.map_(pa.string(), pa.int64())),
                        pa.field("extractor", pa.string()),
                    ]
                ),
                nullable=False,
            ),
            pa.field("ingested_at", pa.timestamp("us", tz="UTC"), nullable=False),
            pa.field("pipeline_version", pa.string(), nullable=False),
        ]
    )


def rejection_schema(pa: Any) -> pa.Schema:
    return pa.schema(
        [
            pa.field("schema_version", pa.int32(), nullable=False),
            pa.field("source", source_type(pa), nullable=False),
            pa.field("stage", pa.string(), nullable=False),
            pa.field("reason", pa.string(), nullable=False),
            pa.field("detail", pa.string(), nullable=False),
            pa.field("duplicate_of", pa.string()),
            pa.field("rejected_at", pa.timestamp("us", tz="UTC"), nullable=False),
            pa.field("pipeline_version", pa.string(), nullable=False),
        ]
    )


def source_row(source: dict[str, Any]) -> dict[str, Any]:
    """The known keys as columns; anything else kept, not lost, in `extra_json`."""
    row: dict[str, Any] = {}
    extra = dict(source)
    for key in SOURCE_KEYS:
        value = extra.pop(key, None)
        if key == "http_status":
            if isinstance(value, int) and not isinstance(value, bool) and -(2**31) <= value < 2**31:
                row[key] = value
            else:
                row[key] = None
                if value is not None:
                    extra[key] = value
        elif value is None or isinstance(value, str):
            row[key] = value
        else:
            row[key] = str(value)
    row["extra_json"] = orjson.dumps(extra, option=orjson.OPT_SORT_KEYS).decode() if extra else None
    return row


def article_row(record: Article) -> dict[str, Any]:
    row = record.model_dump(mode="json")
    row["source"] = source_row(row["source"])
    row["cleaning"]["removed"] = list(row["cleaning"]["removed"].items())
    return row


def rejection_row(record: Rejection) -> dict[str, Any]:
    row = record.model_dump(mode="json")
    row["source"] = source_row(row["source"])
    return row


@dataclass
class ExportResult:
    """What an export wrote, per kind, so the CLI can say it and a test can check it."""

    dest: Path
    rows: dict[str, int] = field(default_factory=dict)
    files: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)


def _batches(records: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for record in records:
        batch.append(record)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _table(pa: Any, rows: list[dict[str, Any]], schema: pa.Schema, stamp: str) -> pa.Table:
    """A batch as an Arrow table; the UTC stamp goes through Arrow's own ISO 8601 cast."""
    as_text = schema.set(
        schema.get_field_index(stamp), pa.field(stamp, pa.string(), nullable=False)
    )
    return pa.Table.from_pylist(rows, schema=as_text).cast(schema)


def _relative(part: Part, source_root: Path | str) -> PurePosixPath:
    """A part file's place below its kind's folder (`source_name=x/date=y/part-z.jsonl`)."""
    if isinstance(part, str):
        prefix = f"{source_root}/"
        return PurePosixPath(part[len(prefix) :] if part.startswith(prefix) else part)
    root = Path(source_root)
    return PurePosixPath(part.relative_to(root) if part.is_relative_to(root) else part)


def _export_kind(
    pa: Any, out_dir: Path | str, target: Path, kind: str, batch_rows: int, result: ExportResult
) -> None:
    import pyarrow.parquet as pq

    if kind == ARTICLES:
        model, to_row, schema, stamp = Article, article_row, article_schema(pa), "ingested_at"
    else:
        model, to_row, schema, stamp = Rejection, rejection_row, rejection_schema(pa), "rejected_at"
    counts = ReadCounts()
    rows = files = 0
    source_root = f"{out_dir}/{kind}" if isinstance(out_dir, str) else out_dir / kind
    for part in part_files(out_dir, kind):
        dest = target / _relative(part, source_root).with_suffix(".parquet")
        dest.parent.mkdir(parents=True, exist_ok=True)
        writer = None
        try:
            records = (to_row(r) for r in read_part(part, model, "skip", counts))
            for batch in _batches(records, batch_rows):
                if writer is None:
                    writer = pq.ParquetWriter(dest, schema, compression="zstd")
                writer.write_table(_table(pa, batch, schema, stamp), row_group_size=batch_rows)
                rows += len(batch)
        finally:
            if writer is not None:
                writer.close()
                files += 1
    result.rows[kind], result.files[kind], result.skipped[kind] = rows, files, counts.skipped


def _swap_in(built: Path, final: Path) -> None:
    """Replace `final` by `built` with one rename each, so readers see the old or the new tree."""
    old = final.with_name(f".{final.name}.old-{uuid.uuid4().hex[:8]}")
    if final.exists():
        os.replace(final, old)
    os.replace(built, final)
    shutil.rmtree(old, ignore_errors=True)


def _overlaps(source: Path, target: Path) -> bool:
    """Would writing `target/articles` clobber or feed back into the JSONL being read?"""
    src, dst = source.resolve(), target.resolve()
    return dst == src or any(dst.is_relative_to(src / kind) for kind in (ARTICLES, REJECTED))


def export_parquet(
    out_dir: str | os.PathLike[str],
    dest: str | os.PathLike[str],
    *,
    rejections: bool = False,
    batch_rows: int = 10_000,
) -> ExportResult:
    """Write `out_dir`'s articles (and rejections) as Hive-partitioned Parquet under `dest`.

    `dest/articles/` (and `dest/rejected/`) are replaced as a whole; nothing else
    in `dest` is touched. Lines that are not valid records are skipped and
    counted in the result, as `stats` does. Raises `MissingPyarrow` without pyarrow.
    """
    pa = _pyarrow()
    source = remote.existing_output(out_dir)
    target = Path(dest)
    if isinstance(source, Path) and _overlaps(source, target):
        raise BadDestination(
            f"--dest {str(target)!r} overlaps the output folder it would be exported from"
        )
    target.mkdir(parents=True, exist_ok=True)
    if batch_rows < 1:
        raise ValueError("batch_rows must be at least 1")
    result = ExportResult(dest=target)
    kinds = [ARTICLES, REJECTED] if rejections else [ARTICLES]
    for kind in kinds:
        building = target / f".{kind}.building-{uuid.uuid4().hex[:8]}"
        building.mkdir()
        try:
            _export_kind(pa, source, building, kind, batch_rows, result)
            _swap_in(building, target / kind)
        finally:
            shutil.rmtree(building, ignore_errors=True)
    return result
