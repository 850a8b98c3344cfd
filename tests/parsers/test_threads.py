"""A comment thread longer than the article above it is not taken for the body."""

from __future__ import annotations

from presswash.parsers.textdump import clean_textdump
from presswash.schemas.stages import LineReason
from tests.parsers.test_textdump import PARAGRAPHS

ARTICLE = PARAGRAPHS[:3]
COMMENT = (
    "I have lived by the harbour for thirty years and I can tell you that nobody there ever "
    "asked for a tram, what we asked for was a bus that runs after nine in the evening, "
    "and a crossing by the school that does not take five minutes to turn green."
)


def _thread(heading: str, comments: int) -> list[str]:
    lines = [heading]
    for k in range(comments):
        lines += [f"Reader {chr(65 + k)}", f"March {k + 4}, 2026, 9:{10 + k} pm", COMMENT, "Reply"]
    return lines


def _page(*below: str) -> str:
    head = ["Home", "News", "Tram line to reach the harbour", "By Jane Doe", "Share"]
    return "\n".join([*head, *ARTICLE, "Share this:", "Facebook", *below, "Copyright 2026"])


def test_a_long_thread_under_its_heading_goes_and_the_article_is_the_body() -> None:
    out = clean_textdump(_page(*_thread("12 Comments on “Tram line”", 6)), explain=True)
    assert out.lines == ARTICLE
    assert out.decisions is not None
    reasons = {d.reason for d in out.decisions if d.text == COMMENT}
    assert reasons == {LineReason.BOILERPLATE}


def test_comments_of_writes_lines_count_as_a_thread() -> None:
    thread = ["Load All Comments"]
    for k in range(5):
        thread += [f"by reader{k} ( {1000 + k} ) writes:", COMMENT]
    assert clean_textdump(_page(*thread)).lines == ARTICLE


def test_a_forum_thread_under_its_title_is_kept() -> None:
    """No article above the replies heading: the posts are the page's content."""
    page = "\n".join(["Forum", "Cheap family meals", *_thread("60 replies", 5), "Copyright"])
    assert COMMENT in clean_textdump(page).lines


def test_a_listing_of_cards_with_zero_comments_is_not_a_thread() -> None:
    assert COMMENT in clean_textdump(_page(*_thread("0 comments", 4))).lines


def test_a_comment_button_under_each_post_heads_no_thread() -> None:
    """A Q&A page prints "Add a comment" under every post; the answers are its content."""
    posts: list[str] = []
    for k in range(4):
        posts += [
            COMMENT,
            "Add a comment",
            f"Reader {chr(65 + k)}",
            f"March {k + 4}, 2026, 9:10 pm",
        ]
    assert COMMENT in clean_textdump(_page(*posts)).lines


def test_cards_each_with_their_own_count_are_a_listing() -> None:
    cards: list[str] = []
    for k in range(4):
        cards += [f"{k + 2} comments", f"Reader {chr(65 + k)}", f"March {k + 4}, 2026", COMMENT]
    assert COMMENT in clean_textdump(_page(*cards)).lines
