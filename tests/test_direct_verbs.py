"""`backfill` and `fetch` with no Prefect server configured: the same work, and no Prefect.

Each verb runs once directly (no `PREFECT_API_URL`, a private empty Prefect
home) and once as a flow run on the session's test server; both must give
the same records and summaries, and the direct run must never import Prefect.
The flow run, with no terminal and Prefect's INFO logs on, must name each
shard once on the console (the progress line), not twice.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.articles import make_dump
from tests.conftest import read_jsonl
from tests.test_direct_mode import IN_PROCESS

pytestmark = pytest.mark.slow


def _env(home: Path, api_url: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(home), COLUMNS="200", PRESSWASH_RUN__WORKERS="1")
    if api_url:
        env.update(PREFECT_API_URL=api_url, PREFECT_LOGGING_LEVEL="INFO")
    return env


def _presswash(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """The CLI in a fresh process (no terminal), reporting whether Prefect was imported."""
    return subprocess.run(
        [sys.executable, "-c", IN_PROCESS, *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
    )


def _records(out: Path) -> list[str]:
    """What was cleaned, without the fields that name when or from which landed file."""
    found = []
    for record in read_jsonl(out / "articles") + read_jsonl(out / "rejected"):
        source = record["source"]
        found.append(
            json.dumps(
                [
                    source.get("url") or re.sub(r"fetch-[^/#]+", "fetch-*", source["uri"]),
                    record.get("reason"),
                    record.get("text"),
                    record.get("language"),
                ],
                sort_keys=True,
            )
        )
    return sorted(found)


def _summary(out: Path, pattern: str) -> dict[str, Any]:
    (path,) = sorted((out / "runs").glob(pattern))[-1:]
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def test_backfill_runs_directly_and_as_a_flow_with_the_same_output(
    prefect_api_url: str, tmp_path: Path
) -> None:
    raw = tmp_path / "raw"
    for seed, source in ((400, "courier"), (500, "gazette")):
        folder = raw / source / "2025-03-01"
        folder.mkdir(parents=True)
        for n in range(2):
            (folder / f"page-{n}.txt").write_text(make_dump(seed + n))
    args = ["backfill", "--since", "2025-03-01", "--until", "2025-03-01", "--raw", str(raw)]
    home = tmp_path / "home"

    direct = _presswash([*args, "--out", str(tmp_path / "direct")], _env(home), tmp_path)
    assert direct.returncode == 0, direct.stderr[-3000:]
    assert "PREFECT_IMPORTED=False" in direct.stderr, "a direct backfill imported Prefect"
    assert "to track runs in Prefect" in direct.stderr
    assert _summary(tmp_path / "direct", "[0-9]*.json")["mode"] == "direct"
    again = _presswash([*args, "--out", str(tmp_path / "direct")], _env(home), tmp_path)
    assert again.returncode == 0 and "nothing to do" in again.stderr
    assert len(list((tmp_path / "direct" / "runs").glob("*.json"))) == 1, "no run, no summary"

    flow = _presswash(
        [*args, "--out", str(tmp_path / "flow")], _env(home, prefect_api_url), tmp_path
    )
    assert flow.returncode == 0, flow.stderr[-3000:]
    summary = _summary(tmp_path / "flow", "[0-9]*.json")
    assert summary["mode"] == "prefect" and summary["shards"] == 2
    assert _records(tmp_path / "direct") == _records(tmp_path / "flow")
    for shard in re.findall(r"shard ([0-9a-f]{16})", flow.stderr):
        lines = [line for line in flow.stderr.splitlines() if shard in line]
        assert len(lines) == 1, f"shard {shard} reported {len(lines)} times:\n{flow.stderr}"
    assert len(set(re.findall(r"shard ([0-9a-f]{16})", flow.stderr))) == 2


def test_fetch_runs_directly_and_as_a_flow_with_the_same_output(
    hostile_server: str, prefect_api_url: str, tmp_path: Path
) -> None:
    pages = [hostile_server + p for p in ("/ok/31.html", "/ok/32.html", "/status/404")]
    home = tmp_path / "home"
    results = {}
    for mode, api_url in (("direct", None), ("flow", prefect_api_url)):
        args = ["fetch", *pages, "--feed", hostile_server + "/feed.xml?n=2", "--clean"]
        args += ["--raw", str(tmp_path / mode / "raw"), "--out", str(tmp_path / mode / "out")]
        result = _presswash([*args, "--allow-private"], _env(home, api_url), tmp_path)
        assert result.returncode == 0, result.stderr[-3000:]
        results[mode] = result
    assert "PREFECT_IMPORTED=False" in results["direct"].stderr, "a direct fetch imported Prefect"
    assert "PREFECT_IMPORTED=True" in results["flow"].stderr

    direct, flow = (_summary(tmp_path / m / "out", "fetch-*.json") for m in ("direct", "flow"))
    assert direct["prefect_flow_run_id"] is None and flow["prefect_flow_run_id"]
    for key in ("asked", "fetched", "rejected", "rejected_by_reason", "skipped"):
        assert direct[key] == flow[key], key
    assert (direct["asked"], direct["fetched"], direct["rejected"]) == (5, 4, 1)
    assert direct["clean_run_id"] and flow["clean_run_id"]
    assert _records(tmp_path / "direct" / "out") == _records(tmp_path / "flow" / "out")
    for mode in ("direct", "flow"):
        clean = _summary(tmp_path / mode / "out", "[0-9]*.json")
        assert clean["inputs"] == 4, "the pages this fetch landed, and only those"

    from typer.testing import CliRunner

    from presswash.flows.cli import app

    listed = CliRunner().invoke(app, ["runs", str(tmp_path / "direct" / "out"), "--json"])
    assert listed.exit_code == 0, listed.output
    kinds = {run["kind"]: run["run_id"] for run in json.loads(listed.stdout)}
    assert kinds == {"fetch": direct["run_id"], "clean": direct["clean_run_id"]}
