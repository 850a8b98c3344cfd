"""Cleaning a dump of a page's visible text down to the article, line by line.

A text dump has lost its DOM: menus, the headline, share buttons, the body,
comments and the footer are all just lines. What survives is shape. The
article is the one long stretch of sentence-length lines; furniture is short,
repetitive and worded from a small vocabulary. So we score every line (long
sentences up, short fragments and known furniture down), take the stretch
with the highest total as the body (a maximum-sum run, linear in the page),
let it annex neighbouring stretches of prose cut off by a chart or a list
(never across a share bar, a footer or a "Related" heading), read the
title, byline and date from just above it, and then drop what is junk even
inside the body: spam, mojibake, foreign-script debris, repeats. Every
removed line is counted under a `LineReason`.

Hard-wrapped paragraphs are joined first, so a line of `Extracted.lines`,
of `decisions` and of `line_key` is a paragraph, not a raw line of the dump.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from functools import lru_cache
from itertools import pairwise

from presswash.parsers.junklines import (
    PageGates,
    closes_article,
    ends_sentence,
    furniture_reason,
    garbage_reason,
    line_units,
    list_tokens,
    page_gates,
    recurring_share,
)
from presswash.parsers.teasers import mark_teasers
from presswash.parsers.text_stats import normalise_for_hash
from presswash.parsers.textmeta import PageMeta, find_meta
from presswash.parsers.threads import mark_comment_threads
from presswash.parsers.vocabulary.furniture import CONSENT_WORDS
from presswash.parsers.writing_systems import script_counts
from presswash.schemas.document import Extracted, LineDecision
from presswash.schemas.stages import LineReason

_STRIP = " \t\r\n\f\v\u00a0\u200b\u200c\u200d\ufeff\u3000"
# Score of a line for the body search: a sentence-length line earns its words
# beyond a small toll, a fragment pays a larger one, known junk pays a fine.
_SENTENCE_TOLL = 2.0
_FRAGMENT_TOLL = 12.0
_JUNK_FINE = -20.0
_STREAK_GROWTH = 0.25
# Garbage (spam, mojibake, link dumps) says nothing about where the article ends.
_GARBAGE_FINE = -5.0
# _WIDGET_LINES or more lines of at most _WIDGET_UNITS words in a row inside the body: a widget.
_WIDGET_LINES = 6
_TEASER_UNITS = 20
_WIDGET_UNITS = 3
_GARBAGE = frozenset(
    {
        LineReason.SPAM,
        LineReason.MOJIBAKE,
        LineReason.REPEATED_CHARS,
        LineReason.LINK_LIST,
        LineReason.MARKUP,
    }
)
_MAX_LINE_SCORE = 120.0
_SENTENCE_UNITS = 8.0
_SCRIPT_SAMPLE = 3000
_WRAP_MIN_CHARS = 40
_MAX_JOINED_CHARS = 20000
_RUN_ON_ENDINGS = frozenset(",-–—(")
_TERMINAL = frozenset(".!?。！？")
# Lines that start a link or a list item never continue the line above.
_NEVER_CONTINUED = ("http", "www.", "- ", "* ", "• ", "· ", "– ", "— ")
# Consecutive keyword lists form a spam block when this many share most of their words.
_SPAM_BLOCK_LINES = 3
_SPAM_BLOCK_SHARE = 0.5
# Furniture vocabulary is checked only where it can change the outcome: the
# body run and the header block above it; the run is searched again when a
# check moves it, a few times at most.
_HEADER_MARGIN = 16
_FOOTER_MARGIN = 3
_MAX_PASSES = 4
# Lines away from the body are only checked for garbage when long enough to be spam.
_GARBAGE_CHECK_UNITS = 5
# A later stretch of prose joins the body across a gap of at most _MAX_GAP lines
# (a chart, a photo, a pull quote) when it is substantial and nothing in the
# gap says the article ended.
_MAX_GAP = 120
_CLOSING_SHARE = 0.5
_AFTER_CLOSING_SHARE = 0.5
_MAX_TAIL = 400
_MIN_TAIL_SCORE = 15.0
_TAIL_SHARE = 0.1
_MAX_TAIL_TRIES = 12
# Each line of a gap must be paid for by the prose beyond it: a long block of
# short items (a topic list, a video player) is crossed only towards a long text.
_GAP_LINE_COST = 1.0
# Bounds the work on pathological pages (thousands of short stretches of prose).
_MAX_EXTENSIONS = 40
_GAP_NAVIGATION = 10
_GAP_FURNITURE = frozenset({LineReason.NAVIGATION, LineReason.SHARE})
_GAP_TOLERATED = _GARBAGE | {LineReason.CREDIT}
# Three or more consecutive lines opening with the same bullet form a typed list;
# its items of at least _LIST_ITEM_UNITS words count like sentences.
_LIST_ITEMS = 3
_LIST_ITEM_UNITS = 3
_BULLETS = frozenset("-*+•·▪◦►▸–—")
_NUMBERED = re.compile(r"\d{1,2}[.)] \S")
_ITEM_OPENERS = _BULLETS | frozenset("0123456789")
# A slideshow: at least _SLIDES consecutive counters "k/N" (or "k of N"), each within
# _SLIDE_LINES lines of the one before.
_SLIDE_COUNTER = re.compile(r"(\d{1,3}) ?(?:/|of) ?(\d{1,3})$", re.IGNORECASE)
_SLIDES = 3
_SLIDE_LINES = 12
# A consent banner taken for the body is dropped and the body searched again, a few times at most.
_CONSENT_PASSES = 3
_CONSENT_MAX_LINES = 40
# A second copy of the article: this many body lines in a row all printed before.
_COPY_LINES = 3
_SCRIPT_FAMILY = {"Hiragana": "Han", "Katakana": "Han", "Bopomofo": "Han"}


@lru_cache(maxsize=8192)
def line_key(line: str) -> str:
    """A site-wide identity for a line: equal across case, spacing and punctuation.

    Cached: the lines a site repeats are, by definition, met again and again.
    """
    return hashlib.blake2b(normalise_for_hash(line).encode("utf-8"), digest_size=12).hexdigest()


# The page's edges, as neighbours of its first and last lines.
_TOP = "^" * 16
_BOTTOM = "$" * 16


def line_pairs(lines: Sequence[str]) -> list[str]:
    """The identity of each pair of neighbouring lines, the page's edges included.

    Entry j joins line j-1 and line j (entry 0 the top edge and line 0, entry
    len(lines) the last line and the bottom edge). A line with its neighbour
    is what a site repeats: its footer comes in the same order on every
    page, while a line like "Advertisement" or "Share" that many sites use
    sits among different lines on each page and never pairs the same way.
    """
    keys = [_TOP, *(line_key(line)[:16] for line in lines), _BOTTOM]
    return [a + b for a, b in pairwise(keys)]


def clean_textdump(
    text: str,
    *,
    explain: bool = False,
    site_boilerplate: frozenset[str] = frozenset(),
) -> Extracted:
    """The article body, title, authors, publisher and date found in a page's text dump.

    Never raises: any str (or even a non-str) gives an `Extracted`, empty when
    nothing in it looks like an article.
    """
    if not isinstance(text, str):
        text = ""
    try:
        return _clean(text, explain, site_boilerplate)
    except Exception:  # a cleaner bug must cost one page, not the run
        return Extracted(lines=[], lines_in=0, extractor="textdump")


def _list_block_spam(lines: Sequence[str], junk: list[LineReason | None]) -> None:
    """Mark runs of keyword lists that echo each other's words as spam.

    One line of stuffing may recombine its terms just enough to look like a
    list of products; a block of such lines drawing on the same few search
    terms cannot be anything else.
    """
    block: list[int] = []
    pooled: list[str] = []
    for i, line in enumerate(lines):
        # Inline comma count: most lines have too few to be a list, and this runs on every line.
        if line.count(",") < 4 and (line.isascii() or _commas(line) < 4):
            continue
        tokens = _list_line(line)
        if tokens is None:
            continue
        if block and block[-1] != i - 1:
            _mark_spam_block(block, pooled, junk)
            block, pooled = [], []
        block.append(i)
        pooled += tokens
    _mark_spam_block(block, pooled, junk)


def _mark_spam_block(block: list[int], pooled: list[str], junk: list[LineReason | None]) -> None:
    if len(block) >= _SPAM_BLOCK_LINES and recurring_share(pooled) >= _SPAM_BLOCK_SHARE:
        for j in block:
            junk[j] = LineReason.SPAM


def _drop_slideshows(
    lines: Sequence[str], units: Sequence[float], junk: list[LineReason | None]
) -> None:
    """Mark a photo gallery flattened into the text: slide counters "1/50", "2/50"... and captions.

    Each slide brings a headline and a caption of its own, sentence-shaped, so
    the gallery would pass for more article; its counters give it away. From
    the first counter of a run of consecutive slides to the end of the last
    slide, everything goes.
    """
    counters: list[tuple[int, int, int]] = []
    # A counter is a short line opening with a digit: a C-speed first pass.
    for i in [i for i, line in enumerate(lines) if len(line) <= 12 and line[:1].isdigit()]:
        match = _SLIDE_COUNTER.match(lines[i])
        if match is not None and units[i] <= 3:
            counters.append((i, int(match.group(1)), int(match.group(2))))
    run: list[tuple[int, int, int]] = []
    for counter in [*counters, (-1, -1, -1)]:
        if run and not (
            counter[2] == run[-1][2]
            and counter[1] == run[-1][1] + 1
            and counter[0] - run[-1][0] <= _SLIDE_LINES
        ):
            if len(run) >= _SLIDES:
                last = run[-1][0] + max(1, (run[-1][0] - run[0][0]) // (len(run) - 1))
                for k in range(run[0][0], min(len(lines), last)):
                    junk[k] = LineReason.BOILERPLATE
            run = []
        if counter[0] >= 0 and counter[2] >= _SLIDES:
            run.append(counter)


def _commas(line: str) -> int:
    commas = line.count(",")
    if commas < 4 and not line.isascii():
        commas += line.count("，") + line.count("、")
    return commas


def _list_line(line: str) -> list[str] | None:
    """The words of an unended line of comma-separated phrases, else None."""
    if _commas(line) < 4 or ends_sentence(line):
        return None
    return list_tokens(line)


def paragraph_lines(text: str) -> list[str]:
    """Non-empty lines, with hard-wrapped paragraphs joined back into one line each.

    Dumps keep the newlines of the page's source, so one paragraph often
    arrives as several lines cut mid-sentence; judged alone each piece looks
    like a fragment. A line is glued to the previous one when that one ends
    without closing punctuation and this one visibly continues it. A blank
    line always ends a paragraph.
    """
    raw = [line.strip(_STRIP) for line in text.splitlines()]
    width = _wrap_width(raw)
    out: list[str] = []
    joinable = False
    half = _WRAP_MIN_CHARS // 2
    for line in raw:
        if not line:
            joinable = False
            continue
        if joinable:
            prev = out[-1]
            # The cheap tests first: most lines of a page are short or end a sentence.
            if len(prev) >= half and prev[-1] not in _TERMINAL and _continues(prev, line, width):
                out[-1] = f"{prev} {line}"
                continue
        out.append(line)
        joinable = True
    return out


def _wrap_width(raw: Sequence[str]) -> int:
    """The width a hard-wrapped page was cut at (0 when it was not).

    Lines that run on into a lower-case line are wrap points; when there are
    enough of them, their typical length is the width, and only lines near
    it are taken for wrapped ones (a short headline is not).
    """
    widths: list[int] = []
    long_lines = 0
    for prev, line in pairwise(raw):
        if len(prev) >= _WRAP_MIN_CHARS and not ends_sentence(prev):
            long_lines += 1
            if line[:1].islower():
                widths.append(len(prev))
    if len(widths) < 3 or len(widths) * 3 < long_lines:
        return 0
    widths.sort()
    return widths[len(widths) // 2]


def _continues(prev: str, line: str, width: int) -> bool:
    if prev[-1] in _TERMINAL or len(prev) < _WRAP_MIN_CHARS // 2 or ends_sentence(prev):
        return False
    if len(prev) > _MAX_JOINED_CHARS or line.startswith(_NEVER_CONTINUED):
        return False
    first = line[0]
    if first.islower() and first.isascii():
        joined = prev[-1] < "\u0250"  # a Latin line running on, not a CJK one followed by Latin
    elif prev[-1] in _RUN_ON_ENDINGS:
        joined = True
    else:
        joined = width > 0 and len(prev) >= width * 0.8 and len(line) >= _WRAP_MIN_CHARS // 2
    # Two lists of phrases (or of keywords) in a row are two lists, not one wrapped paragraph.
    return joined and (_list_line(prev) is None or _list_line(line) is None)


def _score(units: float, junk: LineReason | None, line: str) -> float:
    if junk is not None:
        return _GARBAGE_FINE if junk in _GARBAGE else _JUNK_FINE
    if units >= _SENTENCE_UNITS and ends_sentence(line):
        return min(units - _SENTENCE_TOLL, _MAX_LINE_SCORE)
    return min(units - _FRAGMENT_TOLL, _MAX_LINE_SCORE)


def best_run(scores: Sequence[float], last_start: int | None = None) -> tuple[int, int]:
    """The run of consecutive lines with the highest total (Kadane); (0, -1) if none is positive.

    With `last_start`, runs may not begin after that index (a run must touch the region searched).
    """
    best, best_lo, best_hi = 0.0, 0, -1
    total, lo = 0.0, 0
    for i, s in enumerate(scores):
        if total <= 0:
            if last_start is not None and i > last_start:
                break
            total, lo = s, i
        else:
            total += s
        if total > best:
            best, best_lo, best_hi = total, lo, i
    return best_lo, best_hi


def _dominant_script(text: str) -> str | None:
    """The script of most letters of `text` (None without letters)."""
    counts = script_counts(text)
    return max(counts, key=counts.__getitem__) if counts else None


def _family(script: str | None) -> str | None:
    return _SCRIPT_FAMILY.get(script or "", script)


def _body_script(lines: Sequence[str], lo: int, hi: int) -> str | None:
    if all(line.isascii() for line in lines[lo : min(hi + 1, lo + 20)]):
        return "Latin"  # the common case, without counting letters
    sample: list[str] = []
    size = 0
    for line in lines[lo : hi + 1]:
        sample.append(line[:500])
        size += len(sample[-1])
        if size >= _SCRIPT_SAMPLE:
            break
    return _family(_dominant_script(" ".join(sample)))


# Letters of the scripts an article body is commonly written in, as regex classes:
# counting matches is a C loop, where a per-character script look-up is not.
_SCRIPT_LETTERS = {
    "Latin": re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]"),
    "Han": re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"),
    "Hangul": re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]"),
    "Cyrillic": re.compile(r"[\u0400-\u052f]"),
    "Greek": re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]"),
    "Arabic": re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]"),
    "Hebrew": re.compile(r"[\u0590-\u05ff]"),
    "Thai": re.compile(r"[\u0e00-\u0e7f]"),
    "Devanagari": re.compile(r"[\u0900-\u097f]"),
}
_LETTER = re.compile(r"[^\W\d_]")
# A letter outside the body's script: without one a line cannot be foreign.
_OTHER_LETTER = {
    name: re.compile(rf"(?![{pattern.pattern[1:-1]}])[^\W\d_]")
    for name, pattern in _SCRIPT_LETTERS.items()
}


def _foreign(line: str, body_script: str | None) -> bool:
    """A line mostly in another writing system than the article's."""
    if body_script is None or (body_script == "Latin" and line.isascii()):
        return False
    letters_of = _SCRIPT_LETTERS.get(body_script)
    other = _OTHER_LETTER.get(body_script)
    if letters_of is None or other is None:
        return False
    head = line[:300]
    if other.search(head) is None:
        return False
    letters = len(_LETTER.findall(head))
    return letters >= 2 and len(letters_of.findall(head)) * 2 < letters


def _same_line(line: str) -> str:
    return line.casefold()


def _check_furniture(
    lines: Sequence[str],
    units: Sequence[float],
    junk: list[LineReason | None],
    scores: list[float],
    checked: list[bool],
    lo: int,
    hi: int,
    verdicts: _Verdicts,
) -> bool:
    """Check the vocabulary on lines lo..hi once; True when a line turned out to be furniture."""
    found = False
    for i in range(max(0, lo), min(len(lines), hi + 1)):
        if checked[i]:
            continue
        checked[i] = True
        if junk[i] is None:
            junk[i] = verdicts.verdict(lines[i], units[i])
            if junk[i] is not None:
                scores[i] = _score(units[i], junk[i], lines[i])
                found = True
    return found


def _locate_body(
    lines: Sequence[str],
    units: Sequence[float],
    junk: list[LineReason | None],
    verdicts: _Verdicts,
) -> list[tuple[int, int]]:
    """The body runs, main run first, after checking furniture on the lines that decide them."""
    scores = [
        _score(u, j, ln) if j is not None or u >= _SENTENCE_UNITS else u - _FRAGMENT_TOLL
        for u, j, ln in zip(units, junk, lines, strict=True)
    ]
    for i in _list_items(lines):
        if junk[i] is None and units[i] >= _LIST_ITEM_UNITS:
            scores[i] = max(scores[i], min(units[i] - _SENTENCE_TOLL, _MAX_LINE_SCORE))
    checked = [False] * len(lines)
    lo, hi = best_run(scores)
    for _ in range(_MAX_PASSES):
        if hi < lo:
            return []
        if not _check_furniture(
            lines, units, junk, scores, checked, lo - _HEADER_MARGIN, hi + _FOOTER_MARGIN, verdicts
        ):
            break
        _escalate(scores, junk)
        lo, hi = best_run(scores)
    hi = _cut_at_closing(lines, junk, scores, lo, hi)
    runs = [(lo, hi)]
    main = sum(scores[lo : hi + 1])
    for forward in (True, False):
        edge = hi if forward else lo
        for _ in range(_MAX_EXTENSIONS):
            nxt = _next_run(lines, units, junk, scores, checked, edge, main, forward, verdicts)
            if nxt is None:
                break
            runs.append((edge + 1, nxt[1]) if forward else (nxt[0], edge - 1))
            edge = nxt[1] if forward else nxt[0]
    return runs


def _body_runs(
    lines: Sequence[str],
    units: Sequence[float],
    junk: list[LineReason | None],
    verdicts: _Verdicts,
) -> list[tuple[int, int]]:
    """The body runs, searched again past any consent banner that won the first search."""
    runs = _locate_body(lines, units, junk, verdicts)
    for _ in range(_CONSENT_PASSES):
        if not runs or not _consent_notice(lines, *runs[0]):
            break
        for i in range(runs[0][0], runs[0][1] + 1):
            junk[i] = LineReason.BOILERPLATE
        runs = _locate_body(lines, units, junk, verdicts)
    return runs


def _consent_notice(lines: Sequence[str], lo: int, hi: int) -> bool:
    """A body that is mostly a cookie or consent notice: the page's only prose was its banner.

    A product page or a "not found" page has no article, and the consent
    banner is then its longest stretch of sentences; taken for the body, it
    makes every such page of a site the same text.
    """
    if hi - lo >= _CONSENT_MAX_LINES:
        return False  # a banner is a few paragraphs, not a page of them
    chars = consent = 0
    for line in lines[lo : hi + 1]:
        chars += len(line)
        if CONSENT_WORDS.search(line):
            consent += len(line)
    return consent * 2 > chars


def _list_items(lines: Sequence[str]) -> list[int]:
    """Lines of a list the author typed: three or more in a row opening with the same bullet.

    Menus lose their bullets when a page becomes text; a literal "+", "*" or
    "1." before each item was written into the text, so the items are read
    like sentences, not like fragments of a menu.
    """
    found: list[int] = []
    run: list[int] = []
    marker: str | None = None
    # Only lines opening with a bullet or a digit can be items: a C-speed first pass.
    for i in [i for i, line in enumerate(lines) if line[:1] in _ITEM_OPENERS]:
        this = _bullet(lines[i])
        if run and (this != marker or i != run[-1] + 1):
            if len(run) >= _LIST_ITEMS:
                found += run
            run = []
        if this is not None:
            run.append(i)
            marker = this
    if len(run) >= _LIST_ITEMS:
        found += run
    return found


def _bullet(line: str) -> str | None:
    """The bullet a line opens with ("*", "+", "•", or "#" for a number), else None."""
    first = line[:1]
    if first in _BULLETS and line[1:2] == " ":
        return first
    match = _NUMBERED.match(line)
    return "#" if match else None


def _escalate(scores: list[float], junk: Sequence[LineReason | None]) -> None:
    """Make each further line of a block of furniture cost more than the last.

    One credit or 'Advertisement' line inside an article is noise; a share
    bar or a menu of ten such lines is where the article stops.
    """
    streak = 0
    for i, reason in enumerate(junk):
        if reason is None or reason in _GARBAGE:
            streak = 0
            continue
        streak += 1
        scores[i] = _JUNK_FINE * (1.0 + _STREAK_GROWTH * (streak - 1))


def _cut_at_closing(
    lines: Sequence[str],
    junk: Sequence[LineReason | None],
    scores: Sequence[float],
    lo: int,
    hi: int,
) -> int:
    """End the body at a 'Related' or 'Comments' heading that has little prose after it.

    An inline 'Related' box sits mid-article with paragraphs below it; the
    heading that closes an article has most of the prose above it.
    """
    total = sum(s for s in scores[lo : hi + 1] if s > 0)
    seen = 0.0
    for i in range(lo, hi + 1):
        if (
            junk[i] is LineReason.BOILERPLATE
            and seen >= total * _CLOSING_SHARE
            and total - seen < seen * _AFTER_CLOSING_SHARE
            and closes_article(lines[i])
        ):
            return i - 1
        if scores[i] > 0:
            seen += scores[i]
    return hi


def _next_run(
    lines: Sequence[str],
    units: Sequence[float],
    junk: list[LineReason | None],
    scores: list[float],
    checked: list[bool],
    edge: int,
    main: float,
    forward: bool,
    verdicts: _Verdicts,
) -> tuple[int, int] | None:
    """A further stretch of prose beside the body, cut off from it by a figure or a table.

    Accepted only when the gap holds no furniture that closes an article
    (share bar, footer, related links): those mean what lies beyond is not it.
    """
    if forward:
        window = range(edge + 1, min(len(lines), edge + 1 + _MAX_GAP + _MAX_TAIL))
    else:
        window = range(edge - 1, max(-1, edge - 1 - _MAX_GAP - _MAX_TAIL), -1)
    if not window:
        return None
    window_scores = [scores[i] for i in window]
    threshold = max(_MIN_TAIL_SCORE, main * _TAIL_SHARE)
    found = None
    tries = 0
    for first in range(min(_MAX_GAP + 1, len(window_scores))):
        if window_scores[first] <= 0:
            continue
        a, b = best_run(window_scores[first:], last_start=0)
        tries += 1
        if b >= a and sum(window_scores[first + a : first + b + 1]) >= threshold:
            found = (first + a, first + b)
            break
        if tries >= _MAX_TAIL_TRIES:
            break
    if found is None:
        return None
    near, far = window[found[0]], window[found[1]]
    gap = range(edge + 1, near) if forward else range(far + 1, edge)
    lo, hi = (near, far) if forward else (far, near)
    _check_furniture(lines, units, junk, scores, checked, gap.start, gap.stop - 1, verdicts)
    _check_furniture(lines, units, junk, scores, checked, lo, hi, verdicts)
    total = sum(scores[lo : hi + 1])
    if total < threshold or len(gap) * _GAP_LINE_COST > total:
        return None
    furniture = 0
    for i in gap:
        reason = junk[i]
        if reason is None or reason in _GAP_TOLERATED:
            continue
        if reason not in _GAP_FURNITURE:
            return None
        furniture += 1
        if furniture > _GAP_NAVIGATION:
            return None
    return lo, hi


class _SiteLines:
    """Verdicts on short lines, kept across the pages one process cleans.

    A site prints the same menu, share bar and footer on every page, so the
    same short lines come back page after page; the checks are pure functions
    of the line (the page's gates only skip checks that cannot match it), so a
    line met before costs a dict look-up. Bounded: emptied when full.
    """

    __slots__ = ("found",)

    def __init__(self) -> None:
        self.found: dict[object, LineReason | None] = {}

    def keep(self, key: object, verdict: LineReason | None) -> None:
        if len(self.found) >= _SHARED_LINES:
            self.found.clear()
        self.found[key] = verdict


_SHARED_CHARS = 200
_SHARED_LINES = 20_000
_SHARED_VERDICTS = _SiteLines()
_SHARED_OUTSIDE = _SiteLines()


def forget_shared_verdicts() -> None:
    """Empty the verdicts kept across pages (a fresh process's state, for timing runs)."""
    _SHARED_VERDICTS.found.clear()
    _SHARED_OUTSIDE.found.clear()


class _Verdicts:
    """The junk verdict on each distinct line of one page, computed once.

    Menus, share bars and footers repeat lines within a page and across the
    pages of a site; the checks are pure functions of the line, so a repeat
    costs a dict look-up.
    """

    __slots__ = ("_outside", "_seen", "gates")

    def __init__(self, text: str) -> None:
        self.gates: PageGates = page_gates(text)
        self._seen: dict[str, LineReason | None] = {}
        self._outside: dict[str, LineReason] = {}

    def verdict(self, line: str, units: float) -> LineReason | None:
        """Garbage or furniture wherever the line sits."""
        if line in self._seen:  # most lines are new: a test is cheaper than a caught KeyError
            return self._seen[line]
        shared = len(line) <= _SHARED_CHARS
        if shared and line in _SHARED_VERDICTS.found:
            found = _SHARED_VERDICTS.found[line]
        else:
            found = garbage_reason(line, units, self.gates) or furniture_reason(line, units)
            if shared:
                _SHARED_VERDICTS.keep(line, found)
        self._seen[line] = found
        return found

    def outside(self, line: str, units: float, body_script: str | None) -> LineReason:
        """Why a line away from the body went (the body's script is fixed for the page)."""
        found = self._outside.get(line)
        if found is None:
            shared = len(line) <= _SHARED_CHARS
            key = (line, body_script)
            found = _SHARED_OUTSIDE.found.get(key) if shared else None
            if found is None:
                found = _outside_reason(line, units, body_script, self.gates)
                if shared:
                    _SHARED_OUTSIDE.keep(key, found)
            self._outside[line] = found
        return found


def _clean(text: str, explain: bool, site_boilerplate: frozenset[str]) -> Extracted:
    lines = paragraph_lines(text)
    # Words per line; the ASCII case inline, as this runs on every line of every page.
    units = [float(ln.count(" ") + 1) if ln.isascii() else line_units(ln) for ln in lines]
    junk: list[LineReason | None] = [None] * len(lines)
    _list_block_spam(lines, junk)
    _drop_slideshows(lines, units, junk)
    mark_comment_threads(lines, units, junk)
    if site_boilerplate:
        _mark_site_lines(lines, junk, site_boilerplate)
    verdicts = _Verdicts(text)
    runs = _body_runs(lines, units, junk, verdicts)
    inside = [False] * len(lines)
    for a, b in runs:
        for i in range(a, b + 1):
            inside[i] = True
    _drop_widget_blocks(lines, units, junk, inside)
    lo, hi = runs[0] if runs else (0, -1)
    start = min(a for a, _ in runs) if runs else 0
    mark_teasers(lines, units, junk, inside, start)
    meta = find_meta(lines, units, junk, start) if runs else PageMeta()
    _drop_second_copies(lines, units, junk, inside, meta.used)
    body_script = _body_script(lines, lo, hi) if hi >= lo else None
    kept: list[str] = []
    decisions: list[LineDecision] | None = [] if explain else None
    removed: dict[str, int] = {}
    previous_key = ""
    used = meta.used
    for i, line in enumerate(lines):
        reason = used.get(i) or junk[i]
        if reason is None:
            u = units[i]
            if not inside[i]:
                # A short line away from the body can only be navigation: no check can rename it.
                if u < 3 or (u < _GARBAGE_CHECK_UNITS and line.isascii()):
                    reason = LineReason.NAVIGATION
                else:
                    reason = verdicts.outside(line, u, body_script)
            else:
                key = _same_line(line)
                reason = _inside_reason(line, u, body_script, key == previous_key)
                if reason is None:
                    kept.append(line)
                    previous_key = key
        if reason is not None:
            removed[reason] = removed.get(reason, 0) + 1
        if decisions is not None:
            decisions.append(LineDecision(line, reason is None, None if reason is None else reason))
    out = Extracted(
        lines=kept,
        title=meta.title,
        authors=meta.authors,
        published_at=meta.published_at,
        site_name=meta.site_name,
        lines_in=len(lines),
        decisions=decisions,
        extractor="textdump",
    )
    out.removed.update(removed)
    return out


def _drop_second_copies(
    lines: Sequence[str],
    units: Sequence[float],
    junk: list[LineReason | None],
    inside: Sequence[bool],
    used: dict[int, LineReason],
) -> None:
    """Mark as repeated a run of body lines that all came earlier in the body: a second copy.

    Pages print their article twice or three times (one layout per screen
    size, a print version); a dump keeps every copy. One line said twice is
    an article quoting itself, a run of paragraphs is the page again (a
    block of repeated labels, a card per item, is a template, not a copy).
    """
    seen: set[str] = set()
    run: list[int] = []
    for i in [*(i for i, flag in enumerate(inside) if flag and junk[i] is None), -1]:
        if i >= 0 and i not in used:
            if lines[i] in seen:  # copies print the same characters: no folding needed
                run.append(i)
                continue
            seen.add(lines[i])
        paragraphs = {
            lines[k] for k in run if units[k] >= _SENTENCE_UNITS and ends_sentence(lines[k])
        }
        if len(paragraphs) >= _COPY_LINES:
            for k in run:
                junk[k] = LineReason.REPEATED
        run = []


def _mark_site_lines(
    lines: Sequence[str], junk: list[LineReason | None], site_boilerplate: frozenset[str]
) -> None:
    """Mark a line as site boilerplate when it sits beside a neighbour it is learned with."""
    pairs = line_pairs(lines)
    for i in range(len(lines)):
        if pairs[i] in site_boilerplate or pairs[i + 1] in site_boilerplate:
            junk[i] = LineReason.SITE_BOILERPLATE


def _drop_widget_blocks(
    lines: Sequence[str],
    units: Sequence[float],
    junk: list[LineReason | None],
    inside: list[bool],
) -> None:
    """Mark as navigation a long block of word-or-two lines inside the body.

    An article's headings and list items come one or a few at a time; a
    stack of single words (a video player's controls, a colour picker, a tag
    cloud) is a widget the dump flattened into the text.
    """
    _drop_teaser_boxes(lines, units, junk, inside)
    i, n = 0, len(lines)
    while i < n:
        if not inside[i] or not _widget_line(lines[i], units[i]):
            i += 1
            continue
        j = i
        while j < n and inside[j] and _widget_line(lines[j], units[j]):
            j += 1
        if j - i >= _WIDGET_LINES:
            for k in range(i, j):
                if junk[k] is None:
                    junk[k] = LineReason.NAVIGATION
        i = j


def _drop_teaser_boxes(
    lines: Sequence[str],
    units: Sequence[float],
    junk: list[LineReason | None],
    inside: list[bool],
) -> None:
    """Drop the headlines listed under a 'Most read' or 'Related' heading inside the body.

    Such a box interrupts an article and its teasers are headline-shaped (no
    full stop), so they run from the heading to the next sentence.
    """
    for i, reason in enumerate(junk):
        if reason is not LineReason.BOILERPLATE or not inside[i] or not closes_article(lines[i]):
            continue
        j = i + 1
        while (
            j < len(lines)
            and inside[j]
            and junk[j] is None
            and units[j] <= _TEASER_UNITS
            and not ends_sentence(lines[j])
        ):
            junk[j] = LineReason.BOILERPLATE
            j += 1


def _widget_line(line: str, units: float) -> bool:
    return units <= _WIDGET_UNITS and not ends_sentence(line)


def _outside_reason(
    line: str, units: float, body_script: str | None, gates: PageGates
) -> LineReason:
    """Why a line away from the body went: garbage is named, the rest is page furniture."""
    if units >= _GARBAGE_CHECK_UNITS:
        garbage = garbage_reason(line, units, gates)
        if garbage is not None:
            return garbage
    if units >= 3 and not line.isascii() and _foreign(line, body_script):
        return LineReason.FOREIGN_SCRIPT
    return LineReason.NAVIGATION if units < _SENTENCE_UNITS else LineReason.BOILERPLATE


def _inside_reason(
    line: str,
    units: float,
    body_script: str | None,
    repeats_previous: bool,
) -> LineReason | None:
    if units < 3 and not _LETTER.search(line):
        return LineReason.FRAGMENT
    if repeats_previous:
        return LineReason.REPEATED
    if body_script == "Latin" and line.isascii():
        return None  # the common case: nothing foreign to look for
    if (units < _SENTENCE_UNITS or not ends_sentence(line)) and _foreign(line, body_script):
        return LineReason.FOREIGN_SCRIPT
    return None
