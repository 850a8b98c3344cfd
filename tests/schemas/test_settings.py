"""Settings: the values a user may give are checked, and the defaults keep everything."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from presswash.parsers.pagetype import PAGE_TYPES
from presswash.schemas.settings import Settings


def test_page_types_setting_is_checked_and_keeps_every_type_by_default() -> None:
    assert Settings().cleaning.page_types == list(PAGE_TYPES)
    assert Settings(cleaning={"page_types": [" Article "]}).cleaning.page_types == ["article"]
    with pytest.raises(ValidationError):
        Settings(cleaning={"page_types": ["articles"]})
    assert Settings(cleaning={"page_types": ["article"]}).output_fingerprint() != (
        Settings().output_fingerprint()
    )
