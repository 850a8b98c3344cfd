"""Other stories inside an article's stretch of text: teaser lists, related headlines, bylines.

A news dump's body run is found by its prose, and what sits inside it or
right after it is often another story's trailer: "Related: <headline>", a
list of headlines after the last paragraph, "By <name>" under a headline
that is not this page's. Each is headline-shaped (no closing full stop,
a dozen words) and comes in company: a run of them, a prefix that says it,
a byline beside a headline. One line of that shape alone is an article's
subheading and stays.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

from presswash.parsers.bylines import looks_like_name, parse_byline
from presswash.parsers.dates import parse_date
from presswash.parsers.junklines import ends_sentence
from presswash.parsers.vocabulary.bylines import BIO_VERB
from presswash.parsers.vocabulary.dates import AGE_LINE, CLOCK_LINE, DATELINE_TOKENS
from presswash.parsers.vocabulary.furniture import COMMENT_AUTHOR, TEASER_PREFIX
from presswash.schemas.stages import LineReason

_HEADLINE_MIN_UNITS = 3
_HEADLINE_MAX_UNITS = 20
_PREFIXED_MAX_UNITS = 30
# A list of teasers after the article's last paragraph: this many headlines at least.
_TAIL_HEADLINES = 3
_TAIL_SHARE = 0.6
_SENTENCE_UNITS = 8
# A byline is another story's when a headline sits this close above it.
_BYLINE_REACH = 2
# A card: a headline beside a bare date, an age or a reading time. This many make a list.
_CARDS = 2
_STAMP_MAX_UNITS = 8
_STAMP_DIGIT_CHARS = 40
_DIGIT = re.compile(r"\d")
# A card's headline has a few words more than a name or a label ("From: Jane Doe").
_CARD_HEADLINE_UNITS = 4
_CARD_GAP = 2
# The article's own date line sits this close to the body's start and is no card.
_OWN_HEADER = 3
# An author's box: a name of a few words, a paragraph naming them within the next lines,
# after this share of the body's prose, with no more than that share after it.
_BIO_NAME_UNITS = 4
_BIO_AFTER = 0.5
_BIO_TAIL = 0.35
_BIO_REACH = 3
_BIO_REACH_CHARS = 120
# A comment: "<name> says:" with its date within this many lines; this many make a section.
_COMMENT_DATE_REACH = 2
_COMMENTS = 2
_COMMENT_AUTHOR_CHARS = 80


def headline_shaped(line: str, units: float) -> bool:
    """A line that could be a headline: a few words, no closing full stop, opening upper-case."""
    return (
        _HEADLINE_MIN_UNITS <= units <= _HEADLINE_MAX_UNITS
        and line.count(" ") >= _HEADLINE_MIN_UNITS - 1  # unspaced scripts wrap without stops
        and not ends_sentence(line)
        and (line[:1].isupper() or line[:1].isdigit() or not line[:1].isascii())
    )


def mark_teasers(
    lines: Sequence[str],
    units: Sequence[float],
    junk: list[LineReason | None],
    inside: Sequence[bool],
    first_body: int,
) -> None:
    """Mark as `teaser` the lines of the body that announce or list other stories."""
    body = [i for i, flag in enumerate(inside) if flag and junk[i] is None]
    if not body:
        return
    for i in body:
        if units[i] <= _PREFIXED_MAX_UNITS and TEASER_PREFIX.match(lines[i]):
            junk[i] = LineReason.TEASER
    # Stamps, comment authors and names are short lines: the few worth a closer look.
    short = [(n, i) for n, i in enumerate(body) if units[i] <= _STAMP_MAX_UNITS]
    _comment_section(lines, junk, body, short)
    _dated_cards(lines, units, junk, body, short, first_body)
    _tail_list(lines, units, junk, body)
    _author_bio(lines, units, junk, body, short)
    _other_bylines(lines, units, junk, body, first_body)


def stamp_line(line: str, units: float) -> bool:
    """A line that is only a date, a time, an age or a reading time: what a card prints."""
    if units > _STAMP_MAX_UNITS or _DIGIT.search(line, 0, _STAMP_DIGIT_CHARS) is None:
        return False
    if (CLOCK_LINE.match(line) and ":" in line) or AGE_LINE.search(line):
        return True
    if parse_date(line) is None:
        return False
    return not DATELINE_TOKENS.sub(" ", line).split()


def _author_bio(
    lines: Sequence[str],
    units: Sequence[float],
    junk: list[LineReason | None],
    body: list[int],
    short: list[tuple[int, int]],
) -> None:
    """After the article, a name alone over a paragraph about that person: the author's box.

    The box closes the article (its name, a role, "Karina Cohen is the owner
    of..."), so it goes with whatever follows it in the body, as long as
    most of the prose lies above it.
    """
    prose = {i for i in body if units[i] >= _SENTENCE_UNITS}
    boxes = [
        n
        for n, i in short
        if junk[i] is None
        and units[i] <= _BIO_NAME_UNITS
        and _about(lines[i], lines, body[n + 1 : n + 1 + _BIO_REACH], prose)
        and looks_like_name(lines[i])
    ]
    # Names each over a paragraph, again and again, are the article's own list of people;
    # one name printed twice over its paragraph ("Jane Doe", "Written by", "Jane Doe") is one box.
    if len({lines[body[n]] for n in boxes}) != 1:
        return
    n = boxes[0]
    total = sum(units[i] for i in prose)
    seen = sum(units[i] for i in body[: n + 1] if i in prose)
    if seen >= total * _BIO_AFTER and total - seen <= total * _BIO_TAIL:
        for k in body[n:]:
            junk[k] = LineReason.BOILERPLATE


def _about(name: str, lines: Sequence[str], below: list[int], prose: set[int]) -> bool:
    """A paragraph just below that opens on the name and a verb of a bio ("... is a reporter")."""
    return any(
        i in prose and lines[i].startswith(name) and BIO_VERB.match(lines[i], len(name))
        for i in below
    )


def _comment_section(
    lines: Sequence[str],
    junk: list[LineReason | None],
    body: list[int],
    short: list[tuple[int, int]],
) -> None:
    """From the first of several "<name> says:" lines, each with its date, the body is comments."""
    found: list[int] = []
    for _, i in short:
        if len(lines[i]) > _COMMENT_AUTHOR_CHARS or not COMMENT_AUTHOR.match(lines[i]):
            continue
        reach = lines[i + 1 : i + 1 + _COMMENT_DATE_REACH]
        if any(stamp_line(ln, len(ln.split())) for ln in reach):
            found.append(i)
    if len(found) < _COMMENTS:
        return
    for i in body:
        if i >= found[0]:
            junk[i] = LineReason.BOILERPLATE


def _dated_cards(
    lines: Sequence[str],
    units: Sequence[float],
    junk: list[LineReason | None],
    body: list[int],
    short: list[tuple[int, int]],
    first_body: int,
) -> None:
    """Headlines each printed beside a bare date or reading time are other stories' cards.

    An article prints its own date once, under its headline; a run of
    dated headlines further down is a list of other stories.
    """
    inside = set(body)
    cards: list[tuple[int, int]] = []
    for _, i in short:
        if i <= first_body + _OWN_HEADER or junk[i] is not None:
            continue
        if not stamp_line(lines[i], units[i]):
            continue
        for j in (i - 1, i + 1):
            if (
                j in inside
                and junk[j] is None
                and units[j] >= _CARD_HEADLINE_UNITS
                and headline_shaped(lines[j], units[j])
            ):
                cards.append((i, j))
                break
    if len(cards) < _CARDS:
        return
    marked = sorted(k for pair in cards for k in pair)
    for k in marked:
        junk[k] = LineReason.TEASER
    # What sits between one card and the next (its standfirst, a section label) is the card's.
    for a, b in pairwise(marked):
        if 1 < b - a <= _CARD_GAP + 1 and all(j in inside for j in range(a + 1, b)):
            for j in range(a + 1, b):
                junk[j] = LineReason.TEASER


def _tail_list(
    lines: Sequence[str], units: Sequence[float], junk: list[LineReason | None], body: list[int]
) -> None:
    """After the last paragraph, a run of headlines is a list of other stories."""
    last = max(
        (i for i in body if units[i] >= _SENTENCE_UNITS and ends_sentence(lines[i])), default=-1
    )
    after = [i for i in body if i > last and junk[i] is None]
    headlines = sum(headline_shaped(lines[i], units[i]) for i in after)
    if headlines >= _TAIL_HEADLINES and headlines >= _TAIL_SHARE * len(after):
        for i in after:
            junk[i] = LineReason.TEASER


def _other_bylines(
    lines: Sequence[str],
    units: Sequence[float],
    junk: list[LineReason | None],
    body: list[int],
    first_body: int,
) -> None:
    """A byline below a headline, past the article's own start, is another story's: both go."""
    for i in body:
        if i <= first_body or junk[i] is not None or units[i] > _HEADLINE_MAX_UNITS:
            continue
        if not lines[i][:3].lower().startswith("by") or parse_byline(lines[i]) is None:
            continue
        above = [
            j
            for j in range(max(first_body + 1, i - _BYLINE_REACH), i)
            if junk[j] is None and headline_shaped(lines[j], units[j])
        ]
        if above:
            for j in [*above, i]:
                junk[j] = LineReason.TEASER
