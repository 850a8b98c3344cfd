"""Run summaries as the Prefect markdown artifacts the flows publish: one table shape for all.

A clean run and a fetch run publish different counts, but in the same form:
a two-column table of the run's numbers, then a table per breakdown
(rejection reasons, languages, feeds) that has rows, then the failure.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from prefect.artifacts import create_markdown_artifact
from prefect.context import get_run_context


def table(rows: Iterable[tuple[object, ...]], header: tuple[str, ...] = ("", "")) -> list[str]:
    """A markdown table's lines: the header (blank cells allowed), the rule, one line a row."""
    lines = ["|" + "|".join(f" {cell} " if cell else " " for cell in header) + "|"]
    lines.append("|" + "|".join("---" for _ in header) + "|")
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines


def section(header: tuple[str, ...], rows: Iterable[tuple[object, ...]]) -> list[str]:
    """A table after a blank line, or nothing when it has no rows."""
    rows = list(rows)
    return ["", *table(rows, header)] if rows else []


def failure(error: str | None) -> list[str]:
    """The run's one-line failure, or nothing."""
    return ["", f"**Failed:** {error}"] if error else []


def publish(markdown: str, key: str, description: str) -> None:
    """The summary as the artifact `key`, whose history the Prefect UI keeps across runs."""
    create_markdown_artifact(markdown=markdown, key=key, description=description)


def flow_run_id() -> str | None:
    """The id of the flow run this code runs in, or None outside one."""
    try:
        context: Any = get_run_context()
        return str(context.flow_run.id)
    except Exception:
        return None
