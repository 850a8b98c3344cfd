"""The shared hostile corpus through the real CLI: every input accounted for, no crash, bounded."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import cli_env, latest_summary, read_jsonl, shared_or_skip

pytestmark = pytest.mark.slow


# Runs the CLI and reports the largest RSS of it and of every worker process it started.
MEASURE = """
import resource, subprocess, sys
code = subprocess.run(sys.argv[1:]).returncode
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
sys.stderr.write(f"PEAK_RSS_KIB={peak}")
sys.exit(code)
"""


def expectations(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Expected outcome per record uri, as presswash names them (`path#n` in multi-record files)."""
    root = manifest["input_root"] + "/"
    expected = {}
    for entry in manifest["files"]:
        rel = entry["path"].removeprefix(root)
        for item in entry.get("items") or [entry]:
            uri = f"{rel}#{item['n']}" if "n" in item else rel
            expected[uri] = item
    return expected


def test_hostile_corpus(prefect_api_url: str, tmp_path: Path) -> None:
    maker = shared_or_skip("hostile", "make_corpus.py")
    corpus = tmp_path / "corpus"
    subprocess.run([sys.executable, str(maker), str(corpus)], check=True, capture_output=True)
    manifest = json.loads((corpus / "MANIFEST.json").read_text(encoding="utf-8"))
    out = tmp_path / "out"

    result = subprocess.run(
        [
            sys.executable,
            "-c",
            MEASURE,
            str(Path(sys.executable).with_name("presswash")),
            "clean",
            str(corpus / "inputs"),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        env=cli_env(prefect_api_url),
        stdin=subprocess.DEVNULL,
    )
    stderr, _, peak = result.stderr.rpartition("PEAK_RSS_KIB=")
    assert result.returncode == 0, stderr[-2000:]
    assert "Traceback" not in stderr
    assert int(peak) < 400 * 1024, f"peak RSS of presswash or a worker: {int(peak) / 1024:.0f} MiB"

    summary = latest_summary(out)
    assert summary["inputs"] == manifest["totals"]["records"]
    assert summary["inputs"] == summary["accepted"] + summary["rejected"]

    accepted = {r["source"]["uri"]: r for r in read_jsonl(out / "articles")}
    rejected = {r["source"]["uri"]: r for r in read_jsonl(out / "rejected")}
    problems = []
    for uri, item in expectations(manifest).items():
        outcome = "accept" if uri in accepted else "reject" if uri in rejected else "missing"
        if outcome == "missing":
            problems.append(f"{uri}: not accounted for")
        elif item["expect"] != "either" and item["expect"] != outcome:
            problems.append(f"{uri}: expected {item['expect']}, got {outcome}")
        elif outcome == "accept":
            record = accepted[uri]
            missing = [p for p in item.get("must_contain", []) if p not in record["text"]]
            if missing:
                problems.append(f"{uri}: text lacks {missing}")
            language = record["language"]
            if item.get("lang") and item["expect"] == "accept" and language != item["lang"]:
                problems.append(f"{uri}: language {language} != {item['lang']}")
        elif outcome == "reject" and item.get("reason_ok"):
            reason = rejected[uri]["reason"]
            if reason not in item["reason_ok"]:
                problems.append(f"{uri}: reason {reason} not in {item['reason_ok']}")
    assert not problems, "\n".join(problems)

    canaries = [e["canary"] for e in manifest["files"] if e.get("canary")]
    for record in accepted.values():
        for canary in canaries:
            assert canary not in record["text"], "a symlink out of the input root was followed"
    for path in out.rglob("*"):
        assert ".." not in path.relative_to(out).parts
