"""Page types: articles stay articles, hubs, shops and threads are named.

Small synthetic pages, one per kind, through the same step the pipeline
uses (`classify` on an `Extracted`, HTML and text dumps alike). The filter
on `cleaning.page_types` is tested with the steps (tests/parsers/test_steps.py),
on these same pages.
"""

from __future__ import annotations

import json

from presswash.parsers.html import extract_html
from presswash.parsers.html.tree import parse_html
from presswash.parsers.pagetype import (
    PAGE_TYPES,
    classify,
    html_evidence,
    load_models,
    model_for,
    page_type,
    text_evidence,
)
from presswash.parsers.textdump import clean_textdump
from presswash.schemas.document import Extracted

STORY = [
    "The city council voted on Tuesday to extend the night bus network to the northern "
    "suburbs, a change residents had requested for more than a decade, officials said.",
    "Council members said the extension, which adds four routes, would be paid for by "
    "reallocating money from a road-widening project that was cancelled last spring.",
    "Transit advocates welcomed the decision, but told reporters that frequency, not "
    "coverage, remains the main complaint of people who ride the buses after midnight.",
    "The first of the new routes is expected to start running in March, according to the "
    "transport department, with the remaining three following by the end of the summer.",
]
HEADLINES = [
    "Council approves new budget for city libraries",
    "Storm closes coastal road for a second day",
    "Local team wins the regional championship final",
    "Museum reopens after a two-year renovation",
    "Hospital opens a new maternity ward downtown",
    "Bus drivers vote to accept the new pay offer",
    "School board delays vote on new district map",
    "Farmers market moves to the old rail yard",
    "Police name new chief after national search",
    "Bridge repairs to close two lanes until June",
    "City hall unveils plan for riverside housing",
    "Airport adds direct flights to three capitals",
]
NAV = "".join(f'<li><a href="/{w.lower()}">{w}</a></li>' for w in ("News", "Sport", "Business"))


def _page(head: str, body: str) -> str:
    return (
        f"<!DOCTYPE html><html lang='en'><head>{head}</head><body>"
        f"<header><nav><ul>{NAV}</ul></nav></header>{body}"
        "<footer><p>© 2026 The Daily Ledger. All rights reserved.</p></footer></body></html>"
    )


def _ld(data: dict[str, object]) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def article_html() -> str:
    head = (
        "<title>Night buses reach the suburbs | The Daily Ledger</title>"
        '<meta property="og:type" content="article">'
        '<link rel="canonical" href="https://ledger.example/2026/03/04/night-buses-reach-suburbs">'
        + _ld({"@type": "NewsArticle", "headline": "Night buses reach the suburbs",
               "author": {"@type": "Person", "name": "Jane Smith"},
               "datePublished": "2026-03-04"})
    )  # fmt: skip
    paragraphs = "".join(f"<p>{p}</p>" for p in STORY)
    body = (
        "<main><article><h1>Night buses reach the suburbs</h1>"
        '<p class="byline">By Jane Smith</p><time datetime="2026-03-04">March 4, 2026</time>'
        f"{paragraphs}</article></main>"
    )
    return _page(head, body)


def hub_html() -> str:
    head = (
        "<title>Local news | The Daily Ledger</title>"
        '<meta property="og:type" content="website">'
        '<link rel="canonical" href="https://ledger.example/news/">'
    )
    cards = "".join(
        f'<article class="card teaser"><h2><a href="/2026/03/{i:02d}/story-{i}">{title}</a></h2>'
        f"<p>{STORY[i % 4][:90]}…</p>"
        f'<a class="more" href="/2026/03/{i:02d}/story-{i}">Read more</a></article>'
        for i, title in enumerate(HEADLINES)
    )
    body = f'<main><h1>Local news</h1><div class="grid">{cards}</div>'
    body += '<nav class="pagination"><a href="?page=2">Next page</a></nav></main>'
    return _page(head, body)


PRODUCT_TEXT = (
    "Our classic wool runner is made from soft merino wool that keeps your feet cool in "
    "summer and warm in winter. The cushioned insole and flexible sole make it comfortable "
    "for all-day wear, and the whole shoe is machine washable. Every pair ships free and "
    "can be returned within thirty days if it does not fit."
)


def product_html() -> str:
    head = (
        "<title>Wool Runner - Natural Grey | Shoe Shop</title>"
        '<meta property="og:type" content="product">'
        '<link rel="canonical" href="https://shop.example/products/wool-runner-natural-grey">'
        + _ld({"@type": "Product", "name": "Wool Runner",
               "offers": {"@type": "Offer", "price": "98.00", "priceCurrency": "USD"}})
    )  # fmt: skip
    sizes = "".join(f"<option>{n}</option>" for n in range(6, 14))
    body = (
        '<main><div class="product"><h1>Wool Runner - Natural Grey</h1>'
        '<div class="product-price">$98.00</div><p class="stock">In stock</p>'
        f'<form class="add-to-cart"><select name="size">{sizes}</select>'
        '<input type="number" name="quantity" value="1"><button>Add to cart</button></form>'
        f'<div class="product-description"><p>{PRODUCT_TEXT}</p></div>'
        '<div class="reviews"><p>4.8 stars</p><p>1,204 reviews</p>'
        "<a>Write a review</a></div></div></main>"
    )
    return _page(head, body)


POSTS = [
    ("rusty_nail", "I've had my cast iron pan for years and I'm not sure how to fix the rust "
     "spots that appeared after I left it soaking overnight. Any ideas what I should do?"),
    ("panfan", "I had the same problem with mine. I scrubbed it with steel wool, dried it on "
     "the stove and oiled it, and it was fine after two rounds of seasoning."),
    ("chef_k", "You can also bake it upside down at a high temperature for an hour. I do that "
     "twice a year and my pans have never looked better, honestly."),
    ("rusty_nail", "Thanks everyone, I tried the steel wool and the oven and my pan looks "
     "almost new. Marking this as solved."),
]  # fmt: skip


def forum_html() -> str:
    head = (
        "<title>How do I get rust off a cast iron pan? - Cooking Forum</title>"
        '<link rel="canonical" href="https://forum.example/t/rust-on-cast-iron-pan/48213">'
        + _ld({"@type": "DiscussionForumPosting", "headline": "Rust on a cast iron pan?"})
    )
    posts = "".join(
        f'<div class="post" id="post-{i}"><div class="author">{name}<br>Joined: Mar 2019'
        f"<br>Posts: {40 * (i + 1)}</div><div class='post-body'><p>{text}</p></div>"
        f'<div class="post-actions"><a>Reply</a> <a>Quote</a> <span>{i + 2} likes</span>'
        f"<span>{i + 1} days ago</span></div></div>"
        for i, (name, text) in enumerate(POSTS)
    )
    body = f'<main><h1>How do I get rust off a cast iron pan?</h1><div class="thread">{posts}'
    body += "</div></main>"
    return _page(head, body)


def _html_type(html: str) -> str:
    return page_type(extract_html(html))


def test_a_news_story_is_an_article() -> None:
    assert _html_type(article_html()) == "article"


def test_a_hub_of_teasers_is_a_listing_or_collection() -> None:
    assert _html_type(hub_html()) in {"listing", "collection"}


def test_a_shop_page_is_a_product() -> None:
    assert _html_type(product_html()) == "product"


def test_a_thread_is_a_forum() -> None:
    assert _html_type(forum_html()) == "forum"


def _dump(lines: list[str]) -> Extracted:
    text = "\n".join(lines)
    found = clean_textdump(text)
    found.page_evidence = text_evidence(text)
    return found


def thread_lines() -> list[str]:
    thread = ["Cooking Forum", "How do I get rust off a cast iron pan?"]
    for i, (name, text) in enumerate(POSTS):
        thread += [name, "Joined: Mar 2019", f"Posts: {40 * (i + 1)}", text, "Reply", "Quote",
                   f"{i + 2} likes", f"{i + 1} days ago"]  # fmt: skip
    return thread


def test_text_dumps_are_typed_by_the_same_step() -> None:
    story = ["Home", "News", "Sport", "Night buses reach the suburbs", "By Jane Smith",
             "March 4, 2026", *STORY, "Share this article", "© 2026 The Daily Ledger"]  # fmt: skip
    assert page_type(_dump(story)) == "article"
    thread = thread_lines()
    assert page_type(_dump(thread)) == "forum"


def test_every_type_is_a_known_name_and_cues_explain_a_non_article() -> None:
    kind = classify(extract_html(product_html()))
    assert kind.name in PAGE_TYPES
    assert kind.cues, "a page typed other than article says which cues decided it"


def test_one_long_block_of_prose_reads_unlike_many_short_posts() -> None:
    """A story's prose is one block; a thread's is many, split by names and dates."""
    story = text_evidence("\n".join(["Menu", "Home", *STORY, "Share"]))
    posts = []
    for line in STORY:
        posts += ["alice", "3 days ago", line, "Reply"]
    thread = text_evidence("\n".join(posts))
    assert story["x_blocks"] < thread["x_blocks"]
    assert story["x_block_share"] > 0.9 > thread["x_block_share"]


def test_microdata_types_are_read_on_any_element() -> None:
    """A Product in microdata on a plain div is a cue, as it is in JSON-LD."""
    page = (
        "<html><body><div itemscope itemtype='https://schema.org/Product'>"
        "<span itemprop='name'>Kettle</span></div></body></html>"
    )
    root = parse_html(page)
    assert root is not None
    found = html_evidence(root)
    assert found["ld_product"] == 1.0
    assert found["t_product"] == 1.0


def test_a_story_keeps_its_words_in_paragraphs_a_hub_in_links() -> None:
    """The share of words in sibling paragraphs and in link text sets a story apart."""
    story = "<html><body><nav><a href='/'>Home</a></nav><div>{}</div></body></html>".format(
        "".join(f"<p>{line}</p>" for line in STORY)
    )
    hub = "<html><body><ul>{}</ul></body></html>".format(
        "".join(
            f"<li><h3><a href='/s/{i}'>{line}</a></h3></li>" for i, line in enumerate(HEADLINES)
        )
    )
    story_root, hub_root = parse_html(story), parse_html(hub)
    assert story_root is not None and hub_root is not None
    read, teasers = html_evidence(story_root), html_evidence(hub_root)
    assert read["h_best_p_share"] > 0.9 and read["h_link_share"] < 0.1
    assert teasers["h_link_share"] == 1.0 and teasers["h_p_share"] == 0.0
    assert read["h_best_p"] > teasers["h_best_p"] == 0.0


def test_a_dump_with_a_url_is_weighed_by_the_model_that_knows_urls() -> None:
    """A text export's URL is read; a dump file without one keeps the dump model."""
    models = load_models()
    dump = clean_textdump("\n".join(STORY))
    assert model_for(models, dump, None) is models["textdump"]
    assert model_for(models, dump, "https://example.org/forum/thread-1") is models["textdump_url"]
    page = extract_html(article_html())
    assert model_for(models, page, "https://example.org/forum/thread-1") is models["html"]
    assert "u_known" in models["textdump_url"].features
    assert "u_known" not in models["textdump"].features
