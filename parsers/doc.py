"""A document on its way through the cleaning steps, the steps' shape, and how the way ends.

A `Doc` starts as a reader's `RawDoc` and gains what each step finds (the
decoded text, the extraction, the body, the language, the record); a step
hands it on or stops it with a `Rejected`. `CleanConfig` is all a step may
read of a run: the core never sees the whole `Settings`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from presswash.parsers.language import LanguageResult
from presswash.parsers.pagetype import PageType
from presswash.schemas.document import Extracted, RawDoc, SourceInfo
from presswash.schemas.records import rejection_record
from presswash.schemas.settings import CleaningSettings, Limits
from presswash.schemas.stages import Reason, Stage


@dataclass(frozen=True, slots=True)
class CleanConfig:
    """What the cleaning core needs of a run; small and picklable, built once per shard.

    `pipeline_version` goes into the records (site learning, which builds
    none, leaves it empty); `site_boilerplate` is the source's learned line
    pairs; `explain` keeps every line's decision for `--explain`.
    """

    limits: Limits
    cleaning: CleaningSettings
    pipeline_version: str = ""
    site_boilerplate: frozenset[str] = frozenset()
    explain: bool = False


@dataclass(slots=True)
class Accepted:
    """A validated article record, ready to serialise."""

    record: dict[str, Any]


@dataclass(slots=True)
class Rejected:
    """Why one input did not become an article."""

    source: SourceInfo
    stage: Stage
    reason: Reason
    detail: str
    duplicate_of: str | None = None
    removed: Counter[str] = field(default_factory=Counter)

    def as_record(self, pipeline_version: str) -> dict[str, Any]:
        """The rejection record written for it."""
        return rejection_record(
            self.source.as_dict(),
            self.stage,
            self.reason,
            self.detail,
            pipeline_version,
            self.duplicate_of,
        )


Outcome = Accepted | Rejected


@dataclass(slots=True)
class Doc:
    """One input in progress. Each field is filled by the step that finds it.

    `stage` is the stage of the step running, set by the driver: a rejection
    made with `reject` names it. `removed` counts the lines cleaning dropped,
    by reason, once the text is checked.
    """

    raw: RawDoc
    stage: Stage = Stage.DECODE
    text: str = ""
    extracted: Extracted | None = None
    removed: Counter[str] = field(default_factory=Counter)
    body: str = ""
    words: int = 0
    page_type: PageType | None = None
    title: str | None = None
    language: LanguageResult | None = None
    record: dict[str, Any] | None = None

    def reject(self, reason: Reason, detail: str) -> Rejected:
        return Rejected(self.raw.source, self.stage, reason, detail, removed=self.removed)


@dataclass(frozen=True, slots=True)
class Step:
    """One step of the pipeline: its name (its timings key) and the stage its rejections name.

    `run` returns the document it was given, with what it found, or a `Rejected`.
    """

    name: str
    stage: Stage
    run: Callable[[Doc, CleanConfig], Doc | Rejected]
