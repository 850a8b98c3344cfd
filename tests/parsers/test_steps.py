"""The cleaning steps through clean_document: the page-type step types a record, or rejects it.

The pages are those of tests/parsers/test_pagetype.py.
"""

from __future__ import annotations

from presswash.parsers.pipeline import Accepted, CleanConfig, Rejected, clean_document
from presswash.schemas.document import RawDoc, SourceInfo
from presswash.schemas.records import Article
from presswash.schemas.settings import Settings
from presswash.schemas.stages import Reason
from tests.parsers.test_pagetype import article_html, product_html, thread_lines


def _raw(html: str) -> RawDoc:
    return RawDoc(SourceInfo("file", "page.html", "0" * 64), "html", data=html.encode())


def _config(settings: Settings) -> CleanConfig:
    return CleanConfig(settings.limits, settings.cleaning, "test")


def test_records_carry_the_page_type_and_the_filter_rejects_what_it_leaves_out() -> None:
    outcome = clean_document(_raw(product_html()), _config(Settings()))
    assert isinstance(outcome, Accepted), outcome
    assert outcome.record["page_type"] == "product"
    Article.model_validate(outcome.record)
    news_only = Settings(cleaning={"page_types": ["article"]})
    rejected = clean_document(_raw(product_html()), _config(news_only))
    assert isinstance(rejected, Rejected)
    assert rejected.reason == Reason.NOT_ARTICLE
    assert "product" in rejected.detail and "cleaning.page_types" in rejected.detail
    kept = clean_document(_raw(article_html()), _config(news_only))
    assert isinstance(kept, Accepted), kept
    assert kept.record["page_type"] == "article"


def test_dumps_get_the_type_and_the_filter_too() -> None:
    thread = "\n".join(thread_lines())
    raw = RawDoc(SourceInfo("file", "thread.txt", "1" * 64), "text", data=thread.encode())
    kept = clean_document(raw, _config(Settings(cleaning={"min_words": 10})))
    assert isinstance(kept, Accepted) and kept.record["page_type"] == "forum", kept
    news_only = Settings(cleaning={"page_types": ["article"], "min_words": 10})
    outcome = clean_document(raw, _config(news_only))
    assert isinstance(outcome, Rejected) and outcome.reason == Reason.NOT_ARTICLE, outcome
