"""What boilerplate looks like in markup, kept as data apart from the code that uses it.

The patterns are about page furniture in general (share bars, cookie banners,
comment threads, newsletter boxes), never about one site, so they carry to
pages nobody has seen yet. Class and id values are matched as whole
hyphen/underscore-separated words, so `share-bar` and `article__share` match
`share` while `shared-memory` does not.
"""

from __future__ import annotations

import re

# Subtrees never part of an article's text, whatever their class says.
DROP_TAGS: frozenset[str] = frozenset(
    {
        "script", "style", "template", "svg", "math", "iframe", "object",
        "embed", "canvas", "video", "audio", "source", "track", "img", "picture", "map",
        "input", "select", "option", "button", "textarea", "dialog", "link", "meta",
        "head", "title", "figcaption",
    }
)  # fmt: skip

# Page furniture by its element: removed unless it holds most of the page's text
# (some sites wrap the whole page in a <form> or put the article in an <aside>).
FURNITURE_TAGS: frozenset[str] = frozenset({"nav", "aside", "footer", "header", "form", "menu"})

# Elements that start a new line of text when rendered.
BLOCK_TAGS: frozenset[str] = frozenset(
    {
        "p", "div", "section", "article", "main", "body", "html", "h1", "h2", "h3", "h4",
        "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre", "table",
        "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "figure", "address",
        "center", "fieldset", "details", "summary", "hr", "br", "header", "footer",
        "aside", "nav", "form", "hgroup", "output", "legend",
    }
)  # fmt: skip

HEADINGS: frozenset[str] = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

# Tags whose text counts as one paragraph for content scoring.
PARAGRAPH_TAGS: frozenset[str] = frozenset({"p", "pre", "blockquote"})
# Containers that count as a paragraph when they hold only inline content.
LOOSE_TEXT_TAGS: frozenset[str] = frozenset(
    {"div", "section", "td", "dd", "article", "span", "li", "dt"}
)

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

HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)

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
    r"(?:what to |you should )?read next|up next|"
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

BYLINE_LINE = re.compile(r"^(?:by|written by|words by|von|par|por|di|door|av|af)\s+\S", re.I)
