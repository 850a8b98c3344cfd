"""Which language an article (or one of its lines) is written in.

Two facts decide, cheapest first. The script: Hangul is Korean, kana is
Japanese, Greek letters are Greek, and so on, whatever a statistical model
would say, so most of the world's non-Latin text never reaches statistics.
Only where a script is shared (Latin, Cyrillic, Arabic, Devanagari) do the
n-gram profiles of langdetect choose, and then only among the languages
written in that script, on a bounded sample taken from across the text.

The default backend ("langdetect-nb") scores langdetect's own profiles as a
plain naive Bayes over every n-gram of the sample: the same evidence as
langdetect's seven random walks, without the randomness or the per-character
Python work. The library's own detector stays available ("langdetect"),
seeded and with its profiles loaded in a fixed order, so both are
deterministic on every run, machine and worker process.

`line_language` is the cheap per-line companion for the cleaner: script
facts only (no statistics on a handful of words), enough to tell a line in
another script from the article's own, and a quoted sentence from a row of
keywords.
"""

from __future__ import annotations

import heapq
import math
import operator
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import compress, repeat
from typing import TYPE_CHECKING, Literal

from presswash.parsers.writing_systems import (
    UNSPACED,
    char_script,
    estimate_script_counts,
    non_ascii_set,
)

if TYPE_CHECKING:
    from langdetect.detector_factory import DetectorFactory

Backend = Literal["langdetect-nb", "langdetect"]
DEFAULT_BACKEND: Backend = "langdetect-nb"
BACKENDS: tuple[Backend, ...] = ("langdetect-nb", "langdetect")

# Scripts that name their language outright (ISO 639-1). Bengali script is
# also Assamese and Ethiopic also Tigrinya; the larger language is taken.
SCRIPT_LANGUAGE: dict[str, str] = {
    "Hangul": "ko",
    "Hiragana": "ja",
    "Katakana": "ja",
    "Han": "zh",
    "Bopomofo": "zh",
    "Thai": "th",
    "Greek": "el",
    "Hebrew": "he",
    "Georgian": "ka",
    "Armenian": "hy",
    "Bengali": "bn",
    "Gurmukhi": "pa",
    "Gujarati": "gu",
    "Oriya": "or",
    "Tamil": "ta",
    "Telugu": "te",
    "Kannada": "kn",
    "Malayalam": "ml",
    "Sinhala": "si",
    "Lao": "lo",
    "Khmer": "km",
    "Myanmar": "my",
    "Tibetan": "bo",
    "Ethiopic": "am",
    "Thaana": "dv",
    "Mongolian": "mn",
}

# Scripts shared by several languages: the langdetect profiles that compete there.
SCRIPT_CANDIDATES: dict[str, tuple[str, ...]] = {
    "Latin": (
        "af", "ca", "cs", "cy", "da", "de", "en", "es", "et", "fi", "fr", "hr", "hu", "id",
        "it", "lt", "lv", "nl", "no", "pl", "pt", "ro", "sk", "sl", "so", "sq", "sv", "sw",
        "tl", "tr", "vi",
    ),
    "Cyrillic": ("bg", "mk", "ru", "uk"),
    "Arabic": ("ar", "fa", "ur"),
    "Devanagari": ("hi", "mr", "ne"),
}  # fmt: skip

# Languages of those scripts that langdetect has no profile for (ISO 639-1): the
# page's declaration names them when the statistics fit nothing.
UNPROFILED: dict[str, frozenset[str]] = {
    "Latin": frozenset(
        [
            "az",
            "br",
            "bs",
            "co",
            "eo",
            "eu",
            "fo",
            "fy",
            "ga",
            "gd",
            "gl",
            "ha",
            "ht",
            "ig",
            "is",
            "jv",
            "ku",
            "la",
            "lb",
            "mg",
            "mi",
            "ms",
            "mt",
            "ny",
            "oc",
            "om",
            "qu",
            "rm",
            "rw",
            "sm",
            "sn",
            "st",
            "su",
            "tk",
            "tn",
            "uz",
            "wo",
            "xh",
            "yo",
            "zu",
        ]
    ),
    "Cyrillic": frozenset(["ba", "be", "cv", "kk", "ky", "mn", "os", "sr", "tg", "tt"]),
    "Arabic": frozenset(["ks", "ku", "ps", "sd", "ug"]),
    "Devanagari": frozenset(["sa"]),
}

# Prose, for a declaration to be believed: this many distinct words, this many
# characters per word at most on average.
_UNPROFILED_WORDS = 5
_UNPROFILED_WORD_CHARS = 12

_CJK = frozenset({"Han", "Hiragana", "Katakana", "Hangul", "Bopomofo"})

# The scripts a language is normally written in, for "is this line foreign?".
# Languages written in Latin letters are the default and are not listed; nor
# are those whose one script names them (SCRIPT_LANGUAGE), added below.
_NON_LATIN_LANGUAGE_SCRIPTS: dict[str, frozenset[str]] = {
    **{code: frozenset({script}) for script, code in SCRIPT_LANGUAGE.items()},
    "zh": frozenset({"Han", "Bopomofo"}),
    "ja": frozenset({"Han", "Hiragana", "Katakana"}),
    "ko": frozenset({"Hangul", "Han"}),
    "ru": frozenset({"Cyrillic"}),
    "uk": frozenset({"Cyrillic"}),
    "bg": frozenset({"Cyrillic"}),
    "mk": frozenset({"Cyrillic"}),
    "be": frozenset({"Cyrillic"}),
    "kk": frozenset({"Cyrillic"}),
    "ky": frozenset({"Cyrillic"}),
    "tg": frozenset({"Cyrillic"}),
    "sr": frozenset({"Cyrillic", "Latin"}),
    "mn": frozenset({"Cyrillic", "Mongolian"}),
    "ar": frozenset({"Arabic"}),
    "fa": frozenset({"Arabic"}),
    "ur": frozenset({"Arabic"}),
    "ps": frozenset({"Arabic"}),
    "sd": frozenset({"Arabic"}),
    "ug": frozenset({"Arabic"}),
    "ku": frozenset({"Arabic", "Latin"}),
    "hi": frozenset({"Devanagari"}),
    "mr": frozenset({"Devanagari"}),
    "ne": frozenset({"Devanagari"}),
    "sa": frozenset({"Devanagari"}),
    "yi": frozenset({"Hebrew"}),
    "as": frozenset({"Bengali"}),
    "ti": frozenset({"Ethiopic"}),
}
# Old or regional tags that pages still declare, mapped onto the codes returned here.
_HINT_ALIASES: dict[str, str] = {
    "nb": "no",
    "nn": "no",
    "iw": "he",
    "in": "id",
    "ji": "yi",
    "fil": "tl",
    "jw": "jv",
}

# Below this many letters a text says nothing reliable about its language.
MIN_LETTERS = 3
# Below this many letters of a shared script, n-gram statistics are not trusted.
MIN_STAT_LETTERS = 12
# Bound on the characters examined: the whole text below it, windows across it above.
SAMPLE_CHARS = 2400
SAMPLE_WINDOWS = 6
# Posteriors are computed as if from at most this many n-grams: naive Bayes is
# otherwise certain of everything, and confidence should separate a clear
# article from a two-line teaser in a neighbouring language.
EVIDENCE_CAP = 40
# Fewer distinct words than this (or than this share of the words read) is a
# repeated token, a label or markup, not prose: prose stays above 0.13.
MIN_DISTINCT_WORDS = 3
_MIN_WORD_VARIETY = 0.08
# Log-likelihood per character (in nats above langdetect's floor) of the best
# language: real prose scores 10-12.5 even on a sentence (8 for Kazakh, which
# has no profile), random letters 7.1-7.5, base64 about 5. Below the floor the
# text is not taken for a language at all; confidence grows up to full.
_FIT_FLOOR = 7.75
_FIT_FULL = 10.0
# Share of visible bytes that may be ASCII digits and symbols before confidence
# drops, and how far it drops: a table of figures still has a language.
_PROSE_SYMBOLS = 0.15
_PROSE_FLOOR = 0.25
_ASCII_SPACE = b" \t\n\r\x0b\x0c"
_NOT_ASCII_SYMBOL = bytes(b for b in range(256) if not (0x21 <= b <= 0x7E) or chr(b).isalpha())
# The declared language's prior odds against each other language of its script.
HINT_WEIGHT = 5.0

_SUBTAG_BREAK = re.compile(r"[-_]")
_URL = re.compile(r"https?://[-_.?&~;+=/#0-9A-Za-z]{1,2076}")
_MAIL = re.compile(r"[-_.0-9A-Za-z]{1,64}@[-_0-9A-Za-z]{1,255}[-_.0-9A-Za-z]{1,255}")

# Fixed-point packing of one n-gram's scores for all languages of a script
# into one integer: each language gets a 24-bit lane holding
# round(_SCALE * log(1 + p / w)), so summing the integers of all n-grams sums
# every language's log-likelihood at once, in C, exactly and in the same
# order on every machine.
_SCALE = 1000
# A chunk of at most _CHUNK_CHARS characters has at most _CHUNK_CHARS + 3 windows
# of three n-grams of at most round(_SCALE * log(1 + 1 / _SMOOTHING)) = 9904
# each: 24 bits hold their sum.
_CHUNK_CHARS = 200
_LANE_BITS = 24
_LANE_MASK = (1 << _LANE_BITS) - 1
# Up to this many distinct characters to change, str.replace beats str.translate.
_MAX_REPLACES = 24
_ASCII_BLANKS = bytes(
    b if (0x41 <= b <= 0x5A or 0x61 <= b <= 0x7A or b >= 0x80) else 0x20 for b in range(256)
)
_ASCII_ALL_BLANKS = bytes(b if b >= 0x80 else 0x20 for b in range(256))
_ASCII_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
# Reading stops once the best language leads the next by this many nats.
_STOP_MARGIN = 40
# langdetect's smoothing: every n-gram multiplies a language by (alpha / 10000 + p).
_SMOOTHING = 0.5 / 10000


@dataclass(frozen=True, slots=True)
class LanguageResult:
    """A language decision: `code` is ISO 639-1 or None when the text cannot tell."""

    code: str | None
    confidence: float
    method: str


_UNDETERMINED = LanguageResult(None, 0.0, "none")


@dataclass(frozen=True, slots=True)
class LineLanguage:
    """Facts about one line's writing, for a cleaner that decides what to do with it.

    `foreign_script` is True when the line's letters are mostly in a script
    the article's language is not written in (None when either is unknown).
    `is_sentence` and `keyword_like` separate a quoted sentence in another
    language from a row of keywords: that policy stays with the cleaner.
    """

    script: str | None
    language: str | None
    letters: int
    letter_share: float
    script_share: float
    foreign_script: bool | None
    is_sentence: bool
    keyword_like: bool


@dataclass(frozen=True, slots=True)
class _Profiles:
    """The profiles of one script's languages, packed: n-gram -> one lane per language.

    Each entry already holds the scores of the shorter n-grams that end it
    ("abc" holds "abc" + "bc" + "c"), so a text costs one look-up and one
    addition per character wherever its trigram is known.
    """

    languages: tuple[str, ...]
    uni: dict[str, int]
    bi: dict[str, int]
    tri: dict[str, int]


def detect_language(
    text: str, *, hint: str | None = None, backend: Backend = DEFAULT_BACKEND
) -> LanguageResult:
    """The language of an article; None when the text is numbers, links or too few letters.

    `hint` (the page's declared language) only breaks near-ties between
    languages of the text's script; clear evidence always wins over it.
    """
    try:
        return _detect(text, _normalise_hint(hint), backend)
    except Exception:
        # A language we cannot read is a rejection reason, never a crash.
        return _UNDETERMINED


def line_language(line: str, doc_language: str | None) -> LineLanguage:
    """Script facts about one short line, cheap enough to call on every line of a page.

    Short lines are judged by script alone: statistics on a handful of words
    guess, while a line's script can be read with certainty.
    """
    try:
        return _line_facts(line, _normalise_hint(doc_language))
    except Exception:
        return LineLanguage(None, None, 0, 0.0, 0.0, None, False, False)


def load_profiles(backend: Backend = DEFAULT_BACKEND) -> None:
    """Read a backend's profiles now, in a worker's initializer, not on its first document.

    Loading takes a few hundred milliseconds once per process; everything
    after that is per document.
    """
    if backend == "langdetect":
        _factory()
    else:
        _script_profiles("Latin")  # the others, on the first text in their script
        _capital_words()


def language_scripts(code: str) -> frozenset[str]:
    """The scripts a language is normally written in (Latin when not known otherwise)."""
    return _NON_LATIN_LANGUAGE_SCRIPTS.get(code, frozenset({"Latin"}))


@lru_cache(maxsize=256)
def _normalise_hint(hint: str | None) -> str | None:
    """The primary subtag of a declared language ("en-US" -> "en"), in the codes returned here."""
    if not isinstance(hint, str):
        return None
    primary = _SUBTAG_BREAK.split(hint.strip().lower(), maxsplit=1)[0]
    if not primary.isascii() or not primary.isalpha() or not 2 <= len(primary) <= 3:
        return None
    return _HINT_ALIASES.get(primary, primary)


def _detect(text: str, hint: str | None, backend: Backend) -> LanguageResult:
    """Script first; statistics only among the languages of a shared script."""
    sample = _sample(text)
    if "http" in sample:
        sample = _URL.sub(" ", sample)
    if "@" in sample:
        sample = _MAIL.sub(" ", sample)
    scripts = estimate_script_counts(sample)
    letters = sum(scripts.values())
    if letters < MIN_LETTERS:
        return _UNDETERMINED
    group, group_letters = _main_group(scripts)
    share = group_letters / letters
    if group == "CJK":
        return _decide_cjk(scripts, group_letters, share, hint)
    if group in SCRIPT_LANGUAGE:
        return _decide_by_script(group, group_letters, share, hint)
    candidates = SCRIPT_CANDIDATES.get(group)
    if candidates is None:
        return _UNDETERMINED
    if group_letters < MIN_STAT_LETTERS:
        # Too little text for statistics: the declaration, weakly, if the script allows it.
        return LanguageResult(hint, 0.3, "hint") if hint in candidates else _UNDETERMINED
    if backend == "langdetect":
        posterior, fit = _langdetect_posterior(sample, group, candidates), 1.0
    else:
        posterior, fit = _nb_posterior(sample, group, candidates)
    if not posterior:
        return _unprofiled_hint(hint, group, sample)
    return _decide_statistical(posterior, share * fit * _prose_share(sample), hint, backend)


def _unprofiled_hint(hint: str | None, script: str, sample: str) -> LanguageResult:
    """The declared language, weakly, when the text fits no profile because it has none.

    Yoruba, Hausa or Tatar fit none of langdetect's profiles well, so their
    articles would read as "no language" and be lost. When the page declares
    such a language, written in the text's script, the declaration is all
    the evidence there is; a declared language that has a profile and still
    does not fit stays undetermined, and so does text that is not prose at
    all (too few distinct words, or "words" too long to be any: base64, hashes).
    """
    if hint is None or hint not in UNPROFILED.get(script, ()):
        return _UNDETERMINED
    words = sample.split()
    if len(set(words)) < _UNPROFILED_WORDS or len(sample) > _UNPROFILED_WORD_CHARS * len(words):
        return _UNDETERMINED
    return LanguageResult(hint, 0.3, "hint")


def _decide_by_script(script: str, letters: int, share: float, hint: str | None) -> LanguageResult:
    """The language a script names, or the declared one when it is written in that script too.

    The script is all the evidence there is, so a declared language that
    shares it (Yiddish in Hebrew letters, Assamese in Bengali) is not contradicted.
    """
    confidence = _script_confidence(letters, share)
    if hint is not None and hint != SCRIPT_LANGUAGE[script] and script in language_scripts(hint):
        return LanguageResult(hint, confidence, "script+hint")
    return LanguageResult(SCRIPT_LANGUAGE[script], confidence, "script")


def _prose_share(sample: str) -> float:
    """1.0 for ordinary prose, less as digits and ASCII symbols crowd out the words.

    Prose has a few percent of punctuation; tables of figures, code and
    markup have far more, and their "language" is a weaker claim.
    """
    encoded = sample.encode("utf-8", "replace")
    visible = len(encoded.translate(None, _ASCII_SPACE))
    symbols = len(encoded.translate(None, _NOT_ASCII_SYMBOL))
    if not visible:
        return 0.0
    return max(_PROSE_FLOOR, 1.0 - max(0.0, symbols / visible - _PROSE_SYMBOLS) * 3)


def _sample(text: str) -> str:
    """At most SAMPLE_CHARS characters, taken as evenly spaced windows across the text.

    Windows rather than the head, because the head of an article is where a
    dateline, a caption or a quote in another language is likeliest.
    """
    if len(text) <= SAMPLE_CHARS:
        return text
    width = SAMPLE_CHARS // SAMPLE_WINDOWS
    step = (len(text) - width) / (SAMPLE_WINDOWS - 1)
    parts = []
    for i in range(SAMPLE_WINDOWS):
        start = round(i * step)
        window = text[start : start + width]
        # Cut at white space so that no window starts or ends inside a word.
        if i:
            cut = window.find(" ")
            window = window[cut + 1 :] if 0 <= cut < width // 4 else window
        cut = window.rfind(" ")
        window = window[:cut] if cut > width * 3 // 4 else window
        parts.append(window)
    return "\n".join(parts)


def _main_group(scripts: Counter[str]) -> tuple[str, int]:
    """The script with most letters, Chinese, Japanese and Korean scripts counted as one."""
    if len(scripts) == 1:
        ((name, n),) = scripts.items()
        return ("CJK" if name in _CJK else name), n
    groups: Counter[str] = Counter()
    for name, n in scripts.items():
        groups["CJK" if name in _CJK else name] += n
    return groups.most_common(1)[0]


def _script_confidence(letters: int, share: float) -> float:
    """Certain about the script, less so about a text that is mostly something else or tiny."""
    return round(share * min(1.0, 0.5 + letters / 40), 4)


def _decide_cjk(
    scripts: Counter[str], cjk_letters: int, share: float, hint: str | None
) -> LanguageResult:
    """Hangul is Korean, kana is Japanese, Han alone is Chinese unless the page says Japanese."""
    hangul = scripts["Hangul"]
    kana = scripts["Hiragana"] + scripts["Katakana"]
    confidence = _script_confidence(cjk_letters, share)
    if hangul and hangul >= kana and hangul * 10 >= cjk_letters:
        return LanguageResult("ko", confidence, "script")
    if kana and kana * 20 >= cjk_letters:
        return LanguageResult("ja", confidence, "script")
    if hint == "ja":
        # Han without kana is a headline or a list in Japanese as often as it is Chinese.
        return LanguageResult("ja", round(confidence * 0.8, 4), "script+hint")
    return LanguageResult("zh", confidence, "script")


def _decide_statistical(
    posterior: dict[str, float], trust: float, hint: str | None, backend: str
) -> LanguageResult:
    """The most probable language, the declared one counted as a prior of HINT_WEIGHT to one.

    A prior, not an override: it turns a near-tie between neighbours (Danish
    and Norwegian, Croatian and Slovene) and is outweighed by clear text.
    """
    plain = _most_probable(posterior)
    if hint in posterior:
        weighted = {
            code: p * (HINT_WEIGHT if code == hint else 1.0) for code, p in posterior.items()
        }
        norm = sum(weighted.values())
        posterior = {code: p / norm for code, p in weighted.items()}
    best = _most_probable(posterior)
    method = f"{backend}+hint" if best != plain else backend
    return LanguageResult(best, round(min(1.0, posterior[best] * trust), 4), method)


def _most_probable(posterior: dict[str, float]) -> str:
    """The language of highest probability, the later code on a tie (compared in C)."""
    return max(zip(posterior.values(), posterior.keys(), strict=True))[1]


def _other_script_letters(text: str, script: str) -> dict[int, str]:
    """A translate table blanking letters of other scripts, so a quote does not vote."""
    table: dict[int, str] = {}
    if script != "Latin":
        table.update((ord(ch), " ") for ch in _ASCII_LETTERS)
    for ch in non_ascii_set(text):
        other = char_script(ch)
        if other is not None and other != script:
            table[ord(ch)] = " "
    return table


# ---------------------------------------------------------------- naive Bayes backend


@cache
def _script_profiles(script: str) -> _Profiles:
    """langdetect's profiles of one shared script's languages, packed, read on first use.

    One table per script keeps each packed integer as narrow as the
    languages that compete in that script; a process reads only the scripts
    its texts are written in (most runs, Latin alone).
    """
    scores = {
        code: grams
        for code in SCRIPT_CANDIDATES[script]
        if (grams := _profile_scores(code)) is not None
    }
    languages = tuple(scores)
    packed: dict[str, int] = {}
    for index, code in enumerate(languages):
        shift = index * _LANE_BITS
        for gram, score in scores[code].items():
            packed[gram] = packed.get(gram, 0) | (score << shift)
    uni = {g: v for g, v in packed.items() if len(g) == 1}
    bi = {g: v + uni.get(g[1], 0) for g, v in packed.items() if len(g) == 2}
    tri = {g: v + packed.get(g[1:], 0) + uni.get(g[2], 0) for g, v in packed.items() if len(g) == 3}
    return _Profiles(languages, uni, bi, tri)


def _profile_scores(code: str) -> dict[str, int] | None:
    """One language's n-gram scores from langdetect's profile file; None when it has none."""
    import json
    from pathlib import Path

    from langdetect.detector_factory import PROFILES_DIRECTORY

    path = Path(PROFILES_DIRECTORY) / code
    if not path.is_file():
        return None
    profile = json.loads(path.read_text(encoding="utf-8"))
    totals = profile["n_words"]
    log1p = math.log1p
    grams: dict[str, int] = {}
    for gram, freq in profile["freq"].items():
        size = len(gram)
        if 1 <= size <= 3 and gram != " " and totals[size - 1] > 0:
            grams[gram] = round(_SCALE * log1p(freq / totals[size - 1] / _SMOOTHING))
    return grams


@lru_cache(maxsize=8192)
def _ngram_char(ch: str, script: str) -> str:
    """langdetect's normalisation of one character, letters of other scripts blanked.

    Using langdetect's own function keeps our n-grams the ones its profiles
    counted; blanking other scripts keeps a quote from voting.
    """
    from langdetect.utils.ngram import NGram

    other = char_script(ch)
    if other is not None and other != script:
        return " "
    return str(NGram.normalize(ch))


def _ngram_text(text: str, script: str) -> str:
    """Text after langdetect's character normalisation, other scripts blanked, capitals dropped.

    Words in capitals are left out, as langdetect skips n-grams inside runs
    of capitals: acronyms and shouted headings say little of a language.
    """
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    # ASCII punctuation and digits become spaces in one byte-level C pass (and
    # ASCII letters too outside Latin, as langdetect does); UTF-8 never uses
    # bytes below 0x80 inside a multi-byte character.
    blanks = _ASCII_BLANKS if script == "Latin" else _ASCII_ALL_BLANKS
    text = text.encode("utf-8", "replace").translate(blanks).decode("utf-8", "replace")
    swaps = {}
    for ch in non_ascii_set(text):
        normal = _ngram_char(ch, script)
        if normal != ch:
            swaps[ord(ch)] = normal
    if len(swaps) > _MAX_REPLACES:
        text = text.translate(swaps)
    else:
        for code, normal in swaps.items():
            text = text.replace(chr(code), normal)
    return " ".join(_capital_words().sub(" ", text).split())


@lru_cache(maxsize=1)
def _capital_words() -> re.Pattern[str]:
    """Words of two or more capitals (any script), built once from Unicode's own case data."""
    upper = [chr(cp) for cp in range(0x10000) if chr(cp).isupper()]
    runs: list[str] = []
    start = prev = ord(upper[0])
    for cp in map(ord, upper[1:]):
        if cp != prev + 1:
            runs.append(_char_range(start, prev))
            start = cp
        prev = cp
    runs.append(_char_range(start, prev))
    return re.compile(rf"(?<!\S)[{''.join(runs)}]{{2,}}(?!\S)")


def _char_range(first: int, last: int) -> str:
    if first == last:
        return re.escape(chr(first))
    return f"{re.escape(chr(first))}-{re.escape(chr(last))}"


def _chunk_score(chunk: str, profiles: _Profiles) -> int:
    """Packed log-likelihoods of the 1-, 2- and 3-grams of one space-separated chunk.

    Every character closes one window of three; a known trigram scores the
    window whole, else its bigram, else its last character. All loops run in
    C; windows that span a space inside are never in a profile.
    """
    padded = f"  {chunk[:_CHUNK_CHARS]} "
    windows = list(map(operator.add, map(operator.add, padded, padded[1:]), padded[2:]))
    found = list(map(profiles.tri.get, windows))
    total = sum(filter(None, found))
    missed = compress(windows, map(operator.is_, found, repeat(None)))
    tails = list(map(operator.getitem, missed, repeat(slice(1, None))))
    if tails:
        found = list(map(profiles.bi.get, tails))
        total += sum(filter(None, found))
        missed = compress(tails, map(operator.is_, found, repeat(None)))
        lasts = map(operator.getitem, missed, repeat(-1))
        total += sum(map(profiles.uni.get, lasts, repeat(0)))
    return total


def _nb_posterior(
    sample: str, script: str, candidates: tuple[str, ...]
) -> tuple[dict[str, float], float]:
    """Naive Bayes over langdetect's profiles, on chunks spread across the sample.

    Each chunk is every k-th word of the sample, so the first chunk already
    sees the whole text; later chunks are read only while the two best
    languages are still close, which is what keeps clear articles cheap.
    Also returns how well the best language fits at all (0..1): random
    letters, base64 or code still have a "best" language, but a poor one.
    """
    profiles = _script_profiles(script)
    words = sample.split()
    stride = max(1, -(-len(sample) // _CHUNK_CHARS))
    lanes = [0] * len(profiles.languages)
    windows = 0
    distinct: set[str] = set()
    seen = 0
    for k in range(stride):
        chunk = _ngram_text(" ".join(words[k::stride]), script)
        if not chunk:
            continue
        total = _chunk_score(chunk, profiles)
        windows += min(len(chunk), _CHUNK_CHARS) + 1
        chunk_words = chunk.split()
        distinct.update(chunk_words)
        seen += len(chunk_words)
        for i in range(len(lanes)):
            lanes[i] += (total >> (i * _LANE_BITS)) & _LANE_MASK
        first, second = heapq.nlargest(2, lanes)
        if first - second >= _STOP_MARGIN * _SCALE:
            break
    top = max(lanes)
    fit = (top / _SCALE / windows - _FIT_FLOOR) / (_FIT_FULL - _FIT_FLOOR) if windows else 0.0
    if len(distinct) < max(MIN_DISTINCT_WORDS, _MIN_WORD_VARIETY * seen) or fit <= 0.0:
        return {}, 0.0
    # Temper as if the text held at most EVIDENCE_CAP n-grams (three per window).
    temper = min(1.0, EVIDENCE_CAP / (3 * windows)) / _SCALE
    weights = {
        code: math.exp((lanes[i] - top) * temper)
        for i, code in enumerate(profiles.languages)
        if code in candidates
    }
    norm = sum(weights.values())
    return {code: w / norm for code, w in weights.items()}, min(1.0, max(0.0, fit))


# ---------------------------------------------------------------- langdetect's own detector


@lru_cache(maxsize=1)
def _factory() -> DetectorFactory:
    """langdetect's detector factory, profiles read in sorted order and the seed fixed.

    The library lists its profile folder in file-system order, which changes
    the order of its floating-point sums from one machine to the next.
    """
    from pathlib import Path

    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()
    paths = sorted(p for p in Path(PROFILES_DIRECTORY).iterdir() if p.is_file())
    factory.load_json_profile([p.read_text(encoding="utf-8") for p in paths])
    factory.set_seed(0)
    return factory


def _langdetect_posterior(
    sample: str, script: str, candidates: tuple[str, ...]
) -> dict[str, float]:
    from langdetect.lang_detect_exception import LangDetectException

    factory = _factory()
    detector = factory.create()
    known = set(factory.get_lang_list())
    detector.set_prior_map({code: 1.0 for code in candidates if code in known})
    detector.append(sample.translate(_other_script_letters(sample, script)))
    try:
        found = detector.get_probabilities()
    except LangDetectException:
        return {}
    return {item.lang: float(item.prob) for item in found}


# ---------------------------------------------------------------- per line

# A sentence ends in a full stop, question or exclamation mark, in any script,
# possibly followed by closing quotes or brackets.
_SENTENCE_END = re.compile(r"[.!?。！？…؟।॥።][\"'”’»」』)）\]]{0,3}$")
# What separates the terms of a tag list, a menu or a keyword line.
_TERM_BREAKS = re.compile(r"[,，、|·•/;；#]+")
_TERM_BREAKS_UNSPACED = re.compile(r"[\s,，、|·•/;；#]+")


def _line_facts(line: str, doc_language: str | None) -> LineLanguage:
    # Exact for any line of ordinary length; estimated from a sample on very long ones.
    scripts = estimate_script_counts(line)
    letters = sum(scripts.values())
    if not letters:
        return LineLanguage(None, None, 0, 0.0, 0.0, None, False, False)
    words = line.split()
    visible = sum(map(len, words))
    group, group_letters = _main_group(scripts)
    if group == "CJK":
        script = max(sorted(s for s in scripts if s in _CJK), key=lambda s: scripts[s])
        line_scripts = {s for s in scripts if s in _CJK}
        language = _decide_cjk(scripts, group_letters, 1.0, doc_language).code
        # Kana and Hangul name their language; Han alone is shared by all three.
        definite = language if line_scripts & {"Hiragana", "Katakana", "Hangul"} else None
    else:
        script = group
        line_scripts = {group}
        language = definite = SCRIPT_LANGUAGE.get(group)
    foreign = None
    if doc_language is not None:
        foreign = not (language_scripts(doc_language) & line_scripts) or (
            definite is not None and doc_language in ("zh", "ja", "ko") and definite != doc_language
        )
    unspaced = script in UNSPACED
    ends = bool(_SENTENCE_END.search(line.rstrip()[-8:]))
    return LineLanguage(
        script=script,
        language=language,
        letters=letters,
        letter_share=round(letters / visible, 4) if visible else 0.0,
        script_share=round(group_letters / letters, 4),
        foreign_script=foreign,
        # Long enough to be a sentence: six characters of an unspaced script, or four words.
        is_sentence=ends and (letters >= 6 if unspaced else len(words) >= 4),
        keyword_like=not ends and _is_term_list(line, unspaced),
    )


def _is_term_list(line: str, unspaced: bool) -> bool:
    """Three or more short terms between separators: tags, menus, keyword spam.

    In scripts written without spaces a space separates terms too; in the
    others it separates words, and a term may hold up to three of them.
    """
    if unspaced:
        terms = [t for t in _TERM_BREAKS_UNSPACED.split(line) if t]
        return len(terms) >= 3 and all(len(t) <= 10 for t in terms)
    terms = [t.split() for t in _TERM_BREAKS.split(line)]
    terms = [t for t in terms if t]
    return len(terms) >= 3 and all(len(t) <= 3 for t in terms)
