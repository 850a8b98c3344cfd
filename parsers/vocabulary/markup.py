"""The words of class and id values that say what an element holds: furniture, the article,
a byline, a date.

The words are about page furniture in general (share bars, cookie banners,
comment threads, newsletter boxes), never about one site, so they carry to
pages nobody has seen yet. Most are matched as whole hyphen/underscore-separated
words, so `share-bar` and `article__share` match `share` while `shared-memory`
does not; the substring patterns say so.
"""

from __future__ import annotations

import re

from presswash.schemas.stages import LineReason

# class/id words of furniture: the subtree goes (unless it holds most of the text).
_FURNITURE_WORDS = (
    r"share|shares|sharing|sharebar|social|socials|social-?links|social-?media|"
    r"related|relatedposts|related-?posts|related-?articles|related-?stories|related-?content|"
    r"related-?links|yarpp|sharedaddy|jp-?relatedposts|"
    r"recommended|recommendations|more-?stories|read-?more|readmore|most-?popular|most-?read|"
    r"trending|read-?next|up-?next|more-?from|popular-?posts|"
    r"newsletter|newsletters|subscribe|subscription|signup|sign-?up|"
    r"cookie|cookies|consent|gdpr|cmp|onetrust|didomi|"
    r"advert|adverts|advertisement|advertising|ads?|ad-?slot|ad-?unit|ad-?container|"
    r"ad-?wrapper|dfp|gpt|sponsor|sponsored|promo|promos|promotion|outbrain|taboola|"
    r"comment|comments|commentlist|disqus|respond|replies|"
    r"sidebar|side-?bar|widget|widgets|breadcrumb|breadcrumbs|"
    r"nav|navbar|navigation|menu|submenu|masthead|site-?header|site-?footer|footer|"
    r"popup|modal|overlay|paywall|"
    r"tags|tag-?list|tagcloud|keywords|topics-?list|"
    r"author-?bio|author-?box|about-?the-?author|byline|bylines|dateline|"
    r"caption|captions|credit|credits|"
    r"toolbar|tools|print|pagination|pager|"
    r"skip-?link|visually-?hidden|sr-only|screen-?reader-?text|"
    r"jump-?link|toc|table-?of-?contents|"
    r"rating|ratings|login|signin|meta-?info|post-?meta|entry-?meta|article-?meta"
)
FURNITURE_ATTR = re.compile(rf"(?:^|[\s_-])(?:{_FURNITURE_WORDS})(?:$|[\s_-])")

# Furniture that is furniture even when it holds long paragraphs (comment threads, consent).
STRONG_FURNITURE_ATTR = re.compile(
    r"(?:^|[\s_-])(?:comment|comments|commentlist|disqus|replies|cookie|cookies|consent|gdpr|"
    r"onetrust|didomi|newsletter|paywall|related|relatedposts|related-?posts|related-?articles|"
    r"related-?stories|yarpp|recommended|outbrain|taboola|most-?popular|most-?read|trending|"
    r"read-?next|up-?next|more-?from|popular-?posts)(?:$|[\s_-])"
)

# Consent and cookie banners: removed even in the lenient second pass.
CONSENT_ATTR = re.compile(
    r"(?:^|[\s_-])(?:cookie|cookies|consent|gdpr|cmp|onetrust|didomi)(?:$|[\s_-])"
)

# class/id words that mark where the article is.
_CONTENT_WORDS = (
    r"article|article-?body|articlebody|article-?content|article-?text|body|body-?text|"
    r"content|entry|entry-?content|hentry|h-entry|main|main-?content|post|post-?body|"
    r"post-?content|post-?text|story|story-?body|text|blog|blog-?post|prose|rich-?text"
)
CONTENT_ATTR = re.compile(rf"(?:^|[\s_-])(?:{_CONTENT_WORDS})(?:$|[\s_-])")

# A weaker, readability-style hint that a container is not the article.
UNLIKELY_ATTR = re.compile(
    r"banner|combx|comment|com-|contact|foot|footnote|masthead|media|meta|outbrain|promo|"
    r"related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|tool|widget"
)

# The reason a pruned element is counted under, by the first of its class words found (substrings).
REMOVAL_REASON_WORDS: tuple[tuple[tuple[str, ...], LineReason], ...] = (
    (("share", "social", "sharing", "tweet"), LineReason.SHARE),
    (("nav", "menu", "breadcrumb", "pagination", "pager", "toc"), LineReason.NAVIGATION),
    (("caption", "credit"), LineReason.CREDIT),
    (("byline", "author"), LineReason.BYLINE),
    (("dateline",), LineReason.DATELINE),
    (("related", "recommend", "more-stories", "read-more", "readmore"), LineReason.LINK_LIST),
)

# An element whose class says it holds a date (substrings), unless it says modified or comment.
DATE_ATTR = re.compile(r"date|time|publish|posted|dateline|meta")
MODIFIED_ATTR = re.compile(r"updat|modif|comment|copyright")

# The byline's element, and a comment thread's (no byline is read inside one).
BYLINE_ATTR = re.compile(r"(?:^|[\s_-])(?:byline|author|authors|author-?name|by-?line)(?:$|[\s_-])")
COMMENT_ATTR = re.compile(r"comment|disqus|repl(?:y|ies)|respond")
# A link to an author's page, by the words of its path.
AUTHOR_HREF = re.compile(r"/(?:authors?|auteurs?|autor(?:en)?|writers?|people|staff|by)/", re.I)
