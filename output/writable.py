"""Whether a folder can be written, asked before a run starts rather than discovered half way."""

from __future__ import annotations

import os
from pathlib import Path


def unwritable(folder: Path, what: str = "output folder") -> str | None:
    """A one-line reason why `folder` cannot be created and written, or None if it can."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".presswash-write-test-{os.getpid()}"
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as exc:
        return f"{what} {folder} is not writable: {exc.strerror or exc}"
    return None
