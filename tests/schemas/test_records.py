"""The record models: the committed JSON Schemas are theirs, and the fields a record may omit.

A change to a model without its committed schema, or the other way round, fails.
"""

from __future__ import annotations

import json

import pytest

from presswash.schemas.records import Article, Rejection, json_schema
from tests.conftest import REPO


@pytest.mark.parametrize(
    ("model", "name"), [(Article, "article.schema.json"), (Rejection, "rejection.schema.json")]
)
def test_committed_schema_matches_the_model(model: type, name: str) -> None:
    committed = json.loads((REPO / "schemas" / name).read_text(encoding="utf-8"))
    assert committed == json_schema(model), (
        f"schemas/{name} is stale: regenerate it with `uv run presswash schema"
        f"{' --rejection' if model is Rejection else ''} > schemas/{name}` and add a changelog "
        "entry to the README"
    )


def test_reason_and_stage_codes_are_closed_lists() -> None:
    schema = json_schema(Rejection)
    defs = schema["$defs"]
    assert "duplicate" in defs["Reason"]["enum"]
    assert "dedup" in defs["Stage"]["enum"]


def test_article_record_accepts_the_date_fields() -> None:
    fields = Article.model_fields
    assert {"published_at_source", "published_at_precision", "modified_at"} <= set(fields)
    assert not any(fields[k].is_required() for k in ("published_at_source", "modified_at"))
