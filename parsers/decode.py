"""Bytes to text by evidence, not by hope: BOM, declared charset, detection, repair.

The order follows what browsers do (BOM, then the declared charset), with
one deliberate exception: bytes that are valid UTF-8 and not plain ASCII are
decoded as UTF-8 even when a page declares a single-byte charset, because a
wrong `<meta charset>` over UTF-8 bytes is common and valid multi-byte UTF-8
by accident is vanishingly rare.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import ftfy
import ftfy.bad_codecs  # (registers the sloppy-windows-1252 codec)
from charset_normalizer import from_bytes

from presswash.schemas.stages import Reason

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# File signatures of formats that are never a page, whatever their name says.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"RIFF", "a RIFF (WebP/WAV/AVI) file"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x7fELF", "an ELF executable"),
    (b"MZ", "a Windows executable"),
    (b"\x1f\x8b", "gzip data"),
    (b"BZh", "bzip2 data"),
    (b"\xfd7zXZ\x00", "xz data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x00\x00\x01\x00", "an icon"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
    (b"SQLite format 3\x00", "an SQLite database"),
)

# Aliases that browsers treat as a larger superset; decoding with the superset is never worse.
_SUPERSETS = {
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "iso_8859-1": "cp1252",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "shift_jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
}

_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{1,40})""")
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
# The bytes `_CONTROL` matches, to count them in one C pass.
_CONTROL_BYTES = bytes(b for b in range(256) if _CONTROL.match(bytes([b])))
# UTF-8 read as windows-1252 or Latin-1: the lead byte of a multi-byte sequence (Â-ô)
# before a continuation byte, as Latin-1 (U+0080-U+00BF) or as windows-1252 shows it.
_MOJIBAKE_HINT = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
    "\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030"
    "\u2039\u203a\u20ac\u2122]"
)
_SNIFF_BYTES = 64 * 1024
_REPAIR_REACH = 120  # characters either side of a sign of mojibake given to ftfy at most
# ftfy is given at most this many characters a page (some 2 to 5 s of CPU)
_REPAIR_BUDGET = 1_000_000
_STRETCH = 64 * 1024  # ...in stretches of at most this many (so the budget can stop between)
_REPAIR_GAP = 200  # stretches closer than this are repaired as one (ftfy has a cost per call)

_FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    uncurl_quotes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    normalization=None,
    explain=False,
)


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text and the evidence it was decoded by."""

    text: str
    encoding: str
    evidence: str
    repaired: bool


@dataclass(frozen=True, slots=True)
class DecodeFailure:
    """Bytes that are not text, with a reason code and a sentence for a person."""

    reason: Reason
    detail: str


def declared_charset(data: bytes, content_type: str | None = None) -> str | None:
    """The charset a header or the markup itself declares, if any."""
    if content_type:
        match = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", content_type, re.IGNORECASE)
        if match:
            return match.group(1)
    head = data[:4096]
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii", "ignore") if match else None


def _codec(name: str | None) -> str | None:
    """A Python codec for a declared name, widened to its browser superset; None if unknown."""
    if not name:
        return None
    lowered = name.strip().lower()
    lowered = _SUPERSETS.get(lowered, lowered)
    try:
        return codecs.lookup(lowered).name
    except LookupError:
        return None


def _binary_kind(data: bytes) -> str | None:
    """What binary thing these bytes are, or None if they could be text."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    sample = data[:_SNIFF_BYTES]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls > max(2, len(sample) // 100):
        return "binary data (control bytes throughout)"
    return None


def _start(text: str, at: int) -> int:
    """Where the stretch around a sign of mojibake starts: at its line's start or
    _REPAIR_REACH characters back, moved on to a space so that no run of non-ASCII
    characters is cut (UTF-8 read as a single-byte code page never holds ASCII)."""
    low = max(0, at - _REPAIR_REACH)
    line = text.rfind("\n", low, at)
    if line >= 0:
        return line + 1
    space = text.find(" ", low, at)
    return space if space >= 0 else low


def _end(text: str, at: int) -> int:
    """Where that stretch ends: at its line's end or _REPAIR_REACH on, back at a space."""
    high = min(len(text), at + _REPAIR_REACH)
    line = text.find("\n", at, high)
    if line >= 0:
        return line
    space = text.rfind(" ", at, high)
    return space if space >= 0 and high < len(text) else high


def _stretches(text: str) -> list[tuple[int, int]]:
    """The stretches of text around each sign of mojibake, close ones merged (up to _STRETCH)."""
    spans: list[tuple[int, int]] = []
    for sign in _MOJIBAKE_HINT.finditer(text):
        if spans and sign.start() < spans[-1][1]:
            continue
        first, last = _start(text, sign.start()), _end(text, sign.end())
        if spans and first - spans[-1][1] <= _REPAIR_GAP and last - spans[-1][0] <= _STRETCH:
            first = spans.pop()[0]
        spans.append((first, last))
    return spans


def _redecoded(text: str) -> str | None:
    """A page wholly read in the wrong code page, read again at C speed; None if mixed.

    Text whose every character maps back to a byte (windows-1252, with the C1
    controls as themselves) and whose bytes are then valid UTF-8 was all
    mojibake; anything genuine in it (a curly quote, a CJK character) makes
    one of the two steps fail, and the caller repairs stretch by stretch.
    """
    try:
        return text.encode("sloppy-windows-1252").decode("utf-8")
    except UnicodeError:
        return None


def _repair(text: str) -> tuple[str, bool]:
    """Mojibake repaired by ftfy in the stretches that show its signs.

    ftfy costs 1.5 to 3 µs a character; run over the whole page, a few signs
    of mojibake in a 5 MB page cost 8 s and more, against a 30 s parse limit.
    Only the few hundred characters of the line around each sign are given
    to it (it judges no more than a line at a time itself), so the cost
    follows the damage, not the page's size; a page that is mojibake
    throughout is read again as a whole instead. Past _REPAIR_BUDGET
    characters of damage mixed with genuine text, the rest of the page is
    left as it is: a page with some mojibake left beats one given up on at
    the time limit.
    """
    if text.isascii():  # most pages: one C scan, no expression
        return text, False
    spans = _stretches(text)
    if not spans:
        return text, False
    if 2 * sum(last - first for first, last in spans) > len(text):
        whole = _redecoded(text)
        if whole is not None:
            return whole, True
    pieces: list[str] = []
    done = budget = 0
    for first, last in spans:
        budget += last - first
        if budget > _REPAIR_BUDGET:
            break
        pieces.append(text[done:first])
        pieces.append(ftfy.fix_text(text[first:last], config=_FTFY_CONFIG))
        done = last
    pieces.append(text[done:])
    fixed = "".join(pieces)
    return fixed, fixed != text


def _detect(data: bytes) -> str | None:
    """charset-normalizer's best guess from a bounded sample, or None.

    Single-byte Latin code pages are often indistinguishable on English text;
    where windows-1252 fits as well as the winner it is chosen, being by far
    the most common of them on the web.
    """
    results = list(from_bytes(data[:_SNIFF_BYTES], steps=5, chunk_size=512))
    if not results or results[0].chaos > 0.4:
        return None
    best = results[0]
    for candidate in results[1:]:
        if (
            candidate.encoding == "cp1252"
            and candidate.chaos <= best.chaos + 0.01
            and candidate.coherence >= best.coherence - 0.05
        ):
            return "cp1252"
    return _codec(best.encoding)


def _mostly_utf8(data: bytes) -> bool:
    """True when UTF-8 explains most non-ASCII bytes and only a few are invalid."""
    text = data.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd")
    multibyte = sum(1 for ch in text if ord(ch) > 0x7F) - invalid
    return multibyte >= 2 * invalid and invalid <= max(3, len(text) // 200)


def decode_bytes(data: bytes, *, declared: str | None = None) -> Decoded | DecodeFailure:
    """Decode one input's bytes, or say why they are not text."""
    if not data.strip():
        return DecodeFailure(Reason.EMPTY, "The input has no bytes other than white space.")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                return DecodeFailure(
                    Reason.UNDECODABLE,
                    f"The input starts with a {codec} byte-order mark but is not valid {codec} "
                    f"(byte {exc.start + len(bom)}).",
                )
            return _finish(text, codec, "bom")
    binary = _binary_kind(data)
    if binary:
        return DecodeFailure(Reason.BINARY, f"The input is {binary}, not text.")
    declared_codec = _codec(declared)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return _finish(text, "utf-8", "valid utf-8")
    if declared_codec:
        try:
            return _finish(data.decode(declared_codec), declared_codec, "declared")
        except UnicodeDecodeError:
            pass
    if _mostly_utf8(data):
        return _finish(
            data.decode("utf-8", errors="replace"), "utf-8", "utf-8, invalid bytes replaced"
        )
    detected = _detect(data)
    if detected:
        text = data.decode(detected, errors="replace")
        if text.count("\ufffd") <= max(3, len(text) // 1000):
            return _finish(text, detected, "detected")
    return DecodeFailure(
        Reason.UNDECODABLE,
        "No encoding decodes the input: it is not valid UTF-8, "
        f"the declared charset ({declared or 'none'}) fails, and detection found none.",
    )


def _finish(text: str, encoding: str, evidence: str) -> Decoded | DecodeFailure:
    if "\x00" in text:
        text = text.replace("\x00", "")
    if not text.strip():
        return DecodeFailure(Reason.EMPTY, "The input decodes to white space only.")
    fixed, repaired = _repair(text)
    return Decoded(fixed, encoding, evidence, repaired)
