"""Taking page furniture out of the tree before the article is looked for.

Removing share bars, cookie banners, comment threads and hidden elements
first means the content scorer sees only candidate prose, and the
same furniture cannot come back in through a generous container choice.
Each removal is guarded: an element that holds most of the page's text is
kept whatever its class says, because some sites put the article inside a
`<form>` or give its container a class like `comments-open`.
"""

from __future__ import annotations

from collections import Counter

from lxml import etree

from presswash.parsers.html.selectors import DROP_TAGS, FURNITURE_TAGS, HIDDEN_STYLE
from presswash.parsers.html.tree import Element, attr_words, drop, measure
from presswash.parsers.vocabulary.markup import (
    CONSENT_ATTR,
    FURNITURE_ATTR,
    REMOVAL_REASON_WORDS,
    STRONG_FURNITURE_ATTR,
)
from presswash.schemas.stages import LineReason

_GUARD_SHARE = 0.4  # an element with more than this share of the page's text is never pruned
_PROSE_GUARD = 300  # class words alone do not remove a subtree holding this much prose


def strip_invisible(root: Element) -> None:
    """Drop scripts, styles, media and form controls, keeping the text that follows them."""
    etree.strip_elements(root, *DROP_TAGS, etree.Comment, etree.ProcessingInstruction,
                         with_tail=False)  # fmt: skip
    for el in list(root.iter("noscript")):
        # kept when the parser built elements from it (server-rendered fallbacks hold
        # whole forum threads); dropped when it is escaped markup left as text
        if "<" in (el.text or "") or not len(el):
            drop(el)


def _reason(tag: str, words: str) -> LineReason:
    """A coarse removal reason for a pruned element, read from its tag and class words."""
    if tag in {"nav", "menu"}:
        return LineReason.NAVIGATION
    for needles, reason in REMOVAL_REASON_WORDS:
        if any(n in words for n in needles):
            return reason
    return LineReason.BOILERPLATE


def _is_hidden(el: Element) -> bool:
    style = el.get("style")
    if style and HIDDEN_STYLE.search(style):
        return True
    return el.get("hidden") is not None or el.get("aria-hidden") == "true"


_DESCENDANTS = etree.XPath("count(descendant::*)")
_IN_ARTICLE = etree.XPath("boolean(ancestor::article | ancestor::main)")


def _page_footer(el: Element) -> bool:
    """The page's own footer, outside any article: the site's "who we are" blurbs and
    promotions are prose, but never this page's article, and on a page with no article
    (a shop's category page) they were taken for one. An article's own `<footer>`
    (inside `<article>` or `<main>`) keeps the prose guard."""
    footer = el.tag == "footer" or el.get("role") == "contentinfo"
    return footer and not _IN_ARTICLE(el)


def prune_furniture(root: Element, removed: Counter[str], *, lenient: bool = False) -> None:
    """Remove furniture subtrees (by tag, class/id words, hidden state), counting them.

    `lenient` keeps everything class words alone would remove except consent
    banners: the second pass for pages (forums, product pages) whose content
    lives in elements named like comments or widgets.

    The elements are visited in document order from the measured list; only
    those with attributes or a furniture tag can go, so the rest cost one
    test, and a removed element's descendants are skipped as its subtree goes.
    """
    attr_pattern = CONSENT_ATTR if lenient else FURNITURE_ATTR
    sizes = measure(root)
    total = max(sizes.text.get(root, 0), 1)
    doomed: list[tuple[Element, LineReason]] = []
    matches: dict[str, bool] = {}  # class/id strings repeat on a page: match each once
    resume = 0
    for index, el in enumerate(sizes.order):
        if index < resume:
            continue
        tag = el.tag
        if not el.attrib and tag not in FURNITURE_TAGS:
            continue
        words = attr_words(el)
        if words:
            matched = matches.get(words)
            if matched is None:
                matched = matches[words] = bool(attr_pattern.search(words))
        else:
            matched = False
        furniture = tag in FURNITURE_TAGS or matched
        if furniture and sizes.prose.get(el, 0) >= _PROSE_GUARD:
            furniture = bool(words and STRONG_FURNITURE_ATTR.search(words)) or _page_footer(el)
        if (furniture or _is_hidden(el)) and tag not in {"html", "body"}:
            size = sizes.text.get(el, 0)
            if size <= _GUARD_SHARE * total:
                doomed.append((el, _reason(tag, words)))
                resume = index + 1 + int(_DESCENDANTS(el))
    for el, reason in doomed:
        if sizes.text.get(el, 0):
            removed[reason] += 1
        drop(el)
