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
import struct
import zlib

from presswash.parsers.text_stats import normalise_for_hash, word_tokens

BINS = 64
BANDS = 16
ROWS = BINS // BANDS
SHINGLE = 4
# Tokens looked at, at most: near copies share their opening, and the cost stays bounded.
MAX_TOKENS = 1200
_EMPTY = (1 << 64) - 1
_SIG = struct.Struct(f"<{BINS}Q")


_MASK = (1 << 64) - 1
# odd 64-bit multipliers: a shingle's hash mixes its four token hashes by position
_A, _B, _C, _D = (
    0x9E3779B97F4A7C15,
    0xC2B2AE3D27D4EB4F,
    0x165667B19E3779F9,
    0x27D4EB2F165667C5,
)
_MIX = 0xFF51AFD7ED558CCD


def _shingle_hashes(tokens: list[str]) -> list[int]:
    """A 64-bit hash per run of four tokens, the same on every machine and run."""
    th = [zlib.crc32(t.encode("utf-8")) for t in tokens]
    out = []
    for i in range(len(th) - SHINGLE + 1):
        x = (th[i] * _A + th[i + 1] * _B + th[i + 2] * _C + th[i + 3] * _D) & _MASK
        x ^= x >> 31
        x = (x * _MIX) & _MASK
        x ^= x >> 29
        out.append(x)
    return out


def signature(text: str) -> tuple[int, ...] | None:
    """The text's MinHash signature, or None when it has too few tokens to compare."""
    tokens = word_tokens(normalise_for_hash(text[: MAX_TOKENS * 12]))[:MAX_TOKENS]
    if len(tokens) < SHINGLE:
        return None
    mins = [_EMPTY] * BINS
    for value in _shingle_hashes(tokens):
        slot = value & (BINS - 1)
        rest = value >> 6
        if rest < mins[slot]:
            mins[slot] = rest
    if all(m == _EMPTY for m in mins):
        return None
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
    return sum(1 for x, y in zip(a, b, strict=True) if x == y) / BINS


def band_keys(sig: tuple[int, ...]) -> list[int]:
    """One 63-bit key per band; two texts sharing any key are candidates."""
    keys = []
    for band in range(BANDS):
        chunk = sig[band * ROWS : (band + 1) * ROWS]
        digest = hashlib.blake2b(repr(chunk).encode(), digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little") >> 1)
    return keys


def pack(sig: tuple[int, ...]) -> bytes:
    return _SIG.pack(*sig)


def unpack(blob: bytes) -> tuple[int, ...]:
    return _SIG.unpack(blob)


def to_text(sig: tuple[int, ...]) -> str:
    """A signature as text, to travel inside a staged JSON line."""
    return base64.b64encode(pack(sig)).decode("ascii")


def from_text(value: str) -> tuple[int, ...]:
    return unpack(base64.b64decode(value))
