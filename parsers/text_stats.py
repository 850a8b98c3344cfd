"""Counting words and hashing text the same way on every machine."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

# One token per character in scripts written without spaces, one per run elsewhere.
_UNSPACED = (
    "\u0e00-\u0eff"  # Thai, Lao
    "\u1000-\u109f"  # Myanmar
    "\u1780-\u17ff"  # Khmer
    "\u3040-\u30ff"  # kana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Han
    "\U00020000-\U0002fa1f"
)
_WORD = re.compile(rf"[{_UNSPACED}]|[^\W{_UNSPACED}]+")
_NOT_WORD = re.compile(r"[\W_]+")
_ANY_UNSPACED = re.compile(f"[{_UNSPACED}]")
# Up to this many distinct characters to blank, one str.replace each beats the expression.
_MAX_REPLACES = 24
# ASCII bytes that are not letters or digits (what `_NOT_WORD` matches there) made spaces; UTF-8
# never uses a byte below 0x80 inside a character, so the others pass through unchanged.
_ASCII_NOT_WORD = bytes(b if b > 0x7F or chr(b).isalnum() else 0x20 for b in range(256))
# The same for `\W` alone (the underscore is a word character there), for counting words.
_NOT_WORD_CHAR = re.compile(r"\W")
_ASCII_NOT_WORD_CHAR = bytes(
    b if b > 0x7F or chr(b).isalnum() or b == 0x5F else 0x20 for b in range(256)
)


def word_count(text: str) -> int:
    """Words, counting each character of an unspaced script (Han, kana, Thai...) as one."""
    if not _ANY_UNSPACED.search(text):  # then a word is a run of word characters
        spaced = _blanked(text, _ASCII_NOT_WORD_CHAR, _NOT_WORD_CHAR)
        if spaced is not None:
            return len(spaced.split())
    return len(_WORD.findall(text))


def word_tokens(text: str) -> list[str]:
    """Words, with each character of an unspaced script its own token."""
    return _WORD.findall(text)


def normalised_tokens(normalised: str) -> list[str]:
    """word_tokens of a text from normalise_for_hash, whose words are already one space apart."""
    if _ANY_UNSPACED.search(normalised):
        return _WORD.findall(normalised)
    return normalised.split()


@lru_cache(maxsize=4)
def normalise_for_hash(text: str) -> str:
    """Text reduced to what makes two copies of an article the same article.

    Remembers the last few: an article's text is hashed and then signed.
    """
    # NFKC leaves ASCII as it is and casefold() is lower() there: the common case skips both.
    folded = text.lower() if text.isascii() else unicodedata.normalize("NFKC", text).casefold()
    spaced = _blanked(folded, _ASCII_NOT_WORD, _NOT_WORD)
    if spaced is None:
        return _NOT_WORD.sub(" ", folded).strip()
    # white space is never a word character: this leaves what `_NOT_WORD.sub(...).strip()` does
    return " ".join(spaced.split())


def _blanked(text: str, ascii_table: bytes, blank: re.Pattern[str]) -> str | None:
    """`text` with every character `blank` matches made a space, in a few C passes.

    ASCII is blanked byte-wise (UTF-8 never uses a byte below 0x80 inside a
    character); each distinct other character is asked once. None when the
    text has a lone surrogate or too many kinds of symbols for one
    replacement pass each: the expression is cheaper then.
    """
    try:
        text = text.encode("utf-8").translate(ascii_table).decode("utf-8")
    except UnicodeEncodeError:
        return None
    if text.isascii():
        return text
    blanks = [ch for ch in set(text) if ch > "\x7f" and blank.match(ch)]
    if len(blanks) > _MAX_REPLACES:
        return None
    for ch in blanks:
        text = text.replace(ch, " ")
    return text


def content_hash(text: str) -> str:
    """128-bit hex hash of the normalised text: equal for copies that differ in spacing or case."""
    return hashlib.sha256(normalise_for_hash(text).encode("utf-8")).hexdigest()[:32]
