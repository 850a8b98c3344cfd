"""The output records: the one source of truth for what lands in `articles/` and `rejected/`.

`extra="forbid"` everywhere, because a field that slips in unannounced is a
schema change that downstream readers did not agree to.
"""

from __future__ import annotations

import re
import time
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from presswash.schemas.stages import Reason, Stage

SCHEMA_VERSION = 1

# Bounds on what a field can hold. A value past them is not what the field claims
# (a page's text in a title tag, a 40 MB header as a URL): the pipeline leaves such a
# field unknown, and the schema refuses it, so no reader meets one.
MAX_TEXT_CHARS = 100_000_000
MAX_TITLE_CHARS = 1_000
MAX_AUTHOR_CHARS = 200
MAX_SITE_NAME_CHARS = 300
MAX_URL_CHARS = 8_192

_ISO_DATE = re.compile(
    r"^\d{4}-\d{2}-\d{2}"  # date
    r"(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?"  # optional time
    r"(Z|[+-]\d{2}:\d{2})?)?$"  # optional offset, only with a time
)
_ISO_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$")
_LANG = re.compile(r"^[a-z]{2,3}$")

NonEmpty = Annotated[str, Field(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False, str_strip_whitespace=False)


class Source(BaseModel):
    """Where a record came from; enough to find its raw bytes again."""

    model_config = ConfigDict(extra="allow")

    kind: NonEmpty = Field(
        description="What held the raw bytes: 'file', 'url' (fetched), 'jsonl' (a line of a "
        "scraper export), 'warc' (a record of a web archive)."
    )
    uri: NonEmpty = Field(
        description="Path relative to the input root, or the URL; a record inside a "
        "multi-record dump adds '#<n>' (1-based line or record number)."
    )
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")] = Field(
        description="SHA-256 of the record's raw bytes."
    )
    fetched_at: str | None = Field(
        default=None, description="When the bytes were fetched (ISO 8601), when known."
    )


class Cleaning(BaseModel):
    """What the cleaner removed, so a user can see why text is missing."""

    model_config = ConfigDict(extra="forbid")

    lines_in: int = Field(ge=0, description="Lines (blocks) of the page before cleaning.")
    lines_kept: int = Field(ge=0, description="Lines that made it into `text`.")
    removed: dict[str, int] = Field(
        default_factory=dict, description="Lines removed, counted per reason (see README)."
    )
    extractor: str = Field(description="Which path produced the text: 'html' or 'textdump'.")


class Article(_Strict):
    """An accepted article."""

    schema_version: Literal[1] = SCHEMA_VERSION
    id: Annotated[str, Field(pattern=r"^[0-9a-f]{32}$")] = Field(
        description="Stable id: the first 128 bits of the SHA-256 of the record's raw bytes."
    )
    source: Source
    url: str | None = Field(
        default=None,
        max_length=MAX_URL_CHARS,
        description="The article's canonical URL when known.",
    )
    title: str | None = Field(default=None, max_length=MAX_TITLE_CHARS)
    authors: list[Annotated[str, Field(min_length=1, max_length=MAX_AUTHOR_CHARS)]] = Field(
        default_factory=list, description="People, not publishers."
    )
    published_at: str | None = Field(
        default=None,
        description="ISO 8601: date-time with offset when known, else naive date-time or date.",
    )
    published_at_source: Literal["export", "jsonld", "meta", "visible", "url"] | None = Field(
        default=None,
        description="Where `published_at` was stated: the export's own field, the page's "
        "JSON-LD, its meta tags or microdata, its visible text (or <time>), or its URL.",
    )
    published_at_precision: Literal["day", "minute", "second"] | None = Field(
        default=None, description="How precisely `published_at` was written."
    )
    modified_at: str | None = Field(
        default=None,
        description="ISO 8601: when the page says it was last updated, kept apart from "
        "`published_at`; never before it.",
    )
    site_name: str | None = Field(
        default=None, max_length=MAX_SITE_NAME_CHARS, description="The publisher."
    )
    page_type: str | None = Field(
        default=None,
        description="What the page looks like: article, collection, listing, forum, product, "
        "documentation, service or other (absent in records written before 0.4.0).",
    )
    language: Annotated[str, Field(pattern=_LANG.pattern)] = Field(description="ISO 639-1 code.")
    language_confidence: float = Field(ge=0.0, le=1.0)
    text: Annotated[str, Field(min_length=1, max_length=MAX_TEXT_CHARS)] = Field(
        description="The clean body, one paragraph a line."
    )
    word_count: int = Field(ge=1)
    content_hash: Annotated[str, Field(pattern=r"^[0-9a-f]{32}$")] = Field(
        description="Hash of the normalised text, for de-duplication."
    )
    cleaning: Cleaning
    ingested_at: str = Field(description="ISO 8601 UTC.")
    pipeline_version: NonEmpty

    @field_validator("published_at", "modified_at")
    @classmethod
    def _iso_date(cls, value: str | None) -> str | None:
        if value is not None and not _ISO_DATE.match(value):
            raise ValueError(f"not an ISO 8601 date or date-time: {value!r}")
        return value

    @field_validator("ingested_at")
    @classmethod
    def _iso_utc(cls, value: str) -> str:
        if not _ISO_UTC.match(value):
            raise ValueError(f"not an ISO 8601 UTC timestamp: {value!r}")
        return value


class Rejection(_Strict):
    """An input that did not become an article, and why."""

    schema_version: Literal[1] = SCHEMA_VERSION
    source: Source
    stage: Stage
    reason: Reason
    detail: NonEmpty = Field(description="A sentence a person can act on.")
    duplicate_of: str | None = Field(default=None, description="The kept record's id.")
    rejected_at: str = Field(description="ISO 8601 UTC.")
    pipeline_version: NonEmpty

    @field_validator("rejected_at")
    @classmethod
    def _iso_utc(cls, value: str) -> str:
        if not _ISO_UTC.match(value):
            raise ValueError(f"not an ISO 8601 UTC timestamp: {value!r}")
        return value


def json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The JSON Schema that `presswash schema` prints and the committed files hold."""
    return model.model_json_schema(mode="serialization")


def utc_now() -> str:
    """Now, as every timestamp presswash writes has it: ISO 8601 UTC to the second, with a Z."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def article_record(
    source: dict[str, Any], content: dict[str, Any], pipeline_version: str
) -> dict[str, Any]:
    """An `Article` as the dict that is written, its fields in the schema's order.

    `content` holds the fields from `url` to `cleaning`; the envelope (version,
    id, source, time, pipeline) is added here, the same for every article.
    """
    return {
        "schema_version": SCHEMA_VERSION,
        "id": source["sha256"][:32],
        "source": source,
        **content,
        "ingested_at": utc_now(),
        "pipeline_version": pipeline_version,
    }


def rejection_record(
    source: dict[str, Any],
    stage: Stage,
    reason: Reason,
    detail: str,
    pipeline_version: str,
    duplicate_of: str | None = None,
) -> dict[str, Any]:
    """A `Rejection` as the dict that is written, its fields in the schema's order."""
    return {
        "schema_version": SCHEMA_VERSION,
        "source": source,
        "stage": str(stage),
        "reason": str(reason),
        "detail": detail,
        "duplicate_of": duplicate_of,
        "rejected_at": utc_now(),
        "pipeline_version": pipeline_version,
    }
