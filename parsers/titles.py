"""Which line of a text dump is the page's headline.

A dump keeps the headline only as one visible line among menus, captions,
teasers and section labels. No single clue finds it: it is usually just above
the body but sometimes far above it (a long header of widgets, a body found
too low), it is often printed twice (breadcrumb, share text), it sums up the
first paragraphs, it sits over the byline and date or over a standfirst. So
every title-shaped line near the body earns a weighted sum of such clues and
the best sum wins.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import chain

from presswash.parsers.bylines import inline_byline, looks_like_name, parse_byline
from presswash.parsers.dates import parse_date
from presswash.parsers.vocabulary.bylines import TRAILING_BY, TRAILING_BY_WORDS
from presswash.parsers.vocabulary.dates import CLOCK_LINE, READING_TIME
from presswash.schemas.stages import LineReason

# Where a headline is looked for: lines above the body, a few into it, the top of the dump.
_ABOVE = 120
_INTO = 3
_PAGE_TOP = 3
# Sizes, in words (three characters of an unspaced script count as one).
_MAX_UNITS = 40
_MAX_BODY_TITLE_UNITS = 25
_MAX_DECK_UNITS = 60
_BODY_LINE_UNITS = 8
_LONG_TITLE_UNITS = 15
_MENU_UNITS = 2
_MAX_DATE_UNITS = 6
# The body a headline is compared with: its first paragraphs, and more of it.
_HEAD_LINES = 3
_BODY_LINES = 30
_MAX_PROSE_CHARS = 10_000
_MAX_PAGE_CHARS = 300_000
_FULL_OVERLAP = 3
_FREQ_CAP = 3
_TOPICAL = 0.66
# Copies of a line elsewhere on the page, and the same line printed twice in a row.
_MAX_ECHO_CHARS = 200
_MIN_ECHO_CHARS = 12
_SAME_PREFIX = 40
_HEADER_REACH = 3
_MIN_LETTER_SHARE = 0.7
# Share of capitalised long words from which a line counts as written in title case.
_TITLE_CASE = 0.5

_HEADER_REASONS = frozenset({LineReason.BYLINE, LineReason.DATELINE})
# Topic words: runs of an unspaced script, or words of four letters or more.
_WORD = re.compile(
    r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]+|[^\W\d_\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]{4,}"
)
_LONG_WORD = re.compile(r"[^\W\d_]{4,}")
_ASCII_LONG_WORD = re.compile(r"[a-z]{4,}")
_FOREIGN_LETTER = re.compile(r"[^\W\x00-\x7f]")
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_DIGIT = re.compile(r"\d")
_NOT_LETTER = re.compile(r"[\W\d_]")
_QUOTES = re.compile(r"[\"'“”‘’«»「」『』]")
_NUMBERED = re.compile(r"^\W{0,2}(?:\d{1,2}|[ivx]{1,4})[.):]\s", re.I)
_PHOTO_CREDIT = re.compile(r"\s[A-Z][\w.'’-]+/[A-Z][\w.'’ -]{1,30}$")
_IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|svg)\b", re.I)
_CODE_CHAR = re.compile(r"[\\{}<=;/#>$]")  # a character each kind of code line has
_LIST_ITEM = re.compile(r"^[-+*•·–—>→]\s")
_CODE = re.compile(r"[\\{}]|</?\w+>|[=;]\S|^\s*(?://|/\*|#!|>>>|\$ )")
_PROSE_ENDINGS = frozenset(".。,，:：;；")
_SENTENCE_ENDINGS = frozenset('.。!！?？"”’»)')
_ABBREVIATION_END = re.compile(r"(?:\b[A-Z]\.){2,}$")
_STOP_INSIDE = re.compile(r"[.!?。！？]\s+\w|[。！？]\w|[.。！？][\"”’»」』]$")

# Weights of the clues. Fitted once as a ranking of each dump's candidate lines (a softmax
# over their scores pulled towards the lines closest to the gold title, by token F1) on
# the two bench sets together (the 79 news pages weighted 35 %, the 820 general pages
# 65 %), then kept fixed: a weight says how much a clue is worth in general, not on any
# page. Only their ratios matter: the best sum wins.
WEIGHTS: dict[str, float] = {
    "distance": -0.164,
    "in_body": -0.473,
    "good_length": 0.563,
    "short": 0.098,
    "long": -0.661,
    "echoed": 0.267,
    "head_share": 0.228,
    "head_count": 0.758,
    "body_share": 0.373,
    "header_after": 0.912,
    "header_before": 0.584,
    "deck": 0.139,
    "capitals": 0.41,
    "has_date": 0.308,
    "name_shaped": 0.023,
    "menu_context": 0.096,
    "all_caps": -0.393,
    "body_freq": 1.236,
    "doubled": 0.216,
    "numbered": -0.045,
    "question": 0.244,
    "first_topical": 0.247,
    "length": 0.8,
    "doubled_in_body": -0.648,
    "photo_caption": -0.298,
    "under_shorter": -0.037,
    "lower_start": -0.022,
    "page_top": 0.273,
    "byline_next": 0.483,
    "longest": 0.386,
    "share_of_top": 0.49,
    "extends_other": 0.251,
    "inside_other": 0.329,
}


# Clues that cost the most to work out; a line gets them only if it can still win with them.
_COSTLY = (
    "echoed",
    "has_date",
    "name_shaped",
    "all_caps",
    "doubled",
    "doubled_in_body",
    "photo_caption",
    "under_shorter",
    "byline_next",
)
# Sums of the same products in another order differ in their last bits; a bound must not prune
# a line on that.
_MARGIN = 1e-9


def pick_title(
    lines: Sequence[str],
    units: Sequence[float],
    junk: Sequence[LineReason | None],
    used: dict[int, LineReason],
    start: int,
) -> int | None:
    """Index of the headline of the page whose body starts at `start`, or None.

    Most lines are out of the race on their cheap clues alone (far above the
    body, sharing no word with it), so lines are tried best cheap score first
    and the costly clues are only worked out while they could still lift a
    line over the best so far. The winner is the one `title_clues` would give.
    """
    if not lines:
        return None
    page = _Page(lines, units, used, start)
    weights = list(WEIGHTS.items())
    cheap_weights = [(name, weight) for name, weight in weights if name not in _COSTLY]
    ranked = sorted(
        (
            (_score(cheap, cheap_weights), order, i, line, cheap)
            for order, (i, line, cheap) in enumerate(_cheap(page, junk))
        ),
        key=lambda c: (-c[0], c[1]),
    )
    reach = sum(max(0.0, WEIGHTS[name]) for name in _COSTLY)
    best: tuple[float, int] | None = None
    best_at = None
    for partial, order, i, line, cheap in ranked:
        if best is not None and partial + reach < best[0] - _MARGIN:
            break
        score = _score({**cheap, **_costly(page, i, line, cheap)}, weights)
        if best is None or score > best[0] or (score == best[0] and order < best[1]):
            best, best_at = (score, order), i
    return best_at


def _score(clues: dict[str, float], weights: list[tuple[str, float]]) -> float:
    """The weighted sum of the clues a line shows, always added up in the order of `WEIGHTS`."""
    return sum([weight * clues[name] for name, weight in weights])


def title_clues(
    lines: Sequence[str],
    units: Sequence[float],
    junk: Sequence[LineReason | None],
    used: dict[int, LineReason],
    start: int,
) -> list[tuple[int, dict[str, float]]]:
    """Every title-shaped line near the body with the clues it shows (0..1 each, distance apart)."""
    if not lines:
        return []
    page = _Page(lines, units, used, start)
    return [
        (i, {**cheap, **_costly(page, i, line, cheap)}) for i, line, cheap in _cheap(page, junk)
    ]


def _cheap(
    page: _Page, junk: Sequence[LineReason | None]
) -> list[tuple[int, str, dict[str, float]]]:
    """The candidate lines, each with its headline text and the clues that cost little."""
    lines, units, used, start = page.lines, page.units, page.used, page.start
    out: list[tuple[int, str, dict[str, float]]] = []
    topical_seen = False
    lo = max(0, start - _ABOVE)
    for i in [*range(min(lo, _PAGE_TOP)), *range(lo, min(len(lines), start + _INTO))]:
        top = i < _PAGE_TOP
        if i in used or junk[i] is not None or not (1 if top else 2) <= units[i] <= _MAX_UNITS:
            continue
        if units[i] < 3 and not top and not _UNSPACED.search(lines[i]):
            continue  # a menu item (the test of `_title_shaped`, on the whole line first)
        line = headline_text(lines[i])
        if not _title_shaped(line, units[i], top):
            continue
        clues = _cheap_clues(page, i, line)
        if clues is None:
            continue
        clues["first_topical"] = float(not topical_seen and clues["head_count"] >= _TOPICAL)
        topical_seen = topical_seen or clues["head_count"] >= _TOPICAL
        out.append((i, line, clues))
    _add_listwise(out, units, start)
    return out


def _add_listwise(
    out: list[tuple[int, str, dict[str, float]]], units: Sequence[float], start: int
) -> None:
    """The clues that compare a candidate with the page's other candidates.

    A clue of one line alone cannot tell the headline from a teaser or a label
    of the same shape; what sets it apart is often that it is the longest or
    the most topical of its kind on the page, or the plain copy of a line that
    another copy prints with the site's name glued on.
    """
    # Above the body, section labels and teasers are short: of the lines written in title
    # case, the headline is most often the longest.
    longest = max(
        [units[i] for i, _, c in out if i < start and c["capitals"] >= _TITLE_CASE], default=0
    )
    top_share = max([c["head_share"] for _, _, c in out], default=0.0)
    kin = _same_opening(line for _, line, _ in out)
    for i, line, clues in out:
        clues["longest"] = float(
            i < start and units[i] == longest and clues["capitals"] >= _TITLE_CASE
        )
        clues["share_of_top"] = clues["head_share"] / top_share if top_share else 0.0
        others = kin.get(line[:_MIN_ECHO_CHARS], [])
        clues["extends_other"] = float(_extends_other(line, others))
        clues["inside_other"] = float(_inside_other(line, others))


def _same_opening(texts: Iterable[str]) -> dict[str, list[str]]:
    """Candidates by their first characters: only those can be copies of each other's start."""
    kin: dict[str, list[str]] = {}
    for text in texts:
        if len(text) >= _MIN_ECHO_CHARS:
            kin.setdefault(text[:_MIN_ECHO_CHARS], []).append(text)
    return kin


def _extends_other(line: str, others: Sequence[str]) -> bool:
    """Another candidate with something glued on ('Headline - Site'), as a page title has."""
    return any(len(line) > len(other) and line.startswith(other) for other in others)


def _inside_other(line: str, others: Sequence[str]) -> bool:
    """The start of a longer candidate: the same headline without what the other copy adds."""
    return any(len(other) > len(line) and other.startswith(line) for other in others)


class _Page:
    """What every candidate is compared with: the page text and the words of its body."""

    def __init__(
        self,
        lines: Sequence[str],
        units: Sequence[float],
        used: dict[int, LineReason],
        start: int,
    ) -> None:
        self.lines, self.units, self.used, self.start = lines, units, used, start
        self.text = _page_text(lines)
        self.paragraphs = _paragraph_words(lines, units, start)
        self.head = self.words_after(start, _HEAD_LINES)
        self.body = self.words_after(start, _BODY_LINES)
        self.prose = Counter(chain.from_iterable(words for _, words in self.paragraphs))

    def words_after(self, start: int, wanted: int) -> set[str]:
        """Topic words of the first `wanted` paragraphs from `start` on, which a headline shares."""
        if start == self.start:  # every paragraph is from there on, in order
            near = start + wanted * 3
            return set().union(*[found for i, found in self.paragraphs[:wanted] if i < near])
        words: set[str] = set()
        taken = 0
        for i, found in self.paragraphs:
            if i >= start + wanted * 3:
                break
            if i >= start:
                words |= found
                taken += 1
                if taken >= wanted:
                    break
        return words


def _page_text(lines: Sequence[str]) -> str:
    """The page as one string for finding copies of a line, cut to bound the work on huge dumps."""
    return "\n".join(lines)[:_MAX_PAGE_CHARS]


def _cheap_clues(page: _Page, i: int, line: str) -> dict[str, float] | None:
    """The cheap clues one candidate line shows; None when it cannot be the headline after all."""
    lines, units, used, start = page.lines, page.units, page.used, page.start
    n = units[i]
    header_after = line != lines[i] or any(
        [used.get(j) in _HEADER_REASONS for j in range(i + 1, i + 1 + _HEADER_REACH)]
    )
    if i >= start and (
        any(_is_prose(lines[j], units[j]) for j in range(start, i))
        or not _opens_body(line, n, i, units, header_after or _echoed(page, i, line))
    ):
        return None  # no prose above a headline
    words = _content_words(line)
    head = page.head if i < start else page.words_after(i + 1, _HEAD_LINES)
    shared = len(words & head)
    nxt = units[i + 1] if i + 1 < len(units) else 0.0
    prev = units[i - 1] if i > 0 else 0.0
    long_words = [w for w in line.split() if len(w) >= 4 and w[:1].isalpha()]
    prose = page.prose
    return {
        "distance": math.log1p(max(0, start - i)),
        "in_body": float(i >= start),
        "good_length": float(4 <= n <= 25),
        "short": float(n < 4),
        "long": float(n > 25),
        "head_share": shared / len(words) if words and head else 0.0,
        "head_count": min(1.0, shared / _FULL_OVERLAP) if words and head else 0.0,
        "body_share": len(words & page.body) / len(words) if words and page.body else 0.0,
        "body_freq": (
            sum([min(prose[w], _FREQ_CAP) for w in words if w in prose]) / (_FREQ_CAP * len(words))
            if words
            else 0.0
        ),
        "header_after": float(header_after),
        "header_before": float(
            used.get(i - 1) in _HEADER_REASONS or used.get(i - 2) in _HEADER_REASONS
        ),
        "deck": float(i + 1 < start and i + 1 not in used and n < nxt <= _MAX_DECK_UNITS),
        "capitals": (
            sum([w[:1].isupper() for w in long_words]) / len(long_words)
            if len(long_words) >= 2
            else 0.0
        ),
        "menu_context": float(prev <= _MENU_UNITS and nxt <= _MENU_UNITS),
        "lower_start": float(line[:1].islower()),
        "numbered": float(bool(_NUMBERED.match(line))),
        "question": float(line.endswith(("?", "？"))),
        "length": min(1.0, n / _LONG_TITLE_UNITS),
        "page_top": float(i < _PAGE_TOP),
    }


def _costly(page: _Page, i: int, line: str, cheap: dict[str, float]) -> dict[str, float]:
    """The clues of one candidate line that take a search of the page or a parser to find."""
    lines = page.lines
    doubled = _doubled(lines, i)
    letters = [c for c in line if c.isalpha()]
    return {
        "echoed": float(_echoed(page, i, line)),
        "has_date": float(bool(_DIGIT.search(line)) and parse_date(line) is not None),
        "name_shaped": float(looks_like_name(line)),
        "all_caps": float(len(letters) > 3 and all(c.isupper() for c in letters)),
        "doubled": float(doubled),
        "doubled_in_body": float(doubled and cheap["in_body"] > 0),
        "photo_caption": float(_photo_caption(lines, i)),
        "under_shorter": float(_under_shorter(lines, page.units, page.used, i)),
        "byline_next": float(_byline_next(lines, i)),
    }


def _under_shorter(
    lines: Sequence[str], units: Sequence[float], used: dict[int, LineReason], i: int
) -> bool:
    """Under a shorter headline-shaped line: a standfirst (deck) rather than the headline."""
    j = i - 1
    return (
        j >= 0
        and j not in used
        and 3 <= units[j] < units[i]
        and not _ends_prose(lines[j])
        and not _is_prose(lines[j], units[j])
    )


def _byline_next(lines: Sequence[str], i: int) -> bool:
    """The next line opens like a byline ('By Jane Doe'), whoever it was found to be by."""
    nxt = lines[i + 1] if i + 1 < len(lines) else ""
    return nxt[:3].lower() in ("by ", "by:") and parse_byline(nxt) is not None


def _doubled(lines: Sequence[str], i: int) -> bool:
    """Printed twice in a row: a photo's alt text and caption, or a headline and its teaser."""
    return any(0 <= j < len(lines) and _same_start(lines[i], lines[j]) for j in (i - 1, i + 1))


def _photo_caption(lines: Sequence[str], i: int) -> bool:
    """Under an image's file name, or ending in a photo credit ('Benoit Tessier/Reuters')."""
    if _PHOTO_CREDIT.search(lines[i]):
        return True
    return i > 0 and bool(_IMAGE_FILE.search(lines[i - 1]))


def _same_start(a: str, b: str) -> bool:
    """Two lines opening with the same words (one may be cut short, or carry a credit)."""
    k = min(len(a), len(b), _SAME_PREFIX)
    return k >= _MIN_ECHO_CHARS and a[:k] == b[:k]


def _paragraph_words(
    lines: Sequence[str], units: Sequence[float], start: int
) -> list[tuple[int, set[str]]]:
    """The topic words of each paragraph from the body start on, as far as a budget of text."""
    found: list[tuple[int, set[str]]] = []
    budget = _MAX_PROSE_CHARS
    for i in range(start, len(lines)):
        if units[i] >= _BODY_LINE_UNITS:
            found.append((i, _content_words(lines[i][:budget])))
            budget -= len(lines[i])
            if budget <= 0:
                break
    return found


def headline_text(line: str) -> str:
    """The headline part of a line that also names its author ('Headline by Jane Doe', 'by:')."""
    if "by" in line or "By" in line:  # what an inline byline needs, checked cheaply first
        inline = inline_byline(line)
        if inline is not None:
            line = line[: inline[0]]
    if line.rstrip().rstrip(":").rstrip().lower().endswith(TRAILING_BY_WORDS):
        line = TRAILING_BY.sub("", line)
    return line.strip(" -–—|,")


def _title_shaped(line: str, n: float, top: bool) -> bool:
    """A headline text that could be the page's at all: not prose, not a clock or a label.

    One or two words make a menu item, except at the very top of a dump,
    where a page without a header bar (an encyclopedia entry) puts its title.
    """
    if not line or _ends_prose(line):
        return False
    if n < 3 and not top and not _UNSPACED.search(line):
        return False
    if (_CODE_CHAR.search(line) and _CODE.search(line)) or _LIST_ITEM.match(line):
        return False
    others = len(_NOT_LETTER.findall(line))
    if len(line) - others < _MIN_LETTER_SHARE * (len(line) - line.count(" ")):
        return False  # code, formulas, prices, scores
    if len(line.split()) <= _MAX_DATE_UNITS and _DIGIT.search(line) and parse_date(line):
        return False  # a dateline, perhaps with the byline cut off
    if not _DIGIT.search(line) and "read" not in line.lower():
        return True  # neither a clock nor a reading-time label can be
    return not (CLOCK_LINE.match(line) or READING_TIME.search(line))


def _ends_prose(line: str) -> bool:
    """Ends like a sentence or a clause; a headline ending in 'N.Y.C.' or '...' does not."""
    if line[-1] not in _PROSE_ENDINGS or line.endswith(("...", "…")):
        return False
    return not _ABBREVIATION_END.search(line)


def _is_prose(line: str, n: float) -> bool:
    """A paragraph: long and made of sentences (a long breadcrumb or headline copy is not)."""
    if n < _BODY_LINE_UNITS or _ABBREVIATION_END.search(line):
        return False
    return line[-1] in _SENTENCE_ENDINGS or bool(_STOP_INSIDE.search(line))


def _opens_body(line: str, n: float, i: int, units: Sequence[float], marked: bool) -> bool:
    """Whether a line at the top of the body run may be its headline, not its first paragraph.

    A long headline scores like prose and lands in the body; it still has no
    closing full stop, and it is echoed elsewhere on the page, or followed by
    the byline or the date, or by a longer paragraph.
    """
    if _ends_prose(line) or n > _MAX_BODY_TITLE_UNITS or _STOP_INSIDE.search(line):
        return False
    return marked or (i + 1 < len(units) and units[i + 1] > n)


def _echoed(page: _Page, i: int, line: str) -> bool:
    """Printed more than once on the page (headline plus breadcrumb, share text or teaser).

    Copies differ in their quotes and in what is glued to them (`Section|Headline`),
    so the longest stretch of the line without quotes is looked for. A copy on
    the very next line does not count: that is a photo's alt text and caption.
    """
    if len(line) > _MAX_ECHO_CHARS:
        return False
    chunk = max(_QUOTES.split(line), key=len)
    if len(chunk) < _MIN_ECHO_CHARS:
        chunk = line
    lines = page.lines
    neighbours = [lines[j] for j in (i - 1, i + 1) if 0 <= j < len(lines)]
    return page.text.count(chunk) - sum(chunk in other for other in neighbours) > 1


def _content_words(text: str) -> set[str]:
    """The distinct topic words of a line."""
    return set(_topic_words(text))


def _topic_words(text: str) -> list[str]:
    """Words that carry a topic: long words, or pairs of characters of an unspaced script.

    Single Han or kana characters are shared by almost any two lines of a
    page, so a pair stands for a word there. Most lines have no unspaced
    script, and then one pass of a pattern finds them all.
    """
    if text.isascii():
        return _ASCII_LONG_WORD.findall(text.lower())
    if not _FOREIGN_LETTER.search(text):  # only its punctuation is not ASCII (quotes, dashes)
        return _ASCII_LONG_WORD.findall(text.encode("ascii", "replace").decode("ascii").lower())
    text = text.casefold()
    if not _UNSPACED.search(text):
        return _LONG_WORD.findall(text)
    words: list[str] = []
    for w in _WORD.findall(text):
        if w[0] >= "\u3040" and _UNSPACED.match(w):
            words.extend(w[k : k + 2] for k in range(max(1, len(w) - 1)))
        else:
            words.append(w)
    return words
