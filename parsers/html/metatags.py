"""Meta tags and the small text helpers every metadata reader shares.

Reading all `<meta>` tags once into a dictionary turns every later lookup
("og:title, else twitter:title, else title") into dictionary gets.
"""

from __future__ import annotations

import re

from presswash.parsers.html.tree import Element

_WORD = re.compile(r"\w+")


def meta_tags(root: Element) -> dict[str, str]:
    """First content of every meta name/property/itemprop/http-equiv, keys lower-cased."""
    found: dict[str, str] = {}
    for meta in root.iter("meta"):
        content = meta.get("content")
        if not content or not content.strip():
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = meta.get(attr)
            if key:
                found.setdefault(key.strip().lower(), content.strip())
    return found


def fold(text: str) -> str:
    """Words only, case-folded: titles and names compare equal across punctuation and case."""
    return " ".join(_WORD.findall(text.casefold()))


def first(meta: dict[str, str], *keys: str) -> str | None:
    """The first non-empty value among keys in order of trust, white space folded."""
    for key in keys:
        value = meta.get(key)
        if value:
            return " ".join(value.split())
    return None


def meta_lists(root: Element, keys: frozenset[str], limit: int = 10) -> dict[str, list[str]]:
    """Every content of the given repeated meta tags, in one pass over the page's metas.

    Pages list co-authors as one DC.Creator or article:author tag each, which
    the first-value dictionary of `meta_tags` would cut to the first person.
    """
    found: dict[str, list[str]] = {}
    for meta in root.iter("meta"):
        content = meta.get("content")
        if not content or not content.strip():
            continue
        for attr in ("name", "property"):
            key = (meta.get(attr) or "").strip().lower()
            if key in keys:
                values = found.setdefault(key, [])
                if len(values) < limit:
                    values.append(" ".join(content.split()))
                break
    return found
