"""What the property-based tests share: how hard to try, and text that looks like pages."""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# text that looks like pages: lines, markup, CJK, punctuation, the odd control character
page_text = st.text(
    alphabet=st.sampled_from(
        list("abcdefghij ABCXYZ.,;:!?\"'<>/=-|#@&\n\n\t")
        + list("中文한국어ñéøß€“”…")
        + ["\x00", "\ufffd"]
    ),
    max_size=3000,
)
