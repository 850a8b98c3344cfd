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

from presswash.parsers import patterns as P
from presswash.schemas.stages import LineReason

# Lines longer than this are prose whatever words they contain; phrase checks skip them.
_FURNITURE_WORDS = 45
_WHOLE_LINE_CHARS = 90
_WHOLE_LINE_UNITS = 12
_CHECK_CHARS = 1200

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
_HASHTAG = re.compile(r"(?<!\w)#\w+")
_MARKUP = re.compile(
    r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]{0,200})?/?>|&(?:nbsp|amp|lt|gt|quot|#\d{2,5});"
    r"|\bfunction\s*\(|\bvar\s+\w+\s*=|\bdocument\.\w|\bwindow\.\w|@media\b"
    r"|\{\s*[\w-]+\s*:\s*[^;{}]{1,60};"
)
_CJK_STOPS = frozenset("。！？")
_LIST_SEPARATORS = re.compile(r"[,，、|;；/_]+")
_SENTENCE_INSIDE = re.compile(r"[.!?。！？](?:\s|$)")
_TOKEN = re.compile(r"\w+")


def line_units(line: str) -> float:
    """Words in the line; three characters of an unspaced script (Han, kana...) count as one."""
    if line.isascii():
        return float(line.count(" ") + 1)
    unspaced = len(_UNSPACED_CHARS.findall(line))
    return line.count(" ") + 1 + unspaced / 3


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
    if ". " in head or "? " in head or "! " in head or not _CJK_STOPS.isdisjoint(head):
        return False
    separators = head.count(",") + head.count("，") + head.count("、") + head.count("|")
    if separators >= 4:
        items = [s for s in _LIST_SEPARATORS.split(head) if s.strip()]
        mean = sum(len(s) for s in items) / max(1, len(items))
        if len(items) >= 5 and mean <= 24 and len(P.SPAM_TERMS.findall(head.lower())) >= 3:
            return True
    if units >= 8:
        tokens = head.lower().split()
        if len(tokens) >= 8 and len(set(tokens)) * 2 <= len(tokens):
            top = Counter(tokens).most_common(1)[0][1]
            if top * 4 >= len(tokens):
                return True
    return False


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


_PUNCT_TO_SPACE = str.maketrans({ch: " " for ch in '!"#$%&()*+,.:;<=>?@[\\]^_`{|}~“”‘’«»…–—·•|/'})


_ASCII_PUNCT_TO_SPACE = bytes.maketrans(
    b'!"#$%&()*+,.:;<=>?@[\\]^_`{|}~/', b" " * len(b'!"#$%&()*+,.:;<=>?@[\\]^_`{|}~/')
)


def _words(low: str) -> list[str]:
    """The words of a lower-cased line, punctuation dropped (a C-speed path for ASCII)."""
    if low.isascii():
        return low.encode().translate(_ASCII_PUNCT_TO_SPACE).decode().split()
    return low.translate(_PUNCT_TO_SPACE).split()


def _gate(
    line: str, words: list[str], vocabulary: frozenset[str], fragments: tuple[str, ...]
) -> bool:
    """Whether any word or fragment a pattern needs is present: a cheap test before the pattern."""
    if not vocabulary.isdisjoint(words):
        return True
    if line.isascii():
        return "/" in fragments and "/" in line
    return any(f in line for f in fragments)


_WHOLE_LINE_REASON = {
    "share": LineReason.SHARE,
    "navigation": LineReason.NAVIGATION,
    "breadcrumb": LineReason.NAVIGATION,
    "most_read": LineReason.BOILERPLATE,
    "comments": LineReason.BOILERPLATE,
    "ad": LineReason.BOILERPLATE,
    "image": LineReason.CREDIT,
}


def _furniture(line: str, units: float) -> LineReason | None:
    """Menus, share buttons, credits and footers, by the vocabulary sites use for them."""
    if units > _FURNITURE_WORDS * 2:
        return None
    head = line[:_CHECK_CHARS]
    low = head.lower()
    if len(line) <= _WHOLE_LINE_CHARS and units <= _WHOLE_LINE_UNITS:
        match = P.WHOLE_LINE.match(low)
        if match is not None and match.lastgroup is not None:
            return _WHOLE_LINE_REASON[match.lastgroup]
    words = _words(low)
    if (
        units <= 25
        and _gate(head, words, P.CREDIT_WORDS, P.CREDIT_FRAGMENTS)
        and P.CREDIT_LINE.search(head)
    ):
        return LineReason.CREDIT
    if not _gate(head, words, P.PHRASE_WORDS, P.PHRASE_FRAGMENTS):
        return None
    if P.COPYRIGHT_PHRASE.search(low):
        return LineReason.BOILERPLATE
    if units <= _FURNITURE_WORDS and (
        P.REGISTRATION_PHRASE.search(low)
        or P.NEWSLETTER_PHRASE.search(low)
        or P.COMMENTS_PHRASE.search(low)
        or (units <= 20 and P.LEGAL_PHRASE.search(low))
    ):
        return LineReason.BOILERPLATE
    return None


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
        if not ch.isspace() and line[max(0, p - 4) : p + 5].count(ch) >= 5:
            return True
    return False


def garbage_reason(line: str, units: float) -> LineReason | None:
    """Spam and garbage: decided from the line's shape, cheap enough to run on every line."""
    if _has_local_run(line) and _REPEATED_CHAR.search(line[:_CHECK_CHARS]):
        stripped = _REPEATED_CHAR.sub("", line[:_CHECK_CHARS])
        if len(stripped.strip()) * 2 <= min(len(line), _CHECK_CHARS):
            return LineReason.REPEATED_CHARS
    if not _MOJIBAKE_MARKS.isdisjoint(line) and _is_mojibake(line, units):
        return LineReason.MOJIBAKE
    if ("<" in line or "{" in line or "&" in line) and _is_markup(line):
        return LineReason.MARKUP
    if ("http" in line or "www." in line or "#" in line) and _is_link_list(line):
        return LineReason.LINK_LIST
    if units >= 5 and _is_spam(line, units):
        return LineReason.SPAM
    return None


def closes_article(line: str) -> bool:
    """A heading that opens what follows an article: related links, most read, comments."""
    if len(line) > _WHOLE_LINE_CHARS:
        return False
    low = line.lower()
    return bool(P.MOST_READ_LINE.match(low) or P.COMMENTS_LINE.match(low))


def furniture_reason(line: str, units: float) -> LineReason | None:
    """Menus, share buttons, credits and footers, by the vocabulary sites word them with."""
    return _furniture(line, units)


def junk_reason(line: str, units: float | None = None) -> LineReason | None:
    """Why this line is junk on any page, or None when only its context can tell."""
    if units is None:
        units = line_units(line)
    return garbage_reason(line, units) or _furniture(line, units)
