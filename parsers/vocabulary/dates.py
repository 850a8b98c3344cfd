"""The words pages print around a date: month names, labels, clocks, ages, "updated".

Month names cover every language read; the other lists are the labels and
short lines that carry a date ("Published:", "Last updated", "09:15",
"3 hours ago", "5 min read"). The grammar of a date (the order of day, month
and year, digits and separators) is the date readers' own
(`presswash.parsers.dates`, `presswash.parsers.html.dates`); a month there is
any word, looked up in `MONTHS`.
"""

from __future__ import annotations

import re

from presswash.parsers.vocabulary.compose import any_phrase

# --- month names: the words a page prints for a month, per language ------------------------
# Each group lists one month's names and abbreviations in the languages read, nominative
# and the genitive or locative forms dates take ("5 марта", "5. března", "kovo 5 d.").
# A word that names different months in two languages (Croatian "listopad" is October,
# Polish and Czech "listopad" November) is left out: a date read from it could be wrong.
_MONTH_WORDS = (
    # 1
    "gener janar january jan janvier janv januar jän jänner enero ene janeiro gennaio "
    "gen januari styczeń stycznia styczen leden ledna januára január ocak ianuarie ian "
    "tammikuu tammikuuta siječanj siječnja sijecnja januarja jaanuar sausio sausis "
    "janvāris janvārī enero январь января янв січень січня січ януари јануар јануара "
    "ιανουαρίου ιανουάριος ιαν يناير كانون الثاني جانفي ינואר जनवरी",
    # 2
    "febrer shkurt february feb février févr fevrier februar febrero febr "
    "fevereiro fev febbraio februari luty lutego únor února februára február şubat subat "
    "februarie feb helmikuu helmikuuta veljača veljače veljace februarja veebruar "
    "vasario vasaris februāris februārī pebrero февраль февраля фев февр лютий лютого "
    "лют февруари фебруар фебруара φεβρουαρίου φεβρουάριος φεβ فبراير شباط فيفري פברואר "
    "फ़रवरी फरवरी",
    # 3
    "març machi march mar mars märz maerz mrz marzo março marco maart marca marzec března "
    "marec marca márc március mart martie maaliskuu maaliskuuta ožujak ožujka ozujka "
    "marca marec marts märts kovo kovas marts martā maret mac marso март марта березень "
    "березня бер μαρτίου μάρτιος μαρ مارس آذار מרץ מארס मार्च",
    # 4
    "prill aprili april apr avril abril aprile kwiecień kwietnia kwiecien duben dubna "
    "apríla apríl április ápr nisan aprilie travanj travnja aprila aprill balandžio "
    "balandis aprīlis aprīlī abril апрель апреля апр квітень квітня квіт април априла "
    "απριλίου απρίλιος απρ أبريل ابريل إبريل نيسان אפריל अप्रैल",
    # 5
    "maig may mai mayo maio maggio mag mei maj maja květen května mája máj május mayıs "
    "mayis toukokuu toukokuuta svibanj svibnja maja gegužės gegužė maijs maijā mayo май "
    "мая травень травня трав мај маја μαΐου μαίου μάιος μαι مايو ايار أيار מאי मई",
    # 6
    "juny qershor june jun juin juni junio junho giugno giu czerwiec czerwca červen "
    "června júna jún június jún haziran iunie kesäkuu kesäkuuta lipanj lipnja junija "
    "juuni birželio birželis jūnijs jūnijā hunyo июнь июня июн червень червня черв юни "
    "јун јуна ιουνίου ιούνιος ιουν يونيو حزيران جوان יוני जून",
    # 7
    "juliol korrik july jul juillet juli julio julho luglio lug lipiec lipca červenec "
    "července júla júl július temmuz iulie heinäkuu heinäkuuta srpanj srpnja julija "
    "juuli liepos liepa jūlijs jūlijā julai hulyo июль июля июл липень липня лип юли јул "
    "јула ιουλίου ιούλιος ιουλ يوليو تموز جويلية יולי जुलाई",
    # 8
    "gusht agosti august aug août aout agosto ago augustus sierpień sierpnia sierpien "
    "srpen srpna augusta augusztus aug ağustos agustos elokuu elokuuta kolovoz kolovoza "
    "avgust avgusta rugpjūčio rugpjūtis augusts augustā agustus ogos avgust август "
    "августа авг серпень серпня серп август августа αυγούστου αύγουστος αυγ أغسطس اغسطس "
    "آب أوت אוגוסט अगस्त",
    # 9
    "setembre shtator septemba september sep sept septembre septiembre setembro set "
    "settembre wrzesień września wrzesien wrzesnia září septembra szeptember szept eylül "
    "eylul septembrie syyskuu syyskuuta rujan rujna septembra rugsėjo rugsėjis "
    "septembris septembrī setyembre сентябрь сентября сен сент вересень вересня вер "
    "септември септембар септембра σεπτεμβρίου σεπτέμβριος σεπ سبتمبر أيلول ايلول ספטמבר "
    "सितंबर सितम्बर",
    # 10
    "tetor oktoba october oct octobre oktober okt octubre outubro out ottobre ott "
    "października październik pazdziernika říjen října októbra október ekim octombrie "
    "lokakuu lokakuuta oktobra oktoober spalio spalis oktobris oktobrī oktubre октябрь "
    "октября окт жовтень жовтня жовт октомври октобар октобра οκτωβρίου οκτώβριος οκτ "
    "أكتوبر اكتوبر تشرين الأول אוקטובר अक्टूबर",
    # 11
    "nëntor novemba november nov novembre noviembre novembro listopad listopada "
    "listopadu novembra november kasım kasim noiembrie marraskuu marraskuuta studeni "
    "studenoga novembra novembris novembrī lapkričio lapkritis nobyembre ноябрь ноября "
    "ноя нояб листопад листопада лист ноември новембар новембра νοεμβρίου νοέμβριος νοε "
    "نوفمبر تشرين الثاني نوفمبر נובמבר नवंबर नवम्बर",
    # 12
    "desembre dhjetor desemba december dec décembre decembre dezember dez diciembre dic "
    "dezembro dicembre grudzień grudnia grudzien prosinec prosince decembra december "
    "aralık aralik decembrie joulukuu joulukuuta prosinac prosinca decembra detsember "
    "gruodžio gruodis decembris decembrī desember disember disyembre декабрь декабря дек "
    "грудень грудня груд декември децембар децембра δεκεμβρίου δεκέμβριος δεκ ديسمبر "
    "كانون الأول דצמבר दिसंबर दिसम्बर",
)
# Two-word month names (Levantine Arabic): the regexes read the second word as part of the name.
MONTH_SECOND_WORDS = ("الأول", "الثاني")


def _month_table() -> dict[str, int]:
    """Lower-cased month word -> month number; Hebrew also with its prefix 'ב' ("in")."""
    table: dict[str, int] = {}
    for number, words in enumerate(_MONTH_WORDS, start=1):
        for word in re.findall(rf"\S+(?: (?:{'|'.join(MONTH_SECOND_WORDS)}))?", words):
            table.setdefault(word.lower(), number)
            if "\u05d0" <= word[0] <= "\u05ea":
                table.setdefault("\u05d1" + word, number)
    return table


MONTHS: dict[str, int] = _month_table()


# A month slot of the date grammars: any word (looked up in MONTHS afterwards), so one short
# pattern reads every language's "5 March 2024" without an alternation of hundreds of names.
MONTH_WORD = rf"[^\W\d_]{{2,}}(?:\s(?:{'|'.join(MONTH_SECOND_WORDS)}))?"

# English month and weekday names by their first three letters, for the patterns below that
# tell a date from the words around it.
ENGLISH_MONTH_STEMS = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
ENGLISH_WEEKDAY_STEMS = "mon|tue|wed|thu|fri|sat|sun"

# The half of the day a written time is in ("8:03 pm", "오후 3:10").
AFTERNOON_WORDS = frozenset({"pm", "p.m.", "p.m", "pm.", "오후", "下午", "午後"})
MORNING_WORDS = frozenset({"am", "a.m.", "a.m", "am.", "오전", "上午", "午前"})

# --- the label before a printed date -------------------------------------------------------
DATE_LABEL = re.compile(
    r"^\W{0,2}(?:published|posted|updated|last updated|modified|date|dated|on|"
    r"veröffentlicht|aktualisiert|stand|publié|mis à jour|publicado|actualizado|atualizado|"
    r"pubblicato|aggiornato|gepubliceerd|发布时间|發布時間|发表时间|时间|時間|更新时间|"
    r"입력|수정|등록|업데이트)?\s*(?:on|am|le|el|em|il)?\s*[:：]?\s*",
    re.IGNORECASE,
)
# A label saying the date is the publication's, not an update's.
PUBLISHED_LABEL = re.compile(
    r"publish|posted|veröffentlicht|publié|publicado|pubblicato|发布|發布|입력", re.I
)

# --- what else a dateline holds ------------------------------------------------------------
# In a text dump: labels, month and weekday names, clock words, zone abbreviations, CJK date
# characters and separators; what is left of a dateline without them is a name at most.
DATELINE_TOKENS = re.compile(
    r"\d|\b(?:updated?|published|posted|on|at|am|pm|a\.m\.|p\.m\.|(?-i:[A-Z]{2,4})|jan\w*|feb\w*|mar\w*|"
    r"apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|nov\w*|dec\w*|mon\w*|tue\w*|wed\w*|thu\w*|"
    r"fri\w*|sat\w*|sun\w*|ago|hours?|minutes?|min|read|time|last)\b|[年月日년월일时分:：,.|/-]",
    re.I,
)
# In an HTML page's lines: English month and weekday names, am/pm and the words around a date.
ENGLISH_DATE_WORDS = re.compile(
    rf"\b(?:{ENGLISH_MONTH_STEMS})[a-z]*\.?|\b(?:am|pm)\b|"
    rf"\b(?:{ENGLISH_WEEKDAY_STEMS})[a-z]*\b|\b(?:at|on|updated|published|posted)\b",
    re.IGNORECASE,
)
# Where a date line starts after a name printed before it ('Dan Goodin - Apr 16, 2015').
DATE_AFTER_NAME = re.compile(
    rf"\d|\b(?:{ENGLISH_MONTH_STEMS}|{ENGLISH_WEEKDAY_STEMS}|updated|published|posted)\w*\b",
    re.I,
)
# Where a date glued to a byline's names starts ('Nelson Schwartz Sept. 25, 2018').
DATE_AFTER_BYLINE_NAMES = re.compile(
    rf"\s(?:\d|on\s|updated|published|posted|{ENGLISH_MONTH_STEMS})",
    re.IGNORECASE,
)

# --- clocks, ages and reading times: short lines of a header that are no headline ----------
CLOCK_LINE = re.compile(r"^\W{0,2}\d{1,2}[:.h]\d{2}\s*(?:[ap]\.?m\.?)?\s*[A-Z]{0,4}\W{0,2}$", re.I)
AGE_LINE = re.compile(
    r"^\W{0,2}(?:\d+|an?|one)\s*(?:s|sec|secs|seconds?|m|min|mins|minutes?|h|hrs?|hours?|d|days?|"
    r"w|weeks?|months?|years?)\b\.?(?:\s*(?:ago|read|reading))?\W{0,2}$"
    r"|\b\d+\s*(?:min|minute)s?\s*read\b|^před \d+|^vor \d+|^il y a \d+|^hace \d+|^há \d+"
    r"|^\d+\s*(?:分钟|小时|天)前$|^\d+\s*(?:분|시간|일)\s*전$",
    re.I,
)
# The words an age may open with instead of a digit ('an hour ago').
AGE_NUMBER_WORD = re.compile(r"\W{0,2}(?:an?|one)", re.I)
# An age printed after a name ('Aleš Vávra před 2 hodinami').
AGE_AFTER_NAME = re.compile(
    r"\s(?:před|vor|il y a|hace|há|fa|för|sitten)\s+\d+"
    r"|\s(?:\d+|an?|one)\s+(?:sec\w*|min\w*|hours?|hrs?|days?|weeks?|months?|years?)\s+ago\b",
    re.I,
)
# Reading-time and age labels ("5 min read", "Reading time: 2 minutes", "3 hours ago").
READING_TIME = re.compile(
    r"\b(?:min(?:ute)?s?\s+read|read(?:ing)?\s+time|\d+\s*(?:min|minutes?|hours?|days?)\s+ago)\b"
    r"|^\W{0,2}\d+\s*(?:min|mins|minutes?|h|hrs?|hours?)\W{0,2}$",
    re.I,
)

# --- "updated": the label that makes a printed date a modification date ----------------------
# Matched against the lower-cased text before a date, or the short label just above it.
UPDATED_PHRASE = any_phrase(
    r"\bupdated?\b",
    r"\blast (?:updated|modified|reviewed)\b",
    r"\bmodified\b",
    r"\bedited\b",
    r"\brevised\b",
    r"mis à jour",
    r"actualizad[oa]",
    r"actualització",
    r"aktualisiert",
    r"\bstand:",
    r"atualizad[oa]",
    r"aggiornat[oa]",
    r"bijgewerkt",
    r"\bgewijzigd",
    r"zaktualizowan",
    r"aktualizac",
    r"aktualizováno",
    r"aktualizovan",
    r"обновлен",
    r"оновлен",
    r"ажуриран",
    r"актуализ",
    r"güncelle",
    r"frissítve",
    r"actualizat",
    r"päivitetty",
    r"uppdaterad",
    r"opdateret",
    r"oppdatert",
    r"ενημερώθηκε",
    r"ενημέρωση",
    r"עודכן",
    r"تحديث",
    r"آخر تحديث",
    r"cập nhật",
    r"diperbarui",
    r"dikemas kini",
    r"更新",
    r"수정",
    r"업데이트",
    r"ažurirano",
    r"posodobljeno",
    r"atnaujinta",
    r"uuendatud",
)

# --- a date that is not the page's: when a member joined, a company was founded --------------
# Matched against the lower-cased short text that holds the date (a forum's profile card).
NOT_PUBLISHED_PHRASE = any_phrase(
    r"\bjoined\b",
    r"\bregistered\b",
    r"\bmember since\b",
    r"\bfounded\b",
    r"\bborn\b",
    r"\bexpires?\b",
    r"\bvalid (?:until|through)\b",
    r"\bdeadline\b",
    r"inscrit",
    r"membre depuis",
    r"registriert",
    r"mitglied seit",
    r"dabei seit",
    r"miembro desde",
    r"registrad[oa]",
    r"membro desde",
    r"iscritto",
    r"lid sinds",
    r"zarejestrowan",
    r"зарегистрирован",
    r"на сайте с",
    r"участник с",
    r"üyelik tarihi",
    r"加入",
    r"注册",
    r"登録",
    r"가입",
)
