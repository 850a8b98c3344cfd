"""The README's step-by-step cluster run shows commands that exist, with options that exist.

A reader copies those lines onto machines where a wrong flag fails only
then. Every `dask` command's options are checked against the installed
`dask` command's help, every `presswash` command's against the command
line's own definition, every Dask setting set through the environment
against Dask's own defaults. The run itself (a scheduler, two workers, an
S3 server, `presswash clean s3://... --executor dask --dask-address ...`) is
tests/test_dask_cluster.py.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

pytest.importorskip("distributed", reason="dask.distributed (the dask extra) is not installed")

SECTION = "### A run on a cluster, output on object storage"


def section() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index(SECTION)
    end = text.find("\n### ", start + len(SECTION))
    return text[start:end]


def commands() -> list[list[str]]:
    """The command lines of the section's bash blocks, continuations joined, comments dropped."""
    blocks = re.findall(r"```bash\n(.*?)```", section(), flags=re.S)
    lines = [line.strip() for block in blocks for line in block.replace("\\\n", " ").splitlines()]
    return [shlex.split(line, comments=True) for line in lines if line]


def _flags(words: list[str]) -> list[str]:
    return [w.split("=", 1)[0] for w in words if w.startswith("--")]


def test_the_section_shows_a_scheduler_workers_and_a_clean_on_the_cluster() -> None:
    shown = [" ".join(c) for c in commands()]
    assert any("dask scheduler" in line for line in shown)
    assert any("dask worker tcp://" in line for line in shown)
    clean = [line for line in shown if line.startswith("presswash clean s3://")]
    assert clean and "--executor dask" in clean[0] and "--out s3://" in clean[0]
    assert "--dask-address tcp://" in clean[0]


def test_dask_commands_take_the_options_shown() -> None:
    dask = Path(sys.executable).with_name("dask")
    for words in commands():
        words = [w for w in words if not re.match(r"^[A-Z_]+=", w)]  # environment first
        if words[:1] != ["dask"]:
            continue
        helped = subprocess.run(
            [str(dask), words[1], "--help"], capture_output=True, text=True, timeout=120
        )
        assert helped.returncode == 0, helped.stderr
        for flag in _flags(words):
            assert flag in helped.stdout, f"`dask {words[1]}` has no {flag}"


def test_presswash_commands_take_the_options_shown() -> None:
    import typer.main

    from presswash.flows.cli import app

    verbs = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    for words in commands():
        if words[:1] != ["presswash"]:
            continue
        options = {opt for param in verbs[words[1]].params for opt in param.opts}
        for flag in _flags(words):
            assert flag in options, f"`presswash {words[1]}` has no {flag}"


def test_dask_settings_set_through_the_environment_are_dask_settings() -> None:
    import dask
    import distributed  # noqa: F401 - loads the distributed.* defaults

    text = section()
    names = set(re.findall(r"\bDASK_([A-Z_]+)=", text))
    assert "DISTRIBUTED__WORKER__DAEMON" in names
    for name in names:
        key = name.lower().replace("__", ".").replace("_", "-")
        assert dask.config.get(key, default=KeyError) is not KeyError, key


def test_the_python_reader_shown_exists() -> None:
    import presswash

    assert "presswash.read_articles(" in section()
    assert callable(presswash.read_articles)
