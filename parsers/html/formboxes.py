"""The small boxes around form fields inside an article: newsletter offers, reply forms.

They sit inside the article's markup, often under class names nobody could
list ("box-7f3a"), and their lines read as sentences ("Join 20,000 readers who
get our briefing"), so neither class words nor the line filter removes them.
The field is the evidence: the few lines around an e-mail field or a comment
box (the offer, "Leave a reply", the form's thank-you and error messages) go,
found before form controls are stripped from the tree. A phrase about
newsletters without a field stays: it is as often the article's own.
"""

from __future__ import annotations

from collections import Counter
from functools import cached_property

from lxml import etree

from presswash.parsers.html.tree import Element, drop, text_of
from presswash.schemas.stages import LineReason

_MAX_SHARE = 0.5  # a box never holds more than this share of the page's text
_BOX_CHARS = 500  # a form box is at most this much text around its field
_BOX_STOP = frozenset({"body", "html", "article", "main"})
_BOX_PROSE_SHARE = 0.3  # ...nor more than this share of the page's prose
_PROSE_PARAGRAPH = 80  # a paragraph of at least this many characters is prose
_VISIBLE_TEXT = etree.XPath(
    ".//text()[not(ancestor::script or ancestor::style or ancestor::template)]",
    smart_strings=False,  # plain strings: no link back to their element, made for each piece
)


def _attached(el: Element, root: Element) -> bool:
    """Still in the tree: no ancestor of it was removed before it."""
    return el is root or any(a is root for a in el.iterancestors())


def _visible_size(el: Element, bound: int) -> int:
    """Characters of text a reader sees below an element (scripts and styles left out),
    counted only until they pass `bound`: a box's climb stops there, whatever the rest.
    """
    size = 0
    for piece in _VISIBLE_TEXT(el):
        size += len(piece.strip())
        if size > bound:
            break
    return size


def _prose(el: Element) -> int:
    """Characters in the paragraphs of prose below an element."""
    sizes = (len(text_of(p)) for p in el.iter("p"))
    return sum(size for size in sizes if size >= _PROSE_PARAGRAPH)


class _Page:
    """The page's text and prose sizes, measured once and only for a page with a field."""

    def __init__(self, root: Element) -> None:
        self.root = root

    @cached_property
    def total(self) -> int:
        """The page's text, exact up to what can stop a box: past twice _BOX_CHARS, half the
        page is more than any box."""
        return _visible_size(self.root, 2 * _BOX_CHARS)

    @cached_property
    def prose(self) -> int:
        return _prose(self.root)


def _box(field: Element, page: _Page) -> Element | None:
    """The largest ancestor of a form field that is still only a few lines of text.

    It stops below the article's container, the headline, _BOX_CHARS of text,
    half the page, or a third of the page's prose: on a page whose article is
    short, the article's paragraphs are most of its prose.
    """
    best: Element | None = None
    node = field.getparent()
    while node is not None and node.tag not in _BOX_STOP:
        size = _visible_size(node, _BOX_CHARS)
        if size > _BOX_CHARS or size > _MAX_SHARE * page.total:
            break
        if _prose(node) > _BOX_PROSE_SHARE * page.prose or next(node.iter("h1"), None) is not None:
            break
        best = node
        node = node.getparent()
    return best


def drop_form_boxes(root: Element, removed: Counter[str]) -> None:
    """Remove the small boxes around e-mail fields and comment boxes (sign-ups, reply forms).

    Run before form controls are stripped: the field is the evidence. A box
    stops growing before it could take a short article with it (see `_box`).
    """
    fields = [
        el
        for el in root.iter("input", "textarea")
        if el.tag == "textarea" or (el.get("type") or "").lower() == "email"
    ]
    page = _Page(root)  # most pages have no such field and never measure their text
    boxes = [_box(field, page) for field in fields]
    for box in boxes:
        if box is not None and _attached(box, root):
            removed[LineReason.BOILERPLATE] += 1
            drop(box)
