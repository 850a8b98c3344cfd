"""Writing safely: whether a folder can be written, asked before a run starts rather than
discovered half way, and making a rename in it durable."""

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


def fsync_dir(path: Path) -> None:
    """Make a rename in `path` durable: the new name survives a power cut once this returns."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
