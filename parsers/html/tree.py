"""Building the element tree once, and the few whole-tree walks everything else shares.

lxml (libxml2) builds the tree in C and never raises on broken markup; with
`huge_tree` it accepts big text nodes. It stops at 2,048 levels of nesting,
dropping the rest of the page, so markup that deep is flattened first
(`nesting.py`) and parsed again: the tree stays shallow enough for
Python-level walks, and no article is lost to its wrappers. Every walk here is an explicit
loop or lxml's C iterator: no Python recursion proportional to depth.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from presswash.parsers.html.nesting import flatten_nesting

Element = etree._Element

_PROSE_PARAGRAPH = 80  # a <p> of at least this many characters, mostly not links, is prose


_TAG_OPEN = re.compile(r"<[A-Za-z]")


def count_elements(html: str, limit: int) -> int:
    """How many elements the markup opens, counted up to `limit + 1` (then it stops).

    Asked before parsing, because a parsed tree and the walks over it cost
    about 1 KB per element: a page of a million `<p>` would need a GB. Every
    `<` is counted first (in C); only when that crude bound is over the limit
    are real tag openings counted.
    """
    crude = html.count("<")
    if crude <= limit:
        return crude
    found = 0
    for _ in _TAG_OPEN.finditer(html):
        found += 1
        if found > limit:
            break
    return found


def parse_html(html: str) -> Element | None:
    """The document's root element, or None when the input holds no markup at all.

    The text is re-encoded to UTF-8 and the parser told so, which overrides any
    charset the markup declares: the caller has already decoded it, and a
    second decoding by a stale meta tag would only make mojibake.
    """
    if not html or not html.strip():
        return None
    root, too_deep = _parse(html)
    if too_deep:  # libxml2 gave up at its depth cap: what followed is missing
        flat = flatten_nesting(html)
        if flat is not html:
            root, _ = _parse(flat)
    return root


def _parse(html: str) -> tuple[Element | None, bool]:
    """The parsed root, and whether libxml2 stopped early at one of its resource limits."""
    data = html.replace("\x00", "").encode("utf-8", errors="replace")
    parser = etree.HTMLParser(
        encoding="utf-8",
        huge_tree=True,
        remove_comments=True,
        remove_pis=True,
        no_network=True,
        recover=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except (etree.LxmlError, ValueError):
        return None, False
    limits = parser.error_log.filter_types([etree.ErrorTypes.ERR_RESOURCE_LIMIT])
    return root, bool(limits)


def tag_of(el: Element) -> str:
    """Lower-case tag name; '' for comments, entities and processing instructions."""
    tag = el.tag
    return tag.lower() if isinstance(tag, str) else ""


def attr_words(el: Element) -> str:
    """class and id together, lower-cased: what boilerplate patterns are matched on."""
    cls = el.get("class")
    ident = el.get("id")
    if not cls and not ident:
        return ""
    return f"{cls or ''} {ident or ''}".lower()


def drop(el: Element) -> None:
    """Remove an element and its subtree but keep the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail and not tail.isspace():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def text_of(el: Element) -> str:
    """All text below an element, white space folded (C-level walk)."""
    try:
        return " ".join("".join(el.itertext()).split())
    except ValueError:
        return ""


@dataclass(slots=True)
class Sizes:
    """Characters of text below each element: all, in links, in prose paragraphs.

    Computed once, bottom-up, so that every later question ("how much text is
    here, how much of it is links") costs a dictionary look-up instead of a
    subtree walk. Keys are the element proxies kept alive in `order`.
    """

    order: list[Element]
    text: dict[Element, int]
    links: dict[Element, int]
    prose: dict[Element, int]


def measure(root: Element) -> Sizes:
    """Text and link-text sizes of every element, children before parents, no recursion.

    Each element pushes its totals up to its parent once, so the walk costs
    one pass over the elements (listed by lxml in C) instead of one pass over
    every element's children; non-element nodes (comments, processing
    instructions) only lend their tail text to their parent.
    """
    order = list(root.iter(etree.Element))
    text = dict.fromkeys(order, 0)
    links = dict.fromkeys(order, 0)
    prose = dict.fromkeys(order, 0)
    for node in root.iter(etree.Comment, etree.ProcessingInstruction, etree.Entity):
        tail = node.tail
        parent = node.getparent()
        if tail and parent is not None:
            text[parent] += len(tail.strip())
    for el in reversed(order):
        own = text[el]
        inner = el.text
        if inner:
            own += len(inner.strip())
        text[el] = own
        tag = el.tag
        if tag == "a":
            links[el] = linked = own
        else:
            linked = links[el]
            if tag == "p" and own >= _PROSE_PARAGRAPH and linked * 2 < own:
                prose[el] = own
        if el is root:
            continue
        parent = el.getparent()
        if parent is not None:
            tail = el.tail
            text[parent] += own + len(tail.strip()) if tail else own
            links[parent] += linked
            prose[parent] += prose[el]
    return Sizes(order, text, links, prose)
