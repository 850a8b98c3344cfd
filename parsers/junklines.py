"""Verdicts on one line by itself: is it furniture, spam or garbage whatever surrounds it?

The text-dump cleaner decides most lines from their place on the page, but
some lines are junk wherever they sit: a share button, a copyright notice, a
keyword-stuffed SEO line, mojibake no decoder can repair. Those are caught
here, each under its own reason so the `removed` counts say what a source
suffers from. Checks run cheapest first and only on lines short enough for
the check to matter, so a page costs a few microseconds a line.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from presswash.parsers.vocabulary.furniture import (
    AFTER_ARTICLE_LINE,
    COMMENTS_FRAGMENTS,
    COMMENTS_LINE,
    COMMENTS_PHRASE,
    COMMENTS_WORDS,
    COPYRIGHT_FRAGMENTS,
    COPYRIGHT_MARKS,
    COPYRIGHT_MARKS_ASCII,
    COPYRIGHT_PHRASE,
    COPYRIGHT_WORDS,
    CREDIT_FRAGMENTS,
    CREDIT_LINE,
    CREDIT_WORDS,
    LEGAL_FRAGMENTS,
    LEGAL_PHRASE,
    LEGAL_WORDS,
    MOST_READ_LINE,
    NEWSLETTER_FRAGMENTS,
    NEWSLETTER_PHRASE,
    NEWSLETTER_WORDS,
    REGISTRATION_FRAGMENTS,
    REGISTRATION_PHRASE,
    REGISTRATION_WORDS,
    SPAM_TERMS,
    WHOLE_LINE,
)
from presswash.schemas.stages import LineReason

# Lines longer than this are prose whatever words they contain; phrase checks skip them.
_FURNITURE_WORDS = 45
_WHOLE_LINE_CHARS = 90
_WHOLE_LINE_UNITS = 12
_CHECK_CHARS = 1200
# Characters of an unspaced script (Han, kana, Thai...) that make up one word's worth of text.
_UNSPACED_PER_UNIT = 2.0
_EDGE_CHARS = 160

_UNSPACED_CHARS = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0e7f\u1000-\u109f\u1780-\u17ff]"
)
_MOJIBAKE = re.compile(
    r"[ÃÂ][\u0080-\u00bf]|Ã[©¨§¡¢£¤¥¦ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿]|â€[™œ\u009d\"˜”“¦¢]|ï¿½|\ufffd"
    r"|(?<![A-Za-z])[A-Z]?[a-z]+\?[a-z]{2,}(?![A-Za-z=&/])"
)
# Characters every pattern of _MOJIBAKE needs: a cheap test before the regex.
_MOJIBAKE_MARKS = frozenset("ÃÂâï\ufffd?")
_REPEATED_CHAR = re.compile(r"(\S)\1{9,}")
_URL = re.compile(r"https?://\S+|www\.\S+")
_HASHTAG = re.compile(r"#(?<!\w#)\w+")
# Every branch opens with a literal character (the word boundary is checked just after
# it), so the engine skips straight to the few places a branch can start.
_MARKUP = re.compile(
    r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]{0,200})?/?>|&(?:nbsp|amp|lt|gt|quot|#\d{2,5});"
    r"|f(?<!\wf)unction\s*\(|v(?<!\wv)ar\s+\w+\s*=|d(?<!\wd)ocument\.\w|w(?<!\ww)indow\.\w|@media\b"
    r"|\{\s*[\w-]+\s*:\s*[^;{}]{1,60};"
)
_CJK_STOP = re.compile("[。！？]")
_LIST_SEPARATORS = re.compile(r"[,，、|;；/_]+")
_SENTENCE_INSIDE = re.compile(r"[.!?。！？](?:\s|$)")
_TOKEN = re.compile(r"\w+")
# Keyword stuffing: at least this many list items, none longer than a short phrase,
# and at least this share of their words recurring.
_MIN_SPAM_ITEMS = 5
_MAX_SPAM_ITEM_TOKENS = 7
_SPAM_RECURRING_SHARE = 0.6
_NOT_LIST_CHARS = frozenset("()[]{}=<>:：")


def line_units(line: str) -> float:
    """Words in the line; three characters of an unspaced script (Han, kana...) count as one."""
    if line.isascii():
        return float(line.count(" ") + 1)
    unspaced = len(_UNSPACED_CHARS.findall(line))
    return line.count(" ") + 1 + unspaced / _UNSPACED_PER_UNIT


_TERMINAL_CHARS = frozenset(".!?。！？…:;\"”»’')]")


def ends_sentence(line: str) -> bool:
    """Whether the line ends like a sentence (lines are stripped, so the last character decides)."""
    return line[-1:] in _TERMINAL_CHARS and not line.endswith(("...", "…"))


def _is_mojibake(line: str, units: float) -> bool:
    hits = len(_MOJIBAKE.findall(line[:_CHECK_CHARS]))
    return hits > 0 and (units < 12 or hits * 15 >= units)


def _is_spam(line: str, units: float) -> bool:
    """Keyword stuffing: many short list items, no sentence, spam vocabulary or echoing tokens."""
    head = line[:_CHECK_CHARS]
    if ". " in head or "? " in head or "! " in head:
        return False
    separators = head.count(",") + head.count("|")
    if not head.isascii():
        if _CJK_STOP.search(head):
            return False
        separators += head.count("，") + head.count("、")
    if separators >= 4:
        items = [s for s in _LIST_SEPARATORS.split(head) if s.strip()]
        mean = sum(len(s) for s in items) / max(1, len(items))
        if len(items) >= 5 and mean <= 24 and len(SPAM_TERMS.findall(head.lower())) >= 3:
            return True
    if separators >= 4 and _is_keyword_list(head):
        return True
    if units >= 8:
        tokens = head.lower().split()
        if len(tokens) >= 8 and len(set(tokens)) * 2 <= len(tokens):
            top = Counter(tokens).most_common(1)[0][1]
            if top * 4 >= len(tokens):
                return True
    return False


def _item_tokens(item: str) -> list[str]:
    """Words of a list item; in an unspaced script, its character pairs (no word breaks there)."""
    words = _TOKEN.findall(item.lower())
    out: list[str] = []
    for word in words:
        if len(word) > 3 and _UNSPACED_CHARS.match(word):
            out += [word[i : i + 2] for i in range(len(word) - 1)]
        else:
            out.append(word)
    return out


def _is_keyword_list(head: str) -> bool:
    """Many short noun phrases echoing each other's words: stuffing in any script.

    A real list in prose ("flour, sugar, eggs and milk") names each thing
    once; keyword stuffing recombines a few search terms over and over, so
    most of its words recur across the items.
    """
    tokens = list_tokens(head)
    if tokens is None or len(tokens) < _MIN_SPAM_ITEMS * 2:
        return False
    return recurring_share(tokens) >= _SPAM_RECURRING_SHARE


def recurring_share(tokens: list[str]) -> float:
    """The share of tokens that occur more than once."""
    if not tokens:
        return 0.0
    counts = Counter(tokens)
    return sum(n for n in counts.values() if n >= 2) / len(tokens)


def list_tokens(line: str) -> list[str] | None:
    """The words of a line made of many short phrases and nothing else, else None.

    Keyword stuffing has this shape; so do tag lists and ingredient lists,
    which is why the caller also asks how much the words repeat. Lines with
    a label ("Key services: ..."), code brackets or a sentence inside are
    not such lists.
    """
    head = line[:_CHECK_CHARS]
    if not _NOT_LIST_CHARS.isdisjoint(head) or _SENTENCE_INSIDE.search(head[:-1]):
        return None
    items = [s for s in _LIST_SEPARATORS.split(head) if s.strip()]
    if len(items) < _MIN_SPAM_ITEMS:
        return None
    tokens: list[str] = []
    for item in items:
        found = _item_tokens(item)
        if len(found) > _MAX_SPAM_ITEM_TOKENS:
            return None
        tokens += found
    return tokens


def _is_link_list(line: str) -> bool:
    head = line[:_CHECK_CHARS]
    urls = _URL.findall(head)
    if len(urls) >= 2 and sum(len(u) for u in urls) * 2 >= len(head):
        return True
    tags = _HASHTAG.findall(head)
    return len(tags) >= 3 and sum(len(t) for t in tags) * 2 >= len(head.replace(" ", ""))


def _is_markup(line: str) -> bool:
    hits = _MARKUP.findall(line[:_CHECK_CHARS])
    if not hits:
        return False
    return len(hits) >= 3 or sum(len(h) for h in hits) * 3 >= min(len(line), _CHECK_CHARS)


# A word: a run of anything but spaces and the punctuation sites separate words with
# (apostrophes and hyphens stay inside: "s'abonner", "e-mail"). One C scan of the line.
_WORD = re.compile(r"[^\s!\"#$%&()*+,.:;<=>?@\[\\\]^_`{|}~“”‘’«»…–—·•/]+")


_ASCII_PUNCT = b'!"#$%&()*+,.:;<=>?@[\\]^_`{|}~/'
_ASCII_PUNCT_TO_SPACE = bytes.maketrans(_ASCII_PUNCT, b" " * len(_ASCII_PUNCT))


def _words(low: str) -> list[str]:
    """The words of a lower-cased line, punctuation dropped (a C-speed path for ASCII)."""
    if low.isascii():
        return low.encode().translate(_ASCII_PUNCT_TO_SPACE).decode().split()
    return _WORD.findall(low)


def _gate(
    line: str, ascii_line: bool, words: list[str], vocabulary: frozenset[str], fragments: _Literals
) -> bool:
    """Whether any word or fragment a pattern needs is present: a cheap test before the pattern."""
    return not vocabulary.isdisjoint(words) or fragments.found(line, ascii_line)


class _Literals:
    """Any of some fragments: one C scan for a non-ASCII line, plain `in` tests for an ASCII one.

    An ASCII line cannot hold a non-ASCII fragment, and the ASCII fragments are
    few single characters, for which `in` is cheaper than starting the regex engine.
    """

    __slots__ = ("any", "ascii")

    def __init__(self, fragments: tuple[str, ...]) -> None:
        self.any = _alternation(fragments)
        self.ascii = tuple(f for f in fragments if f.isascii())

    def found(self, line: str, ascii_line: bool) -> bool:
        if ascii_line:
            return any(f in line for f in self.ascii) if self.ascii else False
        return self.any is not None and self.any.search(line) is not None


# The longest line "AGENCY/PHOTOGRAPHER" in capitals can be (see vocabulary.furniture.CREDIT_LINE).
_SLASH_CREDIT_CHARS = 83


def _credit_gate(head: str, ascii_line: bool, words: list[str]) -> bool:
    """Whether a credit pattern can match: its words, or its fragments where they can count.

    On an ASCII line the only fragment that matters is the slash of a capitals-only
    credit line, which is short; dates and URLs put slashes in long lines too.
    """
    if not CREDIT_WORDS.isdisjoint(words):
        return True
    if ascii_line:
        return len(head) <= _SLASH_CREDIT_CHARS and "/" in head
    return _CREDIT_FRAGMENTS.found(head, ascii_line)


def _alternation(fragments: tuple[str, ...]) -> re.Pattern[str] | None:
    if not fragments:
        return None
    return re.compile("|".join(re.escape(f) for f in sorted(fragments, key=len, reverse=True)))


_literals = _Literals


_CREDIT_FRAGMENTS = _literals(CREDIT_FRAGMENTS)
# Each footer phrase family: its gate words and fragments, its pattern, the longest line it is
# trusted on (a legal notice is short; a copyright line may carry an address).
_PHRASE_CHECKS = (
    (COPYRIGHT_WORDS, _literals(COPYRIGHT_FRAGMENTS), COPYRIGHT_PHRASE, _FURNITURE_WORDS),
    (
        REGISTRATION_WORDS,
        _literals(REGISTRATION_FRAGMENTS),
        REGISTRATION_PHRASE,
        _FURNITURE_WORDS,
    ),
    (NEWSLETTER_WORDS, _literals(NEWSLETTER_FRAGMENTS), NEWSLETTER_PHRASE, _FURNITURE_WORDS),
    (COMMENTS_WORDS, _literals(COMMENTS_FRAGMENTS), COMMENTS_PHRASE, _FURNITURE_WORDS),
    (LEGAL_WORDS, _literals(LEGAL_FRAGMENTS), LEGAL_PHRASE, 20),
)
_ALL_PHRASE_WORDS = frozenset().union(*(check[0] for check in _PHRASE_CHECKS))
_ALL_PHRASE_FRAGMENTS = _literals(
    COPYRIGHT_FRAGMENTS
    + REGISTRATION_FRAGMENTS
    + NEWSLETTER_FRAGMENTS
    + COMMENTS_FRAGMENTS
    + LEGAL_FRAGMENTS
)


_WHOLE_LINE_REASON = {
    "share": LineReason.SHARE,
    "navigation": LineReason.NAVIGATION,
    "breadcrumb": LineReason.NAVIGATION,
    "most_read": LineReason.BOILERPLATE,
    "comments": LineReason.BOILERPLATE,
    "after_article": LineReason.BOILERPLATE,
    "ad": LineReason.BOILERPLATE,
    "image": LineReason.CREDIT,
}


def _whole_or_credit(
    line: str, units: float, low: str, words: list[str], breadcrumbs: bool = True
) -> LineReason | None:
    """A short line that is furniture whole (a menu item, "Most read"), or a photo credit."""
    if len(line) <= _WHOLE_LINE_CHARS and units <= _WHOLE_LINE_UNITS:
        match = WHOLE_LINE.match(low)
        group = match.lastgroup if match is not None else None
        if group is not None and (breadcrumbs or group != "breadcrumb"):
            return _WHOLE_LINE_REASON[group]
    head = line[:_CHECK_CHARS]
    if units <= 25 and _credit_gate(head, head.isascii(), words) and CREDIT_LINE.search(head):
        return LineReason.CREDIT
    return None


def line_furniture_reason(line: str, units: float, *, breadcrumbs: bool) -> LineReason | None:
    """Furniture a line shows by itself: a whole-line label or a photo credit.

    The phrase checks of `furniture_reason` (newsletter, legal, comment
    sentences) are left out: in an HTML article such a sentence is as often
    the article's own, and the markup has already removed the boxes they sit in.
    Without `breadcrumbs`, "A / B / C" is no furniture: in HTML a breadcrumb
    is a row of links, and an unlinked one in an article is sizes or specs.
    """
    low = line[:_CHECK_CHARS].lower()
    return _whole_or_credit(line, units, low, _words(low), breadcrumbs)


def _furniture(line: str, units: float) -> LineReason | None:
    """Menus, share buttons, credits and footers, by the vocabulary sites use for them."""
    if units > _FURNITURE_WORDS * 2:
        return None
    if units > _FURNITURE_WORDS:
        # A long line is furniture only as a footer, which opens or closes with its notice.
        edges = f"{line[:_EDGE_CHARS]} {line[-_EDGE_CHARS:]}".lower()
        return LineReason.BOILERPLATE if _copyright_notice(edges) else None
    head = line[:_CHECK_CHARS]
    low = head.lower()
    ascii_line = head.isascii()
    words = _words(low)
    found = _whole_or_credit(line, units, low, words)
    if found is not None:
        return found
    if not _gate(head, ascii_line, words, _ALL_PHRASE_WORDS, _ALL_PHRASE_FRAGMENTS):
        return None
    for vocabulary, fragments, pattern, max_units in _PHRASE_CHECKS:
        if (
            units <= max_units
            and _gate(head, ascii_line, words, vocabulary, fragments)
            and pattern.search(low)
        ):
            return LineReason.BOILERPLATE
    return None


def _copyright_notice(low: str) -> bool:
    """COPYRIGHT_PHRASE in a lower-cased text, searched only where its literal text occurs.

    The pattern's many alternatives are tried at every character; `in` tests for
    the text each of them needs are C scans, and most long lines hold none.
    """
    marks = COPYRIGHT_MARKS_ASCII if low.isascii() else COPYRIGHT_MARKS
    return any(mark in low for mark in marks) and COPYRIGHT_PHRASE.search(low) is not None


def _has_local_run(line: str) -> bool:
    """Cheap gate for REPEATED_CHARS: a line at least half made of runs shows one at a probe.

    Three probes at a quarter, half and three quarters of the (checked) line;
    a run of ten covering half the line is under one of them.
    """
    size = min(len(line), _CHECK_CHARS)
    if size < 10:
        return False
    for p in (size // 4, size // 2, (3 * size) // 4):
        ch = line[p]
        if ch == line[p - 1] == line[p + 1] and not ch.isspace():
            return True
    return False


# One C scan of a line for any character a garbage pattern needs: most lines have none.
_MOJIBAKE_HINT = re.compile("[ÃÂâï\ufffd]")
# The one mojibake an ASCII line can show: a letter lost to '?' inside a word.
_ASCII_MOJIBAKE = re.compile(r"[a-z]\?[a-z]")


@dataclass(frozen=True, slots=True)
class PageGates:
    """What garbage a page can hold at all, from one look at its whole text.

    Most pages have no mojibake, markup or bare links; finding that once per
    page (a few substring scans in C) spares every line the per-line tests.
    """

    mojibake_marks: tuple[str, ...] = tuple(_MOJIBAKE_MARKS)
    markup: bool = True
    links: bool = True


ALL_GATES = PageGates()


def page_gates(text: str) -> PageGates:
    """The gates of one page (pass the text the lines come from)."""
    return PageGates(
        mojibake_marks=tuple(mark for mark in _MOJIBAKE_MARKS if mark in text),
        markup="<" in text or "{" in text or "&" in text,
        links="http" in text or "www." in text or "#" in text,
    )


def _may_be_mojibake(line: str) -> bool:
    if "?" in line and _ASCII_MOJIBAKE.search(line):
        return True
    return not line.isascii() and _MOJIBAKE_HINT.search(line) is not None


def garbage_reason(line: str, units: float, gates: PageGates = ALL_GATES) -> LineReason | None:
    """Spam and garbage: decided from the line's shape, cheap enough to run on every line."""
    if _has_local_run(line) and _REPEATED_CHAR.search(line[:_CHECK_CHARS]):
        stripped = _REPEATED_CHAR.sub("", line[:_CHECK_CHARS])
        if len(stripped.strip()) * 2 <= min(len(line), _CHECK_CHARS):
            return LineReason.REPEATED_CHARS
    if gates.mojibake_marks and _may_be_mojibake(line) and _is_mojibake(line, units):
        return LineReason.MOJIBAKE
    if gates.markup and ("<" in line or "{" in line or "&" in line) and _is_markup(line):
        return LineReason.MARKUP
    if gates.links and ("http" in line or "www." in line or "#" in line) and _is_link_list(line):
        return LineReason.LINK_LIST
    if units >= 5 and _is_spam(line, units):
        return LineReason.SPAM
    return None


def closes_article(line: str) -> bool:
    """A heading that opens what follows an article: related links, most read, comments."""
    if len(line) > _WHOLE_LINE_CHARS:
        return False
    low = line.lower()
    return bool(
        MOST_READ_LINE.match(low) or COMMENTS_LINE.match(low) or AFTER_ARTICLE_LINE.match(low)
    )


def furniture_reason(line: str, units: float) -> LineReason | None:
    """Menus, share buttons, credits and footers, by the vocabulary sites word them with."""
    return _furniture(line, units)


def junk_reason(line: str, units: float | None = None) -> LineReason | None:
    """Why this line is junk on any page, or None when only its context can tell."""
    if units is None:
        units = line_units(line)
    return garbage_reason(line, units) or _furniture(line, units)
