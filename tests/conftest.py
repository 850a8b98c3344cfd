"""Shared fixtures: where things are, one real Prefect server per session, the real CLI."""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import select
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DATA = Path(__file__).resolve().parent / "data"
RAW = REPO / "raw"


def _cache_bytecode() -> None:
    """Let every Python process of the session reuse compiled modules, kept out of the sources.

    Where writing bytecode is turned off (PYTHONDONTWRITEBYTECODE, common in
    containers), each `presswash` or `prefect` process a test starts would
    compile Prefect and its dependencies from source again: seconds of CPU
    each, for a hundred processes. They share one cache folder instead.
    """
    if not (sys.flags.dont_write_bytecode or os.environ.get("PYTHONDONTWRITEBYTECODE")):
        return
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    prefix = os.environ.setdefault("PYTHONPYCACHEPREFIX", str(REPO / ".pytest_cache" / "pycache"))
    sys.pycache_prefix = prefix
    sys.dont_write_bytecode = False


_cache_bytecode()


def load_script(relative: str) -> ModuleType:
    """A script of the project loaded from its file (`scripts/` and `bench/` are not packages).

    It is registered under its file's stem, so that the dataclasses it defines
    can find their module, and its folder is on the path, as when it is run,
    so that it can import a sibling script.
    """
    path = REPO / relative
    if str(path.parent) not in sys.path:
        sys.path.append(str(path.parent))
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


def shared_or_skip(*parts: str) -> Path:
    """A path under ../shared, or skip: a user's fresh clone does not have it."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(
            f"needs ../shared/{'/'.join(parts)} (benchmark pages and hostile inputs), absent here"
        )
    return path


@pytest.fixture(scope="session")
def hostile_server() -> Iterator[str]:
    """The shared hostile HTTP server on loopback, for the whole session: its base URL."""
    script = shared_or_skip("hostile", "server.py")
    proc = subprocess.Popen(
        [sys.executable, str(script), "--max-seconds", "1200"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        ready, _, _ = select.select([proc.stdout], [], [], 10)
        assert ready, "the hostile server did not start"
        assert proc.stdout is not None
        yield proc.stdout.readline().decode().strip()
    finally:
        proc.terminate()
        proc.wait(5)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def s3_env() -> Iterator[dict[str, str]]:
    """One moto S3 server on loopback for the session: the environment that reaches it.

    A process finds it as a user's finds their store: `AWS_ENDPOINT_URL` and
    the standard credential variables, nothing in presswash's own files.
    """
    pytest.importorskip("s3fs")
    pytest.importorskip("moto.server")
    port = free_port()
    exe = Path(sys.executable).with_name("moto_server")
    proc = subprocess.Popen(
        [str(exe), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(endpoint, timeout=2).close()
                break
            except OSError:
                assert proc.poll() is None, "moto_server exited"
                assert time.monotonic() < deadline, "moto_server did not start"
                time.sleep(0.2)
        yield {
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
        }
    finally:
        proc.terminate()
        proc.wait(10)


def s3_client(s3_env: dict[str, str]) -> Any:
    """An s3fs client of the session's server that caches no listing."""
    import s3fs

    return s3fs.S3FileSystem(
        key=s3_env["AWS_ACCESS_KEY_ID"],
        secret=s3_env["AWS_SECRET_ACCESS_KEY"],
        endpoint_url=s3_env["AWS_ENDPOINT_URL"],
        skip_instance_cache=True,
        use_listings_cache=False,
    )


@pytest.fixture(scope="session")
def real_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """One real `prefect server start` for the whole session (per xdist worker): URL and home.

    Tests that register deployments under names another test also uses remove
    them first or after, so each test reads back only what it wrote.
    """
    from presswash.flows.prefect_env import configure_prefect_env

    configure_prefect_env()  # before Prefect is imported
    from tests.test_prefect_server import serve_real_server

    yield from serve_real_server(tmp_path_factory)


@pytest.fixture(scope="session")
def prefect_api_url(real_server: tuple[str, Path]) -> Iterator[str]:
    """The session's Prefect server, for CLI subprocesses and for flows called in this process."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    api_url, _ = real_server
    with temporary_settings(updates={PREFECT_API_URL: api_url}):
        yield api_url
        _drain_prefect_workers()


def _drain_prefect_workers() -> None:
    """Send the logs and events still queued in this process before the server stops."""
    import inspect

    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker
    from prefect.utilities.asyncutils import run_coro_as_sync

    async def drain() -> None:
        with contextlib.suppress(RuntimeError):  # no log worker was started
            drained = APILogWorker.instance().drain()
            if inspect.isawaitable(drained):
                await drained
        drained = EventsWorker.drain_all()
        if inspect.isawaitable(drained):
            await drained

    run_coro_as_sync(drain())


def cli_env(api_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PREFECT_API_URL"] = api_url
    env.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    env["COLUMNS"] = "200"
    return env


def run_cli(
    args: list[str], api_url: str, cwd: Path | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """The installed `presswash` command, as a user runs it, with a Prefect server configured."""
    return presswash(args, cli_env(api_url), cwd, timeout)


def presswash(
    args: list[str], env: dict[str, str], cwd: Path | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """The installed `presswash` command in `env`, its output captured, no standard input."""
    exe = Path(sys.executable).with_name("presswash")
    return subprocess.run(
        [str(exe), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd or REPO,
        env=env,
        stdin=subprocess.DEVNULL,
    )


def direct_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a user with no Prefect server configured: runs are direct."""
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "PREFECT_PROFILE")}
    env.setdefault("PREFECT_HOME", str(REPO / ".pytest_cache" / "no-prefect-home"))
    env["COLUMNS"] = "200"
    env.update(extra or {})
    return env


def run_direct(
    args: list[str],
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    """The installed `presswash` command with no Prefect server configured (a direct run)."""
    return presswash(args, direct_env(env), cwd, timeout)


def read_jsonl(folder: Path) -> list[dict[str, Any]]:
    """Every record of every part file under a folder, each line checked to be one JSON object."""
    records = []
    for path in sorted(folder.rglob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            records.append(json.loads(line))
    return records


def latest_summary(out: Path) -> dict[str, Any]:
    runs = sorted((out / "runs").glob("[0-9]*.json"))
    assert runs, f"no run summary in {out}/runs"
    return json.loads(runs[-1].read_text(encoding="utf-8"))
