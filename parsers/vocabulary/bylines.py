"""The words of bylines: by-prefixes, roles, agencies, name separators, words no name holds.

A byline reads "By Jane Doe, Staff Writer | Reuters", "Por Steven Lee Myers
y Tariq Panja", "作者：肖春芳", "김철수 기자". The words that announce it, the
roles and publishers printed beside the people and the words that join
several names are the same on every site of a language, so they are listed
here, per language where they differ; `presswash.parsers.bylines` (text) and
`presswash.parsers.html.authors` (markup) read bylines with them.
"""

from __future__ import annotations

import re

# --- what announces a byline -------------------------------------------------------------
# A text line opening with a byline word ('By', 'Von', 'Por', 'Author:').
BYLINE_PREFIX = re.compile(
    r"^\W{0,2}(?:written |posted |reported |story |text |words )?"
    r"(?:by|von|por|par|door|di|av|af|przez|autor(?:a|in)?:?|author:?|authors:?|reporter:?|"
    r"texto:?|texte:?|text:?)\s+(?=\S)",
    re.IGNORECASE,
)

# The same words in front of an author field's one name ('Written by: Jane Doe').
AUTHOR_PREFIX = re.compile(
    r"^\W{0,2}(?:(?:written|posted|reported|story|text|words|photos?)\s+)?"
    r"(?:by|von|por|par|door|di|av|af|przez|autor(?:a|in)?|author|authors|reporter|texto|texte|"
    r"text)\b\s*[:：]?\s*",
    re.IGNORECASE,
)

# The same words in front of a byline element's text.
MARKUP_BY_PREFIX = re.compile(
    r"^\s*(?:(?:written|posted|post|reported|words|text|story|photos?)\s+)?(?:by|von|par|por|door)"
    r"(?:\s*[:\-]\s*|\s+)",
    re.IGNORECASE,
)

# An HTML line that is a byline (a short one, by its first word).
BYLINE_LINE = re.compile(r"^(?:by|written by|words by|von|par|por|di|door|av|af)\s+\S", re.I)

# An element's own text opening with 'By' (capitalised as a byline prints it).
BY_WORD = re.compile(r"^\s*(?:(?:Written|Posted|Words) by|By|BY|by:|Von|Par|Por|Door)(?:\s|:|$)")

# The same, followed by a capitalised name.
BY_NAME_LINE = re.compile(
    r"^\s*(?:(?:Written|Posted|Words) by|By|BY|by:|Von|Par|Por|Door):?\s+"
    r"[A-ZÀ-Þ][\w.'’-]*\s+[A-ZÀ-Þ]"
)

# A label element or Twitter card label that is only 'By' or 'Author'.
BY_LABEL = re.compile(r"^\s*(?:written by|posted by|by|author|authors|autor|auteur)\s*:?\s*$", re.I)

# A text line ending in 'By' (or only 'Author:'): the name is on the next line.
LONE_BY = re.compile(
    r"(?:^|\s)(?:by|von|por|par|door|di|av|af)\s*:?$"
    r"|^\W{0,2}(?:author|authors|written by|autor|autorin|auteur|autore)\s*:?$",
    re.I,
)

# A headline the dump glued to the 'By' of the byline under it.
TRAILING_BY_WORDS = ("by", "von", "par", "por")
TRAILING_BY = re.compile(r"\s+(?:by|von|par|por)\s*:?\s*$", re.I)

# A byline ending a longer header line: ' by ' and a capitalised name, a short tail.
INLINE_BY = re.compile(r"\s[Bb]y:?\s+(?=[A-Z])")

# Credits that name a photographer or an agency, not the writer.
CREDIT_BEFORE_BY = re.compile(
    r"\b(?:photo|photograph|photography|image|illustration|video|graphic|map|chart)\s*$", re.I
)

# --- CJK and Korean bylines: labels before the name, roles after it --------------------------
CJK_BYLINE = re.compile(
    r"(?:(?:作者|撰文|撰稿|编辑|編輯|责任编辑|責任編輯|责编|文)\s*[：:|｜︱/]|(?:记者|記者))\s*"
    r"([\u4e00-\u9fff]{2,4}(?:[、，,\s]+[\u4e00-\u9fff]{2,4}){0,4})(?![\u4e00-\u9fff])"
)

KOREAN_BYLINE = re.compile(r"([가-힣]{2,4})\s*(?:기자|특파원|선임기자|논설위원)")

CJK_ROLES = frozenset(
    {"责任编辑", "責任編輯", "编辑", "編輯", "记者", "記者", "来源", "來源", "作者"}
)

CJK_AUTHOR_PREFIX = re.compile(
    r"^(?:作者|撰文|撰稿|责任编辑|責任編輯|编辑|編輯|记者|記者|文)\s*[：:/／]?\s*"
)

CJK_AUTHOR_SUFFIX = re.compile(r"\s*(?:선임기자|기자|특파원|논설위원|记者|記者|报道|報導)$")

# --- what joins several names -------------------------------------------------------------
# Between the names of a text byline ('Jane Doe, John Roe and Ann Poe', 'X og Y').
NAME_SEPARATORS = re.compile(
    r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b|\be\b|\bi\b|\ben\b|\bog\b)\s*"
)

# Between full names alone on a line under a headline.
BARE_NAME_SEPARATORS = re.compile(r"\s+(?:and|&|und|et|y|e)\s+|\s*,\s*")

# Between the names of a byline element or an author meta tag.
MARKUP_NAME_SEPARATORS = re.compile(
    r"\s*(?:,|;|\||&|·|•|\band\b|\bund\b|\bet\b|\by\b|\be\b|\bwith\b|\bavec\b|\bmit\b)\s*", re.I
)

# Co-authors a byline adds in brackets: 'Jane Doe (avec Jean Roe et Ann Poe)'.
CO_AUTHORS_IN_BRACKETS = re.compile(r"\((?:avec|with|mit|con|com|met|z|s)\s+([^()]{3,120})\)", re.I)

# "Martin Untersinger (avec Damien Leloup et Morgane Tual)": co-authors in parentheses.
CO_AUTHORS_IN_PARENTHESES = re.compile(r"\(\s*((?:with|avec|mit|and|et|und|y|e)\s[^()]*)\)", re.I)

# --- what a person's name holds, and what it does not ------------------------------------------
# Lower-case particles of surnames ('Michiel de Jong', 'Ludwig van Beethoven').
NAME_PARTICLES = frozenset(
    {"de", "da", "di", "del", "van", "von", "der", "den", "le", "la", "du", "dos"}
)

# Suffixes a name may end in with a full stop.
NAME_SUFFIXES = frozenset({"Jr.", "Sr.", "Jun.", "Sen."})

# Roles, desks and time labels printed beside a name: a segment holding one is not a name.
ROLE_WORDS = frozenset(
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
NOT_NAME_WORDS = frozenset(
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
AGENCIES = frozenset(
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

# Imperative verbs that open buttons and calls to action; given names do not start with them.
BUTTON_VERBS = frozenset(
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
NOUN_ENDING = re.compile(
    r"\w{3}(?:tions?|sions?|ments|nesses|ities|ologies|ology|ware|ships)$", re.I
)

# A byline part is cut where a date, a role or interface text starts: "Jane Doe, Staff
# Writer", "By Jane Doe May 3, 2024", "Jane Doe Games Editor" all give "Jane Doe".
NAME_END = re.compile(
    r"\d|\b(?:staff|senior|chief|editor|editors|writer|reporter|correspondent|contributor|"
    r"columnist|published|updated|posted|last|read|min|hours?|ago|follow|email|team|desk|"
    r"edited|technologist|producer|analyst|behalf|"
    r"share|comments?|twitter|facebook|instagram|linkedin|view|profile|photo|image|"
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|mon|tue|wed|thu|fri|sat|sun|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"před|le|am|il|el|on)\b",
    re.IGNORECASE,
)

# An author field that names no person: an address, a handle, an agency, a placeholder.
NOT_A_NAME = re.compile(
    r"@|https?:|www\.|\.(?:com|org|net)\b|\b(?:admin|administrator|unknown|anonymous|"
    r"getty|reuters|ap|afp|dpa|staff|news|contributors?|author)\b|^(?:our|unsere?|notre|nos)\b",
    re.IGNORECASE,
)

# What follows the name opening an author's bio ("Jane Doe is a reporter", "... ist Redakteurin").
BIO_VERB = re.compile(
    r",? (?:is|was|has|writes|covers|joined|leads|holds|lives|serves|works|reports|"
    r"ist|schreibt|est|écrit|es|escribe|é|escreve|è|scrive|je|jest|pisze)\b"
)
