"""The closed vocabularies of the output: stages, rejection reasons, line-removal reasons.

They are spelled here and nowhere else, because consumers filter on them and a
typo in one module would silently create a new category.
"""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    """Where in the pipeline an input was stopped."""

    READ = "read"
    DECODE = "decode"
    PARSE = "parse"
    CLEAN = "clean"
    LANGUAGE = "language"
    VALIDATE = "validate"
    DEDUP = "dedup"
    FETCH = "fetch"


class Reason(StrEnum):
    """Why an input became a rejection; stable codes documented in the README."""

    EMPTY = "empty"
    BINARY = "binary"
    TOO_LARGE = "too_large"
    TRUNCATED = "truncated"
    UNDECODABLE = "undecodable"
    NO_CONTENT = "no_content"
    TOO_SHORT = "too_short"
    NOT_ARTICLE = "not_article"
    LANGUAGE_UNDETERMINED = "language_undetermined"
    LANGUAGE_FILTERED = "language_filtered"
    DUPLICATE = "duplicate"
    INVALID_RECORD = "invalid_record"
    TIMEOUT = "timeout"
    HTTP_ERROR = "http_error"
    ROBOTS_DISALLOWED = "robots_disallowed"
    BLOCKED_ADDRESS = "blocked_address"
    NOT_HTML = "not_html"
    FETCH_FAILED = "fetch_failed"
    INTERNAL_ERROR = "internal_error"
    UNREADABLE = "unreadable"
    SYMLINK_OUTSIDE_ROOT = "symlink_outside_root"


class PageKind(StrEnum):
    """What kind of page an input is: a record's `page_type`, filtered by `cleaning.page_types`."""

    ARTICLE = "article"
    COLLECTION = "collection"
    LISTING = "listing"
    FORUM = "forum"
    PRODUCT = "product"
    DOCUMENTATION = "documentation"
    SERVICE = "service"
    OTHER = "other"


class LineReason(StrEnum):
    """Why a line of a page did not make it into `text`; keys of `cleaning.removed`."""

    TITLE = "title"
    BYLINE = "byline"
    DATELINE = "dateline"
    NAVIGATION = "navigation"
    SHARE = "share"
    CREDIT = "credit"
    BOILERPLATE = "boilerplate"
    SITE_BOILERPLATE = "site_boilerplate"
    TEASER = "teaser"
    SPAM = "spam"
    MOJIBAKE = "mojibake"
    FOREIGN_SCRIPT = "foreign_script"
    REPEATED = "repeated"
    REPEATED_CHARS = "repeated_chars"
    LINK_LIST = "link_list"
    FRAGMENT = "fragment"
    MARKUP = "markup"
