"""Boxes around form fields inside the article's markup: sign-up and reply boxes go, the
article beside them and paragraphs that merely mention newsletters stay."""

from __future__ import annotations

from presswash.parsers.html import extract_html
from tests.parsers.html.test_extract import PARAGRAPHS, article_page


def _text(html: str) -> str:
    return "\n".join(extract_html(html).lines)


NEWSLETTER_BOX = """
<div class="box-7f3a">
  <p>Join 20,000 readers who get our transit briefing every Friday.</p>
  <form><input type="email" name="address" placeholder="you@example.com">
  <button>Go</button></form>
  <div>Thank you! Your submission has been received!</div>
</div>
"""

REPLY_BOX = """
<div class="box-91c2"><h3>Leave a reply</h3>
  <p>Your address will not be published.</p><textarea name="body"></textarea></div>
"""


def test_the_box_around_an_email_field_goes() -> None:
    text = _text(article_page(article_extra=NEWSLETTER_BOX))
    assert "transit briefing" not in text
    assert "Thank you!" not in text
    assert PARAGRAPHS[-1] in text


def test_the_box_around_a_comment_field_goes() -> None:
    text = _text(article_page(article_extra=REPLY_BOX))
    assert "Leave a reply" not in text
    assert "will not be published" not in text


def test_an_article_beside_an_email_field_is_never_the_box() -> None:
    """The box stops growing before it would take the article's paragraphs with it."""
    field = '<p>Send us your tips: <input type="email" name="tip"></p>'
    found = extract_html(article_page(article_extra=field))
    assert found.lines[: len(PARAGRAPHS)] == PARAGRAPHS


def test_a_paragraph_about_newsletters_without_a_field_stays() -> None:
    prose = (
        "<p>The transport department said it would announce the new timetable in its weekly "
        "newsletter and by e-mail to everyone who signed up for service alerts.</p>"
    )
    assert "announce the new timetable in its weekly newsletter" in _text(
        article_page(article_extra=prose)
    )


def test_a_short_story_in_the_same_block_as_a_sign_up_field_stays() -> None:
    story = (
        "The ferry to the island will run every hour from Monday, the harbour office said, "
        "after a month of reduced service while the second boat was repaired at the yard."
    )
    item = '<li><a href="/s{}">Section number {} of the site</a></li>'
    menu = "".join(item.format(i, i) for i in range(12))
    html = (
        f"<html><body><nav><ul>{menu}</ul></nav>"
        f'<div class="c"><p>{story}</p><form><input type="email" name="a"></form></div>'
        f"<footer><p>{'Harbour Gazette, Quay Street 4, published since 1921. ' * 6}</p></footer>"
        "</body></html>"
    )
    assert story in _text(html)
