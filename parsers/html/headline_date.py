"""The date a page prints next to its headline, the one a reader takes as the article's date.

Metadata often states when a page was first created while the page itself
shows a later "Updated ..." date by the headline (or the other way round,
when a CMS rewrites `datePublished` on every save). People cite the date they
see, so the date printed beside the first h1 is read separately from the
dates scattered elsewhere (sidebars, related stories, comments). The walk is
a flat, bounded pass over the text nodes in document order: no recursion.
"""

from __future__ import annotations

from presswash.parsers.html.dates import text_date
from presswash.parsers.html.tree import Element

_MAX_TEXTS = 4_000  # text nodes collected before giving up on finding the h1
_AFTER = 40  # text nodes after the h1 that still count as "by the headline"
_BEFORE = 4  # a date line printed just above the headline (kicker, dateline)
_MAX_DATE_TEXT = 100  # a text node longer than this is prose, not a date line
_SKIPPED = frozenset({"script", "style", "noscript", "template", "svg"})


def _texts_around_headline(root: Element) -> tuple[list[str], int] | None:
    """Non-blank text nodes in document order and the index where the first h1 starts."""
    body = next(root.iter("body"), None)
    if body is None:
        return None
    texts: list[str] = []
    headline_at: int | None = None
    for el in body.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "h1" and headline_at is None:
            headline_at = len(texts)
        if tag not in _SKIPPED and el.text and not el.text.isspace():
            texts.append(el.text.strip())
        if el.tail and not el.tail.isspace():
            texts.append(el.tail.strip())
        if headline_at is not None and len(texts) > headline_at + _AFTER:
            break
        if len(texts) > _MAX_TEXTS:
            break
    if headline_at is None:
        return None
    return texts, headline_at


def headline_date(root: Element) -> str | None:
    """The first date (ISO day) printed just after, else just before, the page's first h1."""
    found = _texts_around_headline(root)
    if found is None:
        return None
    texts, start = found
    after = range(start, min(len(texts), start + _AFTER))
    before = range(start - 1, max(-1, start - 1 - _BEFORE), -1)
    for index in (*after, *before):
        text = texts[index]
        if len(text) <= _MAX_DATE_TEXT:
            day = text_date(text)
            if day:
                return day
    return None
