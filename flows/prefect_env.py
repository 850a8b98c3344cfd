"""Prefect's settings for a command-line run, set before Prefect is imported.

With no `PREFECT_API_URL`, every run starts Prefect's temporary server: on a
busy 2-core machine that takes 13-30 s, near its default 20 s start timeout,
and its background services print tracebacks at shutdown. These defaults make
that path quiet and reliable; a value already in the environment wins.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from presswash.schemas import layout

_EPHEMERAL_DEFAULTS = {
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_ENABLED": "false",
    "PREFECT_SERVER_LOGGING_LEVEL": "CRITICAL",
    "PREFECT_LOGGING_LEVEL": "WARNING",
}
_ALWAYS_DEFAULTS = {
    "PREFECT_API_ENABLE_HTTP2": "false",
}


def configure_prefect_env() -> None:
    """Apply presswash's defaults for Prefect without overriding what the user set."""
    for key, value in _ALWAYS_DEFAULTS.items():
        os.environ.setdefault(key, value)
    if not os.environ.get("PREFECT_API_URL"):
        for key, value in _EPHEMERAL_DEFAULTS.items():
            os.environ.setdefault(key, value)


@contextmanager
def one_off_run() -> Iterator[None]:
    """Settings for a flow run started from the command line, where nobody watches for it.

    Its flow-run heartbeat (a thread that tells the server every 3 minutes that
    the run is alive, for deployments whose runs may crash unseen) costs up
    to a second at the end of every run, waiting for that thread; a command
    line run reports its own crash. A value set in the environment wins.
    """
    if os.environ.get("PREFECT_FLOWS_HEARTBEAT_FREQUENCY"):
        yield
        return
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield


def configured_api_url() -> str | None:
    """The Prefect API a run should report to: `PREFECT_API_URL`, or the active profile's.

    Read without importing Prefect (over a second on a small machine), so that
    a command line with no server configured starts at once. The active
    profile is `PREFECT_PROFILE`, else the profiles file's `active`.
    """
    url = os.environ.get("PREFECT_API_URL")
    if url:
        return url
    home = Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()
    path = Path(os.environ.get("PREFECT_PROFILES_PATH") or home / "profiles.toml").expanduser()
    try:
        profiles = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    active = os.environ.get("PREFECT_PROFILE") or profiles.get("active")
    profile = profiles.get("profiles", {}).get(active, {}) if isinstance(active, str) else {}
    value = profile.get("PREFECT_API_URL") if isinstance(profile, dict) else None
    return value if isinstance(value, str) and value else None


HINT_MARK = "prefect-hint-shown"


def tracking_hint(out: Path) -> str | None:
    """The one line that says how to get runs tracked in Prefect, once per output folder."""
    mark = out / layout.STATE / HINT_MARK
    if mark.exists():
        return None
    try:
        mark.touch()
    except OSError:
        return None
    return (
        "presswash: ran directly (no Prefect server configured); to track runs in Prefect, "
        "start `prefect server start` and set PREFECT_API_URL=http://127.0.0.1:4200/api"
    )
