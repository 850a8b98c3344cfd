"""Which writing system a piece of text is in, decided from code points alone.

Script is the cheap, certain half of language identification: Hangul is
Korean and kana is Japanese whatever a statistical model says, and a short
line's script can be read where its language cannot.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

# (first code point, last code point, script) in ascending order; letters only.
_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0041, 0x005A, "Latin"),
    (0x0061, 0x007A, "Latin"),
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
    (0x1780, 0x17FF, "Khmer"),
    (0x1E00, 0x1EFF, "Latin"),
    (0x1F00, 0x1FFF, "Greek"),
    (0x2C00, 0x2C5F, "Glagolitic"),
    (0x2D00, 0x2D2F, "Georgian"),
    (0x2E80, 0x2FDF, "Han"),
    (0x3040, 0x309F, "Hiragana"),
    (0x30A0, 0x30FF, "Katakana"),
    (0x3100, 0x312F, "Bopomofo"),
    (0x3130, 0x318F, "Hangul"),
    (0x31F0, 0x31FF, "Katakana"),
    (0x3400, 0x4DBF, "Han"),
    (0x4E00, 0x9FFF, "Han"),
    (0xA960, 0xA97F, "Hangul"),
    (0xAC00, 0xD7AF, "Hangul"),
    (0xD7B0, 0xD7FF, "Hangul"),
    (0xF900, 0xFAFF, "Han"),
    (0xFB1D, 0xFB4F, "Hebrew"),
    (0xFB50, 0xFDFF, "Arabic"),
    (0xFE70, 0xFEFF, "Arabic"),
    (0xFF21, 0xFF3A, "Latin"),
    (0xFF41, 0xFF5A, "Latin"),
    (0xFF66, 0xFF9F, "Katakana"),
    (0xFFA0, 0xFFDC, "Hangul"),
    (0x20000, 0x2FA1F, "Han"),
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
    """Letters per script; other characters are not counted."""
    counts: Counter[str] = Counter()
    for ch in text:
        name = char_script(ch)
        if name is not None:
            counts[name] += 1
    return counts


def main_script(text: str) -> str | None:
    """The script of most of the letters, or None when there are no letters."""
    counts = script_counts(text)
    return counts.most_common(1)[0][0] if counts else None
