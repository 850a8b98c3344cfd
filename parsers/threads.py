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
from collections import Counter
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
_HEADING_CHARS = 120
# The first comment comes within this many lines of the heading, with at most a note between.
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
_COUNT = re.compile(r"\d+")
# A heading printed this many times is a button under each post, not a thread's heading.
_REPEATED_HEADING = 3
# Headings tried, so that a page of "12 comments" links costs no more than a few.
_MAX_HEADINGS = 5
_DIGIT = re.compile(r"\d")
# A word every comments heading has: searched for in the page's text at C speed.
_THREAD_WORDS = (
    "comment",
    "repl",
    "respons",
    "discussion",
    "conversation",
    "thoughts",
    "kommentar",
    "commentaire",
    "comentario",
    "comentário",
    "commenti",
    "reacties",
    "komentar",
    "комментар",
    "评论",
    "評論",
    "댓글",
    "コメント",
)


def mark_comment_threads(
    lines: Sequence[str], units: Sequence[float], junk: list[LineReason | None]
) -> None:
    """Mark as boilerplate a comment thread and all below it, from its heading down."""
    for heading in _headings(lines)[:_MAX_HEADINGS]:
        first = _first_comment(lines, units, heading)
        if first is None or not _article_above(lines, units, heading):
            continue
        if _comments_from(lines, units, first) >= _MIN_COMMENTS:
            for k in range(heading, len(lines)):
                if junk[k] is None:
                    junk[k] = LineReason.BOILERPLATE
            return


def _headings(lines: Sequence[str]) -> list[int]:
    """Lines that head a comment thread, found by searching the page's short lines for their words.

    The short lines are joined into one text, so that each word is one search at C speed.
    """
    short = [i for i, line in enumerate(lines) if len(line) <= _HEADING_CHARS]
    text = "\n".join([lines[i] for i in short]).lower()
    found: dict[int, str] = {}
    for word in _THREAD_WORDS:
        pos = text.find(word)
        while pos >= 0:
            start = text.rfind("\n", 0, pos) + 1
            end = text.find("\n", pos)
            end = len(text) if end < 0 else end
            low = text[start:end]
            if COMMENTS_HEADING.match(low):
                found[short[text.count("\n", 0, start)]] = low
            pos = text.find(word, end)
    return _one_thread(found)


def _one_thread(found: dict[int, str]) -> list[int]:
    """The headings that can open the page's one thread, in page order.

    A listing prints a count under each card ("0 comments", "14 comments"),
    a Q&A page an "Add a comment" under each post: a count differing from
    another, or a heading printed again and again, heads no thread.
    """
    counts = {m.group() for low in found.values() if (m := _COUNT.search(low))}
    repeats = Counter(found.values())
    return [
        i
        for i, low in sorted(found.items())
        if repeats[low] < _REPEATED_HEADING
        and not _NO_COMMENTS.match(low)
        and (len(counts) < 2 or _COUNT.search(low) is None)
    ]


def _first_comment(lines: Sequence[str], units: Sequence[float], heading: int) -> int | None:
    """The first comment's author line under the heading, with at most a note between."""
    paragraphs = 0
    for i in range(heading + 1, min(len(lines), heading + 1 + _HEADING_REACH)):
        if _opens_comment(lines, units, i):
            return i
        if units[i] >= _PARAGRAPH_UNITS and ends_sentence(lines[i]):
            paragraphs += 1
            if paragraphs > _NOTE_PARAGRAPHS:
                return None  # paragraphs under the heading: an article, not a thread
    return None


def _comments_from(lines: Sequence[str], units: Sequence[float], first: int) -> int:
    """How many comments open from `first` on, counted up to what makes a thread."""
    count = 0
    for i in range(first, len(lines)):
        if units[i] <= _STAMP_UNITS and _opens_comment(lines, units, i):
            count += 1
            if count >= _MIN_COMMENTS:
                break
    return count


def _opens_comment(lines: Sequence[str], units: Sequence[float], i: int) -> bool:
    """A comment's author line: "<name> says:", or a short name over a date-and-time line."""
    line = lines[i]
    if units[i] > _NAME_UNITS and len(line) > _AUTHOR_CHARS:
        return False
    said = line[-1:] == ":" or line.endswith(" says")  # what an author line ends with, cheaply
    if said and len(line) <= _AUTHOR_CHARS and COMMENT_AUTHOR.match(line):
        return True
    if i + 1 >= len(lines) or not _name_shaped(line, units[i]):
        return False
    stamp = lines[i + 1]
    return bool(_DIGIT.search(stamp)) and stamp_line(stamp, units[i + 1])


def _name_shaped(line: str, units: float) -> bool:
    """A name alone: a few words, a letter first, no sentence, no digit (not another stamp)."""
    return (
        units <= _NAME_UNITS
        and line[:1].isalpha()
        and not ends_sentence(line)
        and _DIGIT.search(line) is None
    )


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
