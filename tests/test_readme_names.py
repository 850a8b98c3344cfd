"""The deployment names the README shows are the ones `presswash serve` registers.

A reader copies `prefect deployment run <flow>/<deployment>` from the README;
a name that drifted from the code fails only then, on their machine, with
"Deployment not found". The names are checked against the deployments
`serve` builds, not against a list kept in the test.
"""

from __future__ import annotations

import re
from pathlib import Path

from presswash.schemas.settings import Settings
from tests.conftest import REPO

SOURCE = "example-news"
# `flow/deployment` in backticks, or after `prefect deployment run`
NAME = r"presswash-[a-z0-9-]+/[a-z0-9<>-]+"
SHOWN = re.compile(rf"`({NAME})`|prefect deployment run ({NAME})")


def readme_names() -> set[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return {a or b for a, b in SHOWN.findall(text)}


def served_names(tmp_path: Path) -> set[str]:
    """`flow/deployment` of every deployment `serve` builds for one configured source."""
    from presswash.flows.serve import build_deployments

    settings = Settings(
        out=tmp_path / "clean",
        raw=tmp_path / "raw",
        sources={SOURCE: {"feeds": ["https://news.example/rss.xml"]}},
    )
    return {f"{d.flow_name}/{d.name}" for d in build_deployments(settings)}


def test_readme_deployment_names_are_the_served_ones(tmp_path: Path) -> None:
    shown = readme_names()
    run_commands = re.findall(
        rf"prefect deployment run ({NAME})", (REPO / "README.md").read_text("utf-8")
    )
    assert run_commands, "the README shows how to start a deployment's run"
    served = served_names(tmp_path)
    as_served = {name.replace("<source>", SOURCE) for name in shown}
    assert as_served <= served, f"named in the README, not served: {sorted(as_served - served)}"
    assert served <= as_served, f"served, not in the README: {sorted(served - as_served)}"
