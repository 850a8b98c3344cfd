"""Which blocks of a page are the story: teaser walls marked, the densest run of prose found."""

from __future__ import annotations

from presswash.parsers.html import lines
from presswash.parsers.html.blocks import Block
from presswash.parsers.text_stats import word_count
from tests.parsers.html.test_extract import NEWS, TEASERS, TITLE


def test_teaser_lines_marks_standfirsts_only() -> None:
    blocks = [Block(NEWS, "p", 0, True)]
    for head, standfirst in TEASERS:
        blocks += [Block(head, "h3", len(head), True), Block(standfirst, "p", 0, True)]
    marked = lines.teaser_lines(blocks)
    assert marked == set(range(2, len(blocks), 2))


def test_a_feature_list_and_an_faq_are_not_teaser_walls() -> None:
    features = []
    for name in ("Web Console", "Style Editor", "Network Monitor", "Debugger"):
        features += [
            Block(name, "h2", 0, True),
            Block(f"See and change what {name} shows about the page you are on.", "p", 0, True),
            Block(f"Learn more about the {name} tool", "div", 30, True),
        ]
    assert lines.teaser_lines(features) == set()
    faq = []
    questions = [
        "Is the course free of charge?",
        "Do I need to know any maths first?",
        "Can I get a certificate at the end?",
        "How long does the course take?",
    ]
    for question in questions:
        faq += [Block(question, "h4", len(question), True), Block("Yes, it is.", "p", 0, True)]
    assert lines.teaser_lines(faq) == set()


def test_densest_run_skips_menus_and_teasers() -> None:
    blocks = [Block(f"Section {i}", "li", 9, True) for i in range(10)]
    blocks.append(Block(TITLE, "h1", 0, True))
    blocks.append(Block(NEWS, "div", 0, True))
    for head, standfirst in TEASERS:
        blocks += [Block(head, "h3", len(head), True), Block(standfirst, "p", 0, True)]
    first, last = lines.densest_run(blocks) or (0, 0)
    assert blocks[last].text == NEWS
    assert sum(word_count(b.text) for b in blocks[first : last + 1]) < 80
