"""A comment thread under the article, marked before the body is looked for.

Readers write in sentences, and a long thread has more of them than the
article above it: searched for its prose, the page's body would be the
thread. What gives a thread away is its rhythm: a heading ("59 Comments on
...", "Leave a Reply"), then comment after comment, each opening with its
author ("Hans says:", "by Jane ( 123 ) writes:", or a name alone over a
bare date and time). Once that rhythm is seen below a heading, everything
from the heading down is the thread (and the footer after it).

An article is never taken for a thread: the heading must have the
article's paragraphs above it (a forum's first post sits under its "60
replies"), and no more than a note of a paragraph or two may sit between it
and the first comment (a "12 Comments" link under a headline is followed by
the article).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from presswash.parsers.junklines import ends_sentence
from presswash.parsers.teasers import stamp_line
from presswash.parsers.vocabulary.furniture import COMMENT_AUTHOR, COMMENTS_HEADING
from presswash.schemas.stages import LineReason

# At least this many comments make a thread.
_MIN_COMMENTS = 3
# Author lines: a name of a few words, or a "<name> says:" line of at most so many characters.
_NAME_UNITS = 5
_AUTHOR_CHARS = 80
_STAMP_UNITS = 8
# The first comment comes within this many lines of the heading, with no paragraph between.
_HEADING_REACH = 60
_PARAGRAPH_UNITS = 12
# A thread's own notes above its first comment (rules, a disclaimer) are a paragraph or two.
_NOTE_PARAGRAPHS = 2
# The article above the heading: this many paragraphs in a row (a short line between them
# at most), of this many words together, ending at most so many lines above the heading.
_ARTICLE_PARAGRAPHS = 3
_ARTICLE_UNITS = 60
_ARTICLE_REACH = 60
_ARTICLE_GAP = 1
_SENTENCE_UNITS = 8
_NO_COMMENTS = re.compile(r"\W{0,3}(?:0|no) ")
# Comments tried as the thread's first, so that a huge thread costs no more than a short one.
_MAX_TRIES = 10
_DIGIT = re.compile(r"\d")


def mark_comment_threads(
    lines: Sequence[str], units: Sequence[float], junk: list[LineReason | None]
) -> None:
    """Mark as boilerplate a comment thread and all below it, from its heading down."""
    authors = _comment_authors(lines, units)
    if len(authors) < _MIN_COMMENTS:
        return
    heading = _thread_heading(lines, units, authors)
    if heading is None:
        return
    for k in range(heading, len(lines)):
        if junk[k] is None:
            junk[k] = LineReason.BOILERPLATE


def _comment_authors(lines: Sequence[str], units: Sequence[float]) -> list[int]:
    """Lines that open a comment: "<name> says:", or a short name over a date-and-time line."""
    found: list[int] = []
    for i, line in enumerate(lines):
        if units[i] > _STAMP_UNITS:
            continue
        if len(line) <= _AUTHOR_CHARS and COMMENT_AUTHOR.match(line):
            found.append(i)
        elif (
            i > 0
            and _DIGIT.search(line)
            and stamp_line(line, units[i])
            and _name_shaped(lines[i - 1], units[i - 1])
        ):
            found.append(i - 1)
    return found


def _name_shaped(line: str, units: float) -> bool:
    """A name alone: a few words, a letter first, no sentence, no digit (not another stamp)."""
    return (
        units <= _NAME_UNITS
        and line[:1].isalpha()
        and not ends_sentence(line)
        and _DIGIT.search(line) is None
    )


def _thread_heading(lines: Sequence[str], units: Sequence[float], authors: list[int]) -> int | None:
    """The heading the first run of comments hangs from, when the article is above it."""
    for n, first in enumerate(authors[:_MAX_TRIES]):
        if len(authors) - n < _MIN_COMMENTS:
            return None
        paragraphs = 0
        for j in range(first - 1, max(-1, first - 1 - _HEADING_REACH), -1):
            low = lines[j].lower()
            if COMMENTS_HEADING.match(low):
                # "0 comments" over a list of names and dates is a listing's card, not a thread.
                empty = _NO_COMMENTS.match(low) is not None
                return j if not empty and _article_above(lines, units, j) else None
            if units[j] >= _PARAGRAPH_UNITS and ends_sentence(lines[j]):
                paragraphs += 1
                if paragraphs > _NOTE_PARAGRAPHS:
                    break  # paragraphs between heading and comment: an article, not a thread
    return None


def _article_above(lines: Sequence[str], units: Sequence[float], heading: int) -> bool:
    """An article's stretch of paragraphs above the heading: the page is not a forum thread.

    A forum puts its "60 replies" under the thread's title, over the first
    post; a news page puts its comments heading under the article it ends.
    """
    run = gap = 0
    words = 0.0
    for k in range(heading - 1, -1, -1):
        if units[k] >= _SENTENCE_UNITS and ends_sentence(lines[k]):
            run, words, gap = run + 1, words + units[k], 0
            if run >= _ARTICLE_PARAGRAPHS and words >= _ARTICLE_UNITS:
                return True
            continue
        gap += 1
        if gap > _ARTICLE_GAP:
            run, words = 0, 0.0
            if heading - k > _ARTICLE_REACH:
                return False
    return False
