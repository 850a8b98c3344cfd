"""The people who wrote a page: JSON-LD persons, author meta tags, the visible byline.

Names are cleaned the same way whatever their source: "By" prefixes, roles
("Staff Writer"), dates glued to the name, handles and publisher names are
removed, and reading a byline stops where an affiliation starts.
"""

from __future__ import annotations

import re

from presswash.parsers.html.jsonld import LinkedData
from presswash.parsers.html.metatags import fold
from presswash.parsers.html.tree import Element, attr_words

_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|\||&|\band\b|\bund\b|\bet\b|\by\b|\be\b|\bwith\b)\s*", re.I)
_BY_PREFIX = re.compile(
    r"^\s*(?:(?:written|posted|reported|words|text|story|photos?)\s+)?(?:by|von|par|por|door)"
    r"(?:\s*[:\-]\s*|\s+)",
    re.IGNORECASE,
)
# A byline part is cut where a date, a role or interface text starts: "Jane Doe, Staff
# Writer", "By Jane Doe May 3, 2024", "Jane Doe Games Editor" all give "Jane Doe".
_CUT = re.compile(
    r"\d|\b(?:staff|senior|chief|editor|editors|writer|reporter|correspondent|contributor|"
    r"columnist|published|updated|posted|last|read|min|hours?|ago|follow|email|team|desk|"
    r"edited|technologist|producer|analyst|"
    r"share|comments?|twitter|facebook|instagram|linkedin|view|profile|photo|image|"
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|mon|tue|wed|thu|fri|sat|sun|"
    r"před|le|am|il|el|on)\b",
    re.IGNORECASE,
)
_NOT_A_NAME = re.compile(
    r"@|https?:|www\.|\.(?:com|org|net)\b|\b(?:admin|administrator|unknown|anonymous|"
    r"getty|reuters|ap|afp|dpa|staff|news|contributors?|author)\b",
    re.IGNORECASE,
)
_BYLINE_WORDS = re.compile(
    r"(?:^|[\s_-])(?:byline|author|authors|author-?name|by-?line)(?:$|[\s_-])"
)
_PARENTHESES = re.compile(r"\([^()]*(?:https?:|www\.|@)[^()]*\)")
_COMMENT_WORDS = re.compile(r"comment|disqus|repl(?:y|ies)|respond")
_BY_WORD = re.compile(r"^\s*(?:(?:Written|Posted|Words) by|By|BY|Von|Par|Por|Door)(?:\s|:|$)")
_BY_LINE = re.compile(
    r"^\s*(?:(?:Written|Posted|Words) by|By|BY|Von|Par|Por|Door):?\s+[A-ZÀ-Þ][\w.'’-]*\s+[A-ZÀ-Þ]"
)
_BY_LABEL = re.compile(
    r"^\s*(?:written by|posted by|by|author|authors|autor|auteur)\s*:?\s*$", re.I
)


def _clean_names(raw: str, blocked: set[str], *, visible: bool = False) -> list[str]:
    """Person names out of a byline string: no 'By', no roles, no dates, no publisher.

    Parts are read left to right and reading stops at the first part that is
    only a role ("Staff Writer") or a date: what follows it is an affiliation.
    """
    raw = _PARENTHESES.sub(" ", " ".join(raw.split()))
    raw = _BY_PREFIX.sub("", raw)
    names: list[str] = []
    for part in _AUTHOR_SPLIT.split(raw):
        part = _BY_PREFIX.sub("", part).strip()
        cut = _CUT.search(part)
        if cut and cut.start() == 0:
            if names:
                break
            continue
        if cut and part[cut.start() - 1].isalnum():
            continue  # a handle like "CC7567", not a name
        name = (part[: cut.start()] if cut else part).strip(" .,:-–—()[]\"'·•|")
        if not _looks_like_name(name, visible=visible) or fold(name) in blocked:
            continue
        names.append(name)
    return names


def _looks_like_name(name: str, *, visible: bool) -> bool:
    if not name or len(name) > 60 or _NOT_A_NAME.search(name):
        return False
    words = name.split()
    if len(words) > 5 or name.lower() in {"by", "and"}:
        return False
    letters = sum(ch.isalpha() for ch in name)
    cased = [w for w in (words[0], words[-1]) if w[0].isalpha() and w[0].lower() != w[0].upper()]
    if visible and len(words) > 1 and any(w[0].islower() for w in cased):
        return False  # printed full names are capitalised; "hundreds of new" is prose
    if len(words) == 1:
        return letters >= 2 and not (name.isascii() and len(name) < 3)
    return any(sum(ch.isalpha() for ch in w) >= 2 for w in words)


def _name_from_url(value: str) -> str | None:
    """'https://site/auteur/5631-alexandre-hervaud' -> 'Alexandre Hervaud'."""
    path = value.split("?")[0].rstrip("/")
    if "/aut" not in path and "/writer" not in path and "/people/" not in path:
        return None
    slug = path.rsplit("/", 1)[-1]
    words = [w for w in re.split(r"[-_]", slug) if w and not w.isdigit()]
    if 2 <= len(words) <= 4 and all(w.isalpha() for w in words):
        return " ".join(w.capitalize() for w in words)
    return None


def _spaced_text(el: Element) -> str:
    """Text with a space between elements: bylines glue name and date in separate spans."""
    try:
        return " ".join(" ".join(el.itertext()).split())
    except ValueError:
        return ""


def _in_comments(el: Element) -> bool:
    """True when the element sits inside a comment thread (commenters are not authors)."""
    node = el.getparent()
    for _ in range(30):
        if node is None:
            return False
        words = attr_words(node)
        if words and _COMMENT_WORDS.search(words):
            return True
        node = node.getparent()
    return False


def _visible_bylines(root: Element) -> list[str]:
    """Texts of the page's byline elements (rel/itemprop author, byline classes, 'By ...')."""
    found: list[str] = []
    for el in root.iter("a", "span", "div", "p", "address", "li"):
        if el.get("rel") == "author" or el.get("itemprop") == "author":
            named = el.find(".//*[@itemprop='name']")
            text = _spaced_text(named if named is not None else el)
            if 0 < len(text) <= 200 and not _in_comments(el):
                found.append(text)
        if len(found) >= 5:
            return found
    for el in root.iter("a", "span", "div", "p", "address"):
        words = attr_words(el)
        if words and _BYLINE_WORDS.search(words):
            text = _spaced_text(el)
            if 0 < len(text) <= 200 and not _in_comments(el):
                found.append(text)
        if len(found) >= 10:
            return found
    body = next(root.iter("body"), None)
    if body is not None:
        for el in body.iter("p", "div", "span", "address", "li", "td", "em", "strong", "b", "i"):
            own = el.text
            if own and _BY_WORD.match(own):
                text = _spaced_text(el)
                if len(text) <= 100 and _BY_LINE.match(text) and not _in_comments(el):
                    found.append(text)
                    break
            elif own and _BY_LABEL.match(own) and not len(el):
                following = el.getnext()  # "Written by" in one element, the name in the next
                if following is not None and not _in_comments(el):
                    text = _spaced_text(following)
                    if 0 < len(text) <= 60:
                        found.append(text)
                        break
    return found


def pick_authors(
    meta: dict[str, str], ld: LinkedData, root: Element, blocked: set[str]
) -> list[str]:
    """People who wrote the article, from the most deliberate source that names any."""
    if ld.authors:
        names = [n for raw in ld.authors for n in _clean_names(raw, blocked)]
        if names:
            return _unique(names)
    labelled = [
        meta.get(f"twitter:data{i}")
        for i in (1, 2)
        if _BY_LABEL.match(meta.get(f"twitter:label{i}", "x"))
    ]
    for value in labelled:
        names = _clean_names(value or "", blocked)
        if names:
            return _unique(names)
    for key in ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator",
                "byl", "dcterms.creator"):  # fmt: skip
        value = meta.get(key)
        if value and value.startswith("http"):
            value = _name_from_url(value)
        if value:
            names = _clean_names(value, blocked)
            if names:
                return _unique(names)
    for byline in _visible_bylines(root):
        names = _clean_names(byline, blocked, visible=True)
        if names:
            return _unique(names)
    return []


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(name.casefold(), name)
    return list(seen.values())
