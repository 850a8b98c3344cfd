"""Reading author names (and a publisher) out of one byline line.

A byline mixes people, roles, the publisher and a date in one line
(`By Da Zhigang | China Daily | Updated: 2026-01-06 08:03`, `Por Steven Lee
Myers, Keith Bradsher y Tariq Panja`, `作者：肖春芳`, `김철수 기자`). Record
consumers want the people alone, so roles, handles, e-mails and dates are
cut off and a segment is accepted as a name only when it is shaped like one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from presswash.parsers.dates import parse_date
from presswash.parsers.vocabulary.bylines import (
    AGENCIES,
    AUTHOR_PREFIX,
    BUTTON_VERBS,
    BYLINE_PREFIX,
    CJK_AUTHOR_PREFIX,
    CJK_AUTHOR_SUFFIX,
    CJK_BYLINE,
    CJK_ROLES,
    CO_AUTHORS_IN_BRACKETS,
    CREDIT_BEFORE_BY,
    INLINE_BY,
    KOREAN_BYLINE,
    NAME_PARTICLES,
    NAME_SEPARATORS,
    NAME_SUFFIXES,
    NOT_NAME_WORDS,
    NOUN_ENDING,
    ROLE_WORDS,
)
from presswash.parsers.vocabulary.dates import DATE_AFTER_BYLINE_NAMES, MONTHS

_MAX_LINE = 240
# A CJK byline is a short line; a long one naming a reporter is a sentence about them.
_MAX_CJK_LINE = 60
_SEGMENT_SPLIT = re.compile(r"\s*(?:\||•|·|｜|\s/\s|//|\s[-–—]\s|\t)\s*")
_HANDLE = re.compile(r"@\w+|\S+@\S+|https?://\S+|\(.*?\)")
_NAME_WORD = re.compile(r"^(?:[^\W\d_][\w'’.-]*|[A-Z]\.|d'|al-|el-)$")
_DIGIT = re.compile(r"\d")
_INITIAL = re.compile(r"^[A-Z]\.$")


@dataclass(slots=True)
class Byline:
    """What one byline line says: who wrote it, for whom, when."""

    authors: list[str] = field(default_factory=list)
    site_name: str | None = None
    published_at: str | None = None


def looks_like_name(text: str) -> bool:
    """True for 'Da Zhigang', 'JOE HILDEBRAND', 'Michiel B. de Jong'; not roles or sections."""
    words = text.split()
    if not 1 <= len(words) <= 5 or len(text) > 48 or _DIGIT.search(text):
        return False
    if len(words) == 1 and words[0].strip(".,").lower() in AGENCIES:
        return False
    if words[-1].endswith(".") and len(words[-1]) > 3 and words[-1] not in NAME_SUFFIXES:
        return False  # a sentence, not a name ending in an initial or a suffix
    shouted = [w.isupper() for w in words if len(w.strip(".,")) >= 2]
    if any(shouted) and not all(shouted):
        return False  # 'SAP Ariba', 'VIP Rewards': an acronym in a product name
    if words[0].lower() in BUTTON_VERBS and len(words) > 1:
        return False  # 'Copy Link', 'Get Started': a button, not a first name
    capitals = 0
    for word in words:
        if word.endswith(("'s", "’s")) or NOUN_ENDING.search(word):
            return False
        if _INITIAL.match(word):
            capitals += 1  # 'A. J. Neal': an initial, not the article 'a'
            continue
        bare = word.strip(".,")
        if bare.lower() in ROLE_WORDS or bare.lower() in NOT_NAME_WORDS:
            return False
        if bare.lower() in NAME_PARTICLES:
            continue
        if not _NAME_WORD.match(word) or not word[0].isupper():
            return False
        capitals += 1
    return capitals >= 1


def _names(segment: str) -> list[str]:
    """People named in the first segment of a byline, stopping at the first role or title."""
    segment = _HANDLE.sub(" ", CO_AUTHORS_IN_BRACKETS.sub(r", \1", segment))
    names: list[str] = []
    for part in NAME_SEPARATORS.split(segment):
        part = " ".join(part.split()).strip(" .,:")
        if not part:
            continue
        if not looks_like_name(part):
            if names:
                break
            continue
        names.append(part)
    return names


def _cjk_byline(line: str) -> Byline | None:
    if len(line) > _MAX_CJK_LINE:
        return None
    pos = 0
    while (match := CJK_BYLINE.search(line, pos)) is not None:
        names = [n for n in re.split(r"[、，,\s]+", match.group(1)) if n and n not in CJK_ROLES]
        if names:
            return Byline(authors=names, published_at=parse_date(line))
        # '作者：责任编辑：肖春芳': an empty field is followed by the next label, not a name.
        pos = match.start(1)
    match = KOREAN_BYLINE.search(line)
    if match:
        return Byline(authors=[match.group(1)], published_at=parse_date(line))
    return None


def parse_byline(line: str) -> Byline | None:
    """The authors, publisher and date of a byline line, or None when it is not one.

    Only lines that announce themselves (`By`, `Von`, `Por`, `作者：`, `… 기자`)
    are read; a bare name is recognised by `looks_like_name` and the caller's
    knowledge of where it sits.
    """
    if not line or len(line) > _MAX_LINE:
        return None
    text = line.strip()
    prefix = BYLINE_PREFIX.match(text)
    if prefix is None:
        return _cjk_byline(text)
    rest = text[prefix.end() :]
    segments = [s for s in _SEGMENT_SPLIT.split(rest) if s.strip()]
    if not segments:
        return None
    names = _names(_cut_date(segments[0]))
    if not names:
        return None
    site = None
    for seg in segments[1:]:
        seg = seg.strip()
        if _DIGIT.search(seg) or parse_date(seg) or ":" in seg:
            continue
        if 1 <= len(seg.split()) <= 5 and seg[:1].isupper() and seg.lower() not in ROLE_WORDS:
            site = seg
            break
    return Byline(authors=names, site_name=site, published_at=parse_date(text))


_MAX_INLINE_BYLINE_CHARS = 250
_MAX_INLINE_TAIL = 100
_GLUED_DIGIT = re.compile(r"(?<=[^\W\d_])(?=\d)")


def inline_byline(line: str) -> tuple[int, list[str]] | None:
    """'Headline by Jane Doe @jdoe February 1, 2016' -> (where 'by' starts, ['Jane Doe']).

    A dump glues the byline to the line above when the page wrapped them
    together (a standfirst, a photo credit); the tail after the last ' by '
    is read as a byline of its own.
    """
    if len(line) > _MAX_INLINE_BYLINE_CHARS:
        return None
    found = None
    for match in INLINE_BY.finditer(line):
        found = match
    if found is None or len(line) - found.end() > _MAX_INLINE_TAIL:
        return None
    if CREDIT_BEFORE_BY.search(line[: found.start()]):
        return None
    tail = _GLUED_DIGIT.sub(" ", line[found.end() :])
    byline = parse_byline("By " + tail)
    if byline is None or not tail.startswith(byline.authors[0]):
        return None
    if len(byline.authors[0].split()) < 2 and not _UNSPACED_NAME.match(byline.authors[0]):
        return None  # one capitalised word after 'by' is a product or a company as often
    return found.start(), byline.authors


def _cut_date(segment: str) -> str:
    """'Nelson Schwartz Sept. 25, 2018' -> 'Nelson Schwartz': a date glued to the names."""
    if not _DIGIT.search(segment):
        return segment
    match = DATE_AFTER_BYLINE_NAMES.search(segment)
    return segment[: match.start()] if match else segment


_EMAIL = re.compile(r"\S+@\S+\.\w+|https?://\S+|www\.\S+|(?<!\w)@\w+")
_AUTHOR_SPLIT = re.compile(r"\s*(?:\||•|·|｜|\s[-–—]\s|,|;|/)\s*")
_UNSPACED_NAME = re.compile(r"^[\u3400-\u9fff\uac00-\ud7af\u3040-\u30ff·・]{2,12}$")
_MAX_AUTHOR = 200


def clean_author(name: str) -> str | None:
    """One author name as a record wants it, from an export field or a JSON-LD `name`.

    Sources hand over whatever their byline widget held: `By Jane Doe`,
    `Jane Doe, Staff Writer`, `오세린 기자`, `记者 张三`, `jane@paper.com`.
    We keep the person and drop the rest; something that is not a person
    (a site, a date, a button label) gives None, since a wrong author
    costs more than a missing one.
    """
    if not isinstance(name, str):
        return None
    try:
        return _clean_author(name)
    except Exception:  # a bad field must cost one author, not the document
        return None


def _clean_author(name: str) -> str | None:
    text = _EMAIL.sub(" ", " ".join(name.split())[:_MAX_AUTHOR])
    text = _HANDLE.sub(" ", text).strip(" -–—|,;:·•")
    text = AUTHOR_PREFIX.sub("", text, count=1)
    text = CJK_AUTHOR_PREFIX.sub("", text, count=1)
    text = CJK_AUTHOR_SUFFIX.sub("", text).strip(" -–—|,;:·•")
    if not text:
        return None
    for part in _AUTHOR_SPLIT.split(text):
        part = _cut_date(part).strip(" .,:;")
        if _UNSPACED_NAME.match(part) and part not in CJK_ROLES:
            return part
        if looks_like_name(part) and part.lower().strip(".") not in MONTHS:
            return part
        if part:
            return None  # the first thing said is not a name: a role, a site, a date
    return None
