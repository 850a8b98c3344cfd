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

from presswash.parsers.dates import MONTH_NAMES, parse_date
from presswash.parsers.patterns import BYLINE_PREFIX

_MAX_LINE = 240
# A CJK byline is a short line; a long one naming a reporter is a sentence about them.
_MAX_CJK_LINE = 60
_SEGMENT_SPLIT = re.compile(r"\s*(?:\||•|·|｜|\s/\s|//|\s[-–—]\s|\t)\s*")
_NAME_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b|\be\b|\bi\b|\ben\b|\bog\b)\s*")
_HANDLE = re.compile(r"@\w+|\S+@\S+|https?://\S+|\(.*?\)")
# Co-authors a byline adds in brackets: 'Jane Doe (avec Jean Roe et Ann Poe)'.
_WITH = re.compile(r"\((?:avec|with|mit|con|com|met|z|s)\s+([^()]{3,120})\)", re.I)
_NAME_WORD = re.compile(r"^(?:[^\W\d_][\w'’.-]*|[A-Z]\.|d'|al-|el-)$")
_PARTICLES = frozenset(
    {"de", "da", "di", "del", "van", "von", "der", "den", "le", "la", "du", "dos"}
)
_ROLE_WORDS = frozenset(
    [
        "editor",
        "editors",
        "reporter",
        "reporters",
        "correspondent",
        "correspondents",
        "writer",
        "writers",
        "staff",
        "senior",
        "contributor",
        "contributors",
        "columnist",
        "professor",
        "analyst",
        "director",
        "producer",
        "technologist",
        "author",
        "authors",
        "photographer",
        "photographers",
        "news",
        "health",
        "contributing",
        "chief",
        "deputy",
        "managing",
        "associate",
        "assistant",
        "executive",
        "special",
        "international",
        "desk",
        "bureau",
        "team",
        "agency",
        "agencies",
        "online",
        "digital",
        "press",
        "service",
        "wire",
        "follow",
        "updated",
        "published",
        "posted",
        "minutes",
        "min",
        "read",
        "ago",
        "hours",
        "days",
        "mugshot",
        "headshot",
        "profile",
    ]
)
# Common words of headings and menus: a "name" containing one is not a person's.
_NOT_NAME_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "for",
        "to",
        "in",
        "on",
        "our",
        "your",
        "my",
        "with",
        "and",
        "or",
        "from",
        "at",
        "is",
        "are",
        "this",
        "that",
        "more",
        "all",
        "new",
        "news",
        "read",
        "top",
        "latest",
        "sign",
        "log",
        "share",
        "follow",
        "edge",
        "text",
        "style",
        "tech",
        "industry",
        "insider",
        "business",
        "world",
        "sport",
        "sports",
        "home",
        "about",
        "contact",
        "menu",
        "search",
        "subscribe",
        "newsletter",
        "opinion",
        "video",
        "live",
        "der",
        "die",
        "das",
        "und",
        "für",
        "le",
        "la",
        "les",
        "des",
        "et",
        "pour",
        "el",
        "los",
        "las",
        "del",
        "y",
        "para",
    ]
)
# News agencies and wire services: they sign articles but are publishers, not people.
_AGENCIES = frozenset(
    [
        "reuters",
        "afp",
        "ap",
        "dpa",
        "efe",
        "ansa",
        "xinhua",
        "yonhap",
        "kyodo",
        "bloomberg",
        "pti",
        "ians",
        "tass",
        "ria",
        "anp",
        "apa",
        "sda",
        "kna",
        "epd",
        "upi",
        "aap",
        "cnn",
        "bbc",
        "staff",
    ]
)
_NAME_ENDINGS = frozenset({"Jr.", "Sr.", "Jun.", "Sen."})
# Imperative verbs that open buttons and calls to action; given names do not start with them.
_BUTTON_VERBS = frozenset(
    [
        "get",
        "find",
        "show",
        "view",
        "copy",
        "read",
        "see",
        "learn",
        "start",
        "join",
        "shop",
        "buy",
        "book",
        "try",
        "download",
        "watch",
        "explore",
        "discover",
        "click",
        "sign",
        "log",
        "subscribe",
        "share",
        "print",
        "save",
        "add",
        "apply",
        "request",
        "contact",
        "call",
        "visit",
        "browse",
        "compare",
        "check",
        "order",
        "open",
        "close",
        "back",
        "next",
        "go",
        "load",
    ]
)
# English endings of abstract and technical nouns, not of surnames ('Customer Information').
_NOUN_ENDING = re.compile(
    r"\w{3}(?:tions?|sions?|ments|nesses|ities|ologies|ology|ware|ships)$", re.I
)
_CJK_ROLES = frozenset(
    {"责任编辑", "責任編輯", "编辑", "編輯", "记者", "記者", "来源", "來源", "作者"}
)
_CJK_NAME = re.compile(
    r"(?:(?:作者|撰文|撰稿|编辑|編輯|责任编辑|責任編輯|责编|文)\s*[：:|｜︱/]|(?:记者|記者))\s*"
    r"([\u4e00-\u9fff]{2,4}(?:[、，,\s]+[\u4e00-\u9fff]{2,4}){0,4})(?![\u4e00-\u9fff])"
)
_KO_NAME = re.compile(r"([가-힣]{2,4})\s*(?:기자|특파원|선임기자|논설위원)")
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
    if len(words) == 1 and words[0].strip(".,").lower() in _AGENCIES:
        return False
    if words[-1].endswith(".") and len(words[-1]) > 3 and words[-1] not in _NAME_ENDINGS:
        return False  # a sentence, not a name ending in an initial or a suffix
    shouted = [w.isupper() for w in words if len(w.strip(".,")) >= 2]
    if any(shouted) and not all(shouted):
        return False  # 'SAP Ariba', 'VIP Rewards': an acronym in a product name
    if words[0].lower() in _BUTTON_VERBS and len(words) > 1:
        return False  # 'Copy Link', 'Get Started': a button, not a first name
    capitals = 0
    for word in words:
        if word.endswith(("'s", "’s")) or _NOUN_ENDING.search(word):
            return False
        if _INITIAL.match(word):
            capitals += 1  # 'A. J. Neal': an initial, not the article 'a'
            continue
        bare = word.strip(".,")
        if bare.lower() in _ROLE_WORDS or bare.lower() in _NOT_NAME_WORDS:
            return False
        if bare.lower() in _PARTICLES:
            continue
        if not _NAME_WORD.match(word) or not word[0].isupper():
            return False
        capitals += 1
    return capitals >= 1


def _names(segment: str) -> list[str]:
    """People named in the first segment of a byline, stopping at the first role or title."""
    segment = _HANDLE.sub(" ", _WITH.sub(r", \1", segment))
    names: list[str] = []
    for part in _NAME_SPLIT.split(segment):
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
    while (match := _CJK_NAME.search(line, pos)) is not None:
        names = [n for n in re.split(r"[、，,\s]+", match.group(1)) if n and n not in _CJK_ROLES]
        if names:
            return Byline(authors=names, published_at=parse_date(line))
        # '作者：责任编辑：肖春芳': an empty field is followed by the next label, not a name.
        pos = match.start(1)
    match = _KO_NAME.search(line)
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
        if 1 <= len(seg.split()) <= 5 and seg[:1].isupper() and seg.lower() not in _ROLE_WORDS:
            site = seg
            break
    return Byline(authors=names, site_name=site, published_at=parse_date(text))


# A byline ending a longer header line: ' by ' and a capitalised name, a short tail.
_INLINE_BY = re.compile(r"\s[Bb]y:?\s+(?=[A-Z])")
_MAX_INLINE_BYLINE_CHARS = 250
_MAX_INLINE_TAIL = 100
# Credits that name a photographer or an agency, not the writer.
_CREDIT_BEFORE = re.compile(
    r"\b(?:photo|photograph|photography|image|illustration|video|graphic|map|chart)\s*$", re.I
)
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
    for match in _INLINE_BY.finditer(line):
        found = match
    if found is None or len(line) - found.end() > _MAX_INLINE_TAIL:
        return None
    if _CREDIT_BEFORE.search(line[: found.start()]):
        return None
    tail = _GLUED_DIGIT.sub(" ", line[found.end() :])
    byline = parse_byline("By " + tail)
    if byline is None or not tail.startswith(byline.authors[0]):
        return None
    if len(byline.authors[0].split()) < 2 and not _UNSPACED_NAME.match(byline.authors[0]):
        return None  # one capitalised word after 'by' is a product or a company as often
    return found.start(), byline.authors


_DATE_START = re.compile(
    r"\s(?:\d|on\s|updated|published|posted|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)",
    re.IGNORECASE,
)


def _cut_date(segment: str) -> str:
    """'Nelson Schwartz Sept. 25, 2018' -> 'Nelson Schwartz': a date glued to the names."""
    if not _DIGIT.search(segment):
        return segment
    match = _DATE_START.search(segment)
    return segment[: match.start()] if match else segment


_AUTHOR_PREFIX = re.compile(
    r"^\W{0,2}(?:(?:written|posted|reported|story|text|words|photos?)\s+)?"
    r"(?:by|von|por|par|door|di|av|af|przez|autor(?:a|in)?|author|authors|reporter|texto|texte|"
    r"text)\b\s*[:：]?\s*",
    re.IGNORECASE,
)
_CJK_AUTHOR_PREFIX = re.compile(
    r"^(?:作者|撰文|撰稿|责任编辑|責任編輯|编辑|編輯|记者|記者|文)\s*[：:/／]?\s*"
)
_CJK_AUTHOR_SUFFIX = re.compile(r"\s*(?:선임기자|기자|특파원|논설위원|记者|記者|报道|報導)$")
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
    text = _AUTHOR_PREFIX.sub("", text, count=1)
    text = _CJK_AUTHOR_PREFIX.sub("", text, count=1)
    text = _CJK_AUTHOR_SUFFIX.sub("", text).strip(" -–—|,;:·•")
    if not text:
        return None
    for part in _AUTHOR_SPLIT.split(text):
        part = _cut_date(part).strip(" .,:;")
        if _UNSPACED_NAME.match(part) and part not in _CJK_ROLES:
            return part
        if looks_like_name(part) and part.lower().strip(".") not in MONTH_NAMES:
            return part
        if part:
            return None  # the first thing said is not a name: a role, a site, a date
    return None
