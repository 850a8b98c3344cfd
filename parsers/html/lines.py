"""Keeping or dropping each rendered line, with a reason for every drop.

Container choice is coarse; this is the fine pass. Inside the article it
drops what is still furniture at line level (link lists, share prompts, a
repeated title, the byline, copyright notices, repeated lines); outside it
everything goes, under the reason that best describes it. A page whose kept
text is mostly consent-banner language keeps none of it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

from presswash.parsers.html.blocks import Block
from presswash.parsers.html.dates import text_date
from presswash.parsers.html.selectors import HEADINGS
from presswash.parsers.junklines import line_furniture_reason, line_units
from presswash.parsers.text_stats import word_count
from presswash.parsers.vocabulary.bylines import BYLINE_LINE
from presswash.parsers.vocabulary.dates import ENGLISH_DATE_WORDS
from presswash.parsers.vocabulary.furniture import BOILERPLATE_LINE, CONSENT_WORDS, RELATED_HEADING
from presswash.schemas.document import LineDecision
from presswash.schemas.stages import LineReason

_SHORT = 120  # lines longer than this are prose, whatever words they start with
# a related-links heading ends the article only after this much of its text
_TAIL_SHARE = 0.3
_TAIL_MIN = 500
_FRAGMENT_KINDS = frozenset({"div", "span", "section", "article", "main", "form", "body"})
_FRAGMENT_RUN = 5  # this many fragments in a row are a widget, not a list in the article
_LIST_KINDS = frozenset({"li", "div", "td", "dd", "dt", "section", "span", "ul", "ol", "nav"})
# A teaser wall: this many items in a row, each a linked headline and at most
# _TEASER_GAP short lines (a standfirst, a date) before the next headline.
_TEASER_ITEMS = 3
_TEASER_GAP = 2
_STANDFIRST = 320  # a line longer than this is a paragraph, not a standfirst
# A linked headline has this many words at least (a tool's or a product's name
# has fewer) and this many characters at most.
_HEADLINE_WORDS = 5
_HEADLINE_MAX = 200
_QUESTION_ENDS = ("?", "？", "؟", ";")
# The broad pass's stretch of prose: a line of this many words is prose, and a
# word of links or boilerplate costs this many words of prose.
_RUN_PROSE_WORDS = 12
_RUN_PENALTY = 1.5
_SENTENCE_ENDS = (".", "!", "?", "。", "！", "？", "։", "۔", "؟", "।", "።", "။", '"', "”", "»")


@dataclass(slots=True)
class Filtered:
    """The kept lines, the count of dropped ones per reason, and each decision."""

    lines: list[str] = field(default_factory=list)
    removed: Counter[str] = field(default_factory=Counter)
    decisions: list[LineDecision] = field(default_factory=list)


def _fold_key(text: str) -> str:
    return " ".join(text.casefold().split())


@dataclass(slots=True)
class PageFacts:
    """What the metadata already says, so the same words are not kept as body lines."""

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    site_name: str | None = None


@dataclass(slots=True)
class _Keys:
    title: str | None
    people: set[str]
    site: str | None


def _keys(facts: PageFacts) -> _Keys:
    return _Keys(
        _fold_key(facts.title) if facts.title else None,
        {_fold_key(a) for a in facts.authors if a},
        _fold_key(facts.site_name) if facts.site_name else None,
    )


def _is_sentence(text: str) -> bool:
    """A linked line that still reads as a sentence of the article ("Here's our review!")."""
    return len(text.split()) >= 4 and text.rstrip("\"'”’)").endswith((".", "!", "?", "。"))


def _is_dateline(text: str) -> bool:
    """A line that is a date and little else ("March 13, 2015 9:00PM", "AP December 2, 2016")."""
    if len(text) > 50 or not text_date(text):
        return False
    letters = sum(ch.isalpha() for ch in ENGLISH_DATE_WORDS.sub("", text))
    return letters <= 20


def _judge(block: Block, keys: _Keys, seen: set[str]) -> tuple[LineReason | None, str]:
    """Why this line of the article should go (None to keep it), and its folded key.

    The key comes back so that a kept line is not folded a second time for `seen`.
    """
    text = block.text
    size = len(text)
    density = block.links / size if size else 0.0
    linked = density > 0.8 or (density > 0.5 and (size < 100 or block.kind in _LIST_KINDS))
    if linked and not _is_sentence(text):
        return LineReason.LINK_LIST, ""
    key = _fold_key(text)
    return _judge_folded(block, key, keys, seen), key


def _judge_folded(block: Block, key: str, keys: _Keys, seen: set[str]) -> LineReason | None:
    """The checks on a line that is not a link list, given its folded key."""
    text = block.text
    size = len(text)
    if keys.title and key == keys.title and (block.kind in HEADINGS or block.kind == "div"):
        return LineReason.TITLE
    if size <= _SHORT:
        if BOILERPLATE_LINE.match(text) or key == keys.site:
            return LineReason.BOILERPLATE
        if size <= 80 and BYLINE_LINE.match(text) and len(text.split()) <= 8:
            return LineReason.BYLINE
        if key in keys.people or key.removeprefix("by ") in keys.people:
            return LineReason.BYLINE
        if _is_dateline(text):
            return LineReason.DATELINE
    if key in seen and size > 20:
        return LineReason.REPEATED
    if block.kind not in HEADINGS and size <= _SHORT:
        return _furniture_line(text)
    return None


def _furniture_line(text: str) -> LineReason | None:
    """A credit, or a label that is furniture whole; a label ending a sentence is prose
    ("See also the manual page.")."""
    reason = line_furniture_reason(text, line_units(text), breadcrumbs=False)
    if reason is not LineReason.CREDIT and text.endswith(_SENTENCE_ENDS):
        return None
    return reason


def _outside_reason(block: Block) -> LineReason:
    size = len(block.text)
    if size and block.links / size > 0.5:
        return LineReason.NAVIGATION
    return LineReason.BOILERPLATE


def _mostly_consent(lines: list[str]) -> bool:
    """True when the kept text reads as a cookie or consent notice, not an article."""
    total = sum(len(x) for x in lines)
    if not total:
        return False
    # Stop reading as soon as the answer is settled: most pages never mention consent,
    # and half their text without it already says no.
    half = 0.5 * total
    consent = 0
    unread = total
    for line in lines:
        if consent > half:
            return True
        if consent + unread <= half:
            return False
        unread -= len(line)
        if CONSENT_WORDS.search(line):
            consent += len(line)
    return consent > half


def _is_fragment(block: Block) -> bool:
    """A few words in a generic container with no sentence end: a control label, a menu item."""
    if block.kind not in _FRAGMENT_KINDS or len(block.text) > 40:
        return False
    return len(block.text.split()) <= 3 and not block.text.endswith((".", "!", "?", "。", ":"))


def _fragment_runs(blocks: list[Block]) -> set[int]:
    """Indexes of lines in runs of interface fragments (player controls, filter widgets)."""
    marked: set[int] = set()
    run: list[int] = []
    for i, block in enumerate([*blocks, None]):
        if block is not None and block.in_content and _is_fragment(block):
            run.append(i)
            continue
        if len(run) >= _FRAGMENT_RUN:
            marked.update(run)
        run = []
    return marked


def _is_teaser_headline(block: Block) -> bool:
    """A line that is all link and long enough to be another story's headline.

    A paragraph's "Read also: ..." link is not one: it is set in a <p>, where
    teaser headlines sit in headings, list items and cells; nor is a short
    linked name heading its description (a feature list, a product list),
    nor a question over its answer (an FAQ whose questions open the answers).
    """
    size = len(block.text)
    return (
        block.kind != "p"
        and not block.text.endswith(_QUESTION_ENDS)
        and size <= _HEADLINE_MAX
        and block.links >= 0.8 * size
        and word_count(block.text) >= _HEADLINE_WORDS
    )


def teaser_lines(blocks: list[Block]) -> set[int]:
    """Indexes of the standfirsts in runs of teasers (other stories' headlines and summaries).

    Such a wall ("More from ...", a section front, a sidebar of latest news)
    has prose-looking lines that the link-density test keeps, one under each
    linked headline; taken together they can outweigh a short article. A run
    is _TEASER_ITEMS or more linked headlines, each followed by at most
    _TEASER_GAP lines no longer than a standfirst; the last item keeps as
    many lines as the run's items usually have.
    """
    heads = [i for i, block in enumerate(blocks) if _is_teaser_headline(block)]
    marked: set[int] = set()
    run: list[int] = []
    for head in [*heads, None]:
        if run and head is not None and _teaser_gap(blocks, run[-1], head):
            run.append(head)
            continue
        if len(run) >= _TEASER_ITEMS:
            marked.update(_run_lines(blocks, run))
        run = [head] if head is not None else []
    return marked


def _teaser_gap(blocks: list[Block], head: int, following: int) -> bool:
    """True when the lines between two headlines are a teaser's standfirst, no more.

    A heading of its own between them makes the link a "learn more" under a
    section of the page, not another story's headline.
    """
    gap = blocks[head + 1 : following]
    return len(gap) <= _TEASER_GAP and all(
        len(b.text) <= _STANDFIRST and b.kind not in HEADINGS for b in gap
    )


def _run_lines(blocks: list[Block], run: list[int]) -> list[int]:
    """The non-headline lines of a teaser run, the last item's standfirst included."""
    lines = [i for a, b in pairwise(run) for i in range(a + 1, b)]
    usual = round(len(lines) / (len(run) - 1))
    for i in range(run[-1] + 1, min(run[-1] + 1 + usual, len(blocks))):
        if len(blocks[i].text) > _STANDFIRST or _is_teaser_headline(blocks[i]):
            break
        lines.append(i)
    return lines


def _line_value(block: Block, teaser: bool) -> float:
    """What a line adds to a stretch of article: its words if prose, a cost if furniture.

    Words, not characters, so that a line of Chinese or Thai weighs what it
    says; links and teasers cost more than they could ever bring, and a short
    line (a heading, a label) costs a little, so that a stretch crosses a
    subheading between paragraphs but not a column of labels.
    """
    text = block.text
    words = word_count(text)
    size = len(text)
    if teaser or (size and block.links > 0.5 * size):
        return -_RUN_PENALTY * words
    if size <= _SHORT and (BOILERPLATE_LINE.match(text) or _is_dateline(text)):
        return -_RUN_PENALTY * words
    if words >= _RUN_PROSE_WORDS or (words >= 4 and text.endswith(_SENTENCE_ENDS)):
        return words * (1.0 - block.links / size)
    return -0.5 * words


def densest_run(blocks: list[Block]) -> tuple[int, int] | None:
    """The first and last index of the stretch of lines richest in prose, or None.

    The broad pass's view of a page whose article no container holds (a
    layout table, a story split across anonymous blocks): the maximum-sum
    stretch of line values, found in one pass.
    """
    teasers = teaser_lines(blocks)
    best, best_span = 0.0, None
    total, start = 0.0, 0
    for index, block in enumerate(blocks):
        if total <= 0:
            total, start = 0.0, index
        total += _line_value(block, index in teasers)
        if total > best:
            best, best_span = total, (start, index)
    return best_span


def _related_tail(blocks: list[Block]) -> int:
    """Index of a 'Related stories'-type heading in the article's last part, or len(blocks)."""
    sizes = [len(b.text) if b.in_content else 0 for b in blocks]
    total = sum(sizes)
    before = 0
    for index, block in enumerate(blocks):
        if (
            block.in_content
            and before >= max(_TAIL_SHARE * total, _TAIL_MIN)
            and len(block.text) <= 60
            and RELATED_HEADING.match(block.text)
        ):
            return index
        before += sizes[index]
    return len(blocks)


def filter_blocks(blocks: list[Block], facts: PageFacts, *, explain: bool) -> Filtered:
    """Keep the article's lines, dropping furniture with a reason for each drop."""
    out = Filtered()
    keys = _keys(facts)
    seen: set[str] = set()
    kept: list[Block] = []
    fragments = _fragment_runs(blocks)
    teasers = teaser_lines(blocks)
    tail = _related_tail(blocks)
    for index, block in enumerate(blocks):
        key = ""
        if index in fragments:
            reason: LineReason | None = LineReason.FRAGMENT
        elif not block.in_content:
            reason = _outside_reason(block)
        elif index in teasers:
            reason = LineReason.TEASER
        elif index >= tail:
            reason = LineReason.LINK_LIST
        else:
            reason, key = _judge(block, keys, seen)
        if reason is None:
            seen.add(key)
            kept.append(block)
        else:
            out.removed[reason] += 1
        if explain:
            out.decisions.append(LineDecision(block.text, reason is None, reason))
    while kept and kept[-1].kind in HEADINGS:
        dropped = kept.pop()
        out.removed[LineReason.BOILERPLATE] += 1
        if explain:
            _mark_dropped(out.decisions, dropped.text)
    lines = [b.text for b in kept]
    if _mostly_consent(lines):
        out.removed[LineReason.BOILERPLATE] += len(lines)
        if explain:
            for line in lines:
                _mark_dropped(out.decisions, line)
        lines = []
    out.lines = lines
    return out


def _mark_dropped(decisions: list[LineDecision], text: str) -> None:
    """Turn the last 'kept' decision for this text into a boilerplate drop."""
    for decision in reversed(decisions):
        if decision.kept and decision.text == text:
            decision.kept = False
            decision.reason = LineReason.BOILERPLATE
            return
