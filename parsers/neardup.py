"""Near-duplicate signatures: the same article re-published with a few words changed.

One-permutation MinHash (Li, Owen & Zhang, 2012) over shingles of four
tokens: each shingle's 64-bit hash falls in one of 64 bins and each bin keeps
its minimum, so a signature costs one hash per shingle instead of one per
shingle and permutation, in pure Python. Empty bins borrow from the next
non-empty bin (rotation densification) so signatures of short texts stay
comparable. Two signatures agree in a share of bins that estimates the
Jaccard similarity of the two shingle sets; banding them (16 bands of 4 bins)
finds candidates in an index without comparing every pair.
"""

from __future__ import annotations

import base64
import hashlib
import operator
import struct
import zlib
from bisect import bisect_left
from functools import lru_cache
from itertools import repeat
from urllib.parse import urlsplit

from presswash.parsers.text_stats import normalise_for_hash, normalised_tokens

BINS = 64
BANDS = 16
ROWS = BINS // BANDS
SHINGLE = 4
# Tokens looked at, at most: near copies share their opening, and the cost stays bounded.
MAX_TOKENS = 1200
_EMPTY = (1 << 64) - 1
_SIG = struct.Struct(f"<{BINS}Q")
_BAND_SALTS = [band.to_bytes(16, "little") for band in range(BANDS)]


# A shingle's 64-bit hash is CRC-32 (high half) over Adler-32 (low half) of its text: both run
# in C over the whole list, which is what keeps a signature cheap in pure Python. Its top 6
# bits pick the bin and the other 58 are the value the bin keeps the minimum of.
_VALUE_BITS = 58
_VALUE_MASK = (1 << _VALUE_BITS) - 1


def _shingle_hashes(tokens: list[str]) -> list[int]:
    """A 64-bit hash per run of four tokens, the same on every machine and run."""
    runs = zip(tokens, tokens[1:], tokens[2:], tokens[3:], strict=False)
    shingles = list(map(str.encode, map(" ".join, runs)))
    high = map(operator.lshift, map(zlib.crc32, shingles), repeat(32))
    return list(map(operator.or_, high, map(zlib.adler32, shingles)))


def _bin_minimums(hashes: list[int]) -> list[int]:
    """Each bin's smallest value: the first hash of the bin in sorted order."""
    ordered = sorted(hashes)
    mins = [_EMPTY] * BINS
    for slot in range(BINS):
        at = bisect_left(ordered, slot << _VALUE_BITS)
        if at < len(ordered) and ordered[at] >> _VALUE_BITS == slot:
            mins[slot] = ordered[at] & _VALUE_MASK
    return mins


def signature(text: str) -> tuple[int, ...] | None:
    """The text's MinHash signature, or None when it has too few tokens to compare."""
    tokens = normalised_tokens(normalise_for_hash(text[: MAX_TOKENS * 12]))[:MAX_TOKENS]
    if len(tokens) < SHINGLE:
        return None
    mins = _bin_minimums(_shingle_hashes(tokens))
    for slot in range(BINS):
        step = 1
        while mins[slot] == _EMPTY:  # densify: borrow from the next filled bin, marked by distance
            source = mins[(slot + step) % BINS]
            if source != _EMPTY and step < BINS:
                mins[slot] = (source * 1_000_003 + step) & (_EMPTY - 1)
            step += 1
    return tuple(mins)


def similarity(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets."""
    return sum(map(operator.eq, a, b)) / BINS


def band_keys(sig: tuple[int, ...]) -> list[int]:
    """One 63-bit key per band; two texts sharing any key are candidates.

    The band's number is hashed with its bins, so one index column holds the
    keys of every band and equal bins in two different bands never meet.
    """
    packed = _SIG.pack(*sig)
    step = ROWS * 8
    return [
        int.from_bytes(
            hashlib.blake2b(packed[at : at + step], digest_size=8, salt=_BAND_SALTS[band]).digest(),
            "little",
        )
        >> 1
        for band, at in enumerate(range(0, BINS * 8, step))
    ]


# Share of the shorter title's words the other must hold for two titles to name one story.
TITLE_AGREEMENT = 0.5


def titles_agree(a: str | None, b: str | None) -> bool:
    """False only when both titles are known and name different stories.

    Shingle similarity cannot tell an article from the site furniture around
    it: two pages whose extraction kept the same "More from ..." block look
    like copies of each other. A copy keeps its headline, give or take the
    site's name ("Storm closes road | Ledger" and "Storm closes road"), so a
    near (not exact) duplicate should also have a title that agrees; a
    missing title agrees with anything. Words are compared as sets, and
    against the shorter title, so a site name added to one side does not
    count against it.
    """
    if not a or not b:
        return True
    words_a, words_b = _title_words(a), _title_words(b)
    if not words_a or not words_b:
        return True
    shared = len(words_a & words_b)
    return shared >= TITLE_AGREEMENT * min(len(words_a), len(words_b))


@lru_cache(maxsize=4096)
def _title_words(title: str) -> frozenset[str]:
    """A title's words as compared; remembered, as one title meets many candidates."""
    return frozenset(normalised_tokens(normalise_for_hash(title)))


def same_page(a: str | None, b: str | None) -> bool:
    """Whether two article URLs name one page, so a second copy is the page fetched again.

    Scheme, `www.`, the host's case, a trailing slash and the fragment do not
    count. A site's home page does not name an article: a site that gives
    every page its home page as canonical URL would otherwise make all its
    pages one page.
    """
    if not a or not b:
        return False
    first, second = _page_key(a), _page_key(b)
    return first is not None and first == second


def _page_key(url: str) -> tuple[str, str, str] | None:
    """(host, path, query) of an article URL; None for a home page or what is no URL."""
    parts = _url_parts(url)
    if parts is None or not parts[0] or (not parts[1] and not parts[2]):
        return None
    return parts


@lru_cache(maxsize=4096)
def _url_parts(url: str) -> tuple[str, str, str] | None:
    """(host without `www.`, path without its trailing slash, query); None if it is no URL.

    Remembered, as one URL meets many candidates in a commit.
    """
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").removeprefix("www.")
    except ValueError:
        return None
    return host, parts.path.rstrip("/"), parts.query


def may_be_copy(
    title: str | None, url: str | None, kept_title: str | None, kept_url: str | None
) -> bool:
    """Whether a near match of texts may be taken for a copy of the kept article.

    The same page fetched again is a copy (a headline rewritten since is an
    update of the story it names); otherwise the titles must agree, so that
    two pages whose texts are mostly the same site furniture stay apart.
    """
    return same_page(url, kept_url) or titles_agree(title, kept_title)


# An exact copy shorter than this, on another page of the same site under another
# title, is the site's furniture: a news story is longer, a footer or promotion shorter.
FURNITURE_WORDS = 250


def furniture_copy(
    title: str | None, url: str | None, kept_title: str | None, kept_url: str | None, words: int
) -> bool:
    """Whether an exact copy of a kept text is the site's furniture, not a copy of an article.

    Syndicated and re-fetched copies are duplicates, under any headline. But
    when two pages of one site, under headlines naming different stories,
    yield the same short text, none of it is either page's own: the
    extraction kept only what the site repeats on every page, and the page
    is one without an article found, not a copy of the first.
    """
    return (
        words < FURNITURE_WORDS
        and _host(url) is not None
        and _host(url) == _host(kept_url)
        and not same_page(url, kept_url)
        and not titles_agree(title, kept_title)
    )


def _host(url: str | None) -> str | None:
    """The host of a URL without `www.` and case; None when there is none."""
    parts = _url_parts(url) if url else None
    if parts is None:
        return None
    return parts[0] or None


def pack(sig: tuple[int, ...]) -> bytes:
    return _SIG.pack(*sig)


def unpack(blob: bytes) -> tuple[int, ...]:
    return _SIG.unpack(blob)


def to_text(sig: tuple[int, ...]) -> str:
    """A signature as text, to travel inside a staged JSON line."""
    return base64.b64encode(pack(sig)).decode("ascii")


def from_text(value: str) -> tuple[int, ...]:
    return unpack(base64.b64decode(value))
