"""The throughput benchmark still runs end to end: a corpus is built, cleaned, and measured."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.articles import make_dump
from tests.conftest import REPO, shared_or_skip

# Every form of the mixed corpus (it repeats every 20 documents) at least twice
DOCS = 40


def run_bench(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    """One of the bench scripts, as a user runs it from the repository root."""
    return subprocess.run(
        [sys.executable, str(REPO / "bench" / script), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.slow
def test_throughput_quick_runs_a_direct_clean(tmp_path: Path) -> None:
    shared_or_skip("hostile", "server.py")
    shared_or_skip("bench", "make_textdump.py")
    figures = tmp_path / "figures.json"
    done = run_bench(
        "throughput.py",
        "--quick",
        "--docs",
        str(DOCS),
        "--no-precompile",
        "--no-prefect",
        "--kinds",
        "mixed",
        "--no-speedup",
        "--no-trafilatura",
        "--no-profile",
        "--work",
        str(tmp_path / "work"),
        "--json",
        str(figures),
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    rates = re.findall(r"direct: ([0-9.]+) docs/s", done.stdout)
    assert rates and float(rates[0]) > 0, done.stdout
    throughput = json.loads(figures.read_text())["throughput"]
    mix = throughput["corpora"][f"mixed-{DOCS}"]["mix"]
    assert set(mix) == {"html", "html.gz", "txt", "txt.gz", "jsonl-html", "jsonl-text"}, mix
    run = throughput["runs"][0]
    # every document of the corpus came back as an input, and distinct pages are not duplicates
    assert run["inputs"] == DOCS == run["accepted"] + run["rejected"]
    assert run["duplicates"] < DOCS / 20


def test_cpu_profile_times_text_dumps(tmp_path: Path) -> None:
    """A folder of text dumps is profiled as dumps, step by step, like a folder of HTML pages."""
    (tmp_path / "one.txt").write_text(make_dump(1), encoding="utf-8")
    (tmp_path / "two.txt").write_text(make_dump(2), encoding="utf-8")
    done = run_bench("cpu_profile.py", str(tmp_path), "--repeat", "2")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "2 pages, 2 accepted" in done.stdout, done.stdout
    assert re.search(r"extract\s+[0-9.]+", done.stdout), done.stdout
