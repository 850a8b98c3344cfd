"""What page furniture says, as data: the phrases that mark a line as not being the article.

Every site words its share buttons, footers and menus a little differently,
but from a small shared vocabulary ("Share", "All rights reserved", "Most
read", "首页", "무단 전재"). Keeping that vocabulary here, per concept and per
language, lets the cleaner stay generic code and lets a new language be added
without touching it. Only phrases any site might print belong here, never a
phrase learned from one page.

Whole-line patterns (`*_LINE`) must match the entire, stripped line; they are
for short lines that ARE the furniture. Phrase patterns (`*_PHRASE`) may sit
inside a longer line and are trusted only on lines the cleaner deems short
enough for furniture. All patterns are linear-time (no nested quantifiers).
"""

from __future__ import annotations

import re

from presswash.parsers.vocabulary.compose import any_phrase, whole_line

# Unless compiled with _FLAGS, a pattern here is matched against the LOWER-CASED line.
_FLAGS = re.IGNORECASE

# --- navigation: menus, skip links, pagination, login, search -------------------------------
NAVIGATION_LINE = whole_line(
    r"home(page)?",
    r"menu",
    r"main menu",
    r"(open|close|toggle) (the )?(menu|navigation|search)",
    r"skip (to|navigation)( main)?( content)?",
    r"jump to (navigation|content|main content)",
    r"skip navigation",
    r"navigation",
    r"search( form| this site| the site)?",
    r"search for:?",
    r"enter your (keywords|search terms)",
    r"(log|sign) ?(in|out|up)( now)?",
    r"(log|sign) in( or| /| and) (register|sign up|create an account)",
    r"register",
    r"my account",
    r"subscribe( now| today)?",
    r"subscribers?",
    r"(back|return|go) to (the )?top",
    r"top",
    r"(next|previous|prev|older|newer)( page| post| story| article| posts| entries)?",
    r"(next|previous) (story|article)\s*[→»›>]?",
    r"(posted|filed|published) (in|under) [^.!?]{1,80}",
    r"tagged( with)?:? [^.!?]{1,120}",
    r"[←«‹<]\s*(previous|prev|older)( story| post| article)?.{0,40}",
    r"page \d+( of \d+)?",
    r"\d{1,3}\s*/\s*\d{1,3}",
    r"(load|show|view|see|read) (more|all)( \w+){0,3}",
    r"more( \w+)?",
    r"(see|view) (all|more)( \w+){0,4}",
    r"close",
    r"continue( reading)?",
    r"english|español|français|deutsch|italiano|português|中文|日本語|한국어|русский",
    r"(select )?(language|edition)",
    r"global edition",
    r"sections?",
    r"categories|category|topics?|tags?|archives?",
    r"contact( us)?",
    r"about( us)?",
    r"(privacy|cookie)( policy| settings| notice| preferences)?",
    r"terms( of (use|service))?( and conditions)?",
    r"sitemap|site map|faq|help|careers|jobs|advertise( with us)?",
    r"newsletters?",
    r"rss( feeds?)?",
    r"accessibility",
    r"(follow|find|like) us( on \w+)?",
    r"donate( now)?",
    r"(get|download) (the|our) app",
    r"startseite|anmelden|abmelden|suche|menü|nach oben|zurück|weiter|impressum|datenschutz",
    r"accueil|connexion|rechercher|recherche|retour en haut|suivant|précédent|mentions légales",
    r"inicio|portada|buscar|búsqueda|iniciar sesión|volver arriba|siguiente|anterior",
    r"início|pesquisar|entrar|voltar ao topo|próximo",
    r"cerca|accedi|torna su|successivo|precedente",
    r"首页|首頁|主页|返回首页|返回顶部|返回頂部|登录|登錄|注册|註冊|搜索|搜尋|更多|上一篇|下一篇|上一页|下一页|导航|導航|菜单|网站地图|关于我们|联系我们|手机版|客户端",
    r"홈|로그인|로그아웃|회원가입|검색|메뉴|전체메뉴|이전|다음|목록|맨 ?위로|구독",
    r"회사소개|고객센터|이용약관|개인정보처리방침",
)

# "Home / Opinion / Chinese Perspectives", "News › World › Asia".
BREADCRUMB_LINE = re.compile(
    r"^(?:home|startseite|accueil|inicio|início|首页|首頁|홈|news)\s*[/>»›|]"
    r"|^[^.!?。！？/>»›]{1,40}(?:\s[/>»›]\s[^.!?。！？/>»›]{1,60}){2,}$",
)

# --- share buttons ---------------------------------------------------------------------------
_NETWORKS = (
    r"facebook|twitter|x|linkedin|reddit|whatsapp|wechat|weibo|telegram|pinterest|tumblr|"
    r"e-?mail|print|sms|messenger|line|kakao(talk)?|flipboard|pocket|mastodon|bluesky|threads|"
    r"instagram|youtube|tiktok|qzone|qq|douban|naver|band|xing|vk|google\+?|copy( the)? link|"
    r"copy url|link"
)
SHARE_LINE = whole_line(
    rf"(share|tweet|post|pin)( it| this)?( story| article| page| post)?"
    rf"( (on|via|to|with|-)\s*({_NETWORKS}))?",
    rf"({_NETWORKS})",
    r"(share|send|email) (this|to a friend)( \w+)?",
    r"pin it|like|save|bookmark|print( this)?( article| page)?|copy link|link copied",
    r"teilen|artikel teilen|drucken|partager|imprimer|compartir|imprimir|compartilhar|condividi",
    r"sdílet(?: článek)?|zdieľať(?: článok)?|udostępnij|поделиться|to se mi líbí",
    r"分享|分享到.{0,30}|转发|轉發|收藏|打印|列印|微信|微博|朋友圈|공유|공유하기|스크랩|인쇄|카카오톡|페이스북|트위터",
    rf"(({_NETWORKS})[\s,|/·•]*){{2,}}",
    rf"\d*\s*(click|tap) to (share|email|print|tweet|pin)( this)?( \w+)?( (on|to|via) "
    rf"({_NETWORKS}))?( to a friend)?\s*(\(opens in (a )?new window\))?\s*\d*",
    r"like loading\.*",
    # "Like it, share it!", "Like & Share", "Share and follow us": a row of sharing verbs.
    r"(?:(?:like|share|tweet|pin|save|follow)(?: it| this| us)?[\s,&+/|·•!]*(?:and |or )?){2,}",
)

# --- photo and video credits -----------------------------------------------------------------
CREDIT_LINE = re.compile(
    r"^\W{0,3}(?:photo|photos|image|images|picture|pictures|foto|fotos|bild|imagen|illustration|"
    r"graphic|video|file photo|credit|credits|source|photographer|image source|image credit|"
    r"photograph|图|圖|图片|圖片|摄影|攝影|사진|영상|그래픽)\s*(?:by|credit|courtesy|:|：|=|/|-)"
    r"|^\W{0,3}(?:photo|image|picture|foto)\s*(?:courtesy|copyright|via)\b"
    r"|\b(?:getty images?|shutterstock|istock(?:photo)?|alamy|ap photo|afp(?: photo| via getty)?|"
    r"reuters/|epa-efe|xinhua/|imago|dpa|picture alliance|sipa|bloomberg via getty)\b"
    # "AFP/GETTY IMAGES": capitals only (the pattern is otherwise case-blind), or any "a/b" fits.
    r"|(?-i:^[A-Z][A-Z .'’-]{2,40}/[A-Z][A-Z .'’&-]{2,40}$)"
    r"|^\W{0,2}(?:getty(?: images)?|ap|pa|afp|reuters|epa|shutterstock|alamy|istock|dpa|"
    r"xinhua|anadolu|zuma|rex|rex features|bloomberg|sipa|imago)\W{0,2}$"
    r"|^\(?(?:photo|image|file|credit)\s*[:：]"
    r"|\b(?:photograph|photo|image|picture|credit|foto)\s*:\s*[^.!?:]{2,60}$"
    r"|\((?:photo|image|file photo|credit)[^)]{0,80}\)\s*$"
    r"|(?:记者|記者)?\S{0,10}\s*(?:摄|攝)\s*$"
    r"|^\S{0,12}\s*(?:供图|供圖|提供)\s*$"
    r"|^사진\s*=|=\s*연합뉴스\s*$|\[사진",
    _FLAGS,
)
# An image file name on its own line ("WEB18-Facebook-1160x768.jpg").
IMAGE_FILE_LINE = re.compile(r"^\S{0,200}\.(?:jpe?g|png|gif|webp|svg|avif)(?:\?\S*)?$")

# --- copyright, legal, registration -----------------------------------------------------------
COPYRIGHT_PHRASE = any_phrase(
    # The word alone is prose ("copyright infringement"); a notice opens with it or dates it.
    r"^\W{0,3}copyright\b",
    r"copyright\s*(?:©|\(c\)|(?:19|20)\d\d)",
    r"copyright (?:notice|policy|holder)",
    r"©",
    r"\(c\)\s*(?:19|20)\d\d",
    r"all rights reserved",
    r"tous droits réservés",
    r"alle rechte vorbehalten",
    r"todos los derechos reservados",
    r"todos os direitos reservados",
    r"tutti i diritti riservati",
    r"alle rechten voorbehouden",
    r"版权所有|版權所有|版权声明|版權聲明|未经授权|未經授權|不得转载|禁止转载|转载请注明",
    r"무단\s*전재|재배포\s*금지|저작권자|ⓒ",
)
# Text that every alternative of COPYRIGHT_PHRASE contains, in the same case: a line
# holding none of them cannot match it (checked in tests against the pattern itself).
COPYRIGHT_MARKS_ASCII = (
    "copyright",
    "(c)",
    "rights reserved",
    "rechte vorbehalten",
    "derechos reservados",
    "direitos reservados",
    "diritti riservati",
    "rechten voorbehouden",
)
COPYRIGHT_MARKS = (
    *COPYRIGHT_MARKS_ASCII,
    "©",
    "droits réservés",
    "版权",
    "版權",
    "未经",
    "未經",
    "转载",
    "무단",
    "재배포",
    "저작권자",
    "ⓒ",
)
LEGAL_PHRASE = any_phrase(
    r"views (?:expressed )?(?:here |in this \w+ )?(?:do not|don'?t|doesn'?t|are not|may not) "
    r"(?:necessarily )?(?:reflect|represent)",
    r"(?:does|do) not necessarily (?:reflect|represent) the (?:views|opinions?|position)",
    r"the opinions expressed",
    r"we use cookies|this (?:site|website) uses cookies|uses cookies to|cookie settings",
    r"by (?:using|continuing to use) (?:this|our) (?:site|website)",
    r"terms of (?:use|service)|privacy policy|cookie policy|terms and conditions",
    r"免责声明|免責聲明|本文仅代表作者|不代表本(?:网|站)",
    r"disclaimer\s*:",
    r"haftungsausschluss|clause de non-responsabilité|aviso legal",
)
REGISTRATION_PHRASE = any_phrase(
    r"(?:registration|licen[cs]e|permit|record(?:al)?) (?:number|no\.?)\s*[:：]?\s*\w*\d",
    r"license for publishing",
    r"icp(?:备|證|证|備)|京icp|沪icp|粤icp|公网安备|公網安備|网安备|经营许可证|互联网新闻信息服务许可证",
    r"사업자\s*등록\s*번호|등록\s*번호|통신판매업|등록일자|발행인|편집인|청소년보호책임자",
    r"handelsregister|registergericht|ust-?id",
)
# --- newsletters, calls to write in, subscriptions --------------------------------------------
NEWSLETTER_PHRASE = any_phrase(
    r"sign up (?:for|to) (?:our|the)\b.{0,40}(?:newsletter|emails?|updates|alerts|briefing|"
    r"digest|bulletin)",
    r"(?:sign up|subscribe|register)\b.{0,80}\b(?:in|to) your inbox",
    r"subscribe to (?:our|the)\b.{0,30}(?:newsletter|channel|podcast|updates)",
    r"(?:delivered|straight|directly) to your inbox",
    r"enter your e-?mail",
    r"get (?:the latest|our|daily|weekly).{0,40}(?:newsletter|in your inbox|updates)",
    r"send us your (?:writings|letters|tips|stories|views|comments|feedback)",
    r"(?:write|email|e-mail) (?:to )?us at\b",
    r"newsletter",
    r"(?:follow|join) us on\b",
    r"download (?:our|the) app",
    r"unlimited (?:digital )?access",
    r"already (?:a )?subscriber",
    r"you (?:have|'ve) (?:read|reached) .{0,30}(?:free )?articles",
    r"abonnez-vous|s'abonner|abonnieren|suscríbete|assine|iscriviti",
    r"订阅|訂閱|关注我们|關注我們|扫码|掃碼|扫描二维码|下载客户端|구독하기|뉴스레터",
)
# --- "most read" and related-content blocks ---------------------------------------------------
MOST_READ_LINE = whole_line(
    r"(?:the )?most (?:viewed|read|popular|shared|commented|emailed|recent)(?: \w+){0,4}",
    r"(?:popular|trending|top|latest|recent|featured|related|recommended|editor'?s|editors'?)"
    r"(?: now| today| stories| articles| posts| news| videos| picks| reads| content| topics| "
    r"coverage| links| on \w+| in \w+| this week){0,3}",
    r"(?:more|other) (?:stories|articles|news|from|on|in|like this)(?: \w+){0,4}",
    r"(?:you )?(?:may|might) (?:also )?(?:like|enjoy|be interested in)",
    r"(?:read|see) (?:also|more|next)(?: \w+){0,3}",
    r"also read|don'?t miss|in other news|what to read next|recommended for you|watch next",
    r"mehr zum thema|weitere artikel|das könnte sie auch interessieren|meistgelesen",
    r"lire aussi|à lire aussi|les plus lus|sur le même sujet",
    r"lee también|lo más leído|te puede interesar|leia também|mais lidas|leggi anche",
    r"související(?: články| zprávy)?|nejčtenější|čtěte také|přečtěte si také",
    r"súvisiace(?: články)?|najčítanejšie|powiązane(?: artykuły)?|najczęściej czytane",
    r"czytaj (?:też|także|również)",
    r"похожие (?:статьи|новости)|читайте также|самое (?:читаемое|популярное)",
    r"热门(?:文章|新闻|推荐|阅读)?|熱門|相关(?:阅读|新闻|文章|推荐)|相關(?:閱讀|新聞|文章)|推荐阅读|延伸阅读|延伸閱讀|猜你喜欢|精彩推荐|排行榜",
    r"많이 본 (?:뉴스|기사)|인기 ?기사|관련 ?기사|추천 ?기사|주요 ?뉴스|최신 ?뉴스",
)
# --- what follows an article's last paragraph: sources, the author's bio, the next post -------
AFTER_ARTICLE_LINE = whole_line(
    r"(?:article |further )?(?:references|sources|footnotes|bibliography|works cited|citations)"
    r"(?: \(.{0,30}\))?",
    r"about (?:the )?authors?|about the writer|author bio(?:graphy)?|meet the author",
    r"recent posts(?: \w+){0,5}|(?:previous|next|older|newer) (?:post|article|story|entry)",
    r"was this (?:page|article|post|information) (?:helpful|useful)",
    r"republish this (?:story|article)|read this next|(?:all )?reads on this topic",
    r"quellen|einzelnachweise|über den autor|zum autor|références|à propos de l'auteur",
    r"referencias|fuentes|sobre el autor|referências|fontes|sobre o autor|fonti|bibliografia",
    r"zdroje|o autorovi|źródła|bibliografia|o autorze|источники|литература|об авторе",
    r"参考文献|参考资料|参考資料|출처|참고 ?문헌",
)
# --- comment sections -------------------------------------------------------------------------
COMMENTS_LINE = whole_line(
    r"\d+\s+(?:reader |user )?(?:comments?|replies|responses|thoughts)(?: (?:to|on) .{1,70})?",
    r"there (?:are|is) (?:\d+|no) (?:comments?|replies|responses)",
    r"(?:view|show|load|leave|post|add|write|read|see|hide|join)(?: a| all| the| \d+)? "
    r"(?:comments?|replies|the discussion|conversation)(?: \(\d+\))?",
    r"(?:comments?|responses?|replies|discussion)(?:\s*\(\d+\))?",
    r"reply|report|flag|like|dislike|upvote|downvote|permalink|quote|edit|delete",
    r"reader comments",
    r"you must (?:be )?(?:log(?:ged)? ?in|login|sign(?:ed)? in).{0,60}",
    r"评论|評論|发表评论|發表評論|网友评论|댓글(?:\s*\d+)?|댓글쓰기|kommentare?|commentaires?|comentarios?|commenti",
)
# A comment's author line ("Hans says:"), the date comes under it.
COMMENT_AUTHOR = re.compile(
    r"^\S.{0,60}\s(?:says|said|writes|wrote|replied|schreibt|schrieb|sagt|dit|écrit|a écrit|dice|"
    r"escribió|escribe|diz|escreveu|scrive|ha scritto|schrijft|napsal|napisał|пишет|написал)\s?:?$",
    re.IGNORECASE,
)
# The heading a comment thread opens with ("59 Comments on ...", "Leave a Reply"); not
# the buttons ("Reply", "Like") that each comment repeats.
COMMENTS_HEADING = whole_line(
    r"\d+\s+(?:reader |user )?(?:comments?|replies|responses|thoughts)(?: (?:to|on) .{1,70})?",
    r"there (?:are|is) (?:\d+|no) (?:comments?|replies|responses)",
    r"(?:view|show|load|leave|post|add|write|read|see|join)(?: a| all| the| \d+)? "
    r"(?:comments?|replies|the discussion|conversation)(?: \(\d+\))?",
    r"(?:reader )?(?:comments?|responses|discussion)(?:\s*\(\d+\))?",
    r"(?:\d+\s+)?(?:kommentare?|commentaires?|comentarios?|comentários|commenti|reacties|"
    r"komentarze?|komentáře|комментари[йияев]{0,2})(?:\s*\(\d+\))?",
    r"leave a (?:reply|comment)|schreibe einen kommentar|laisser un commentaire|deja un comentario|"
    r"deixe um comentário|lascia un commento",
    r"评论|評論|发表评论|發表評論|网友评论|댓글(?:\s*\d+)?|コメント(?:\s*\d+)?",
)
COMMENTS_PHRASE = any_phrase(
    r"(?:log ?in|sign in|register|create an account) to (?:comment|reply|post)",
    r"comments? (?:are|is) (?:closed|moderated|disabled)",
    r"\d+ (?:comments?|replies) (?:so far|and counting)",
    r"leave a (?:reply|comment)",
)
# --- advertising ------------------------------------------------------------------------------
AD_LINE = whole_line(
    r"advertisement|advertising|advert|sponsored(?: content| by .{0,40})?|ad|ads|promoted|"
    r"paid (?:content|post)|partner content|scroll to continue(?: with content)?|"
    r"anzeige|werbung|publicité|publicidad|publicidade|pubblicità|reklama|реклама|"
    r"广告|廣告|광고|스폰서",
)

# --- spam: vocabulary of the keyword-stuffed lines SEO spam injects -----------------------------
SPAM_TERMS = any_phrase(
    r"精品|免费|免費|视频|視頻|国产|國產|亚洲|亞洲|久久|一区|二区|三区|一級|一级|黄色|成人|"
    r"自拍|偷拍|无码|無碼|中文字幕|色情|av|午夜|伦理|倫理|彩票|博彩|娱乐城|娛樂城|赌场|賭場|"
    r"百家乐|百家樂|棋牌|下载|高清|在线观看|在線觀看",
    r"\b(?:porn|porno|xxx|sex|sexy|casino|betting|bet|slots?|viagra|cialis|escort|hentai|"
    r"loans?|crypto|bitcoin|free|download|online|cheap|replica|outlet|watch|hd|full movie)\b",
    r"카지노|바카라|토토|슬롯|성인|야동|출장",
)

# --- cheap gates: for each phrase pattern above, the words (of the lower-cased line,
# punctuation dropped) or the fragments (for unspaced scripts and symbols) without one
# of which it cannot match; a line with none of them skips that pattern. -----------------------
COPYRIGHT_WORDS = frozenset(
    [
        "copyright",
        "c",
        "rights",
        "reserved",
        "réservés",
        "droits",
        "rechte",
        "vorbehalten",
        "derechos",
        "direitos",
        "diritti",
        "rechten",
    ]
)
COPYRIGHT_FRAGMENTS = (
    "©",
    "ⓒ",
    "版权",
    "版權",
    "未经",
    "未經",
    "转载",
    "轉載",
    "무단",
    "재배포",
    "저작권",
)
LEGAL_WORDS = frozenset(
    [
        "views",
        "view",
        "opinions",
        "necessarily",
        "cookies",
        "cookie",
        "terms",
        "privacy",
        "using",
        "continuing",
        "disclaimer",
        "haftungsausschluss",
        "non-responsabilité",
        "aviso",
    ]
)
LEGAL_FRAGMENTS = ("免责", "免責", "本文仅", "不代表")
REGISTRATION_WORDS = frozenset(
    [
        "registration",
        "license",
        "licence",
        "permit",
        "record",
        "recordal",
        "publishing",
        "icp",
        "handelsregister",
        "registergericht",
        "ust-id",
        "ustid",
    ]
)
REGISTRATION_FRAGMENTS = (
    "备",
    "備",
    "许可证",
    "사업자",
    "등록",
    "통신판매",
    "발행인",
    "편집인",
    "청소년",
)
NEWSLETTER_WORDS = frozenset(
    [
        "sign",
        "subscribe",
        "subscribed",
        "subscriber",
        "subscribers",
        "subscription",
        "inbox",
        "e-mail",
        "email",
        "enter",
        "send",
        "write",
        "register",
        "newsletter",
        "newsletters",
        "follow",
        "join",
        "download",
        "unlimited",
        "already",
        "articles",
        "get",
        "abonnez-vous",
        "s'abonner",
        "abonnieren",
        "suscríbete",
        "assine",
        "iscriviti",
    ]
)
NEWSLETTER_FRAGMENTS = ("订阅", "訂閱", "关注", "關注", "扫", "掃", "下载", "구독", "뉴스레터")
COMMENTS_WORDS = frozenset(
    [
        "log",
        "login",
        "sign",
        "register",
        "create",
        "comment",
        "comments",
        "reply",
        "replies",
        "moderated",
        "closed",
        "disabled",
        "leave",
    ]
)
COMMENTS_FRAGMENTS: tuple[str, ...] = ()
CREDIT_WORDS = frozenset(
    [
        "photo",
        "photos",
        "image",
        "images",
        "picture",
        "pictures",
        "foto",
        "fotos",
        "bild",
        "imagen",
        "illustration",
        "graphic",
        "video",
        "credit",
        "credits",
        "source",
        "photographer",
        "photograph",
        "getty",
        "shutterstock",
        "istock",
        "istockphoto",
        "alamy",
        "ap",
        "afp",
        "reuters",
        "epa",
        "epa-efe",
        "xinhua",
        "imago",
        "dpa",
        "alliance",
        "sipa",
        "bloomberg",
        "file",
        "courtesy",
        "pa",
        "anadolu",
        "zuma",
        "rex",
    ]
)
CREDIT_FRAGMENTS = (
    "/",
    "图",
    "圖",
    "摄",
    "攝",
    "供",
    "提供",
    "사진",
    "영상",
    "그래픽",
    "연합뉴스",
    "=",
)

# All whole-line furniture in one pattern (one call per line); the group that
# matched names the kind. Matched against the lower-cased line.
WHOLE_LINE = re.compile(
    "|".join(
        f"(?P<{name}>{pattern.pattern})"
        for name, pattern in (
            ("share", SHARE_LINE),
            ("navigation", NAVIGATION_LINE),
            ("breadcrumb", BREADCRUMB_LINE),
            ("most_read", MOST_READ_LINE),
            ("comments", COMMENTS_LINE),
            ("after_article", AFTER_ARTICLE_LINE),
            ("ad", AD_LINE),
            ("image", IMAGE_FILE_LINE),
        )
    )
)

# --- lines of an HTML page's text (parsers/html/lines.py) ----------------------------------
# Short lines that are interface, not article (matched on lines of at most ~120 chars).
BOILERPLATE_LINE = re.compile(
    r"^(?:"
    r"share(?: this)?(?: article| story| on .*)?|tweet|email|print|copy link|"
    r"(?:read|see|view|show|load) (?:more|all|full|comments?|the full .*)|"
    r"(?:continue reading|keep reading).*|"
    r"related(?: articles?| stories| posts| content| topics)?|more (?:from|on|stories|news) .*|"
    r"advertisement|sponsored(?: content)?|"
    r"(?:sign up|subscribe|register|log ?in|sign in)\b.*|"
    r".*\bnewsletter\b.*|"
    r"(?:follow|like) us\b.*|"
    r"(?:leave|add|post|view|show) (?:a |your )?comments?.*|\d+ comments?|comments?|"
    r"(?:all rights reserved|copyright|©).*|.*\ball rights reserved\b.*|"
    r"(?:click|tap) here\b.*|skip to (?:main )?content|back to top|"
    r"image:? .*|photo:? .*|(?:image|photo|picture) (?:credit|source)s?:.*|"
    r"(?:updated|published|posted|last updated|last modified):? .*|"
    r"tags?:.*|topics?:.*|filed under:?.*|categor(?:y|ies):.*"
    r")$",
    re.IGNORECASE,
)

# Headings that start a list of other content at the end of an article.
RELATED_HEADING = re.compile(
    r"^(?:related(?: articles?| stories| posts| content| coverage| reading| links)?|"
    r"(?:what to |you should )?read (?:this |these )?next|up next|"
    r"more (?:stories|articles|news|from .{1,40}|on this)|"
    r"you (?:may|might) (?:also )?(?:like|enjoy|be interested in)|"
    r"recommended(?: for you| reading)?|"
    r"most (?:popular|read|viewed|shared)|trending(?: now| stories)?|popular (?:posts|stories)|"
    r"other .{0,30}(?:columns|stories|articles)|latest (?:news|stories))"
    r"\s*:?$",
    re.IGNORECASE,
)

# Words of consent and cookie banners, for pages whose only long text is one.
CONSENT_WORDS = re.compile(
    r"\b(?:cookies?|consent|gdpr|privacy (?:policy|settings|preferences)|our partners|"
    r"third[- ]part(?:y|ies)|personali[sz]ed (?:ads|advertising|content)|"
    r"accept all|reject all|manage (?:preferences|settings|options)|legitimate interest)\b",
    re.IGNORECASE,
)

# --- another story inside a text dump's body (parsers/teasers.py) ---------------------------
# "Related: ...", "READ MORE: ...", "See also — ...": a link to another story.
TEASER_PREFIX = re.compile(
    r"^\W{0,2}(?:related(?: (?:story|stories|article|articles|content|coverage|reading))?|"
    r"read (?:more|also|next|this|on)|also read|see also|more|recommended|watch|listen|"
    r"further reading|you may also like|must read|don'?t miss|previous|next|"
    r"lire aussi|à lire aussi|lee también|leia também|leggi anche|mehr zum thema|"
    r"czytaj (?:też|także)|читайте также)\s*[:：\-–—|»›>]\s*\S",
    re.IGNORECASE,
)
