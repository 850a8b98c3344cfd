"""Language identification: script first, langdetect's profiles where a script is shared.

Covers what a consumer sees: the code and confidence of an article, the
declared language as a tie-breaker only, undetermined text, determinism
across processes, and the per-line facts the cleaner uses to tell a quoted
sentence in another language from keyword spam.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest
from hypothesis import given

from presswash.parsers.language import (
    BACKENDS,
    LanguageResult,
    LineLanguage,
    detect_language,
    line_language,
)
from tests.conftest import shared_or_skip
from tests.fuzzing import FUZZ, page_text

ENGLISH = (
    "The city council approved a plan on Tuesday to turn the old railway depot into a "
    "public library, ending a debate that has divided residents for more than a decade. "
    "Supporters said the building would finally be used for something everyone could enjoy."
)
GERMAN = (
    "Der Stadtrat hat am Dienstag beschlossen, das alte Bahndepot in eine öffentliche "
    "Bibliothek umzuwandeln. Damit endet ein Streit, der die Bewohner seit mehr als zehn "
    "Jahren gespalten hat. Die Befürworter sagten, das Gebäude werde endlich genutzt."
)
RUSSIAN = (
    "Городской совет во вторник одобрил план превращения старого железнодорожного депо "
    "в публичную библиотеку, положив конец спору, который разделял жителей более десяти лет."
)
UKRAINIAN = (
    "Міська рада у вівторок схвалила план перетворення старого залізничного депо на "
    "публічну бібліотеку, що поклало край суперечці, яка розділяла мешканців понад десять років."
)
ARABIC = (
    "وافق مجلس المدينة يوم الثلاثاء على خطة لتحويل مستودع السكك الحديدية القديم إلى مكتبة "
    "عامة، منهيا جدلا قسم السكان لأكثر من عقد من الزمن."
)
HINDI = (
    "नगर परिषद ने मंगलवार को पुराने रेलवे डिपो को सार्वजनिक पुस्तकालय में बदलने की योजना को "
    "मंजूरी दे दी, जिससे एक दशक से अधिक समय से चल रहा विवाद समाप्त हो गया।"
)
CHINESE = "市议会周二批准了一项计划，将旧铁路车站改建为公共图书馆，结束了困扰居民十多年的争论。"
TRADITIONAL_CHINESE = (
    "市議會週二批准了一項計劃，將舊鐵路車站改建為公共圖書館，結束了困擾居民十多年的爭論。"
)
JAPANESE = (
    "市議会は火曜日、古い鉄道車庫を公共図書館に改築する計画を承認し、"
    "十年以上続いた論争に終止符を打った。"
)
KOREAN = (
    "시의회는 화요일 오래된 철도 차고를 공공 도서관으로 바꾸는 계획을 승인해 "
    "10년 넘게 이어진 논쟁을 끝냈다."
)
GREEK = (
    "Το δημοτικό συμβούλιο ενέκρινε την Τρίτη σχέδιο για τη"
    " μετατροπή του παλιού σταθμού σε βιβλιοθήκη."
)
HEBREW = "מועצת העיר אישרה ביום שלישי תוכנית להפוך את מחסן הרכבות הישן לספרייה ציבורית."
THAI = "สภาเมืองอนุมัติแผนเปลี่ยนโรงเก็บรถไฟเก่าให้เป็นห้องสมุดสาธารณะเมื่อวันอังคาร"
GEORGIAN = (
    "საქალაქო საბჭომ სამშაბათს დაამტკიცა ძველი სარკინიგზო"
    " დეპოს საჯარო ბიბლიოთეკად გადაკეთების გეგმა."
)
ARMENIAN = (
    "Քաղաքային խորհուրդը երեքշաբթի հաստատեց հին երկաթուղային"
    " պահեստը հանրային գրադարանի վերածելու ծրագիրը։"
)


@pytest.mark.parametrize(
    ("text", "code", "method"),
    [
        (KOREAN, "ko", "script"),
        (JAPANESE, "ja", "script"),
        (CHINESE, "zh", "script"),
        (TRADITIONAL_CHINESE, "zh", "script"),
        (GREEK, "el", "script"),
        (HEBREW, "he", "script"),
        (THAI, "th", "script"),
        (GEORGIAN, "ka", "script"),
        (ARMENIAN, "hy", "script"),
        (ENGLISH, "en", "langdetect-nb"),
        (GERMAN, "de", "langdetect-nb"),
        (RUSSIAN, "ru", "langdetect-nb"),
        (UKRAINIAN, "uk", "langdetect-nb"),
        (ARABIC, "ar", "langdetect-nb"),
        (HINDI, "hi", "langdetect-nb"),
    ],
)
def test_article_language(text: str, code: str, method: str) -> None:
    result = detect_language(text)
    assert result == LanguageResult(code, result.confidence, method)
    assert 0.6 <= result.confidence <= 1.0


@pytest.mark.parametrize("backend", BACKENDS)
def test_both_backends_agree_on_shared_scripts(backend: str) -> None:
    for text, code in [(ENGLISH, "en"), (GERMAN, "de"), (RUSSIAN, "ru"), (ARABIC, "ar")]:
        assert detect_language(text, backend=backend).code == code  # type: ignore[arg-type]


def test_norwegian_keeps_langdetect_code_and_hint_tags_are_normalised() -> None:
    text = "Regjeringen la fram et nytt forslag om skatt på fredag, og opposisjonen var kritisk."
    assert detect_language(text).code == "no"
    assert detect_language(text, hint="nb-NO").code == "no"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t ",
        "12 345 678,90 — 2024-05-01 12:45",
        "https://example.com/news/2024/05/01/article-title?id=12345&ref=home",
        "contact: editor@example.com",
        "Hi",
        "<div><div><div><span></span></div></div></div>" * 200,
        "qxzvbk wprtz mnbvcx lkjhgf pqwzx vbnmk trewq zxcvb poiuy lkjhg mnbvq wxzq" * 3,
        "aGVsbG8gd29ybGQgdGhpcyBpcyBiYXNlNjQgZW5jb2RlZCB0ZXh0IG9mIHNvbWUgbGVuZ3Ro" * 4,
    ],
)
def test_undetermined_text_gets_no_code(text: str) -> None:
    assert detect_language(text) == LanguageResult(None, 0.0, "none")


def test_hint_breaks_a_near_tie_between_neighbours() -> None:
    text = "Han bor i et hus ved havet."
    assert detect_language(text).code == "da"
    nb = detect_language(text, hint="nb")
    assert nb.code == "no"
    assert nb.method == "langdetect-nb+hint"


def test_hint_never_overrides_clear_evidence() -> None:
    assert detect_language(ENGLISH, hint="fr").code == "en"
    assert detect_language(GERMAN, hint="en-US").code == "de"
    assert detect_language(KOREAN, hint="ja").code == "ko"


def test_han_only_text_follows_a_japanese_declaration() -> None:
    headline = "東京都知事選挙 投票率過去最低"
    assert detect_language(headline).code == "zh"
    assert detect_language(headline, hint="ja").code == "ja"


def test_a_script_shared_by_the_declared_language_follows_it() -> None:
    yiddish = "די שטאָט האָט באַשלאָסן צו בויען אַ נײַע ביבליאָטעק לעבן דער באַן."
    assert detect_language(yiddish).code == "he"
    assert detect_language(yiddish, hint="yi").code == "yi"
    assert detect_language(HEBREW, hint="ru").code == "he"


def test_a_few_letters_with_a_declared_language_give_a_weak_answer() -> None:
    result = detect_language("Bonjour!", hint="fr-FR")
    assert result.code == "fr"
    assert result.confidence < 0.5


def test_quote_in_another_script_does_not_change_the_article() -> None:
    text = f"{ENGLISH}\n“改革开放是决定当代中国命运的关键一招。”\n{ENGLISH}"
    assert detect_language(text).code == "en"


def test_sample_is_taken_across_the_text_not_only_the_head() -> None:
    # A long English editor's note on top of a longer German article: the
    # first few thousand characters are English, most of the text is German.
    text = "\n".join([ENGLISH] * 12 + [GERMAN] * 40)
    assert detect_language(text[:2400]).code == "en"
    assert detect_language(text).code == "de"


def test_markup_and_binary_garbage_get_no_language() -> None:
    nasty = [
        "\x00\x01\x02\xff" * 5000,
        "\ud800 lone surrogate \udfff",
        "<" * 100_000,
        "<div>" * 50_000 + ENGLISH,
        "\u200b\u200e\ufeff" * 1000,
        "a" * 300_000,
        "é" * 300_000,
    ]
    for text in nasty:
        result = detect_language(text, hint="\x00 weird")
        assert result == LanguageResult(None, 0.0, "none"), repr(text[:20])
        assert 0.0 <= result.confidence <= 1.0
        facts = line_language(text, "en")
        assert facts.language is None and facts.foreign_script is not True, repr(text[:20])


def test_huge_article_costs_what_a_short_one_costs() -> None:
    huge = "\n".join([ENGLISH, GERMAN] * 3000)  # about 1.3 MB
    detect_language(ENGLISH)
    start = time.perf_counter()
    for _ in range(20):
        detect_language(huge)
    assert (time.perf_counter() - start) / 20 < 0.02


def test_profiles_are_loaded_lazily_and_answers_repeat_in_a_fresh_process() -> None:
    texts = [ENGLISH, GERMAN, RUSSIAN, ARABIC, HINDI, KOREAN, "Han bor i et hus ved havet."]
    code = (
        "import json, sys\n"
        "import presswash.parsers.language as language\n"
        "assert 'langdetect' not in sys.modules, 'profiles loaded at import'\n"
        "for backend in language.BACKENDS: language.load_profiles(backend)\n"
        "texts = json.load(sys.stdin)\n"
        "out = [[language.detect_language(t, backend=b).code for t in texts]\n"
        "       for b in language.BACKENDS]\n"
        "print(json.dumps(out))\n"
    )
    env = dict(os.environ, PYTHONHASHSEED="4242")
    done = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=120,
    )
    here = [[detect_language(t, backend=b).code for t in texts] for b in BACKENDS]
    assert json.loads(done.stdout) == here


def test_dev_set_accuracy() -> None:
    folder = shared_or_skip("bench", "lang")
    truth = json.loads((folder / "dev.truth.json").read_text(encoding="utf-8"))
    wrong = []
    with (folder / "dev.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            found = detect_language(record["text"]).code
            expected = truth[record["id"]]
            if found != expected and not (found == "no" and expected == "nb"):
                wrong.append((record["id"], expected, found))
    assert len(wrong) <= 2, wrong


# ---------------------------------------------------------------- per line


def test_quoted_chinese_sentence_in_english_article_is_a_foreign_sentence() -> None:
    facts = line_language("“我们将继续推进改革开放，为世界带来更多机遇。”他说。", "en")
    assert facts.script == "Han"
    assert facts.language == "zh"
    assert facts.foreign_script is True
    assert facts.is_sentence is True
    assert facts.keyword_like is False


def test_chinese_keyword_spam_on_english_page_is_foreign_keywords() -> None:
    facts = line_language("免费电影 在线观看 高清电影 最新电影 电影下载 手机看片", "en")
    assert facts.script == "Han"
    assert facts.foreign_script is True
    assert facts.is_sentence is False
    assert facts.keyword_like is True


def test_line_in_the_article_script_is_not_foreign() -> None:
    facts = line_language("The minister said the reform would continue next year.", "en-GB")
    assert facts == LineLanguage("Latin", None, 45, 0.9783, 1.0, False, True, False)
    assert line_language("東京都知事選挙", "ja").foreign_script is False
    assert line_language("서울 (연합뉴스)", "ko").foreign_script is False


def test_japanese_line_in_chinese_article_is_foreign() -> None:
    facts = line_language("これは日本語の文です。", "zh")
    assert facts.language == "ja"
    assert facts.foreign_script is True


def test_menu_row_is_keyword_like_and_figures_have_no_script() -> None:
    assert line_language("Home | News | Sport | Weather | Culture", "en").keyword_like is True
    figures = line_language("12:45 — 3,5 %", "en")
    assert figures.script is None
    assert figures.letters == 0
    assert figures.foreign_script is None


def test_line_facts_without_article_language() -> None:
    facts = line_language("Москва, 12 мая", None)
    assert facts.script == "Cyrillic"
    assert facts.foreign_script is None
    assert line_language("Москва, 12 мая", "en").foreign_script is True
    assert line_language("Москва, 12 мая", "ru").foreign_script is False


@FUZZ
@given(text=page_text)
def test_language_is_a_code_or_none(text: str) -> None:
    result = detect_language(text)
    assert result.code is None or (result.code.isalpha() and result.code.islower())
    assert 0.0 <= result.confidence <= 1.0
