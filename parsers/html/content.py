"""Which part of the page is the article: paragraph scores pooled into their containers.

Two views of the same measured tree, because each fails where the other holds:

- the readability idea: every block of prose gives points (more for length
  and commas, less for link text) to its parent and, diminishing, to two
  further ancestors; containers are weighted by tag and class words and
  discounted by link density; the best one, widened to siblings that score
  like it, is the article. Strong on news pages, blind to articles cut into
  many small blocks.
- the prose region: the element whose prose characters most outweigh its
  other text (links, labels, fragments), a maximum over subtrees. Strong on
  page-builder and non-news pages, too generous where other stories follow.

The region replaces the scored choice only where it is clearly better (see
`_prefer_region`). Whether the result is an article at all (hubs, consent
walls) is decided by the caller from the kept lines.
"""

from __future__ import annotations

from dataclasses import dataclass

from presswash.parsers.html.selectors import BLOCK_TAGS, HEADINGS, LOOSE_TEXT_TAGS, PARAGRAPH_TAGS
from presswash.parsers.html.tree import Element, Sizes, attr_words
from presswash.parsers.vocabulary.markup import CONTENT_ATTR, UNLIKELY_ATTR

_MIN_PARAGRAPH = 25  # characters below which a block is not prose
_TAG_WEIGHT: dict[str, float] = {
    "div": 5, "article": 10, "main": 5, "section": 3, "pre": 3, "td": 3, "blockquote": 3,
    "address": -3, "ol": -3, "ul": -3, "dl": -3, "dd": -3, "dt": -3, "li": -3, "form": -3,
    "h1": -5, "h2": -5, "h3": -5, "h4": -5, "h5": -5, "h6": -5, "th": -5,
}  # fmt: skip
_LEVEL_DIVIDER = (1.0, 2.0, 3.0)
_MIN_ADDED_PROSE = 80  # widening must bring at least one real paragraph
_ADDED_PROSE_SHARE = 0.6  # ...and what it brings must be mostly prose paragraphs
_MAX_WIDEN_DENSITY = 0.3
_REGION_PENALTY = 1.5  # a character of non-prose text costs this many characters of prose
_GAIN = 1.15  # the prose region replaces the scored choice when it holds this much more prose
_COMMAS = (",", "،", "、", "，", "؛")


@dataclass(slots=True)
class Content:
    """The chosen article containers (in document order) and how sure the choice is."""

    roots: list[Element]
    score: float
    text: int
    link_density: float


def _has_block_child(el: Element) -> bool:
    for child in el:
        tag = child.tag
        if tag in BLOCK_TAGS and tag != "br" and isinstance(tag, str):
            return True
    return False


def _class_factor(el: Element, known: dict[str, float]) -> float:
    """A multiplier from class/id words: it can tip a close choice, never make text from none.

    `known` holds the word factor of class/id strings already seen on the
    page (they repeat on every paragraph), so each is matched once.
    """
    factor = 1.5 if el.get("itemprop") == "articleBody" else 1.0
    words = attr_words(el)
    if words:
        word_factor = known.get(words)
        if word_factor is None:
            word_factor = 1.0
            if CONTENT_ATTR.search(words):
                word_factor *= 1.25
            if UNLIKELY_ATTR.search(words):
                word_factor *= 0.75
            known[words] = word_factor
        factor *= word_factor
    return factor


def _is_paragraph(el: Element) -> bool:
    tag = el.tag
    if tag in PARAGRAPH_TAGS and tag != "blockquote":
        return True
    return (tag in LOOSE_TEXT_TAGS or tag == "blockquote") and not _has_block_child(el)


def _points(text: str, size: int) -> float:
    commas = sum(map(text.count, _COMMAS))
    return 1.0 + min(commas, 10) + min(size / 100, 5)


def _paragraph_score(el: Element, size: int, linked: int) -> float:
    return _points("".join(el.itertext()), size) * (1.0 - linked / size)


def _loose_text(el: Element) -> str:
    """Text lying directly in a container between its child blocks (no <p> around it)."""
    text = el.text or ""
    if not len(el):
        return text
    return "".join([text, *[child.tail or "" for child in el]])


def score_containers(sizes: Sizes) -> dict[Element, float]:
    """Each container's pooled paragraph score (tag weight included), before discounting."""
    scores: dict[Element, float] = {}
    for el in sizes.order:
        size = sizes.text.get(el, 0)
        if size < _MIN_PARAGRAPH:
            continue
        if _is_paragraph(el):
            points = _paragraph_score(el, size, sizes.links.get(el, 0))
            ancestor = el.getparent()
        else:
            loose = _loose_text(el)
            if len(loose.strip()) < _MIN_PARAGRAPH:
                continue
            points = _points(loose, len(loose.strip()))
            ancestor = el
        for divider in _LEVEL_DIVIDER:
            if ancestor is None or not isinstance(ancestor.tag, str):
                break
            if ancestor not in scores:
                scores[ancestor] = _TAG_WEIGHT.get(ancestor.tag, 0)
            scores[ancestor] += points / divider
            ancestor = ancestor.getparent()
    known: dict[str, float] = {}
    return {el: score * _class_factor(el, known) for el, score in scores.items()}


def _density(el: Element, sizes: Sizes) -> float:
    size = sizes.text.get(el, 0)
    return sizes.links.get(el, 0) / size if size else 1.0


def _climb(top: Element, final: dict[Element, float]) -> Element:
    """Widen the choice to an ancestor that scores at least as well (readability's rule)."""
    last = final[top]
    threshold = last / 3
    parent = top.getparent()
    while parent is not None and parent.tag not in {"body", "html"}:
        if parent not in final:
            parent = parent.getparent()
            continue
        if final[parent] < threshold:
            break
        if final[parent] > last:
            return parent
        last = final[parent]
        parent = parent.getparent()
    while True:
        parent = top.getparent()
        if parent is None or parent.tag in {"body", "html"}:
            return top
        if sum(1 for c in parent if isinstance(c.tag, str)) != 1:
            return top
        top = parent


def _widen(top: Element, sizes: Sizes) -> Element:
    """Climb while what an ancestor adds is mostly prose (an article split into sections)."""
    while True:
        parent = top.getparent()
        if parent is None or parent.tag in {"body", "html"}:
            return top
        added_text = sizes.text.get(parent, 0) - sizes.text.get(top, 0)
        added_prose = sizes.prose.get(parent, 0) - sizes.prose.get(top, 0)
        if added_prose < _MIN_ADDED_PROSE or added_prose < _ADDED_PROSE_SHARE * added_text:
            return top
        if _density(parent, sizes) > _MAX_WIDEN_DENSITY:
            return top
        top = parent


def _siblings(top: Element, final: dict[Element, float], sizes: Sizes) -> list[Element]:
    """The top container plus the siblings that read as more of the same article."""
    parent = top.getparent()
    if parent is None:
        return [top]
    threshold = max(10.0, final[top] * 0.2)
    top_class = top.get("class")
    chosen: list[Element] = []
    for sib in parent:
        if not isinstance(sib.tag, str):
            continue
        if sib is top:
            chosen.append(sib)
            continue
        bonus = final[top] * 0.2 if top_class and sib.get("class") == top_class else 0.0
        if sib in final and final[sib] + bonus >= threshold:
            chosen.append(sib)
            continue
        if sib.tag == "p" or (sib.tag in HEADINGS and chosen):
            size = sizes.text.get(sib, 0)
            density = _density(sib, sizes)
            if size > 80 and density < 0.25:
                chosen.append(sib)
            elif 0 < size <= 80 and density == 0:
                text = "".join(sib.itertext()).strip()
                if text.endswith((".", "!", "?", ":", "。")) or ". " in text:
                    chosen.append(sib)
    return chosen


def _prose_mass(sizes: Sizes) -> dict[Element, int]:
    """Characters of paragraph text (not links) below each element, children first.

    Each element adds its mass to its parent's once, rather than each parent
    summing over its children: one dictionary update per element.
    """
    mass = dict.fromkeys(sizes.order, 0)
    if not sizes.order:
        return mass
    root = sizes.order[0]
    for el in reversed(sizes.order):
        size = sizes.text.get(el, 0)
        if size >= _MIN_PARAGRAPH and _is_paragraph(el):
            own = size - sizes.links.get(el, 0)
        else:
            # a childless element's loose text is its own text, whose size is known
            loose = len(_loose_text(el).strip()) if len(el) else size
            own = mass[el] + (loose if loose >= _MIN_PARAGRAPH else 0)
        mass[el] = own
        if el is not root:
            parent = el.getparent()
            if parent is not None:
                mass[parent] += own
    return mass


def best_region(sizes: Sizes, penalty: float, mass: dict[Element, int]) -> Element | None:
    """The element whose prose most outweighs its other text (links, labels, fragments)."""
    best: Element | None = None
    best_value = 0.0
    for el in sizes.order:
        if el.tag in {"body", "html"}:
            continue  # the whole page is no choice at all
        good = mass.get(el, 0)
        value = good - penalty * (sizes.text.get(el, 0) - good)
        if value > best_value:
            best, best_value = el, value
    return best


def _contains(outer: Element, inner: Element) -> bool:
    node: Element | None = inner
    while node is not None:
        if node is outer:
            return True
        node = node.getparent()
    return False


def _value(els: list[Element], mass: dict[Element, int], sizes: Sizes) -> float:
    good = sum(mass.get(e, 0) for e in els)
    return good - _REGION_PENALTY * (sum(sizes.text.get(e, 0) for e in els) - good)


def _prefer_region(top: Element, roots: list[Element], sizes: Sizes) -> list[Element]:
    """The prose-mass region instead of the scored choice, where it is clearly better.

    Scoring pools points only three levels up, so an article cut into many
    small blocks (page builders, one <div> per paragraph) loses to one dense
    block such as an author box. The region is taken when it contains the
    scored choice and holds clearly more prose, or when it lies elsewhere and
    its prose outweighs its clutter by more than the scored choice's does.
    """
    mass = _prose_mass(sizes)
    region = best_region(sizes, _REGION_PENALTY, mass)
    if region is None or _contains(top, region):
        return roots
    if _contains(region, top):
        chosen = sum(mass.get(r, 0) for r in roots)
        return [region] if mass.get(region, 0) >= _GAIN * chosen else roots
    return [region] if _value([region], mass, sizes) > _value(roots, mass, sizes) else roots


def find_content(root: Element, sizes: Sizes) -> Content | None:
    """The article's containers, or None when nothing on the page reads as prose."""
    scores = score_containers(sizes)
    if not scores:
        return None
    final = {el: s * (1.0 - _density(el, sizes)) for el, s in scores.items()}
    top = max(final, key=final.__getitem__)
    top = _widen(_climb(top, final), sizes)
    if top not in final:
        final[top] = scores.get(top, 0.0) * (1.0 - _density(top, sizes))
    roots = _siblings(top, final, sizes)
    roots = _prefer_region(top, roots, sizes)
    text = sum(sizes.text.get(r, 0) for r in roots)
    links = sum(sizes.links.get(r, 0) for r in roots)
    return Content(roots, final[top], text, links / text if text else 1.0)
