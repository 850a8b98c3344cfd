"""Markup nested past libxml2's depth cap: the article inside, and what follows, survive."""

from __future__ import annotations

import time

from presswash.parsers.html import extract_html
from presswash.parsers.html.nesting import flatten_nesting
from presswash.parsers.html.tree import parse_html

STORY = [
    f"Paragraph {n} of the report: the river bridge stays closed until the engineers "
    "have checked every cable, the council said on Monday evening."
    for n in range(1, 7)
]
AFTER = (
    "A closing paragraph sits after the nest, at the top level of the page, and it "
    "belongs to the same story as the paragraphs above it."
)


def nested_page(depth: int, closed: bool = True) -> str:
    article = "<article><h1>Bridge stays shut</h1>" + "".join(f"<p>{p}</p>" for p in STORY)
    closing = "</div>" * depth if closed else ""
    return (
        "<html><head><title>Bridge stays shut</title></head><body>"
        f"{'<div class=wrap>' * depth}{article}</article>{closing}<p>{AFTER}</p></body></html>"
    )


def test_an_article_inside_2100_nested_divs_is_extracted() -> None:
    found = extract_html(nested_page(2_100))
    assert found.lines == [*STORY, AFTER]


def test_unclosed_deep_wrappers_keep_the_article_and_its_paragraph_breaks() -> None:
    found = extract_html(nested_page(30_000, closed=False))
    assert found.lines == [*STORY, AFTER]


def test_flattening_a_very_deep_page_stays_fast() -> None:
    start = time.process_time()
    root = parse_html(nested_page(100_000))
    assert time.process_time() - start < 5
    assert root is not None and len(list(root.iter("p"))) == len(STORY) + 1


def test_markup_within_the_caps_is_left_as_it_is() -> None:
    page = nested_page(400)
    assert flatten_nesting(page) is page


def test_tags_inside_scripts_and_comments_are_not_counted() -> None:
    script = "<script>var s = '" + "<div>" * 3_000 + "';</script><!-- " + "<div>" * 3_000 + " -->"
    page = nested_page(10).replace("<body>", "<body>" + script)
    assert flatten_nesting(page) is page
