"""Which writing system a piece of text is in, decided from code points alone.

Script is the cheap, certain half of language identification: Hangul is
Korean and kana is Japanese whatever a statistical model says, and a short
line's script can be read where its language cannot.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

# (first code point, last code point, script) in ascending order; letters only.
_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0041, 0x005A, "Latin"),
    (0x0061, 0x007A, "Latin"),
    (0x00AA, 0x00AA, "Latin"),
    (0x00BA, 0x00BA, "Latin"),
    (0x00C0, 0x024F, "Latin"),
    (0x0250, 0x02AF, "Latin"),
    (0x0370, 0x03FF, "Greek"),
    (0x0400, 0x052F, "Cyrillic"),
    (0x0530, 0x058F, "Armenian"),
    (0x0590, 0x05FF, "Hebrew"),
    (0x0600, 0x06FF, "Arabic"),
    (0x0700, 0x074F, "Syriac"),
    (0x0750, 0x077F, "Arabic"),
    (0x0780, 0x07BF, "Thaana"),
    (0x07C0, 0x07FF, "Nko"),
    (0x0870, 0x08FF, "Arabic"),
    (0x0900, 0x097F, "Devanagari"),
    (0x0980, 0x09FF, "Bengali"),
    (0x0A00, 0x0A7F, "Gurmukhi"),
    (0x0A80, 0x0AFF, "Gujarati"),
    (0x0B00, 0x0B7F, "Oriya"),
    (0x0B80, 0x0BFF, "Tamil"),
    (0x0C00, 0x0C7F, "Telugu"),
    (0x0C80, 0x0CFF, "Kannada"),
    (0x0D00, 0x0D7F, "Malayalam"),
    (0x0D80, 0x0DFF, "Sinhala"),
    (0x0E00, 0x0E7F, "Thai"),
    (0x0E80, 0x0EFF, "Lao"),
    (0x0F00, 0x0FFF, "Tibetan"),
    (0x1000, 0x109F, "Myanmar"),
    (0x10A0, 0x10FF, "Georgian"),
    (0x1100, 0x11FF, "Hangul"),
    (0x1200, 0x139F, "Ethiopic"),
    (0x13A0, 0x13FF, "Cherokee"),
    (0x1400, 0x167F, "Canadian_Aboriginal"),
    (0x1780, 0x17FF, "Khmer"),
    (0x1800, 0x18AF, "Mongolian"),
    (0x1C80, 0x1C8F, "Cyrillic"),
    (0x1C90, 0x1CBF, "Georgian"),
    (0x1D00, 0x1DBF, "Latin"),
    (0x1E00, 0x1EFF, "Latin"),
    (0x1F00, 0x1FFF, "Greek"),
    (0x2C00, 0x2C5F, "Glagolitic"),
    (0x2C60, 0x2C7F, "Latin"),
    (0x2D00, 0x2D2F, "Georgian"),
    (0x2D30, 0x2D7F, "Tifinagh"),
    (0x2D80, 0x2DDF, "Ethiopic"),
    (0x2DE0, 0x2DFF, "Cyrillic"),
    (0x2E80, 0x2FDF, "Han"),
    (0x3005, 0x3007, "Han"),
    (0x3040, 0x309F, "Hiragana"),
    (0x30A0, 0x30FF, "Katakana"),
    (0x3100, 0x312F, "Bopomofo"),
    (0x3130, 0x318F, "Hangul"),
    (0x31A0, 0x31BF, "Bopomofo"),
    (0x31F0, 0x31FF, "Katakana"),
    (0x3400, 0x4DBF, "Han"),
    (0x4E00, 0x9FFF, "Han"),
    (0xA640, 0xA69F, "Cyrillic"),
    (0xA720, 0xA7FF, "Latin"),
    (0xA960, 0xA97F, "Hangul"),
    (0xAB30, 0xAB6F, "Latin"),
    (0xAC00, 0xD7AF, "Hangul"),
    (0xD7B0, 0xD7FF, "Hangul"),
    (0xF900, 0xFAFF, "Han"),
    (0xFB00, 0xFB06, "Latin"),
    (0xFB13, 0xFB17, "Armenian"),
    (0xFB1D, 0xFB4F, "Hebrew"),
    (0xFB50, 0xFDFF, "Arabic"),
    (0xFE70, 0xFEFF, "Arabic"),
    (0xFF21, 0xFF3A, "Latin"),
    (0xFF41, 0xFF5A, "Latin"),
    (0xFF66, 0xFF9F, "Katakana"),
    (0xFFA0, 0xFFDC, "Hangul"),
    (0x1B000, 0x1B16F, "Hiragana"),
    (0x20000, 0x2FA1F, "Han"),
    (0x30000, 0x3134F, "Han"),
)
_STARTS = [r[0] for r in _RANGES]

# Scripts whose characters each carry a word's worth of meaning (no spaces between words).
UNSPACED = frozenset({"Han", "Hiragana", "Katakana", "Thai", "Lao", "Khmer", "Myanmar", "Tibetan"})


@lru_cache(maxsize=4096)
def _lookup(cp: int) -> str | None:
    lo, hi = 0, len(_STARTS) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        start, end, name = _RANGES[mid]
        if cp < start:
            hi = mid - 1
        elif cp > end:
            lo = mid + 1
        else:
            return name
    return None


def char_script(ch: str) -> str | None:
    """The script of one character, or None for digits, punctuation, symbols and space."""
    cp = ord(ch)
    if cp < 0x80:
        if 0x41 <= cp <= 0x5A or 0x61 <= cp <= 0x7A:
            return "Latin"
        return None
    if not ch.isalpha():
        return None
    return _lookup(cp)


def script_counts(text: str) -> Counter[str]:
    """Letters per script; other characters are not counted.

    Characters are tallied first (a C loop) and classified once per distinct
    character, because a text has few distinct characters and many repeats.
    """
    return scripts_of_chars(Counter(text))


def scripts_of_chars(char_counts: Counter[str]) -> Counter[str]:
    """Letters per script from a tally of characters, for callers that need the tally too."""
    counts: Counter[str] = Counter()
    for ch, n in char_counts.items():
        name = _cached_char_script(ch)
        if name is not None:
            counts[name] += n
    return counts


_cached_char_script = lru_cache(maxsize=16384)(char_script)
_ASCII_LETTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_ASCII = frozenset(map(chr, range(128)))
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


def non_ascii_set(text: str) -> set[str]:
    """The distinct characters outside ASCII: the only ones whose script needs a look-up."""
    return set(text).difference(_ASCII)


def estimate_script_counts(text: str, limit: int = 400) -> Counter[str]:
    """Letters per script: ASCII letters counted exactly, the rest from an even sub-sample.

    Exact counts cost one dictionary look-up per character; proportions from
    a few hundred characters spread over the text decide a main script just
    as well at a fraction of the cost.
    """
    encoded = text.encode("utf-8", "replace")
    ascii_letters = len(encoded) - len(encoded.translate(None, _ASCII_LETTERS))
    counts: Counter[str] = Counter()
    if text.isascii():
        pass
    elif len(encoded) - len(text) <= limit:
        # Mostly ASCII: the few other characters are all counted.
        counts.update(scripts_of_chars(Counter("".join(_NON_ASCII_RUN.findall(text)))))
    else:
        step = max(1, math.ceil(len(text) / max(1, limit)))
        tally = Counter(text[::step])
        for ch in _ASCII.intersection(tally):
            del tally[ch]
        for name, n in scripts_of_chars(tally).items():
            counts[name] = n * step
    if ascii_letters:
        counts["Latin"] += ascii_letters
    return counts


def main_script(text: str) -> str | None:
    """The script of most of the letters, or None when there are no letters."""
    counts = script_counts(text)
    return counts.most_common(1)[0][0] if counts else None
