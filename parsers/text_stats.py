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


def word_count(text: str) -> int:
    """Words, counting each character of an unspaced script (Han, kana, Thai...) as one."""
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
    return _NOT_WORD.sub(" ", folded).strip()


def content_hash(text: str) -> str:
    """128-bit hex hash of the normalised text: equal for copies that differ in spacing or case."""
    return hashlib.sha256(normalise_for_hash(text).encode("utf-8")).hexdigest()[:32]
