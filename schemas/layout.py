"""Where things are: the output folder's layout, and location strings (paths or URLs).

Pure functions on names, shared by every layer: a location is a local path,
a `file://` URL (a local path too) or an object-storage URL (`s3://`, ...).
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")

# The folders of an output (CONTRACT.md fixes them).
ARTICLES = "articles"
REJECTED = "rejected"
RUNS = "runs"
STATE = "_state"
STAGING = "_staging"
UNDATED = "undated"
# Paths inside an output, relative to its root, with "/" as on object storage.
STATE_DB = f"{STATE}/state.sqlite"
LOCK = f"{STATE}/lock"


def is_url(value: str | os.PathLike[str]) -> bool:
    """Whether `value` names object storage (not `file://`, which is a local path)."""
    if not isinstance(value, str):
        return False
    match = _SCHEME.match(value)
    return bool(match) and match[1].lower() not in ("file", "local")


def local_path(value: str) -> str:
    """`file:///x/y` as the plain path `/x/y`; anything else unchanged."""
    if value.lower().startswith("file://"):
        return value[len("file://") :] or "/"
    return value


def normalize(url: str) -> str:
    """A URL without the trailing slash, so that joins and comparisons agree."""
    return url.rstrip("/") if not url.endswith("://") else url


def join(url: str, *parts: str) -> str:
    return "/".join([normalize(url), *(p.strip("/") for p in parts)])


def default_mirror(url: str, base: Path | None = None, kind: str = "outputs") -> Path:
    """The local folder a remote output's run state (or a remote landing zone's fetch
    state, `kind` "landing") lives in, one per URL.

    Under the user's cache folder (`$XDG_CACHE_HOME`, else `~/.cache`) unless
    `run.state_dir` says where.
    """
    if base is None:
        cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        base = Path(cache) / "presswash" / kind
    url = normalize(url)
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", url.split("://", 1)[-1]).strip("._")[-60:] or "out"
    digest = hashlib.sha256(url.encode()).hexdigest()[:8]
    return base / f"{name}-{digest}"
