"""The HTML extractor: one parse, metadata from the whole page, the article from its core.

Order matters: metadata is read from the untouched tree (bylines and JSON-LD
live in parts that pruning removes), then scripts and furniture go, then the
article containers are chosen and the whole body is rendered into lines, each
kept or dropped with a reason. A page where the strict pass finds fewer than
_FEW_WORDS words gets one broad second pass before anything is called "no
article": lenient pruning, and if the containers still hold too little, the
densest stretch of prose lines anywhere in the body (layout tables, stories
outside any named container, a teaser wall taken for the article). Any failure
on hostile input ends in an empty `Extracted`, never in an exception.
"""

from __future__ import annotations

import re
from collections import Counter

from presswash.parsers.html.blocks import linearize
from presswash.parsers.html.content import find_content
from presswash.parsers.html.formboxes import drop_form_boxes
from presswash.parsers.html.lines import PageFacts, densest_run, filter_blocks
from presswash.parsers.html.metadata import Metadata, read_metadata
from presswash.parsers.html.prune import prune_furniture, strip_invisible
from presswash.parsers.html.tree import Element, measure, parse_html
from presswash.parsers.pagetype import html_evidence
from presswash.parsers.text_stats import word_count
from presswash.schemas.document import Extracted, LineDecision
from presswash.schemas.stages import LineReason

_MIN_ARTICLE_TEXT = 200  # characters of prose below which a page has no article
_MAX_LINK_DENSITY = 0.5  # a chosen container more linked than this is a hub
# Fewer words than this from the strict pass is "little": the broad pass decides again.
_FEW_WORDS = 50
# The densest stretch is an article only with this many words (a short news item has 40).
_MIN_RUN_WORDS = 25
# End tags of the document itself: a browser ignores them, libxml2 drops what follows them.
_DOCUMENT_END = re.compile(r"</(?:body|html)\s*>", re.IGNORECASE)
_TRAILING = 200  # characters after the first such end tag that make it worth removing


def _empty(meta: Metadata | None, removed: Counter[str], lines_in: int) -> Extracted:
    return _result(meta or Metadata(), [], removed, lines_in, None)


def _result(
    meta: Metadata,
    lines: list[str],
    removed: Counter[str],
    lines_in: int,
    decisions: list[LineDecision] | None,
) -> Extracted:
    """The Extracted of a page: its body lines (maybe none) and the metadata found."""
    return Extracted(
        lines=lines,
        title=meta.title,
        authors=meta.authors,
        published_at=meta.published_at,
        site_name=meta.site_name,
        published_at_source=meta.published_at_source,
        published_at_precision=meta.published_at_precision,
        modified_at=meta.modified_at,
        url=meta.url,
        language_hint=meta.language,
        lines_in=lines_in,
        removed=removed,
        decisions=decisions,
        extractor="html",
    )


def _body(root: Element) -> Element:
    return next(root.iter("body"), root)


def extract_html(html: str, *, url: str | None = None, explain: bool = False) -> Extracted:
    """The article body and metadata of an HTML page; empty lines when it has no article."""
    try:
        return _extract(html, url, explain)
    except Exception:  # bad input is normal input: whatever lxml or a pattern trips on,
        return _empty(None, Counter(), 0)  # the caller gets "no article", never a crash


def _words(found: Extracted) -> int:
    return sum(map(word_count, found.lines))


def reopen_body(html: str) -> str:
    """The page without a stray `</body>` or `</html>` that has the article after it.

    Some templates close the document after the header and go on with the
    page; browsers render what follows in the body, libxml2 drops it.
    Removing the end tags gives the browser's reading.
    """
    found = _DOCUMENT_END.search(html)
    if found is None or len(html) - found.end() <= _TRAILING:
        return html
    return _DOCUMENT_END.sub("", html)


def _extract(html: str, url: str | None, explain: bool) -> Extracted:
    text = reopen_body(html if isinstance(html, str) else "")
    root = parse_html(text)
    if root is None:
        return _empty(None, Counter(), 0)
    meta = read_metadata(root, url)
    evidence = html_evidence(root)  # page-type cues, read before pruning removes them
    result = _article(root, meta, explain, lenient=False)
    result.page_evidence = evidence
    few = _words(result)
    if few >= _FEW_WORDS:
        return result
    # Little or nothing survived: decide again, broadly, on a fresh tree (the first
    # pass pruned this one) before the page is called one without an article.
    again = parse_html(text)
    if again is None:
        return result
    broad = _broad(again, meta, explain)
    broad.page_evidence = evidence
    return broad if _words(broad) > few else result


def _broad(root: Element, meta: Metadata, explain: bool) -> Extracted:
    """The second pass: lenient pruning, then the densest stretch of prose if need be.

    Forums, product and service pages keep their text in elements named like
    comments or widgets, which lenient pruning keeps. Where the containers
    still hold too little (a table layout, a story in anonymous blocks, a
    teaser wall that outscored the story), the page's lines are read as one
    sequence and the stretch richest in prose is taken.
    """
    lenient = _article(root, meta, explain, lenient=True)
    if _words(lenient) >= _FEW_WORDS:
        return lenient
    run = _densest(root, meta, explain)
    return run if _words(run) > _words(lenient) else lenient


def _densest(root: Element, meta: Metadata, explain: bool) -> Extracted:
    """The article as the densest stretch of prose lines of an already pruned tree."""
    blocks = linearize(_body(root), {_body(root)})
    span = densest_run(blocks)
    if span is None:
        return _empty(meta, Counter(), len(blocks))
    first, last = span
    for index, block in enumerate(blocks):
        block.in_content = first <= index <= last
    facts = PageFacts(meta.title, meta.authors, meta.site_name)
    filtered = filter_blocks(blocks, facts, explain=explain)
    decisions = filtered.decisions if explain else None
    if sum(map(word_count, filtered.lines)) < _MIN_RUN_WORDS:
        removed = filtered.removed + Counter({LineReason.BOILERPLATE: len(filtered.lines)})
        return _result(meta, [], removed, len(blocks), decisions)
    return _result(meta, filtered.lines, filtered.removed, len(blocks), decisions)


def _article(root: Element, meta: Metadata, explain: bool, *, lenient: bool) -> Extracted:
    """The article lines of one parsed page (this tree is pruned in place)."""
    removed: Counter[str] = Counter()
    drop_form_boxes(root, removed)  # before the form fields that mark them are stripped
    strip_invisible(root)
    prune_furniture(root, removed, lenient=lenient)
    body = _body(root)
    sizes = measure(body)
    content = find_content(body, sizes)
    if content is None:
        removed[LineReason.BOILERPLATE] += len(linearize(body, set()))
        return _empty(meta, removed, sum(removed.values()))
    blocks = linearize(body, set(content.roots))
    facts = PageFacts(meta.title, meta.authors, meta.site_name)
    filtered = filter_blocks(blocks, facts, explain=explain)
    removed.update(filtered.removed)
    lines_in = sum(removed.values()) + len(filtered.lines)
    kept_chars = sum(len(x) for x in filtered.lines)
    if kept_chars < _MIN_ARTICLE_TEXT or content.link_density > _MAX_LINK_DENSITY:
        removed[LineReason.LINK_LIST] += len(filtered.lines)
        result = _empty(meta, removed, lines_in)
        if explain:
            result.decisions = filtered.decisions
        return result
    return _result(meta, filtered.lines, removed, lines_in, filtered.decisions if explain else None)
