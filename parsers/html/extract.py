"""The HTML extractor: one parse, metadata from the whole page, the article from its core.

Order matters: metadata is read from the untouched tree (bylines and JSON-LD
live in parts that pruning removes), then scripts and furniture go, then the
article containers are chosen and the whole body is rendered into lines, each
kept or dropped with a reason. A page where strict pruning leaves nothing gets
one lenient second pass. Any failure on hostile input ends in an empty
`Extracted`, never in an exception.
"""

from __future__ import annotations

from collections import Counter

from presswash.parsers.html.blocks import linearize
from presswash.parsers.html.content import find_content
from presswash.parsers.html.lines import PageFacts, filter_blocks
from presswash.parsers.html.metadata import Metadata, read_metadata
from presswash.parsers.html.prune import prune_furniture, strip_invisible
from presswash.parsers.html.tree import Element, measure, parse_html
from presswash.schemas.document import Extracted, LineDecision
from presswash.schemas.stages import LineReason

_MIN_ARTICLE_TEXT = 200  # characters of prose below which a page has no article
_MAX_LINK_DENSITY = 0.5  # a chosen container more linked than this is a hub


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


def _extract(html: str, url: str | None, explain: bool) -> Extracted:
    text = html if isinstance(html, str) else ""
    root = parse_html(text)
    if root is None:
        return _empty(None, Counter(), 0)
    meta = read_metadata(root, url)
    result = _article(root, meta, explain, lenient=False)
    if result.lines:
        return result
    # Nothing survived strict pruning: forums, product and service pages keep their
    # text in elements named like comments or widgets, so try once more without
    # class-word pruning (on a fresh tree: the first pass changed this one).
    again = parse_html(text)
    if again is None:
        return result
    lenient = _article(again, meta, explain, lenient=True)
    return lenient if lenient.lines else result


def _article(root: Element, meta: Metadata, explain: bool, *, lenient: bool) -> Extracted:
    """The article lines of one parsed page (this tree is pruned in place)."""
    strip_invisible(root)
    removed: Counter[str] = Counter()
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
