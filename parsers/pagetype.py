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
  counts of `<article>`, linked headings, forms, code blocks, and
  class/id words such as price, comment or card.

The weights (one set for HTML, one for text dumps, since a dump lacks the
markup cues) live in `data/page_types.json`, fitted by
`scripts/fit_page_types.py` with folds split by site. Losing an article to
a wrong guess costs more than keeping a hub, so a page is typed `article`
unless another type beats it by the fitted margin. Pure and I/O-free apart
from loading the weights once.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from presswash.schemas.document import Extracted
from presswash.schemas.stages import PageKind

PAGE_TYPES = tuple(kind.value for kind in PageKind)
WEIGHTS_FILE = Path(__file__).with_name("data") / "page_types.json"
_MAX_TEXT = 60_000  # characters of a page's text read for cue words (its head, then its tail)
_MAX_ATTR = 200_000  # characters of class/id words read
_MAX_LD = 400_000  # characters of JSON-LD read for @type values

# Cue words of the visible text, one pass with named groups.
_TEXT_CUES = re.compile(
    r"(?P<price>[$€£¥]\s?\d[\d,]*(?:\.\d\d)?\b|\b\d[\d,.]*\s?(?:€|eur|usd|gbp)\b)"
    r"|(?P<cart>\badd to (?:cart|bag|basket)\b|\bbuy now\b|\b(?:in|out of) stock\b"
    r"|\bfree (?:shipping|delivery|returns)\b|\bcheckout\b|\bwish ?list\b|\bsold out\b"
    r"|\bquantity\b|\bselect (?:a )?size\b|\bsku\b)"
    r"|(?P<reviews>\b\d[\d,]* (?:reviews?|ratings?)\b|\bstars?\b|\bwrite a review\b)"
    r"|(?P<forum>\brepl(?:y|ies|ied)\b|\bquote\b|\bjoined\b|\bposts?:|\bupvoted?\b|\bvotes?\b"
    r"|\basked\b|\banswered\b|\bmembers?\b|\bthread\b|\bpermalink\b|\boriginal poster\b"
    r"|\blikes?\b|\bsolved\b|\bregistered\b)"
    r"|(?P<ago>\b\d+ (?:minutes?|hours?|days?|weeks?|months?|years?|mins?|hrs?) ago\b)"
    r"|(?P<teaser>\bread more\b|\bcontinue reading\b|\bview all\b|\bsee all\b|\bload more\b"
    r"|\bshow more\b|\bnext page\b|\bolder (?:posts|entries)\b|\bpage \d+ of \d+\b"
    r"|\bfilter\b|\bsort by\b|\bresults\b)"
    r"|(?P<service>\bcontact us\b|\bget (?:a|your) (?:free )?(?:quote|estimate)\b"
    r"|\bbook (?:a|an|now|your)\b|\bschedule (?:a|an|your)\b|\bcall us\b|\bconsultation\b"
    r"|\bour services\b|\brequest (?:a|an)\b|\bget started\b|\benroll\b|\bapply now\b"
    r"|\bpricing\b|\bper month\b|\btuition\b|\bour team\b)"
    r"|(?P<docs>\bparameters?\b|\breturns\b|\bsyntax\b|\bexamples?\b|\bfunctions?\b"
    r"|\bmethods?\b|\bdeprecated\b|\bsee also\b|\bnote:|\bon this page\b|\bedit this page\b"
    r"|\btable of contents\b|\bchapter\b|\bsection\b|\bdefault\b|\bcommand\b)"
    r"|(?P<news>\bsaid\b|\bsays\b|\btold\b|\baccording to\b|\breported\b|\bmin(?:ute)? read\b"
    r"|\bpublished\b|\bupdated\b|\bcorrespondent\b|\breporter\b|\beditor\b)"
    r"|(?P<me>\b(?:i|my|me|i'm|i've)\b)|(?P<we>\b(?:we|our|us|we're|we've)\b)"
    r"|(?P<you>\b(?:you|your|you're|you'll)\b)|(?P<they>\b(?:he|she|his|her|they|their)\b)",
    re.IGNORECASE,
)
_PER_WORD = ("me", "we", "you", "they", "news", "docs", "service", "forum")
_CODE_LINE = re.compile(
    r"[{};]\s*$|^\s*(?:def|class|import|return|function|var|const|let|public|#include|\$)\s"
    r"|\w\(\)|=>|::"
)
# Words of class and id attributes that mark a kind of page.
_ATTR_CUES = re.compile(
    r"(?P<a_price>price)|(?P<a_cart>cart|basket|add-?to|checkout|buy)|(?P<a_product>product|sku)"
    r"|(?P<a_comment>comment|reply|replies|answer|vote)|(?P<a_post>post|thread|topic|forum)"
    r"|(?P<a_card>card|tile|teaser|grid|listing|item)|(?P<a_page>pagination|pager|paging)"
    r"|(?P<a_doc>toc|sidebar|docs?-|highlight|syntax|sphinx|api)"
    r"|(?P<a_article>article|entry|story|byline|author)",
    re.IGNORECASE,
)
_LD_TYPE = re.compile(r'"@type"\s*:\s*(?:"([^"]{1,80})"|\[([^\]]{1,300})\])')
# JSON-LD, microdata and og:type values grouped by the page type they point to.
_TYPE_GROUPS: dict[str, frozenset[str]] = {
    "t_article": frozenset({"article", "newsarticle", "blogposting", "reportagenewsarticle",
                            "analysisnewsarticle", "opinionnewsarticle", "liveblogposting",
                            "backgroundnewsarticle", "report", "scholarlyarticle"}),
    "t_product": frozenset({"product", "offer", "aggregateoffer", "productgroup", "book",
                            "softwareapplication", "vehicle", "individualproduct", "course"}),
    "t_forum": frozenset({"discussionforumposting", "qapage", "question", "answer",
                          "comment", "socialmediaposting"}),
    "t_collection": frozenset({"collectionpage", "itemlist", "offercatalog",
                               "searchresultspage", "listitem"}),
    "t_service": frozenset({"service", "localbusiness", "faqpage", "professionalservice",
                            "contactpage", "aboutpage", "event", "educationalorganization"}),
    "t_docs": frozenset({"techarticle", "apireference", "softwaresourcecode", "howto"}),
    "t_website": frozenset({"website", "webpage", "organization"}),
}  # fmt: skip
_PATH_GROUPS: dict[str, frozenset[str]] = {
    "u_product": frozenset({"product", "products", "p", "dp", "item", "itm", "ip", "pd",
                            "app", "buy", "shop", "store"}),
    "u_collection": frozenset({"collections", "collection", "category", "categories", "c",
                               "catalog", "shop-all", "all", "s", "b"}),
    "u_listing": frozenset({"news", "blog", "blogs", "tag", "tags", "topic", "topics",
                            "search", "courses", "programs", "list", "directory", "events",
                            "articles", "category", "archive", "section", "author", "page"}),
    "u_forum": frozenset({"t", "thread", "threads", "questions", "forum", "forums",
                          "community", "discussion", "discussions", "comments", "r",
                          "showthread.php", "viewtopic.php", "topic"}),
    "u_docs": frozenset({"docs", "doc", "documentation", "reference", "api", "manual",
                         "guide", "guides", "wiki", "learn", "tutorial", "tutorials", "help",
                         "kb", "support", "library", "en-us", "handbook", "glossary"}),
    "u_service": frozenset({"services", "service", "pricing", "plans", "about", "contact",
                            "solutions", "hire", "tuition", "admissions", "programs",
                            "locations", "industries", "consulting"}),
    "u_article": frozenset({"news", "article", "articles", "story", "stories", "blog", "post",
                            "posts", "opinion", "politics", "world", "business", "sport"}),
}  # fmt: skip
_PATH_WORDS = frozenset().union(*_PATH_GROUPS.values()) | {"post", "d", "wiki", "en"}
_TITLE_WORDS = frozenset(
    {"best", "how", "what", "why", "guide", "services", "service", "shop", "buy", "review",
     "reviews", "vs", "news", "forum", "docs", "documentation", "tutorial", "introduction",
     "course", "courses", "official", "home", "online", "free", "sale", "top", "latest",
     "hire", "company", "solutions", "software", "list", "category", "topic", "thread",
     "question", "help", "learn", "program", "programs", "certification", "says", "after"}
)  # fmt: skip
_DATE_PATH = re.compile(r"/(?:19|20)\d\d[/-](?:0?[1-9]|1[0-2])(?:[/-]|$)|/(?:19|20)\d\d/")
_NUMERIC = re.compile(r"\d{4,}")
_SENTENCE_END = re.compile(r"[.!?…\"”’)]$")


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
    """Cue-word counts (log scale) and line shape of a page's visible text."""
    text = _sample(text)
    counts: dict[str, int] = {}
    for match in _TEXT_CUES.finditer(text):
        group = match.lastgroup or ""
        counts[group] = counts.get(group, 0) + 1
    lines = [line for line in (x.strip() for x in text.split("\n")) if line]
    words = [len(line.split()) for line in lines]
    total = max(len(lines), 1)
    found = {f"x_{name}": _log(count) for name, count in counts.items()}
    per = 100.0 / max(text.count(" ") + 1, 50)
    found.update({f"p_{name}": counts.get(name, 0) * per for name in _PER_WORD})
    found["x_lines"] = _log(len(lines))
    found["x_short"] = sum(1 for w in words if w <= 3) / total
    found["x_long"] = sum(1 for w in words if w >= 20) / total
    found["x_heads"] = _log(sum(1 for line, w in zip(lines, words, strict=True)
                                if 4 <= w <= 14 and not _SENTENCE_END.search(line)))  # fmt: skip
    found["x_code"] = _log(sum(1 for line in lines if _CODE_LINE.search(line)))
    found["x_questions"] = _log(sum(1 for line in lines if line.endswith("?")))
    return found


def _schema_types(root: etree._Element) -> set[str]:
    """Every JSON-LD `@type`, microdata `itemtype` and `og:type` the page states, lower-cased."""
    found: set[str] = set()
    blob = "\n".join(str(s) for s in root.xpath("//script[contains(@type,'ld+json')]/text()"))[
        :_MAX_LD
    ]
    for single, many in _LD_TYPE.findall(blob):
        for value in [single] if single else re.findall(r'"([^"]{1,80})"', many):
            found.add(value.lower().rsplit("/", 1)[-1])
    for value in root.xpath("//@itemtype")[:50]:
        found.update(part.lower().rsplit("/", 1)[-1] for part in str(value).split())
    for value in root.xpath("//meta[@property='og:type' or @name='og:type']/@content")[:2]:
        found.add("og:" + str(value).strip().lower())
    return found


def _counts(root: etree._Element) -> dict[str, float]:
    """Element counts that tell a hub, a shop, a thread or a manual from a story."""
    count = root.xpath
    paragraphs = float(count("count(//p)"))
    links = float(count("count(//a)"))
    return {
        "h_article": _log(float(count("count(//article)"))),
        "h_linked_heads": _log(float(count("count(//*[self::h2 or self::h3 or self::h4][.//a])"))),
        "h_heads": _log(float(count("count(//h2|//h3)"))),
        "h_p": _log(paragraphs),
        "h_links_per_p": _log(links / (paragraphs + 1.0)),
        "h_code": _log(float(count("count(//pre|//code)"))),
        "h_forms": _log(float(count("count(//form|//select|//button)"))),
        "h_inputs": _log(float(count("count(//input)"))),
        "h_time": _log(float(count("count(//time)"))),
        "h_li": _log(float(count("count(//li)"))),
        "h_img": _log(float(count("count(//img)"))),
        "h_tables": _log(float(count("count(//table)"))),
    }


def _visible_text(root: etree._Element) -> str:
    """The body's text nodes outside scripts and styles, one a line (C-level walk)."""
    nodes = root.xpath(
        "//body//text()[not(ancestor::script) and not(ancestor::style)"
        " and not(ancestor::noscript) and not(ancestor::template)]"
    )
    return "\n".join(str(node) for node in nodes)


def html_evidence(root: etree._Element) -> dict[str, float]:
    """Page-level cues of an untouched parsed page, for `page_type`; {} if it cannot be read.

    Called by the HTML extractor before pruning, since the cues (JSON-LD,
    forms, teaser cards, comment threads) live in the parts pruning removes.
    """
    try:
        found: dict[str, float] = {"html": 1.0}
        types = _schema_types(root)
        for group, members in _TYPE_GROUPS.items():
            found[group] = float(bool(types & members))
        found["og_article"] = float("og:article" in types)
        found["og_product"] = float(any(t.startswith("og:product") for t in types))
        found["og_website"] = float("og:website" in types)
        found.update(_counts(root))
        attrs = " ".join(str(v) for v in root.xpath("//@class|//@id"))[:_MAX_ATTR]
        attr_counts: dict[str, int] = {}
        for match in _ATTR_CUES.finditer(attrs):
            group = match.lastgroup or ""
            attr_counts[group] = attr_counts.get(group, 0) + 1
        found.update({name: _log(n) for name, n in attr_counts.items()})
        found.update(text_cues(_visible_text(root)))
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
    for group, members in _PATH_GROUPS.items():
        found[group] = float(bool(words & members))
    found["u_last_hub"] = float(last in _PATH_GROUPS["u_listing"] | _PATH_GROUPS["u_collection"])
    found.update({f"uw_{word}": 1.0 for word in words & _PATH_WORDS})
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
    cues.update({f"tw_{word}": 1.0 for word in folded & _TITLE_WORDS})
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
        x = self.vector(features)
        return [
            b + sum(w * v for w, v in zip(row, x, strict=True) if v)
            for row, b in zip(self.weights, self.bias, strict=True)
        ]

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
    x = model.vector(features)
    row = model.weights[model.types.index(kind)]
    base = model.weights[model.types.index("article")] if "article" in model.types else None
    pushes = [
        ((w - (base[i] if base else 0.0)) * x[i], model.features[i])
        for i, w in enumerate(row)
        if features.get(model.features[i])
    ]
    return [name for push, name in sorted(pushes, reverse=True)[:4] if push > 0]


def classify(found: Extracted, url: str | None = None) -> PageType:
    """The page's type with the cues that decided it; `article` when no model applies."""
    models = load_models()
    model = models.get(found.extractor) or models.get("textdump")
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
    }  # fmt: skip
    for group in _PATH_GROUPS:
        names[group] = f"a {group.removeprefix('u_')} URL"
    return names


_CUE_NAMES = _cue_names()


def evidence_names(features: Iterable[str]) -> list[str]:
    """Feature names in a stable order (the fit script's column order)."""
    return sorted(set(features))
