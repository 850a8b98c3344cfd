"""Committing a staged shard: de-duplicate, move into place, supersede older output, record.

Commits run one at a time per output folder and in plan order, which is what
makes the choice of which copy of an article is kept deterministic: the
first in input order, or the one an earlier run already kept.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from presswash.output.state import InputRow, OutputState, ShardRow
from presswash.output.writable import fsync_dir
from presswash.runner.dedup import PIECE, Claims, Duplicate, Facts, ShardDeduper, span_of
from presswash.runner.lookups import input_of
from presswash.runner.results import ShardResult
from presswash.schemas import layout
from presswash.schemas.records import rejection_record, utc_now
from presswash.schemas.stages import Reason, Stage
from presswash.schemas.summary import Tally
from presswash.sources.inputs import printable_path

ARTICLES = layout.ARTICLES
REJECTED = layout.REJECTED


@dataclass(frozen=True, slots=True)
class Committed:
    """What the commit changed in the counts (duplicates move from accepted to rejected),
    and which output files it wrote and removed, for an output mirrored to object storage.
    """

    shard_id: str
    duplicates: int
    superseded: int
    tally: Tally
    written: tuple[Path, ...] = field(default=())
    removed: tuple[Path, ...] = field(default=())


def part_path(out: Path, kind: str, source_name: str, day: str, shard: str) -> Path:
    """The one place an output file name is made; only folder names and hashes go in it."""
    return out / kind / f"source_name={source_name}" / f"date={day}" / f"part-{shard}.jsonl"


def _read_lines(path: Path) -> Iterable[bytes]:
    with open(path, "rb") as handle:
        for line in handle:
            if line.strip():
                yield line


def _place_ready_file(ready: Path, final: Path) -> bool:
    """Put a ready file in place atomically, or remove the final file when there is nothing.

    The ready file is linked (or copied), not moved, so that a commit that
    fails half way can be retried from the same files. Returns whether a file is in place.
    """
    if ready.stat().st_size == 0:
        final.unlink(missing_ok=True)
        return False
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.with_name(final.name + ".tmp")
    tmp.unlink(missing_ok=True)
    try:
        os.link(ready, tmp)
    except OSError:
        shutil.copyfile(ready, tmp)
    os.replace(tmp, final)
    fsync_dir(final.parent)
    return True


def _rewrite_without(path: Path, root: str, drop: Claims) -> bool | None:
    """Rewrite an older part file without the records of inputs a newer shard now owns.

    Returns True when the file was rewritten, False when nothing was left of
    it (it is removed), None when there was no such file. A piece of a big file
    owns only its records: those of the file's other pieces stay.
    """
    if not path.exists():
        return None
    tmp = path.with_suffix(".jsonl.tmp")
    kept = 0
    with open(tmp, "wb") as out:
        for line in _read_lines(path):
            uri = orjson.loads(line)["source"]["uri"]
            if not drop.holds(input_of(uri, root), uri):
                out.write(line)
                kept += 1
        out.flush()
        os.fsync(out.fileno())
    if kept:
        os.replace(tmp, path)
        return True
    tmp.unlink()
    path.unlink()
    return False


def _staged_facts(result: ShardResult) -> list[Facts]:
    with open(result.staged.facts, "rb") as handle:
        return [Facts.from_json(orjson.loads(line)) for line in handle]


def _piece_facts(result: ShardResult) -> list[Facts]:
    """The staged facts, each naming its input as the state does: a piece by its record range.

    A worker names a record's input from its URI alone (the file); the piece it
    came from is what its index row must name, or a re-run of the file cut the
    same way would not know its own records.
    """
    facts = _staged_facts(result)
    pieces = {printable_path(f.path): f.key for f in result.spec.files if f.ranged}
    if pieces:
        for item in facts:
            item.input = pieces.get(item.input, item.input)
    return facts


def _ready_files(
    result: ShardResult, duplicates: dict[int, Duplicate], pipeline_version: str
) -> tuple[Path, Path, Tally]:
    """The files to publish: staged articles without duplicates, and rejections with them.

    With no duplicate the staged files are the ones to publish. Staged files
    are never changed here, so a retried commit starts from the same input.
    """
    delta = Tally()
    staged = result.staged
    if not duplicates:
        return staged.articles, staged.rejected, delta
    articles = staged.articles.with_suffix(".ready")
    rejected = staged.rejected.with_suffix(".ready")
    shutil.copyfile(staged.rejected, rejected)
    with open(articles, "wb") as kept, open(rejected, "ab") as moved:
        for number, line in enumerate(_read_lines(staged.articles)):
            if number not in duplicates:
                kept.write(line)
                continue
            record = orjson.loads(line)
            duplicate = duplicates[number]
            reason = Reason.NO_CONTENT if duplicate.furniture else Reason.DUPLICATE
            rejection = rejection_record(
                record["source"],
                Stage.DEDUP,
                reason,
                duplicate.detail(),
                pipeline_version,
                duplicate_of=None if duplicate.furniture else duplicate.kept,
            )
            moved.write(orjson.dumps(rejection) + b"\n")
            delta.accepted -= 1
            delta.languages[record["language"]] -= 1
            delta.reject(str(Stage.DEDUP), str(reason), result.spec.source_name)
    return articles, rejected, delta


@dataclass
class _Changes:
    """The output files a commit wrote and removed."""

    written: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)


def _older_shards(state: OutputState, shard: str, claims: Claims) -> list[str]:
    """Other shards holding records of this shard's inputs: the same keys, or overlapping pieces.

    A big file may have been cut elsewhere by an earlier run (another
    `run.shard_bytes`, a file that grew), or read whole: its keys then differ
    from this run's but hold the same records.
    """
    found: dict[str, None] = {}
    for key in claims.keys:
        path = span_of(key)[0]
        rows = state.holders(shard, key, path, path + PIECE)
        found.update((old, None) for old, owned in rows if claims.overlaps(owned))
    return list(found)


def _supersede(
    state: OutputState,
    out: Path,
    shard: str,
    inputs: set[str],
    changes: _Changes,
    fetch: Callable[[Path], None] | None = None,
) -> tuple[list[str], int]:
    """Remove or trim older shards that held this shard's inputs; returns the shards to forget.

    `fetch` brings an older part file into `out` before it is trimmed (a mirror
    of object storage holds only what a commit needs). An older shard is
    forgotten once this shard covers all it owned, or nothing of it is left.
    """
    claims = Claims(inputs)
    rows = _older_shards(state, shard, claims)
    forget: list[str] = []
    for old in rows:
        info = state.shard_place(old)
        if info is None:
            continue
        owned = state.shard_inputs(old)
        covered = all(claims.covers(key) for key in owned)
        # a piece cut elsewhere holds records on both sides of this one's bounds
        partial = any(claims.overlaps(key) and not claims.covers(key) for key in owned)
        left = False
        for kind in (ARTICLES, REJECTED):
            path = part_path(out, kind, info[0], info[1], old)
            if covered:
                path.unlink(missing_ok=True)
                changes.removed.append(path)
                continue
            if fetch is not None:
                fetch(path)
            rewritten = _rewrite_without(path, info[2], claims)
            if rewritten is not None:
                (changes.written if rewritten else changes.removed).append(path)
            left = left or bool(rewritten)
        if covered or (partial and not left):
            forget.append(old)
    return forget, len(rows)


def commit_shard(
    state: OutputState,
    out: Path,
    result: ShardResult,
    run_id: str,
    pipeline_version: str,
    near_threshold: float | None = None,
    fetch: Callable[[Path], None] | None = None,
) -> Committed:
    """Make one cleaned shard visible; the caller holds the output lock.

    `fetch(path)`, when given, is called before an older part file is trimmed.
    """
    spec = result.spec
    inputs = {item.key for item in spec.files}
    state.abandon_transaction()  # a failed earlier attempt of this commit
    deduper = ShardDeduper(state, inputs, near_threshold)
    duplicates = deduper.decide(_piece_facts(result), result.watermark)
    ready_articles, ready_rejected, delta = _ready_files(result, duplicates, pipeline_version)
    finals = {
        kind: part_path(out, kind, spec.source_name, spec.date, spec.shard_id)
        for kind in (ARTICLES, REJECTED)
    }
    state.mark_pending(spec.shard_id, finals.values())
    changes = _Changes()
    for kind, ready in ((ARTICLES, ready_articles), (REJECTED, ready_rejected)):
        placed = _place_ready_file(ready, finals[kind])
        (changes.written if placed else changes.removed).append(finals[kind])
    forget, superseded = _supersede(state, out, spec.shard_id, inputs, changes, fetch)
    tally = result.tally + delta
    _record(state, result, forget, deduper, tally, run_id, pipeline_version)
    for path in {ready_articles, ready_rejected, *result.staged.all()}:
        path.unlink(missing_ok=True)
    return Committed(
        spec.shard_id,
        len(duplicates),
        superseded,
        tally,
        tuple(changes.written),
        tuple(dict.fromkeys(changes.removed)),
    )


def _record(
    state: OutputState,
    result: ShardResult,
    forget: list[str],
    deduper: ShardDeduper,
    tally: Tally,
    run_id: str,
    pipeline_version: str,
) -> None:
    """Say in the state, in one transaction, that the shard is in place and what it replaced."""
    spec = result.spec
    root = printable_path(spec.root)
    state.record_commit(
        ShardRow(
            spec.shard_id,
            spec.source_name,
            spec.date,
            root,
            pipeline_version,
            run_id,
            utc_now(),
            tally.accepted,
            tally.rejected,
        ),
        [InputRow(f.key, root, f.size, f.mtime_ns) for f in spec.files],
        deduper.kept,
        forget,
    )
