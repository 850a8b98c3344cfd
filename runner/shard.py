"""Cleaning one shard end to end with no Prefect: read, clean, stage, count.

This is the function a worker process, a Prefect task or a Dask worker runs;
it takes paths and settings (small, picklable) and returns a Tally and the
staged file names, never the documents.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from presswash.parsers.pipeline import Accepted, Rejected, clean_document, utc_now
from presswash.parsers.readers import read_input
from presswash.runner.plan import ShardSpec
from presswash.schemas.document import SourceInfo
from presswash.schemas.report import Tally
from presswash.schemas.settings import Settings
from presswash.schemas.stages import Reason, Stage
from presswash.store.inputs import InputFile
from presswash.store.staging import ShardWriter, StagedFiles


@dataclass(frozen=True, slots=True)
class ShardResult:
    """What a cleaned shard hands to its commit: counts and where its records wait."""

    spec: ShardSpec
    tally: Tally
    staged: StagedFiles


def rejection_record(outcome: Rejected, pipeline_version: str) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "source": outcome.source.as_dict(),
        "stage": str(outcome.stage),
        "reason": str(outcome.reason),
        "detail": outcome.detail,
        "duplicate_of": outcome.duplicate_of,
        "rejected_at": utc_now(),
        "pipeline_version": pipeline_version,
    }


def _problem(item: InputFile) -> Rejected:
    source = SourceInfo(kind="file", uri=item.rel, sha256="0" * 64)
    reason = Reason(item.problem_reason or Reason.UNREADABLE)
    return Rejected(source, Stage.READ, reason, item.problem or "The file cannot be read.")


def _outcomes(item: InputFile, settings: Settings, pipeline_version: str):
    """Every outcome of one input file; an unreadable file is one rejection."""
    if item.problem:
        yield _problem(item)
        return
    try:
        handle = open(item.path, "rb")  # noqa: SIM115 - closed below, after the generator ends
    except OSError as exc:
        source = SourceInfo(kind="file", uri=item.rel, sha256="0" * 64)
        yield Rejected(
            source,
            Stage.READ,
            Reason.UNREADABLE,
            f"The file cannot be opened: {exc.strerror or exc}.",
        )
        return
    with handle:
        for raw in read_input(handle, name=item.rel, uri=item.rel, limits=settings.limits):
            yield clean_document(raw, settings, pipeline_version)


def run_shard(
    spec: ShardSpec, settings: Settings, pipeline_version: str, staging_dir: Path
) -> ShardResult:
    """Clean every input of a shard into its staged files and count what happened."""
    tally = Tally()
    files = StagedFiles.for_shard(staging_dir, spec.shard_id)
    started = time.perf_counter()
    with ShardWriter(files) as writer:
        for item in spec.files:
            tally.bytes_read += item.size
            for outcome in _outcomes(item, settings, pipeline_version):
                tally.inputs += 1
                tally.sources[spec.source_name] += 1
                if isinstance(outcome, Accepted):
                    tally.accepted += 1
                    tally.languages[outcome.record["language"]] += 1
                    tally.removed_lines.update(outcome.record["cleaning"]["removed"])
                    writer.article(outcome.record, item.path)
                else:
                    tally.reject(str(outcome.stage), str(outcome.reason), spec.source_name)
                    tally.removed_lines.update(outcome.removed)
                    writer.rejection(rejection_record(outcome, pipeline_version))
    tally.seconds["shard"] += time.perf_counter() - started
    return ShardResult(spec, tally, files)
