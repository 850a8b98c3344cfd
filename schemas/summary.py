"""Counts of a run: mergeable per shard, summed by the flow, written as the run summary.

A shard task returns one `Tally`; tallies add with `+`, so the same code
sums 3 shards on a laptop or 3,000 on a cluster, and the books must balance:
inputs == accepted + rejected, checked where they are summed.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


@dataclass(slots=True)
class Tally:
    """What happened to the inputs of one shard (or, summed, of a run)."""

    inputs: int = 0
    accepted: int = 0
    rejected: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    stages: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)
    removed_lines: Counter[str] = field(default_factory=Counter)
    sources: Counter[str] = field(default_factory=Counter)
    source_rejected: Counter[str] = field(default_factory=Counter)
    bytes_read: int = 0
    seconds: Counter[str] = field(default_factory=Counter)

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            inputs=self.inputs + other.inputs,
            accepted=self.accepted + other.accepted,
            rejected=self.rejected + other.rejected,
            reasons=self.reasons + other.reasons,
            stages=self.stages + other.stages,
            languages=self.languages + other.languages,
            removed_lines=self.removed_lines + other.removed_lines,
            sources=self.sources + other.sources,
            source_rejected=self.source_rejected + other.source_rejected,
            bytes_read=self.bytes_read + other.bytes_read,
            seconds=self.seconds + other.seconds,
        )

    def reject(self, stage: str, reason: str, source_name: str) -> None:
        self.rejected += 1
        self.reasons[reason] += 1
        self.stages[stage] += 1
        self.source_rejected[source_name] += 1

    def unreject(self, stage: str, reason: str, source_name: str) -> None:
        """Take back a rejection (a duplicate decided later moves between counts)."""
        self.rejected -= 1
        self.reasons[reason] -= 1
        self.stages[stage] -= 1
        self.source_rejected[source_name] -= 1

    def balanced(self) -> bool:
        return self.inputs == self.accepted + self.rejected


def lap(seconds: Counter[str] | None, key: str, since: float) -> float:
    """Add the time since `since` to `key`'s total (a `Tally.seconds`); returns now.

    Now is where the next lap starts, so consecutive laps add up to the
    whole without a gap. With no counter the time is only read.
    """
    now = time.perf_counter()
    if seconds is not None:
        seconds[key] += now - since
    return now


class SourceCounts(BaseModel):
    model_config = ConfigDict(extra="forbid")

    inputs: int
    rejected: int
    rejection_rate: float


class RunSummary(BaseModel):
    """`runs/<run-id>.json`: one per run, what a person or a monitor reads first."""

    model_config = ConfigDict(extra="forbid")

    run_id: str
    status: str = Field(
        description="'finished', 'failed' or 'alert' (finished, threshold crossed)."
    )
    started_at: str
    finished_at: str
    duration_seconds: float
    pipeline_version: str
    sources: list[str]
    out: str
    inputs: int
    accepted: int
    rejected: int
    rejected_by_reason: dict[str, int]
    rejected_by_stage: dict[str, int]
    languages: dict[str, int]
    removed_lines: dict[str, int]
    per_source: dict[str, SourceCounts]
    shards: int
    bytes_read: int
    docs_per_second: float
    stage_seconds: dict[str, float] = Field(
        default_factory=dict,
        description="CPU-side seconds per step summed over workers: read, then each cleaning "
        "step (decode, size, extract, text, page_type, language, record), write, dedup, "
        "and shard (the whole time inside shards).",
    )
    alerts: list[str] = Field(default_factory=list)
    error: str | None = None
    prefect_flow_run_id: str | None = None
    mode: str | None = Field(
        default=None,
        description="How the run was driven: 'direct' (no Prefect server configured) or "
        "'prefect' (a flow run); absent in summaries written before 0.4.0.",
    )
    executor: str | None = Field(
        default=None, description="Where shards were cleaned: 'local', 'dask' or 'in-process'."
    )


def summarize(tally: Tally, **fields: Any) -> RunSummary:
    """A RunSummary from a summed tally plus the run's own facts."""

    def positive(counter: Counter[str]) -> dict[str, int]:
        return {k: v for k, v in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])) if v > 0}

    per_source = {
        name: SourceCounts(
            inputs=count,
            rejected=tally.source_rejected.get(name, 0),
            rejection_rate=round(tally.source_rejected.get(name, 0) / count, 4) if count else 0.0,
        )
        for name, count in sorted(tally.sources.items())
    }
    duration = float(fields.get("duration_seconds", 0.0))
    return RunSummary(
        inputs=tally.inputs,
        accepted=tally.accepted,
        rejected=tally.rejected,
        rejected_by_reason=positive(tally.reasons),
        rejected_by_stage=positive(tally.stages),
        languages=positive(tally.languages),
        removed_lines=positive(tally.removed_lines),
        per_source=per_source,
        bytes_read=tally.bytes_read,
        docs_per_second=round(tally.inputs / duration, 2) if duration > 0 else 0.0,
        stage_seconds={k: round(v, 3) for k, v in sorted(tally.seconds.items())},
        **fields,
    )
