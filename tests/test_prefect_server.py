"""Prefect's own CLI reads what presswash wrote to a real `prefect server start`.

Other tests only prove that runs can be written to the session's server.
Users watch runs with `prefect flow-run ls`, `flow-run logs`,
`artifact ls|inspect` and `deployment ls`, whose read calls send explicit
nulls (`"limit": null`) that FastAPI 0.151 and later reject with a 422 while
every write still works: only a real server, read back by Prefect's own
commands, catches that.

`prefect flow-run ls` runs as the `prefect` executable; the other commands go
through the same entry point (`prefect.cli.app`, what that executable calls)
one after another in a single process, so that Prefect is imported twice
rather than five times (seconds of CPU each).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from presswash.flows.serve import stop_server, wait_healthy
from presswash.schemas.settings import Settings
from tests.conftest import RAW, REPO

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
INPUTS = [RAW / "samples", RAW / "exports" / "scraper_export.jsonl"]
TIMEOUT = 180  # a guard against a hung process, not the test's budget
CLEAN_RECENT = "presswash-clean-recent/clean-recent"  # the scheduled clean `serve` registers
RECENT_LOOP_SECONDS = 1  # the server's recent-deployments scheduler loop


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prefect_env(home: Path, api_url: str | None = None) -> dict[str, str]:
    """A private Prefect home, database and profile; analytics off; no PREFECT_* inherited."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(
        PREFECT_HOME=str(home),
        PREFECT_PROFILES_PATH=str(home / "profiles.toml"),
        PREFECT_SERVER_DATABASE_CONNECTION_URL=f"sqlite+aiosqlite:///{home / 'prefect.db'}",
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_SERVER_UI_ENABLED="false",
        # block types are not read here; registering them costs seconds of CPU at start
        PREFECT_API_BLOCKS_REGISTER_ON_START="false",
        PREFECT_SERVER_LOGGING_LEVEL="WARNING",
        PREFECT_API_ENABLE_HTTP2="false",
        # how long after a change the scheduler keeps rescheduling a deployment (default 5 s)
        PREFECT_SERVER_SERVICES_SCHEDULER_RECENT_DEPLOYMENTS_LOOP_SECONDS=str(RECENT_LOOP_SECONDS),
        DO_NOT_TRACK="1",
        COLUMNS="250",
    )
    if api_url:
        env["PREFECT_API_URL"] = api_url
    return env


def serve_real_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """`prefect server start` on a free loopback port: its API URL and home; stopped after.

    The fixture `real_server` (tests/conftest.py) runs it once per session.
    """
    home = tmp_path_factory.mktemp("prefect-home")
    port = free_port()
    log = (home / "server.log").open("wb")
    process = subprocess.Popen(
        [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=prefect_env(home),
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    api_url = f"http://127.0.0.1:{port}/api"
    try:
        import prefect  # noqa: F401  (the test needs it: imported while the server starts)

        wait_healthy(api_url, process, timeout=TIMEOUT)
        yield api_url, home
    finally:
        stop_server(process)
        log.close()


def apply_clean_deployment(api_url: str, tmp_path: Path) -> None:
    """Register the scheduled clean that `presswash serve` serves, as `serve` does."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from presswash.flows.serve import build_deployments

    (deployment,) = build_deployments(Settings(out=tmp_path / "clean", raw=tmp_path / "raw"))
    with temporary_settings(updates={PREFECT_API_URL: api_url}):
        deployment.apply()  # synchronous outside an event loop


def delete_deployments(api_url: str, names: list[str]) -> None:
    """Delete these `flow/deployment`s and their queued runs where they exist.

    The session's server is shared: a test that registers the deployments
    `serve` registers leaves none behind for the next one to count.
    """
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with (
        temporary_settings(updates={PREFECT_API_URL: api_url}),
        get_client(sync_client=True) as client,
    ):
        for name in names:
            with contextlib.suppress(ObjectNotFound):
                client.delete_deployment(client.read_deployment_by_name(name).id)


def start(command: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        command,
        cwd=REPO,  # where `tests` is importable
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )


def prefect_cli(argv: list[str]) -> dict[str, object]:
    """One command line through Prefect's CLI entry point, as the `prefect` executable runs it."""
    from prefect.cli import app

    stdout, stderr = io.StringIO(), io.StringIO()
    sys.argv = ["prefect", *argv]
    code: object = 0
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            app()
        except SystemExit as exc:
            code = exc.code
    return {"code": code or 0, "stdout": stdout.getvalue(), "stderr": stderr.getvalue()}


def prefect_cli_batch(argvs: list[list[str]], results: Path) -> None:
    """Run each command line in this process; write their exit codes and output as JSON."""
    results.write_text(json.dumps([prefect_cli(argv) for argv in argvs]), encoding="utf-8")


def run_prefect_cli(
    commands: dict[str, list[str]], env: dict[str, str], results: Path
) -> dict[str, dict[str, object]]:
    """The first command as the `prefect` executable, the others batched in one process."""
    (first, first_args), *others = commands.items()
    executable = start([str(BIN / "prefect"), *first_args], env)
    batch_code = (
        "import json, sys; from pathlib import Path; "
        "from tests.test_prefect_server import prefect_cli_batch; "
        "prefect_cli_batch(json.loads(sys.argv[1]), Path(sys.argv[2]))"
    )
    argvs = json.dumps([args for _, args in others])
    batch = start([sys.executable, "-c", batch_code, argvs, str(results)], env)
    stdout, stderr = executable.communicate(timeout=TIMEOUT)
    shown = {first: {"code": executable.returncode, "stdout": stdout, "stderr": stderr}}
    _, batch_err = batch.communicate(timeout=TIMEOUT)
    assert batch.returncode == 0, batch_err[-3000:]
    batched = json.loads(results.read_text(encoding="utf-8"))
    shown.update(zip((name for name, _ in others), batched, strict=True))
    return shown


@pytest.fixture
def clean_deployment(real_server: tuple[str, Path]) -> Iterator[str]:
    """The scheduled clean's `flow/deployment` name; the test registers it, this deletes it."""
    yield CLEAN_RECENT
    delete_deployments(real_server[0], [CLEAN_RECENT])


def test_prefect_cli_reads_the_runs_artifacts_and_deployments(
    real_server: tuple[str, Path], clean_deployment: str, tmp_path: Path
) -> None:
    api_url, home = real_server
    env = prefect_env(home, api_url)
    out = tmp_path / "clean"
    clean = start([str(BIN / "presswash"), "clean", *map(str, INPUTS), "--out", str(out)], env)
    apply_clean_deployment(api_url, tmp_path)  # while the clean runs
    _, clean_err = clean.communicate(timeout=TIMEOUT)
    assert clean.returncode == 0, clean_err[-3000:]
    (summary_file,) = (out / "runs").glob("[0-9]*.json")
    summary = json.loads(summary_file.read_text(encoding="utf-8"))
    flow_run_id = summary["prefect_flow_run_id"]
    assert flow_run_id

    commands = {
        # its own flow's runs: the session's server may hold scheduled runs due later
        "flow-run ls": ["flow-run", "ls", "--flow-name", "presswash-clean"],
        "flow-run logs": ["flow-run", "logs", flow_run_id],
        "artifact ls": ["artifact", "ls"],
        "artifact inspect": ["artifact", "inspect", "presswash-clean-summary"],
        "deployment ls": ["deployment", "ls"],
    }
    results = run_prefect_cli(commands, env, tmp_path / "prefect-cli.json")
    shown = {}
    for name, result in results.items():
        stderr = str(result["stderr"])
        assert result["code"] == 0, f"prefect {name}: {stderr[-2000:]}"
        assert "Traceback" not in stderr, f"prefect {name}: {stderr[-2000:]}"
        shown[name] = str(result["stdout"])

    assert flow_run_id in shown["flow-run ls"]
    assert "presswash-clean" in shown["flow-run ls"]
    assert "COMPLETED" in shown["flow-run ls"]
    assert f"run {summary['run_id']}: " in shown["flow-run logs"]  # presswash's own log line
    assert "presswash-clean-summary" in shown["artifact ls"]
    assert summary["run_id"] in shown["artifact inspect"]
    assert clean_deployment in shown["deployment ls"]
