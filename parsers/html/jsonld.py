"""The page's JSON-LD, reduced to the objects that describe the article.

Publishers state headline, authors and dates in JSON-LD more reliably than
anywhere else on the page, so it is read first; but it comes as one object, a
list, or a `@graph`, with types as strings or lists, and often with syntax a
strict parser rejects. Everything here is bounded: at most a few scripts of
limited size, and nested objects walked with an explicit stack.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from typing import Any

from presswash.parsers.html.tree import Element

_MAX_SCRIPT = 2_000_000
_MAX_SCRIPTS = 20
_MAX_OBJECTS = 2_000
_ARTICLE_TYPES = frozenset(
    {
        "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
        "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "scholarlyarticle",
        "techarticle", "socialmediaposting", "liveblogposting", "posting", "report",
        "medicalwebpage", "discussionforumposting", "howto", "recipe", "review", "qapage",
        "advertisercontentarticle", "satiricalarticle", "creativework", "videoobject",
    }
)  # fmt: skip
_STORY_TYPES = frozenset({"blogposting", "liveblogposting", "report"})
_PAGE_TYPES = frozenset({"webpage", "itempage", "collectionpage", "aboutpage", "profilepage"})


@dataclass(slots=True)
class LinkedData:
    """What JSON-LD says about the article, each field None when it says nothing."""

    headline: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    publisher: str | None = None
    url: str | None = None
    types: set[str] = field(default_factory=set)
    page_published: str | None = None


def _types(obj: dict[str, Any]) -> set[str]:
    raw = obj.get("@type")
    values = raw if isinstance(raw, list) else [raw]
    return {v.lower().rsplit("/", 1)[-1] for v in values if isinstance(v, str)}


def _objects(data: Any) -> list[dict[str, Any]]:
    """Every dict in the data that has a @type (top level, lists, @graph), bounded."""
    found: list[dict[str, Any]] = []
    stack: list[Any] = [data]
    while stack and len(found) < _MAX_OBJECTS:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            if "@type" in item:
                found.append(item)
            graph = item.get("@graph")
            if isinstance(graph, list):
                stack.extend(reversed(graph))
            main = item.get("mainEntity")
            if isinstance(main, dict | list):
                stack.append(main)
    return found


def _unescape(value: str) -> str | None:
    """The string with HTML entities decoded: CMSs escape JSON-LD text once or twice."""
    for _ in range(2):
        if "&" not in value:
            break
        value = html.unescape(value)
    return value.strip() or None


def _name(value: Any) -> str | None:
    if isinstance(value, str):
        return _unescape(value)
    if isinstance(value, dict):
        name = value.get("name")
        if isinstance(name, str):
            return _unescape(name)
        if isinstance(name, list) and name and isinstance(name[0], str):
            return _unescape(name[0])
    if isinstance(value, list) and value:
        return _name(value[0])
    return None


def _people(value: Any) -> list[str]:
    """Names of the authors, skipping organisations when people are named too."""
    items = value if isinstance(value, list) else [value]
    people: list[str] = []
    orgs: list[str] = []
    for item in items[:20]:
        name = _name(item)
        if not name:
            continue
        if isinstance(item, dict) and "organization" in " ".join(_types(item)):
            orgs.append(name)
        else:
            people.append(name)
    return people


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return _unescape(value)
    if isinstance(value, list) and value and isinstance(value[0], str):
        return _unescape(value[0])
    return None


def _load(raw: str) -> Any:
    raw = raw.strip()
    for opener, closer in (("<!--", "-->"), ("<![CDATA[", "]]>"), ("//<![CDATA[", "//]]>")):
        if raw.startswith(opener):
            raw = raw.removeprefix(opener).strip().removesuffix(closer).strip()
    try:
        return json.loads(raw, strict=False)
    except (ValueError, RecursionError):
        return None


def read_linked_data(root: Element) -> LinkedData:
    """The article's JSON-LD facts; empty when the page has none or none parses."""
    found = LinkedData()
    scripts = [s for s in root.iter("script") if "ld+json" in (s.get("type") or "").lower()][
        :_MAX_SCRIPTS
    ]
    for script in scripts:
        raw = script.text or ""
        if not raw or len(raw) > _MAX_SCRIPT:
            continue
        for obj in _objects(_load(raw)):
            types = _types(obj)
            if types & _ARTICLE_TYPES and found.headline is None:
                _fill(found, obj, types)
            elif types & _PAGE_TYPES and found.page_published is None:
                found.page_published = _text(obj.get("datePublished"))
    return found


def _fill(found: LinkedData, obj: dict[str, Any], types: set[str]) -> None:
    found.types = types
    found.headline = _text(obj.get("headline")) or _text(obj.get("name"))
    found.authors = _people(obj.get("author") or obj.get("creator"))
    found.published = _text(obj.get("datePublished")) or _text(obj.get("dateCreated"))
    found.modified = _text(obj.get("dateModified"))
    found.publisher = _name(obj.get("publisher"))
    url = obj.get("url") or obj.get("mainEntityOfPage")
    found.url = _text(url) or (_text(url.get("@id")) if isinstance(url, dict) else None)


def is_article(meta: dict[str, str], ld: LinkedData) -> bool:
    """True when the page calls itself an article (JSON-LD type or og:type).

    Forum threads, product and listing pages print the date of the latest
    post or price change by their title; only an article's headline date is
    the date of what the page says.
    """
    if (meta.get("og:type") or "").strip().lower() == "article":
        return True
    return any(t.endswith("article") or t in _STORY_TYPES for t in ld.types)
