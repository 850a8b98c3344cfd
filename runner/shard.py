"""Cleaning one shard end to end with no Prefect: read, clean, stage, count.

This is the function a worker process, a Prefect task or a Dask worker runs;
it takes paths and settings (small, picklable) and returns a Tally and the
staged file names, never the documents. It can resume a shard whose worker
died: outcomes already staged are counted again but not recomputed, and the
one input that was being cleaned when the worker died twice is rejected
instead of retried forever.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson

from presswash.output.staging import ShardWriter, StagedFiles
from presswash.parsers.neardup import signature
from presswash.parsers.pipeline import Accepted, CleanConfig, Outcome, Rejected, clean_document
from presswash.parsers.readers import Piece, input_format, read_input
from presswash.runner.deadline import DocumentTimeout, deadline
from presswash.runner.lookups import look_up_staged
from presswash.runner.plan import ShardSpec
from presswash.runner.results import Resume, ShardResult
from presswash.schemas import layout
from presswash.schemas.document import RawDoc, ReadFailure, SourceInfo
from presswash.schemas.settings import Settings
from presswash.schemas.stages import Reason, Stage
from presswash.schemas.summary import Tally, lap
from presswash.sources import storage
from presswash.sources.inputs import InputFile


def _problem(item: InputFile) -> ReadFailure:
    source = SourceInfo(kind="file", uri=item.rel, sha256="0" * 64)
    reason = Reason(item.problem_reason or Reason.UNREADABLE)
    return ReadFailure(source, Stage.READ, reason, item.problem or "The file cannot be read.")


def raw_inputs(item: InputFile, settings: Settings) -> Iterator[RawDoc | ReadFailure]:
    """Every input inside one file (or one piece of it); an unreadable file is one ReadFailure."""
    if item.problem:
        yield _problem(item)
        return
    try:
        if layout.is_url(item.path):  # object storage; plain files keep the fast local open
            handle = storage.open_binary(item.path)
        else:
            handle = open(item.path, "rb")  # noqa: SIM115 - closed below, after the generator ends
    except OSError as exc:
        source = SourceInfo(kind="file", uri=item.rel, sha256="0" * 64)
        yield ReadFailure(
            source,
            Stage.READ,
            Reason.UNREADABLE,
            f"The file cannot be opened: {exc.strerror or exc}.",
        )
        return
    piece = Piece(item.start, item.end, item.first, item.before, item.inflated)
    with handle:
        yield from read_input(
            handle, name=item.rel, uri=item.rel, limits=settings.limits, piece=piece
        )


def _timed_clean(
    raw: RawDoc | ReadFailure, config: CleanConfig, timings: Counter[str] | None = None
) -> Outcome:
    """Clean one document under the per-document time limit (enforced in worker processes)."""
    seconds = config.limits.parse_timeout_seconds
    try:
        with deadline(seconds):
            return clean_document(raw, config, timings)
    except DocumentTimeout:
        return Rejected(
            raw.source,
            Stage.PARSE,
            Reason.TIMEOUT,
            f"Cleaning took longer than limits.parse_timeout_seconds ({seconds:g} s); "
            "the input was given up on.",
        )


@dataclass(frozen=True, slots=True)
class ReadTimedOut:
    """Reading the next input of a file took longer than the per-document limit."""

    failure: ReadFailure


def _next_uri(item: InputFile, last: RawDoc | ReadFailure | None) -> str:
    """The URI the next record of a file would have: `path#n` after `path#n-1`."""
    if input_format(item.rel)[0] not in ("jsonl", "warc"):
        return item.rel
    # a piece of a split file starts after record `first`, not at the top of the file
    number = last.source.uri.rpartition("#")[2] if last is not None else str(item.first)
    return f"{item.rel}#{int(number) + 1 if number.isdigit() else 1}"


def _timed_read(
    inputs: Iterator[RawDoc | ReadFailure],
    item: InputFile,
    last: RawDoc | ReadFailure | None,
    seconds: float,
) -> RawDoc | ReadFailure | ReadTimedOut | None:
    """The next input of a file, read under the same time limit as its cleaning.

    A reader stuck on one record (a pathological archive, a slow disk) would
    otherwise hold its worker with no limit at all; the file's remaining
    records are then one `timeout` rejection, as a limit crossed ends a file.
    """
    try:
        with deadline(seconds):
            return next(inputs, None)
    except DocumentTimeout:
        uri = _next_uri(item, last)
        detail = f"Reading took longer than limits.parse_timeout_seconds ({seconds:g} s); " + (
            "the records from here on were not read." if "#" in uri else "it was given up on."
        )
        source = SourceInfo(kind="file", uri=uri, sha256="0" * 64)
        return ReadTimedOut(ReadFailure(source, Stage.READ, Reason.TIMEOUT, detail))


def _worker_died(raw: RawDoc | ReadFailure) -> Rejected:
    return Rejected(
        raw.source,
        Stage.PARSE,
        Reason.INTERNAL_ERROR,
        "The worker process died twice while cleaning this input (killed, or out of memory); "
        "it was set aside so the rest of the run could finish.",
    )


def _tally_staged(files: StagedFiles, source_name: str) -> Tally:
    """Counts of the outcomes an earlier attempt staged, read back from its files."""
    tally = Tally()
    for path, accepted in ((files.articles, True), (files.rejected, False)):
        if not path.exists():
            continue
        with open(path, "rb") as handle:
            for line in handle:
                record = orjson.loads(line)
                tally.inputs += 1
                tally.sources[source_name] += 1
                if accepted:
                    tally.accepted += 1
                    tally.languages[record["language"]] += 1
                    tally.removed_lines.update(record["cleaning"]["removed"])
                else:
                    tally.reject(record["stage"], record["reason"], source_name)
    return tally


def _count(tally: Tally, outcome: Outcome, source_name: str) -> None:
    tally.inputs += 1
    tally.sources[source_name] += 1
    if isinstance(outcome, Accepted):
        tally.accepted += 1
        tally.languages[outcome.record["language"]] += 1
        tally.removed_lines.update(outcome.record["cleaning"]["removed"])
    else:
        tally.reject(str(outcome.stage), str(outcome.reason), source_name)
        tally.removed_lines.update(outcome.removed)


def run_shard(
    spec: ShardSpec,
    settings: Settings,
    pipeline_version: str,
    staging_dir: Path,
    resume: Resume | None = None,
) -> ShardResult:
    """Clean every input of a shard into its staged files and count what happened.

    A staging write that fails (disk full, read-only, quota) is the run's
    problem, not an input's: it comes back as the result's `error`.
    """
    try:
        return _run_shard(spec, settings, pipeline_version, staging_dir, resume or Resume())
    except OSError as exc:
        files = StagedFiles.for_shard(staging_dir, spec.shard_id)
        return ShardResult(
            spec,
            Tally(),
            files,
            error=f"cannot stage records in {staging_dir}: {exc.strerror or exc}",
        )


def _run_shard(
    spec: ShardSpec,
    settings: Settings,
    pipeline_version: str,
    staging_dir: Path,
    resume: Resume,
) -> ShardResult:
    files = StagedFiles.for_shard(staging_dir, spec.shard_id)
    tally = _tally_staged(files, spec.source_name) if resume.done else Tally()
    if resume.attempt:
        files.mark_attempt(resume.attempt)
    started = time.perf_counter()
    laps = tally.seconds
    config = CleanConfig(settings.limits, settings.cleaning, pipeline_version, spec.boilerplate)
    index = 0
    near = settings.cleaning.near_duplicate_threshold is not None
    # signatures of this attempt's articles by line of the staged file; earlier lines are read back
    accepted = tally.accepted
    signed: dict[int, tuple[int, ...] | None] = {}
    with ShardWriter(files, resume=resume.done > 0) as writer:
        for item in spec.files:
            tally.bytes_read += item.size
            inputs = raw_inputs(item, settings)
            last: RawDoc | ReadFailure | None = None
            while True:
                since = time.perf_counter()
                raw = _timed_read(inputs, item, last, settings.limits.parse_timeout_seconds)
                if isinstance(raw, ReadTimedOut):
                    raw, inputs = raw.failure, iter(())  # the rest of the file is not read
                last = raw
                lap(laps, "read", since)
                if raw is None:
                    break
                index += 1
                if index <= resume.done:
                    continue  # staged by an earlier attempt, already counted
                if index == resume.poison:
                    outcome: Outcome = _worker_died(raw)
                else:
                    outcome = _timed_clean(raw, config, laps)
                _count(tally, outcome, spec.source_name)
                since = time.perf_counter()
                if isinstance(outcome, Accepted):
                    if near:  # now, while the text's normal form from its hash is remembered
                        signed[accepted] = signature(outcome.record["text"])
                        since = lap(laps, "dedup", since)
                    accepted += 1
                    writer.article(outcome.record)
                else:
                    writer.rejection(outcome.as_record(pipeline_version))
                lap(laps, "write", since)
    since = time.perf_counter()
    # signed and looked up here, in parallel workers, not in the serial commit; a worker of a
    # remote cluster leaves the look-ups to the committer: SQLite is not read across hosts
    index_here = settings.run.executor == "local" or not settings.run.dask_address
    watermark = look_up_staged(files, spec.root, settings.out if index_here else None, near, signed)
    now = lap(laps, "dedup", since)
    laps["shard"] += now - started
    return ShardResult(spec, tally, files, watermark)
