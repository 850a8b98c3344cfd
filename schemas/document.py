"""Documents in flight between the readers, the extractors and the record builder.

Plain slotted dataclasses rather than Pydantic models: they are created once
per input on the hot path and never leave the process unvalidated; the output
models in `records.py` are where validation happens.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from presswash.schemas.stages import Reason, Stage


@dataclass(slots=True)
class SourceInfo:
    """Where the raw bytes came from; becomes the record's `source`."""

    kind: str
    uri: str
    sha256: str
    fetched_at: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "uri": self.uri,
            "sha256": self.sha256,
            "fetched_at": self.fetched_at,
            **self.extra,
        }


@dataclass(slots=True)
class RawDoc:
    """One input as a reader found it: bytes to decode, or text a scraper already decoded.

    `media` says which extractor applies: "html" for markup, "text" for a dump
    of a page's visible text. `fields` carries metadata an export already had
    (title, url, authors, published, site_name, language), trusted less than
    nothing and more than a guess.
    """

    source: SourceInfo
    media: str
    data: bytes | None = None
    text: str | None = None
    declared_charset: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class ReadFailure:
    """An input a reader could not turn into a RawDoc; becomes a rejection."""

    source: SourceInfo
    stage: Stage
    reason: Reason
    detail: str


@dataclass(slots=True)
class LineDecision:
    """One line of a page and what the cleaner did with it (for `--explain`)."""

    text: str
    kept: bool
    reason: str | None = None


@dataclass(slots=True)
class Extracted:
    """What an extractor found in a page: the body lines and the metadata around them."""

    lines: list[str]
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published_at: str | None = None
    published_at_source: str | None = None  # where the page stated it: jsonld, meta, visible, url
    published_at_precision: str | None = None  # day, minute or second, as written
    modified_at: str | None = None
    site_name: str | None = None
    url: str | None = None
    language_hint: str | None = None
    lines_in: int = 0
    removed: Counter[str] = field(default_factory=Counter)
    decisions: list[LineDecision] | None = None
    extractor: str = "textdump"
    # Page-level cues for the page type (JSON-LD types, forms, teaser cards, cue words),
    # read before pruning removes them; None when the extractor gave none.
    page_evidence: dict[str, float] | None = None
