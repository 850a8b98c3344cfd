"""The cleaning core: one RawDoc in, one accepted record or one rejection out.

Pure and Prefect-free, so it runs the same inside a Prefect task, a worker
process, a Dask worker or a unit test. Every way a document can fail ends in
a `Rejected` with a stage and a reason; nothing escapes as an exception.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from presswash.parsers.bylines import clean_author
from presswash.parsers.dates import record_dates
from presswash.parsers.decode import DecodeFailure, declared_charset, decode_bytes
from presswash.parsers.html import extract_html
from presswash.parsers.html.tree import count_elements
from presswash.parsers.language import detect_language
from presswash.parsers.pagetype import classify, describe, text_evidence
from presswash.parsers.text_stats import content_hash, word_count
from presswash.parsers.textdump import clean_textdump
from presswash.schemas.document import Extracted, RawDoc, ReadFailure, SourceInfo
from presswash.schemas.records import (
    MAX_AUTHOR_CHARS,
    MAX_SITE_NAME_CHARS,
    MAX_TITLE_CHARS,
    MAX_URL_CHARS,
    Article,
)
from presswash.schemas.settings import Settings
from presswash.schemas.stages import Reason, Stage

_SPACE = re.compile(r"\s+")
# Control characters (an escaped \u0000 in an export, a stray \x07 in a dump) are never text.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


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


Outcome = Accepted | Rejected


def utc_now() -> str:
    """ISO 8601 UTC with a Z, the form every timestamp in the output uses."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def _fold(value: str | None) -> str | None:
    if value is None:
        return None
    folded = _SPACE.sub(" ", _CONTROL.sub("", value)).strip()
    return folded or None


def _short(value: str | None, limit: int) -> str | None:
    """A metadata value folded, or None when it is too long to be what it claims to be.

    A 2 MB "title" is a page's text in the wrong field: the article is kept
    and the field left unknown, rather than a reader's table blown up.
    """
    folded = _fold(value)
    return folded if folded is not None and len(folded) <= limit else None


def _authors(*candidates: list[str]) -> list[str]:
    """The first non-empty author list, white space folded, duplicates removed in order."""
    for names in candidates:
        seen: dict[str, None] = {}
        for name in names:
            folded = _short(name, MAX_AUTHOR_CHARS)
            if folded and folded.casefold() not in {s.casefold() for s in seen}:
                seen[folded] = None
        if seen:
            return list(seen)
    return []


def _url(*candidates: object) -> str | None:
    """The first candidate URL that is a string of sane length (a 40 MB header is no URL)."""
    for url in candidates:
        if isinstance(url, str) and url and len(url) <= MAX_URL_CHARS:
            return url
    return None


def _export_authors(raw: RawDoc) -> list[str]:
    """An export's author names, normalised as page bylines are ("By X", "X 기자", e-mails)."""
    names = (clean_author(name) for name in raw.fields.get("authors") or [])
    return [name for name in names if name]


def decode_raw(raw: RawDoc) -> str | Rejected:
    if raw.text is not None:
        if not raw.text.strip():
            return Rejected(raw.source, Stage.DECODE, Reason.EMPTY, "The record's text is empty.")
        return raw.text
    data = raw.data or b""
    declared = declared_charset(data, raw.declared_charset)
    decoded = decode_bytes(data, declared=declared)
    if isinstance(decoded, DecodeFailure):
        return Rejected(raw.source, Stage.DECODE, decoded.reason, decoded.detail)
    return decoded.text


def _too_long_line(text: str, limit: int) -> int | None:
    """The 1-based number of the first line longer than `limit` characters, if any."""
    if len(text) <= limit:
        return None
    start = 0
    number = 1
    while True:
        end = text.find("\n", start)
        stop = len(text) if end < 0 else end
        if stop - start > limit:
            return number
        if end < 0:
            return None
        start = end + 1
        number += 1


def extract(
    raw: RawDoc,
    text: str,
    settings: Settings,
    site_boilerplate: Collection[str],
    *,
    explain: bool = False,
) -> Extracted | Rejected:
    """Run the extractor the input's media calls for, after the size checks it needs."""
    limits = settings.limits
    if raw.media == "html":
        elements = count_elements(text, limits.max_html_nodes)
        if elements > limits.max_html_nodes:
            return Rejected(
                raw.source,
                Stage.PARSE,
                Reason.TOO_LARGE,
                f"The page opens more than limits.max_html_nodes ({limits.max_html_nodes:,}) "
                "elements; raise the limit to accept it.",
            )
        return extract_html(text, url=raw.fields.get("url"), explain=explain)
    if len(text) > limits.max_text_chars:
        return Rejected(
            raw.source,
            Stage.PARSE,
            Reason.TOO_LARGE,
            f"The text has {len(text):,} characters, more than limits.max_text_chars "
            f"({limits.max_text_chars:,}); raise the limit to accept it.",
        )
    line = _too_long_line(text, limits.max_text_line_chars)
    if line is not None:
        return Rejected(
            raw.source,
            Stage.PARSE,
            Reason.TOO_LARGE,
            f"Line {line} is longer than limits.max_text_line_chars "
            f"({limits.max_text_line_chars:,} characters): not a text dump of a page.",
        )
    found = clean_textdump(text, explain=explain, site_boilerplate=frozenset(site_boilerplate))
    found.page_evidence = text_evidence(text)  # the whole dump's cues, for the page type
    return found


def _published(raw: RawDoc, extracted: Extracted) -> str | None:
    return record_dates(raw.fields.get("published"), extracted, raw.source.fetched_at)[
        "published_at"
    ]


def build_record(
    raw: RawDoc,
    extracted: Extracted,
    settings: Settings,
    pipeline_version: str,
    timings: Counter[str] | None = None,
) -> Outcome:
    """Metadata merged, text checked, language decided, record validated."""
    removed: Counter[str] = Counter({str(k): v for k, v in extracted.removed.items()})
    body = "\n".join(line for line in (_fold(x) for x in extracted.lines) if line)
    if not body:
        return Rejected(
            raw.source,
            Stage.CLEAN,
            Reason.NO_CONTENT,
            f"No article text found: none of the page's {extracted.lines_in} lines is article "
            "text (navigation, boilerplate, spam or fragments).",
            removed=removed,
        )
    limit = settings.limits.max_text_chars
    if len(body) > limit:  # text dumps are checked before cleaning; this holds for every input
        return Rejected(
            raw.source,
            Stage.CLEAN,
            Reason.TOO_LARGE,
            f"The article text has {len(body):,} characters, more than limits.max_text_chars "
            f"({limit:,}); raise the limit to accept it.",
            removed=removed,
        )
    words = word_count(body)
    if words < settings.cleaning.min_words:
        return Rejected(
            raw.source,
            Stage.CLEAN,
            Reason.TOO_SHORT,
            f"The article text has {words} words, fewer than cleaning.min_words "
            f"({settings.cleaning.min_words}).",
            removed=removed,
        )
    kind = classify(extracted, _url(raw.fields.get("url"), raw.source.extra.get("url")))
    if kind.name not in settings.cleaning.page_types:
        return Rejected(
            raw.source,
            Stage.CLEAN,
            Reason.NOT_ARTICLE,
            f"{describe(kind, extracted)}; cleaning.page_types keeps "
            f"{', '.join(settings.cleaning.page_types)}.",
            removed=removed,
        )
    title = _short(raw.fields.get("title"), MAX_TITLE_CHARS) or _short(
        extracted.title, MAX_TITLE_CHARS
    )
    hint = raw.fields.get("language") or extracted.language_hint
    started = time.perf_counter()
    language = detect_language(body if not title else f"{title}\n{body}", hint=hint)
    started = _lap(timings, "language", started)
    if language.code is None:
        return Rejected(
            raw.source,
            Stage.LANGUAGE,
            Reason.LANGUAGE_UNDETERMINED,
            "The language of the text could not be determined (too few letters, or no clear "
            "winner).",
            removed=removed,
        )
    wanted = settings.cleaning.languages
    if wanted and language.code not in wanted:
        return Rejected(
            raw.source,
            Stage.LANGUAGE,
            Reason.LANGUAGE_FILTERED,
            f"The text is in '{language.code}', not in cleaning.languages ({', '.join(wanted)}).",
            removed=removed,
        )
    record: dict[str, Any] = {
        "schema_version": 1,
        "id": raw.source.sha256[:32],
        "source": raw.source.as_dict(),
        "url": _url(extracted.url, raw.fields.get("url"), raw.source.extra.get("url")),
        "title": title,
        "authors": _authors(_export_authors(raw), extracted.authors),
        **record_dates(raw.fields.get("published"), extracted, raw.source.fetched_at),
        "site_name": _short(raw.fields.get("site_name"), MAX_SITE_NAME_CHARS)
        or _short(extracted.site_name, MAX_SITE_NAME_CHARS),
        "page_type": kind.name,
        "language": language.code,
        "language_confidence": round(float(language.confidence), 4),
        "text": body,
        "word_count": words,
        "content_hash": content_hash(body),
        "cleaning": {
            "lines_in": extracted.lines_in,
            "lines_kept": body.count("\n") + 1,
            "removed": {str(k): v for k, v in sorted(removed.items())},
            "extractor": extracted.extractor,
        },
        "ingested_at": utc_now(),
        "pipeline_version": pipeline_version,
    }
    try:
        Article.model_validate(record)
        _lap(timings, "validate", started)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return Rejected(
            raw.source,
            Stage.VALIDATE,
            Reason.INVALID_RECORD,
            f"The record fails the schema at '{where}': {first['msg']}.",
            removed=removed,
        )
    return Accepted(record)


def _lap(timings: Counter[str] | None, key: str, start: float) -> float:
    """Add the time since `start` to a stage's total; returns now, the next stage's start."""
    now = time.perf_counter()
    if timings is not None:
        timings[key] += now - start
    return now


def clean_document(
    raw: RawDoc | ReadFailure,
    settings: Settings,
    pipeline_version: str,
    site_boilerplate: Collection[str] = frozenset(),
    timings: Counter[str] | None = None,
) -> Outcome:
    """One input to one outcome; an unexpected error in one document rejects that document only.

    `timings`, when given, gets the seconds spent per stage (decode, extract,
    language, validate), which is how the benchmark says where time goes.
    """
    if isinstance(raw, ReadFailure):
        return Rejected(raw.source, raw.stage, raw.reason, raw.detail)
    stage = Stage.DECODE
    try:
        started = time.perf_counter()
        text = decode_raw(raw)
        started = _lap(timings, "decode", started)
        if isinstance(text, Rejected):
            return text
        stage = Stage.PARSE
        extracted = extract(raw, text, settings, site_boilerplate)
        _lap(timings, "extract", started)
        if isinstance(extracted, Rejected):
            return extracted
        stage = Stage.CLEAN
        return build_record(raw, extracted, settings, pipeline_version, timings)
    except (RecursionError, MemoryError) as exc:
        return Rejected(
            raw.source,
            stage,
            Reason.TOO_LARGE,
            f"The input is too deeply nested or too large to process ({type(exc).__name__}).",
        )
    except Exception as exc:  # one document's bug must not stop the run
        return Rejected(
            raw.source,
            stage,
            Reason.INTERNAL_ERROR,
            f"Cleaning failed with {type(exc).__name__}: {str(exc)[:200]}. "
            "This is a presswash bug; please report it with the input.",
        )
