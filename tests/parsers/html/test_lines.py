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


ARTICLE = [
    "The harbour office said on Monday that the ferry to the island will run every hour again "
    "from next week, after a month of reduced service while the second boat was repaired.",
    "Residents had complained that the reduced timetable left them waiting for up to three "
    "hours in the cold, and several businesses on the island said they had lost customers.",
    "The repaired boat passed its safety inspection on Friday and will return to service on "
    "the morning crossing, the office said, with the first departure at six o'clock.",
]


def _kept(extra: list[Block]) -> list[str]:
    blocks = [Block(text, "p", 0, True) for text in ARTICLE] + extra
    return lines.filter_blocks(blocks, lines.PageFacts(), explain=False).lines


def test_photo_credits_under_pictures_go_in_several_languages() -> None:
    credits = ["Getty Images / Jane Doe", "Foto: Max Mustermann", "(Photo: AFP)", "Bild: dpa"]
    kept = _kept([Block(text, "div", 0, True) for text in credits])
    assert kept == ARTICLE


def test_a_sentence_about_a_photo_stays() -> None:
    sentence = "The photo shows the ferry leaving the harbour in the fog."
    assert sentence in _kept([Block(sentence, "p", 0, True)])


def test_labels_go_but_a_sentence_made_of_one_and_unlinked_specs_stay() -> None:
    labels = [Block("Advertising", "div", 0, True), Block("Reply", "div", 0, True)]
    assert _kept(labels) == ARTICLE
    prose = [Block("See also the timetable.", "p", 0, True), Block("S / M / L / XL", "p", 0, True)]
    assert _kept(prose)[-2:] == ["See also the timetable.", "S / M / L / XL"]


def test_a_read_this_next_heading_late_in_the_article_ends_it() -> None:
    after = [
        Block("Read This Next", "h3", 0, True),
        Block("The bridge to the mainland will close for repairs in spring.", "p", 0, True),
    ]
    assert _kept(after) == ARTICLE


def test_read_this_next_inside_a_sentence_does_not() -> None:
    sentence = "Read this next time you wait for the ferry: the timetable is posted at the pier."
    assert sentence in _kept([Block(sentence, "p", 0, True)])
