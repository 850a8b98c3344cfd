"""The cue words of each kind of page: what a shop, a forum, a hub or a manual says.

`presswash.parsers.pagetype` counts them in a page's text, class and id
values, structured-data types, URL path and title; each count is a feature
of the fitted model (`data/page_types.json`), so a word added here is a
feature the weights know nothing of until the model is fitted again
(`scripts/fit_page_types.py`).
"""

from __future__ import annotations

import re

# Cue words of the visible text, counted by word (a dict lookup each) ...
WORD_CUES: dict[str, tuple[str, ...]] = {
    "cart": ("checkout", "wishlist", "quantity", "sku"),
    "reviews": ("star", "stars"),
    "forum": ("reply", "replies", "replied", "quote", "joined", "upvote", "upvoted", "vote",
              "votes", "asked", "answered", "member", "members", "thread", "permalink",
              "like", "likes", "solved", "registered"),
    "teaser": ("filter", "results"),
    "service": ("consultation", "enroll", "pricing", "tuition"),
    "docs": ("parameter", "parameters", "returns", "syntax", "example", "examples",
             "function", "functions", "method", "methods", "deprecated", "chapter",
             "section", "default", "command"),
    "news": ("said", "says", "told", "reported", "published", "updated", "correspondent",
             "reporter", "editor"),
    "me": ("i", "my", "me"),
    "we": ("we", "our", "us"),
    "you": ("you", "your"),
    "they": ("he", "she", "his", "her", "they", "their"),
}  # fmt: skip
# ... by phrase of whole words (a substring count over the words joined) ...
PHRASE_CUES: dict[str, tuple[str, ...]] = {
    "cart": ("add to cart", "add to bag", "add to basket", "buy now", "in stock",
             "out of stock", "free shipping", "free delivery", "free returns", "wish list",
             "sold out", "select size", "select a size"),
    "reviews": ("write a review",),
    "forum": ("original poster",),
    "teaser": ("read more", "continue reading", "view all", "see all", "load more",
               "show more", "next page", "older posts", "older entries", "sort by"),
    "service": ("contact us", "call us", "our services", "get started", "apply now",
                "per month", "our team", "book a", "book an", "book now", "book your",
                "schedule a", "schedule an", "schedule your", "request a", "request an",
                *(f"get {who} {free}{what}" for who in ("a", "your") for free in ("", "free ")
                  for what in ("quote", "estimate"))),
    "docs": ("see also", "on this page", "edit this page", "table of contents"),
    "news": ("according to", "min read", "minute read"),
}  # fmt: skip
# ... by a literal with its punctuation, and by the words around a number.
MARK_CUES: dict[str, tuple[str, ...]] = {"forum": ("post:", "posts:"), "docs": ("note:",)}
# Units of time after a number ('5 minutes', '2 years'), and the words a number of
# ratings or reviews precedes ('120 reviews'), as bytes of the lower-cased text.
TIME_UNITS = frozenset(
    b"minute minutes hour hours day days week weeks month months year years min mins hr hrs"
    .split()
)  # fmt: skip
RATING_WORDS = (b"review", b"reviews", b"rating", b"ratings")
# A price: a currency sign before a number, or a currency after it.
PRICE_BEFORE = {sign: re.compile(re.escape(sign) + r"\s?\d") for sign in "$€£¥"}
PRICE_AFTER = re.compile(r"\d\s?(?:€|(?:eur|usd|gbp)\b)")
# How lines of code open (a documentation page shows many).
CODE_LINE_STARTS = ("def ", "class ", "import ", "return ", "function ", "var ", "const ", "let ",
                "public ", "#include ", "$ ")  # fmt: skip
# Words of class and id attributes that mark a kind of page (substrings, as written).
ATTR_CUES: dict[str, tuple[str, ...]] = {
    "a_price": ("price",), "a_cart": ("cart", "basket", "add-to", "addto", "checkout", "buy"),
    "a_product": ("product", "sku"), "a_comment": ("comment", "reply", "replies", "answer", "vote"),
    "a_post": ("post", "thread", "topic", "forum"),
    "a_card": ("card", "tile", "teaser", "grid", "listing", "item"),
    "a_page": ("pagination", "pager", "paging"),
    "a_doc": ("toc", "sidebar", "doc-", "docs-", "highlight", "syntax", "sphinx", "api"),
    "a_article": ("article", "entry", "story", "byline", "author"),
}  # fmt: skip
# JSON-LD, microdata and og:type values grouped by the page type they point to.
TYPE_GROUPS: dict[str, frozenset[str]] = {
    "t_article": frozenset({"article", "newsarticle", "blogposting", "reportagenewsarticle",
                            "analysisnewsarticle", "opinionnewsarticle", "liveblogposting",
                            "backgroundnewsarticle", "report", "scholarlyarticle"}),
    "t_product": frozenset({"product", "offer", "aggregateoffer", "productgroup", "book",
                            "softwareapplication", "vehicle", "individualproduct", "course"}),
    "t_forum": frozenset({"discussionforumposting", "qapage", "comment", "socialmediaposting"}),
    "t_collection": frozenset({"collectionpage", "itemlist", "offercatalog",
                               "searchresultspage"}),
    "t_service": frozenset({"service", "localbusiness", "faqpage", "professionalservice",
                            "contactpage", "aboutpage", "event", "educationalorganization"}),
    "t_docs": frozenset({"techarticle", "apireference", "softwaresourcecode", "howto"}),
    "t_website": frozenset({"website", "webpage", "organization"}),
}  # fmt: skip
# Structured-data types that are cues of their own, whatever group they are in: what a
# shop (offers, brands, return policies), a thread (interaction counts), a story (persons,
# speakable parts) or a help page (questions and answers) describes about itself.
SCHEMA_TYPES = frozenset(
    {"article", "newsarticle", "blogposting", "techarticle", "product", "offer", "brand",
     "aggregaterating", "review", "merchantreturnpolicy", "offershippingdetails",
     "productgroup", "discussionforumposting", "comment", "qapage", "interactioncounter",
     "question", "faqpage", "itemlist", "collectionpage", "searchresultspage", "person",
     "organization", "webpage", "website", "breadcrumblist", "localbusiness", "service",
     "softwareapplication", "howto", "event", "contactpage", "aboutpage", "itempage",
     "videoobject", "imageobject", "speakablespecification", "newsmediaorganization",
     "course", "commentaction", "searchaction", "postaladdress", "monetaryamount"}
)  # fmt: skip
# Words of the URL's path grouped by the page type they point to, and all the path words
# that are cues of their own.
PATH_GROUPS: dict[str, frozenset[str]] = {
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
PATH_WORDS = frozenset().union(*PATH_GROUPS.values()) | {"post", "d", "wiki", "en"}
# Words of the title that are cues of their own.
TITLE_WORDS = frozenset(
    {"best", "how", "what", "why", "guide", "services", "service", "shop", "buy", "review",
     "reviews", "vs", "news", "forum", "docs", "documentation", "tutorial", "introduction",
     "course", "courses", "official", "home", "online", "free", "sale", "top", "latest",
     "hire", "company", "solutions", "software", "list", "category", "topic", "thread",
     "question", "help", "learn", "program", "programs", "certification", "says", "after"}
)  # fmt: skip
