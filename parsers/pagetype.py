"""What kind of page a document is: an article, or a hub, a shop, a thread, a manual...

A cleaner that keeps the main text of every page also keeps the main text of
pages that are not stories: a section front full of teasers, a product page,
a forum thread, a service or documentation page. Users who want news need
to tell them apart, and no single cue does it (hubs carry `og:type=article`,
threads carry prose, product pages carry reviews). So the step reads many
weak cues and weighs them with a small linear model:

* cues every input gives: what the extractor kept and removed (`Extracted`),
  the title, the canonical URL's path when known, and words that mark a
  kind of page (prices and carts, replies and votes, "read more", code);
* cues only markup gives, read in C-level passes over the untouched tree
  before pruning (`html_evidence`): JSON-LD and microdata types, `og:type`,
  counts of `<article>`, linked headings, forms, code blocks, the share
  of the body's words in links and in paragraphs, and class/id words such
  as price, comment or card.

The weights (one set for HTML, one for text dumps, since a dump lacks the
markup cues, one for dumps whose URL is known) live in
`data/page_types.json`, fitted by `scripts/fit_page_types.py` with folds
split by site. Losing an article to a wrong guess costs more than keeping a
hub, so a page is typed `article` unless another type beats it by the
fitted margin. Pure and I/O-free apart from loading the weights once.
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import repeat
from operator import or_
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from presswash.parsers.vocabulary.page_types import (
    ATTR_CUES,
    CODE_LINE_STARTS,
    MARK_CUES,
    PATH_GROUPS,
    PATH_WORDS,
    PHRASE_CUES,
    PRICE_AFTER,
    PRICE_BEFORE,
    RATING_WORDS,
    SCHEMA_TYPES,
    TIME_UNITS,
    TITLE_WORDS,
    TYPE_GROUPS,
    WORD_CUES,
)
from presswash.schemas.document import Extracted
from presswash.schemas.stages import PageKind

PAGE_TYPES = tuple(kind.value for kind in PageKind)
WEIGHTS_FILE = Path(__file__).with_name("data") / "page_types.json"
_MAX_TEXT = 20_000  # characters of a page's text read for cue words (its head, then its tail)
_MAX_ATTR = 20_000  # characters of class words read
_MAX_LD = 400_000  # characters of JSON-LD read for @type values

# Bytes of lower-cased UTF-8 text: word characters kept, anything else a space.
_TO_SPACE = bytes(
    b if chr(b) in "abcdefghijklmnopqrstuvwxyz0123456789_" else 32 for b in range(256)
)
_WORD_BYTES = {group: tuple(w.encode() for w in words) for group, words in WORD_CUES.items()}
# Each phrase's words, and the phrase as it reads in the words joined by two spaces.
_PHRASE_BYTES = {
    group: tuple((tuple(p.encode().split()), b" " + b"  ".join(p.encode().split()) + b" ")
                 for p in phrases)
    for group, phrases in PHRASE_CUES.items()
}  # fmt: skip
_PER_WORD = ("me", "we", "you", "they", "news", "docs", "service", "forum")
_SENTENCE_END = frozenset('.!?…"”’)')
_LD_TYPE = re.compile(r'"@type"\s*:\s*(?:"([^"]{1,80})"|\[([^\]]{1,300})\])')
_DATE_PATH = re.compile(r"/(?:19|20)\d\d[/-](?:0?[1-9]|1[0-2])(?:[/-]|$)|/(?:19|20)\d\d/")
_NUMERIC = re.compile(r"\d{4,}")
_ITEMTYPE = re.compile(r"schema\.org/(\w{1,80})")
_CODE_ENDS = frozenset("{};")
_CODE_MARKS = ("()", "=>", "::")


@dataclass(slots=True)
class PageType:
    """A page's type, and the cues that weighed most for it (for a rejection's detail)."""

    name: str
    cues: list[str]


def _log(value: float) -> float:
    return math.log1p(max(value, 0.0))


def _sample(text: str) -> str:
    """The head and the tail of a long text: cues of both ends, bounded cost."""
    if len(text) <= _MAX_TEXT:
        return text
    half = _MAX_TEXT // 2
    return f"{text[:half]}\n{text[-half:]}"


def text_cues(text: str) -> dict[str, float]:
    """Cue-word counts (log scale) and line shape of a page's visible text.

    The sample is lower-cased and split into words once; single cue words are
    counted by a dict lookup, phrases as substrings of the words joined by two
    spaces (so each match is whole words), "N days ago", "N reviews" and
    "page N of M" by the words around each anchor word, and prices by a
    pattern run only when a currency sign occurs.
    """
    text = _sample(text)
    low = text.lower()
    words = low.encode("utf-8", "replace").translate(_TO_SPACE).split()
    seen = Counter(words)
    counts: dict[str, int] = {}
    for group, members in _WORD_BYTES.items():
        counts[group] = sum(seen[word] for word in members if word in seen)
    joined = b"  " + b"  ".join(words) + b"  "
    for group, phrases in _PHRASE_BYTES.items():
        counts[group] += sum(
            joined.count(spaced) for parts, spaced in phrases if all(w in seen for w in parts)
        )
    for group, marks in MARK_CUES.items():
        counts[group] += sum(low.count(mark) for mark in marks)
    counts["ago"] = sum(
        1
        for i in _positions(words, b"ago", seen)
        if i >= 2 and words[i - 1] in TIME_UNITS and words[i - 2].isdigit()
    )
    counts["reviews"] += sum(
        1 for word in RATING_WORDS for i in _positions(words, word, seen) if words[i - 1].isdigit()
    )
    counts["teaser"] += sum(
        1 for i in _positions(words, b"page", seen) if _page_of(words[i + 1 : i + 4])
    )
    counts["price"] = sum(len(p.findall(low)) for sign, p in PRICE_BEFORE.items() if sign in low)
    if "€" in low or any(code in seen for code in (b"eur", b"usd", b"gbp")):
        counts["price"] += len(PRICE_AFTER.findall(low))
    lines = [line for line in map(str.strip, text.split("\n")) if line]
    lengths = list(map(len, map(str.split, lines)))
    ends = [line[-1] for line in lines]
    total = max(len(lines), 1)
    found = {f"x_{name}": _log(count) for name, count in counts.items() if count}
    per = 100.0 / max(text.count(" ") + 1, 50)
    found.update({f"p_{name}": counts.get(name, 0) * per for name in _PER_WORD})
    found["x_lines"] = _log(len(lines))
    found["x_short"] = sum(1 for n in lengths if n <= 3) / total
    found["x_long"] = sum(1 for n in lengths if n >= 20) / total
    found["x_heads"] = _log(sum(1 for n, end in zip(lengths, ends, strict=True)
                                if 4 <= n <= 14 and end not in _SENTENCE_END))  # fmt: skip
    found["x_code"] = _log(_code_lines(text, lines, ends))
    found["x_questions"] = _log(ends.count("?"))
    found.update(_shape_cues(lengths))
    found.update(_year_cues(seen))
    return found


def _shape_cues(lengths: list[int]) -> dict[str, float]:
    """How the prose lies: one long block (a story) or many short ones (posts, teasers).

    A prose line has 12 words or more; a block is a run of them, lines of at
    most 3 words between (a link, a caption) not breaking it.
    """
    blocks: list[int] = []
    run = gap = 0
    for n in lengths:
        if n >= 12:
            run += n
            gap = 0
        elif n > 3 or gap:
            if run:
                blocks.append(run)
            run = gap = 0
        else:
            gap = 1
    if run:
        blocks.append(run)
    total = max(sum(lengths), 1)
    biggest = max(blocks, default=0)
    return {
        "x_blocks": _log(len(blocks)),
        "x_block_words": _log(biggest),
        "x_block_share": biggest / total,
        "x_prose_share": sum(blocks) / total,
    }


def _code_lines(text: str, lines: list[str], ends: list[str]) -> int:
    """Lines that read as code: a code keyword first, a brace or semicolon last, or a code mark.

    One line at a time in C (`map`): a page has hundreds of lines and almost none is code.
    """
    code = map(or_, map(str.startswith, lines, repeat(CODE_LINE_STARTS)),
               map(_CODE_ENDS.__contains__, ends))  # fmt: skip
    for mark in _CODE_MARKS:
        if mark in text:
            code = map(or_, code, map(str.__contains__, lines, repeat(mark)))
    return sum(code)


def _year_cues(seen: Counter[bytes]) -> dict[str, float]:
    """Years named on the page: many of them, and many distinct, mark posts or teasers."""
    years = [count for word, count in seen.items()
             if len(word) == 4 and word[:2] in (b"19", b"20") and word.isdigit()]  # fmt: skip
    return {"x_years": _log(sum(years)), "x_year_kinds": _log(len(years))}


def _positions(words: list[bytes], word: bytes, seen: Counter[bytes]) -> Iterator[int]:
    """Where `word` stands in `words` (a C-level search from one to the next)."""
    at = -1
    for _ in range(seen.get(word, 0)):
        at = words.index(word, at + 1)
        yield at


def _page_of(after: list[bytes]) -> bool:
    """Whether the words after `page` read `N of M`."""
    return len(after) == 3 and after[0].isdigit() and after[1] == b"of" and after[2].isdigit()


_COUNTED = ("p", "a", "article", "h2", "h3", "h4", "pre", "code", "form", "select", "button",
            "input", "time", "li", "img", "table")  # fmt: skip
# Every class, id and itemtype value of the tree in one C-level pass (one compiled copy per thread).
_CLASSES_XSLT = b"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="UTF-8"/>
<xsl:template match="/">
<xsl:for-each select="//@class|//@id|//@itemtype">
<xsl:value-of select="."/><xsl:text> </xsl:text>
</xsl:for-each>
</xsl:template>
</xsl:stylesheet>"""
# The body's text nodes, one a line, without the hidden elements' text.
_TEXT_XSLT = b"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="UTF-8"/>
<xsl:template match="/"><xsl:apply-templates select="//body"/></xsl:template>
<xsl:template match="script|style|noscript|template"/>
<xsl:template match="text()"><xsl:value-of select="."/><xsl:text>&#10;</xsl:text></xsl:template>
</xsl:stylesheet>"""
_LOCAL = threading.local()


def _classes(root: etree._Element) -> str:
    """All class and id values of the tree, joined by spaces."""
    transform = getattr(_LOCAL, "classes", None)
    if transform is None:
        transform = _LOCAL.classes = etree.XSLT(etree.XML(_CLASSES_XSLT))
    return str(transform(root))


def _attribute_cues(attrs: str) -> dict[str, float]:
    """How often each group's cue words occur in the class/id words (log scale)."""
    found: dict[str, float] = {}
    for group, cues in ATTR_CUES.items():
        count = sum(attrs.count(cue) for cue in cues)
        if count:
            found[group] = _log(count)
    return found


def _ld_types(blob: str) -> set[str]:
    found: set[str] = set()
    for single, many in _LD_TYPE.findall(blob[:_MAX_LD]):
        for value in [single] if single else re.findall(r'"([^"]{1,80})"', many):
            found.add(value.lower().rsplit("/", 1)[-1])
    return found


def _visible_text(root: etree._Element) -> str:
    """The body's text nodes outside scripts, styles, noscript and templates, one a line."""
    transform = getattr(_LOCAL, "text", None)
    if transform is None:
        transform = _LOCAL.text = etree.XSLT(etree.XML(_TEXT_XSLT))
    return str(transform(root))


def _walk(root: etree._Element) -> tuple[dict[str, int], int, set[str]]:
    """One filtered walk: element counts, linked headings, JSON-LD and `og:type` values."""
    tags: dict[str, int] = dict.fromkeys(_COUNTED, 0)
    types: set[str] = set()
    ld: list[str] = []
    linked = 0
    for el in root.iter(*_COUNTED, "script", "meta"):
        tag = el.tag
        if tag == "script":
            if "ld+json" in (el.get("type") or ""):
                ld.append(el.text or "")
        elif tag == "meta":
            if "og:type" in (el.get("property"), el.get("name")):
                types.add("og:" + (el.get("content") or "").strip().lower())
        else:
            tags[tag] += 1
            if tag in ("h2", "h3", "h4") and el.find(".//a") is not None:
                linked += 1
    return tags, linked, types | _ld_types("\n".join(ld))


def _words_of(texts: Iterable[str]) -> int:
    return sum(map(len, map(str.split, texts)))


def _text_spread(root: etree._Element, words: int) -> dict[str, float]:
    """Where the body's words lie: in links (hubs, shops), in paragraphs, under one parent.

    A story's words are mostly in sibling `<p>` of one parent; a hub's are in
    link text spread over many small elements; a thread's paragraphs are split
    between posts. Each share is of the body's visible words.
    """
    total = max(words, 1)
    by_parent: Counter[etree._Element] = Counter()
    paragraphs: Counter[etree._Element] = Counter()
    for paragraph in root.iterfind(".//body//p"):
        parent = paragraph.getparent()
        by_parent[parent] += _words_of(paragraph.itertext())
        paragraphs[parent] += 1
    best, best_words = max(by_parent.items(), key=lambda item: item[1], default=(None, 0))
    elements = int(root.xpath("count(//body//*)"))
    return {
        "h_link_share": min(_words_of(root.xpath("//body//a//text()")) / total, 1.0),
        "h_p_share": min(sum(by_parent.values()) / total, 1.0),
        "h_best_p": _log(paragraphs[best] if best is not None else 0),
        "h_best_p_share": min(best_words / total, 1.0),
        "h_elements": _log(elements),
        "h_words": _log(words),
        "h_words_per_element": _log(words / max(elements, 1)),
    }


def html_evidence(root: etree._Element) -> dict[str, float]:
    """Page-level cues of an untouched parsed page, for `page_type`; {} if it cannot be read.

    Called by the HTML extractor before pruning, since the cues (JSON-LD,
    forms, teaser cards, comment threads) live in the parts pruning removes.
    One filtered walk counts elements and reads JSON-LD and `og:type`; one
    XSLT pass reads the class, id and microdata `itemtype` values, another
    the body's text nodes; C-level XPath counts the words in links and one
    pass over the `<p>` elements those in paragraphs.
    """
    try:
        tags, linked, types = _walk(root)
        attrs = _classes(root).lower()
        types.update(_ITEMTYPE.findall(attrs, 0, _MAX_LD)[:100])
        found: dict[str, float] = {"html": 1.0}
        found.update({f"ld_{name}": 1.0 for name in types & SCHEMA_TYPES})
        for group, members in TYPE_GROUPS.items():
            found[group] = float(bool(types & members))
        found["og_article"] = float("og:article" in types)
        found["og_product"] = float(any(t.startswith("og:product") for t in types))
        found["og_website"] = float("og:website" in types)
        found.update(
            {
                "h_article": _log(tags["article"]),
                "h_linked_heads": _log(linked),
                "h_heads": _log(tags["h2"] + tags["h3"]),
                "h_p": _log(tags["p"]),
                "h_links_per_p": _log(tags["a"] / (tags["p"] + 1.0)),
                "h_code": _log(tags["pre"] + tags["code"]),
                "h_forms": _log(tags["form"] + tags["select"] + tags["button"]),
                "h_inputs": _log(tags["input"]),
                "h_time": _log(tags["time"]),
                "h_li": _log(tags["li"]),
                "h_img": _log(tags["img"]),
                "h_tables": _log(tags["table"]),
            }
        )
        found.update(_attribute_cues(attrs[:_MAX_ATTR]))
        text = _visible_text(root)
        found.update(text_cues(text))
        found.update(_text_spread(root, len(text.split())))
        return found
    except (ValueError, etree.LxmlError):
        return {}


def text_evidence(text: str) -> dict[str, float]:
    """Page-level cues of a text dump (every line of it, not only the kept ones)."""
    return text_cues(text)


def url_cues(url: str | None) -> dict[str, float]:
    """The shape of a URL's path: depth, date, id, slug, and words that name a kind of page."""
    if not url:
        return {}
    try:
        path = urlsplit(url).path.lower()
    except ValueError:
        return {}
    segments = [s for s in path.split("/") if s]
    found: dict[str, float] = {"u_known": 1.0, "u_depth": float(min(len(segments), 6))}
    found["u_root"] = float(not segments)
    found["u_date"] = float(bool(_DATE_PATH.search(path)))
    found["u_id"] = float(bool(_NUMERIC.search(path)))
    last = segments[-1] if segments else ""
    slug = [w for w in re.split(r"[-_.+]", last) if w and w not in {"html", "htm", "php"}]
    found["u_slug"] = float(min(len(slug), 12)) / 12.0
    words = set(segments[:-1]) | {last} if segments else set()
    for group, members in PATH_GROUPS.items():
        found[group] = float(bool(words & members))
    found["u_last_hub"] = float(last in PATH_GROUPS["u_listing"] | PATH_GROUPS["u_collection"])
    found.update({f"uw_{word}": 1.0 for word in words & PATH_WORDS})
    found["u_query"] = float("?" in url)
    return found


def extraction_cues(found: Extracted) -> dict[str, float]:
    """What the extractor kept and removed, and the metadata it found."""
    lines = found.lines
    words = [len(line.split()) for line in lines]
    kept = max(len(lines), 1)
    seen = max(found.lines_in, len(lines), 1)
    cues: dict[str, float] = {
        "e_lines": _log(len(lines)),
        "e_words": _log(sum(words)),
        "e_lines_in": _log(found.lines_in),
        "e_kept_share": len(lines) / seen,
        "e_prose": sum(1 for w in words if w >= 20) / kept,
        "e_mean_words": _log(sum(words) / kept),
        "e_questions": sum(1 for line in lines if line.rstrip().endswith("?")) / kept,
        "e_empty": float(not lines),
        "e_authors": float(bool(found.authors)),
        "e_date": float(bool(found.published_at)),
    }
    for reason, count in found.removed.items():
        cues[f"r_{reason}"] = count / seen
    title = (found.title or "").split()
    cues["e_title_words"] = float(min(len(title), 20)) / 20.0
    cues["e_title_question"] = float(bool(title) and title[-1].endswith("?"))
    cues["e_title_parts"] = float(sum(1 for w in title if w in {"|", "-", "–", "—", "·"}))
    folded = {w.strip(",.:;!?()[]'\"").lower() for w in title}
    cues.update({f"tw_{word}": 1.0 for word in folded & TITLE_WORDS})
    return cues


def page_features(found: Extracted, url: str | None = None) -> dict[str, float]:
    """Every cue of one page, named: what the model weighs."""
    features = extraction_cues(found)
    features.update(url_cues(found.url or url))
    features.update(found.page_evidence or {})
    return features


@dataclass(slots=True)
class Model:
    """One linear scorer per page type over standardised features, and the article margin."""

    types: list[str]
    features: list[str]
    centre: list[float]
    spread: list[float]
    weights: list[list[float]]  # per type, per feature
    bias: list[float]
    margin: float
    folded: tuple[dict[str, int], list[list[float]], list[float]] | tuple[()] = field(
        default=(), repr=False, compare=False
    )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Model:
        return cls(
            types=list(data["types"]),
            features=list(data["features"]),
            centre=[float(x) for x in data["centre"]],
            spread=[float(x) or 1.0 for x in data["spread"]],
            weights=[[float(x) for x in row] for row in data["weights"]],
            bias=[float(x) for x in data["bias"]],
            margin=float(data["margin"]),
        )

    def vector(self, features: Mapping[str, float]) -> list[float]:
        """The page's features standardised, in the model's order (absent ones are 0)."""
        return [
            (features.get(name, 0.0) - c) / s
            for name, c, s in zip(self.features, self.centre, self.spread, strict=True)
        ]

    def scores(self, features: Mapping[str, float]) -> list[float]:
        """Each type's score: its bias plus its weights times the standardised features.

        Folded once into a bias at all-zero features and a weight per raw
        feature, so only the features a page has are read.
        """
        if not self.folded:
            self.fold()
        index, slopes, at_zero = self.folded
        present = [(index[name], v) for name, v in features.items() if v and name in index]
        return [
            base + sum(row[i] * v for i, v in present)
            for row, base in zip(slopes, at_zero, strict=True)
        ]

    def fold(self) -> None:
        slopes = [[w / s for w, s in zip(row, self.spread, strict=True)] for row in self.weights]
        at_zero = [
            b - sum(w * c for w, c in zip(row, self.centre, strict=True))
            for row, b in zip(slopes, self.bias, strict=True)
        ]
        self.folded = ({name: i for i, name in enumerate(self.features)}, slopes, at_zero)

    def decide(self, scores: Sequence[float]) -> str:
        """The best type, unless `article` is within the margin of it: then `article`."""
        best = max(range(len(scores)), key=scores.__getitem__)
        if "article" in self.types:
            article = self.types.index("article")
            if scores[article] + self.margin >= scores[best]:
                return "article"
        return self.types[best]


@lru_cache(maxsize=4)
def load_models(path: Path = WEIGHTS_FILE) -> dict[str, Model]:
    """The fitted models, by extractor ('html', 'textdump'); read once per process."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return {name: Model.from_dict(spec) for name, spec in data["models"].items()}


def _top_cues(model: Model, features: Mapping[str, float], kind: str) -> list[str]:
    """The features that pushed the page most towards `kind` rather than `article`."""
    row = model.weights[model.types.index(kind)]
    base = model.weights[model.types.index("article")] if "article" in model.types else None
    pushes = []
    for i, name in enumerate(model.features):
        value = features.get(name)
        if value:
            push = (row[i] - (base[i] if base else 0.0)) * (value - model.centre[i])
            pushes.append((push / model.spread[i], name))
    return [name for push, name in sorted(pushes, reverse=True)[:4] if push > 0]


def model_for(models: Mapping[str, Model], found: Extracted, url: str | None) -> Model | None:
    """The model of the page's extractor; for a dump whose URL is known, the one that weighs it.

    A text dump has no markup cues, so its URL's path (a text export's record
    gives one) tells much; a dump file alone has none, and a model fitted
    with URLs would misread its absence.
    """
    if found.extractor != "html" and (found.url or url) and "textdump_url" in models:
        return models["textdump_url"]
    return models.get(found.extractor) or models.get("textdump")


def classify(found: Extracted, url: str | None = None) -> PageType:
    """The page's type with the cues that decided it; `article` when no model applies."""
    model = model_for(load_models(), found, url)
    if model is None:
        return PageType("article", [])
    features = page_features(found, url)
    kind = model.decide(model.scores(features))
    cues = _top_cues(model, features, kind) if kind != "article" else []
    return PageType(kind, cues)


def page_type(found: Extracted, url: str | None = None) -> str:
    """One of PAGE_TYPES for an extracted page, HTML or text dump alike."""
    return classify(found, url).name


def describe(kind: PageType, found: Extracted) -> str:
    """What the page looked like, for a `not_article` rejection's detail."""
    cues = ", ".join(_CUE_NAMES.get(c, c) for c in kind.cues) or "its overall shape"
    words = sum(len(line.split()) for line in found.lines)
    return (
        f"The page looks like a {kind.name} page, not an article ({cues}; {len(found.lines)} "
        f"lines and {words} words kept of {found.lines_in})"
    )


def _cue_names() -> dict[str, str]:
    names = {
        "x_price": "prices", "x_cart": "cart and stock words", "x_reviews": "ratings",
        "x_forum": "replies and votes", "x_ago": "'n days ago' stamps",
        "x_teaser": "'read more' and filter links", "x_service": "contact and booking calls",
        "x_docs": "reference-manual words", "x_code": "code lines",
        "x_heads": "headline-like lines",
        "h_linked_heads": "linked headings", "h_article": "many <article> blocks",
        "h_code": "code blocks", "h_forms": "forms and buttons", "a_card": "cards and tiles",
        "a_price": "price elements", "a_cart": "cart elements", "a_product": "product elements",
        "a_comment": "comment elements", "a_post": "post elements", "a_doc": "a docs sidebar",
        "t_product": "Product/Offer metadata", "t_forum": "forum-post metadata",
        "t_collection": "collection metadata", "t_service": "service/FAQ metadata",
        "t_docs": "tech-article metadata", "e_prose": "little prose",
        "h_link_share": "the share of words in links",
        "h_p_share": "the share of words in paragraphs",
        "h_best_p_share": "the share of words in one run of paragraphs",
        "h_words_per_element": "words per element",
    }  # fmt: skip
    for group in PATH_GROUPS:
        names[group] = f"a {group.removeprefix('u_')} URL"
    return names


_CUE_NAMES = _cue_names()


def evidence_names(features: Iterable[str]) -> list[str]:
    """Feature names in a stable order (the fit script's column order)."""
    return sorted(set(features))
