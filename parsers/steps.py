"""The cleaning steps, in the order a document goes through them: `STEPS`.

Each step takes the document in progress and the run's `CleanConfig`, and
returns the same document (with what it found) or a `Rejected`. A step does
not time itself, count or catch its own bugs: the driver in `pipeline.py`
does that for every step alike. Reordering or adding a step is an edit of
`STEPS`, and a clean run, `--explain` and site learning all follow it.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, TypeVar

from pydantic import ValidationError

from presswash.parsers.bylines import clean_author
from presswash.parsers.dates import record_dates
from presswash.parsers.decode import DecodeFailure, declared_charset, decode_bytes
from presswash.parsers.doc import CleanConfig, Doc, Rejected, Step
from presswash.parsers.html import extract_html
from presswash.parsers.html.tree import count_elements
from presswash.parsers.language import detect_language
from presswash.parsers.pagetype import classify, describe, text_evidence
from presswash.parsers.text_stats import content_hash, word_count
from presswash.parsers.textdump import clean_textdump
from presswash.schemas.document import Extracted, RawDoc
from presswash.schemas.records import (
    MAX_AUTHOR_CHARS,
    MAX_SITE_NAME_CHARS,
    MAX_TITLE_CHARS,
    MAX_URL_CHARS,
    Article,
    article_record,
)
from presswash.schemas.stages import Reason, Stage

T = TypeVar("T")

# Control characters (an escaped \u0000 in an export, a stray \x07 in a dump) are never text.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _fold(value: str | None) -> str | None:
    if value is None:
        return None
    # str.split() breaks at what `\s` matches; the control characters are gone first
    folded = " ".join(_CONTROL.sub("", value).split())
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


def _title(raw: RawDoc, extracted: Extracted) -> str | None:
    """The export's title over the page's; either is refused when too long to be a title."""
    return _short(raw.fields.get("title"), MAX_TITLE_CHARS) or _short(
        extracted.title, MAX_TITLE_CHARS
    )


def record_metadata(raw: RawDoc, extracted: Extracted) -> dict[str, Any]:
    """The record's metadata fields, in its order: an export's own values over the page's.

    What `--explain` shows for an input that is rejected, and so has no record:
    the metadata its record would have carried.
    """
    return {
        "url": _url(extracted.url, raw.fields.get("url"), raw.source.extra.get("url")),
        "title": _title(raw, extracted),
        "authors": _authors(_export_authors(raw), extracted.authors),
        **record_dates(raw.fields.get("published"), extracted, raw.source.fetched_at),
        "site_name": _short(raw.fields.get("site_name"), MAX_SITE_NAME_CHARS)
        or _short(extracted.site_name, MAX_SITE_NAME_CHARS),
    }


def _after(value: T | None, step: str) -> T:
    """What an earlier step found; the driver runs the steps in order, so it is there."""
    if value is None:
        raise RuntimeError(f"a step that needs the '{step}' step ran before it")
    return value


def decode(doc: Doc, config: CleanConfig) -> Doc | Rejected:
    """The input's text: a scraper's own, or its bytes decoded (BOM, declared, detected)."""
    raw = doc.raw
    if raw.text is not None:
        if not raw.text.strip():
            return doc.reject(Reason.EMPTY, "The record's text is empty.")
        doc.text = raw.text
        return doc
    data = raw.data or b""
    declared = declared_charset(data, raw.declared_charset)
    decoded = decode_bytes(data, declared=declared)
    if isinstance(decoded, DecodeFailure):
        return doc.reject(decoded.reason, decoded.detail)
    doc.text = decoded.text
    return doc


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


def check_size(doc: Doc, config: CleanConfig) -> Doc | Rejected:
    """Refuse what the extractor for the input's media could not bound: before it runs."""
    limits, text = config.limits, doc.text
    if doc.raw.media == "html":
        if count_elements(text, limits.max_html_nodes) > limits.max_html_nodes:
            return doc.reject(
                Reason.TOO_LARGE,
                f"The page opens more than limits.max_html_nodes ({limits.max_html_nodes:,}) "
                "elements; raise the limit to accept it.",
            )
        return doc
    if len(text) > limits.max_text_chars:
        return doc.reject(
            Reason.TOO_LARGE,
            f"The text has {len(text):,} characters, more than limits.max_text_chars "
            f"({limits.max_text_chars:,}); raise the limit to accept it.",
        )
    line = _too_long_line(text, limits.max_text_line_chars)
    if line is not None:
        return doc.reject(
            Reason.TOO_LARGE,
            f"Line {line} is longer than limits.max_text_line_chars "
            f"({limits.max_text_line_chars:,} characters): not a text dump of a page.",
        )
    return doc


def extract(doc: Doc, config: CleanConfig) -> Doc | Rejected:
    """The body lines and metadata, by the extractor the input's media calls for."""
    raw, text = doc.raw, doc.text
    if raw.media == "html":
        doc.extracted = extract_html(text, url=raw.fields.get("url"), explain=config.explain)
        return doc
    found = clean_textdump(text, explain=config.explain, site_boilerplate=config.site_boilerplate)
    found.page_evidence = text_evidence(text)  # the whole dump's cues, for the page type
    doc.extracted = found
    return doc


def check_text(doc: Doc, config: CleanConfig) -> Doc | Rejected:
    """The kept lines folded into the body, which must be there, not too large, long enough."""
    extracted = _after(doc.extracted, "extract")
    doc.removed = Counter({str(k): v for k, v in extracted.removed.items()})
    body = "\n".join(line for line in (_fold(x) for x in extracted.lines) if line)
    if not body:
        return doc.reject(
            Reason.NO_CONTENT,
            f"No article text found: none of the page's {extracted.lines_in} lines is article "
            "text (navigation, boilerplate, spam or fragments).",
        )
    limit = config.limits.max_text_chars
    if len(body) > limit:  # text dumps are checked before cleaning; this holds for every input
        return doc.reject(
            Reason.TOO_LARGE,
            f"The article text has {len(body):,} characters, more than limits.max_text_chars "
            f"({limit:,}); raise the limit to accept it.",
        )
    words = word_count(body)
    if words < config.cleaning.min_words:
        return doc.reject(
            Reason.TOO_SHORT,
            f"The article text has {words} words, fewer than cleaning.min_words "
            f"({config.cleaning.min_words}).",
        )
    doc.body, doc.words = body, words
    return doc


def check_page_type(doc: Doc, config: CleanConfig) -> Doc | Rejected:
    """What kind of page it is; a kind `cleaning.page_types` does not keep is `not_article`."""
    raw, extracted = doc.raw, _after(doc.extracted, "extract")
    kind = classify(extracted, _url(raw.fields.get("url"), raw.source.extra.get("url")))
    kept = config.cleaning.page_types
    if kind.name not in kept:
        return doc.reject(
            Reason.NOT_ARTICLE,
            f"{describe(kind, extracted)}; cleaning.page_types keeps {', '.join(kept)}.",
        )
    doc.page_type = kind
    return doc


def decide_language(doc: Doc, config: CleanConfig) -> Doc | Rejected:
    """The language of the title and body; undetermined, or not a wanted one, is rejected."""
    raw, extracted = doc.raw, _after(doc.extracted, "extract")
    title = _title(raw, extracted)
    hint = raw.fields.get("language") or extracted.language_hint
    language = detect_language(doc.body if not title else f"{title}\n{doc.body}", hint=hint)
    if language.code is None:
        return doc.reject(
            Reason.LANGUAGE_UNDETERMINED,
            "The language of the text could not be determined (too few letters, or no clear "
            "winner).",
        )
    wanted = config.cleaning.languages
    if wanted and language.code not in wanted:
        return doc.reject(
            Reason.LANGUAGE_FILTERED,
            f"The text is in '{language.code}', not in cleaning.languages ({', '.join(wanted)}).",
        )
    doc.title, doc.language = title, language
    return doc


def _content(doc: Doc) -> dict[str, Any]:
    """The article's own fields, from `url` to `cleaning`: the export's metadata over the page's."""
    raw, extracted = doc.raw, _after(doc.extracted, "extract")
    language = _after(doc.language, "language")
    body = doc.body
    return {
        **record_metadata(raw, extracted),
        "page_type": _after(doc.page_type, "page_type").name,
        "language": language.code,
        "language_confidence": round(float(language.confidence), 4),
        "text": body,
        "word_count": doc.words,
        "content_hash": content_hash(body),
        "cleaning": {
            "lines_in": extracted.lines_in,
            "lines_kept": body.count("\n") + 1,
            "removed": {str(k): v for k, v in sorted(doc.removed.items())},
            "extractor": extracted.extractor,
        },
    }


def build_record(doc: Doc, config: CleanConfig) -> Doc | Rejected:
    """The article record, validated against the schema a reader relies on."""
    record = article_record(doc.raw.source.as_dict(), _content(doc), config.pipeline_version)
    try:
        Article.model_validate(record)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return doc.reject(
            Reason.INVALID_RECORD, f"The record fails the schema at '{where}': {first['msg']}."
        )
    doc.record = record
    return doc


STEPS: tuple[Step, ...] = (
    Step("decode", Stage.DECODE, decode),
    Step("size", Stage.PARSE, check_size),
    Step("extract", Stage.PARSE, extract),
    Step("text", Stage.CLEAN, check_text),
    Step("page_type", Stage.CLEAN, check_page_type),
    Step("language", Stage.LANGUAGE, decide_language),
    Step("record", Stage.VALIDATE, build_record),
)


def step_range(first: str, last: str) -> tuple[Step, ...]:
    """The steps from `first` to `last`, both included, in the pipeline's order."""
    names = [step.name for step in STEPS]
    return STEPS[names.index(first) : names.index(last) + 1]
