"""Prefect when configured, direct otherwise: the same engine, the same output, either way.

A user with no Prefect server gets a plain command that starts no server;
a user whose environment or active Prefect profile names one gets a
tracked flow run with its summary artifact.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import RAW, latest_summary, read_jsonl

pytestmark = pytest.mark.slow

# Runs the CLI in this process, then says whether Prefect or the cleaning core was ever imported.
IN_PROCESS = """
import sys
from presswash.flows.cli import main
sys.argv = ["presswash", *sys.argv[1:]]
try:
    main()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
sys.stderr.write(f"\\nPREFECT_IMPORTED={'prefect' in sys.modules}")
sys.stderr.write(f"\\nCORE_IMPORTED={'presswash.parsers.pipeline' in sys.modules}")
sys.exit(code)
"""


def _env(home: Path, api_url: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["PREFECT_HOME"] = str(home)
    env["COLUMNS"] = "200"
    if api_url:
        env["PREFECT_API_URL"] = api_url
    return env


def _clean(out: Path, env: dict[str, str], *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", IN_PROCESS, "clean", str(RAW), "--out", str(out), *extra],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        stdin=subprocess.DEVNULL,
    )


def _stable(out: Path) -> list[str]:
    records = read_jsonl(out / "articles") + read_jsonl(out / "rejected")
    for record in records:
        for key in ("ingested_at", "rejected_at"):
            record.pop(key, None)
    return sorted(json.dumps(r, sort_keys=True) for r in records)


def test_no_server_configured_runs_directly_with_the_flows_output(
    prefect_api_url: str, tmp_path: Path
) -> None:
    direct_out, flow_out = tmp_path / "direct", tmp_path / "flow"
    first = _clean(direct_out, _env(tmp_path / "home"))
    assert first.returncode == 0, first.stderr[-2000:]
    assert "PREFECT_IMPORTED=False" in first.stderr, "a direct run imported Prefect"
    assert "CORE_IMPORTED=False" in first.stderr, "the run's own process imported the cleaning"
    assert "to track runs in Prefect" in first.stderr
    second = _clean(direct_out, _env(tmp_path / "home"))
    assert second.returncode == 0, second.stderr[-2000:]
    assert "to track runs in Prefect" not in second.stderr, "the hint is once per output folder"
    summary = latest_summary(direct_out)
    assert (summary["mode"], summary["inputs"], summary["accepted"]) == ("direct", 15, 12)
    assert (direct_out / "report.html").exists()

    flow = _clean(flow_out, _env(tmp_path / "home", prefect_api_url))
    assert flow.returncode == 0, flow.stderr[-2000:]
    assert latest_summary(flow_out)["mode"] == "prefect"
    assert _stable(direct_out) == _stable(flow_out)
    for folder, mode in ((direct_out, "direct"), (flow_out, "prefect")):
        listed = subprocess.run(
            [str(Path(sys.executable).with_name("presswash")), "runs", str(folder)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert listed.returncode == 0 and f" {mode} " in listed.stdout, listed.stdout


def test_a_local_dask_run_cleans_in_worker_processes_only(tmp_path: Path) -> None:
    """Its Dask workers are threads of the run's process; the cleaning is in their processes."""
    pytest.importorskip("distributed")
    done = _clean(tmp_path / "out", _env(tmp_path / "home"), "--executor", "dask")
    assert done.returncode == 0, done.stderr[-2000:]
    assert latest_summary(tmp_path / "out")["executor"] == "dask"
    assert "CORE_IMPORTED=False" in done.stderr, "the run's own process imported the cleaning"


def test_a_server_in_the_active_profile_gets_a_flow_run_with_its_artifact(
    prefect_api_url: str, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "profiles.toml").write_text(
        f'active = "team"\n\n[profiles.team]\nPREFECT_API_URL = "{prefect_api_url}"\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = _clean(out, _env(home))
    assert result.returncode == 0, result.stderr[-2000:]
    assert "to track runs in Prefect" not in result.stderr
    summary = latest_summary(out)
    assert summary["mode"] == "prefect" and summary["prefect_flow_run_id"]
    run, artifact = _read_back(prefect_api_url, summary["prefect_flow_run_id"])
    assert run["state_type"] == "COMPLETED" and run["name"]
    assert summary["run_id"] in artifact


def _read_back(api_url: str, flow_run_id: str) -> tuple[dict[str, Any], str]:
    """The flow run and its summary artifact, read with Prefect's own client."""
    import asyncio

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId
    from prefect.settings import PREFECT_API_URL, temporary_settings

    async def read() -> tuple[dict[str, Any], str]:
        async with get_client() as client:
            run = await client.read_flow_run(flow_run_id)
            artifacts = await client.read_artifacts(
                artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run.id]))
            )
        data = "\n".join(str(a.data) for a in artifacts if a.key == "presswash-clean-summary")
        return {"state_type": run.state_type.value, "name": run.name}, data

    with temporary_settings(updates={PREFECT_API_URL: api_url}):
        return asyncio.run(read())
