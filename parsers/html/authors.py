"""The people who wrote a page: JSON-LD persons, author meta tags, the visible byline.

Names are cleaned the same way whatever their source: "By" prefixes, roles
("Staff Writer"), dates glued to the name, handles and publisher names are
removed, and reading a byline stops where an affiliation starts.
"""

from __future__ import annotations

import re

from presswash.parsers.html.jsonld import LinkedData
from presswash.parsers.html.metatags import fold, meta_lists
from presswash.parsers.html.tree import Element, attr_words
from presswash.parsers.vocabulary.bylines import (
    BY_LABEL,
    BY_NAME_LINE,
    BY_WORD,
    CO_AUTHORS_IN_PARENTHESES,
    MARKUP_BY_PREFIX,
    MARKUP_NAME_SEPARATORS,
    NAME_END,
    NOT_A_NAME,
)
from presswash.parsers.vocabulary.markup import AUTHOR_HREF, BYLINE_ATTR, COMMENT_ATTR

# "Jong, Michiel de": one surname, a comma, then given names (library-catalogue order).
_INVERTED = re.compile(r"^\s*([^\s,]+(?:\s[a-z]{1,3})?),\s*((?:[^\s,]+\s?){1,3})$")
_PARENTHESES = re.compile(r"\([^()]*(?:https?:|www\.|@)[^()]*\)")
_AUTHOR_ORDER = ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator",
                 "byl", "dcterms.creator")  # fmt: skip
_AUTHOR_KEYS = frozenset(_AUTHOR_ORDER)
_MAX_LABEL = 24  # characters of a lone "Written by:" label element
_MAX_BYLINE_LINKS = 50  # links looked at inside one byline element


def _clean_names(raw: str, blocked: set[str], *, visible: bool = False) -> list[str]:
    """Person names out of a byline string: no 'By', no roles, no dates, no publisher.

    Parts are read left to right and reading stops at the first part that is
    only a role ("Staff Writer") or a date: what follows it is an affiliation.
    """
    raw = _PARENTHESES.sub(" ", " ".join(raw.split()))
    raw = CO_AUTHORS_IN_PARENTHESES.sub(r", \1", raw)
    raw = MARKUP_BY_PREFIX.sub("", raw)
    names: list[str] = []
    for part in MARKUP_NAME_SEPARATORS.split(raw):
        part = MARKUP_BY_PREFIX.sub("", part).strip()
        cut = NAME_END.search(part)
        if cut and cut.start() == 0:
            if names:
                break
            continue
        if cut and part[cut.start() - 1].isalnum():
            continue  # a handle like "CC7567", not a name
        name = (part[: cut.start()] if cut else part).strip(" .,:-–—()[]\"'·•|»«›‹")
        if not _looks_like_name(name, visible=visible) or fold(name) in blocked:
            continue
        names.append(name)
    return names


def _looks_like_name(name: str, *, visible: bool) -> bool:
    if not name or len(name) > 60 or NOT_A_NAME.search(name):
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
        if words and COMMENT_ATTR.search(words):
            return True
        node = node.getparent()
    return False


def _byline_text(el: Element) -> str:
    """The names in a byline element: its author links when it has any, else all its text.

    Bylines wrap each name in a link to the author's page and leave the role
    ("Games Editor") or the date as plain text beside it; the links are the names.
    """
    linked: list[str] = []
    for count, a in enumerate(el.iter("a")):
        if count >= _MAX_BYLINE_LINKS or len(linked) >= 5:
            break
        if AUTHOR_HREF.search(a.get("href") or "") or a.get("rel") == "author":
            text = _spaced_text(a)
            if 0 < len(text) <= 60:
                linked.append(text)
    return ", ".join(linked) if linked else _spaced_text(el)


def _labelled_name(el: Element) -> str | None:
    """The name printed after a lone "By"/"Written by" label element, if this is one."""
    own = el.text.strip() if el.text else ""
    if not own or len(own) > _MAX_LABEL or len(el) or not BY_LABEL.match(own):
        return None
    following = el.getnext()  # "Written by" in one element, the name in the next
    if following is None or _in_comments(el):
        return None
    text = _spaced_text(following)
    return text if 0 < len(text) <= 60 else None


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
    for el in root.iter("a", "span", "div", "p", "address", "em"):
        words = attr_words(el)
        if words and BYLINE_ATTR.search(words):
            text = _byline_text(el)
            if 0 < len(text) <= 200 and not _in_comments(el):
                found.append(text)
        if len(found) >= 10:
            return found
    body = next(root.iter("body"), None)
    if body is not None:
        for el in body.iter("p", "div", "span", "address", "li", "td", "em", "strong", "b", "i"):
            labelled = _labelled_name(el)
            if labelled:
                found.append(labelled)
                break
            own = el.text
            if own and BY_WORD.match(own):
                text = _spaced_text(el)
                if len(text) <= 100 and BY_NAME_LINE.match(text) and not _in_comments(el):
                    found.append(text)
                    break
    return found


def _uninverted(value: str) -> str:
    """'Jong, Michiel de' -> 'Michiel de Jong': Dublin Core writes the surname first."""
    match = _INVERTED.match(value)
    return f"{match[2].strip()} {match[1]}" if match else value


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
        if BY_LABEL.match(meta.get(f"twitter:label{i}", "x"))
    ]
    for value in labelled:
        names = _clean_names(value or "", blocked)
        if names:
            return _unique(names)
    repeated = meta_lists(root, _AUTHOR_KEYS)
    for key in _AUTHOR_ORDER:
        values = repeated.get(key) or ([meta[key]] if meta.get(key) else [])
        names = [n for value in values for n in _meta_author_names(key, value, blocked)]
        if names:
            return _unique(names)
    for byline in _visible_bylines(root):
        names = _clean_names(byline, blocked, visible=True)
        if names:
            return _unique(names)
    return []


def _meta_author_names(key: str, value: str, blocked: set[str]) -> list[str]:
    """The people named by one author meta tag (a profile URL, a name, a name list)."""
    if value.startswith("http"):
        value = _name_from_url(value) or ""
    elif key.startswith(("dc.", "dcterms.")):
        value = _uninverted(value)
    return _clean_names(value, blocked) if value else []


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(name.casefold(), name)
    return list(seen.values())
