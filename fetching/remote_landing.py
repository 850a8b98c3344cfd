"""A landing zone on object storage: fetched into a local mirror, landed one PUT a file.

`presswash fetch --raw s3://bucket/raw` works as a clean into a remote
output does (`output/remote.py`). The landing zone's fetch state,
`.presswash-fetch.sqlite`, needs a local disk (SQLite), so a run keeps it in
a local mirror folder: downloaded when the run starts, uploaded when it ends
and every few minutes in between. A batch writes its WARC files in the
mirror as it would locally, then puts each in the store whole, in one PUT,
and only then records its pages as landed; the local copies go. So a reader
of the store sees whole batches or none, and a page is never recorded as
landed that is not in the store. One fetch at a time per landing zone, under
the lock object `<raw>/.presswash-fetch.lock` (hidden, like the state: never
read as an input). Fetch rejections and the summary go to a remote output
the same way: each a new file of its own, put whole.

`Landing` says where a landing zone given as a folder or a URL is written
and read, for a fetch and for a backfill alike.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from presswash.fetching.landing import STATE_FILE
from presswash.output.remote import (
    STATE_UPLOAD_SECONDS,
    RemoteBusy,
    RemoteLock,
    download,
    upload,
)
from presswash.schemas.layout import default_mirror, is_url, join, local_path, normalize
from presswash.schemas.settings import Settings

FETCH_LOCK = ".presswash-fetch.lock"
_SNAPSHOT = f"{STATE_FILE}.upload"


@dataclass(frozen=True, slots=True)
class Landing:
    """Where a run's pages land: the zone's URL if remote, and the local folder written."""

    folder: Path
    url: str | None = None

    @property
    def where(self) -> str:
        """The landing zone as a user names it."""
        return self.url or str(self.folder)

    @property
    def root(self) -> str:
        """The input root of a clean of what landed."""
        return self.url or str(self.folder.resolve())

    def files(self, rels: list[str]) -> list[str]:
        """Landed files (relative to the zone) as a clean reads them."""
        if self.url is not None:
            return [join(self.url, rel) for rel in rels]
        return [str(self.folder / rel) for rel in rels]


def landing_of(raw: str | Path, settings: Settings) -> Landing:
    """A landing zone given as a folder or URL; a URL's local folder is its mirror."""
    if isinstance(raw, str) and is_url(raw):
        return Landing(default_mirror(raw, settings.run.state_dir, "landing"), normalize(raw))
    return Landing(Path(local_path(raw) if isinstance(raw, str) else raw))


class RemoteLanding:
    """A fetch run's remote landing zone: its lock, and its fetch state going down and up."""

    def __init__(self, url: str, mirror: Path, run_id: str) -> None:
        self.url = normalize(url)
        self.mirror = mirror
        self.lock = RemoteLock(self.url, run_id, FETCH_LOCK, on_beat=self._every_few_minutes)
        self._uploaded = time.monotonic()
        self._uploading = threading.Lock()

    def prepare(self) -> None:
        """Lock the landing zone, clear the mirror of a dead run's files, bring the state down.

        RemoteBusy when a live fetch holds the lock; OSError when the store
        cannot be used (credentials, network), the lock then released.
        """
        try:
            self.lock.acquire()
        except RemoteBusy:
            raise
        except Exception as exc:  # no credentials, a store out of reach, a missing extra
            raise OSError(f"cannot use the landing zone {self.url}: {exc}") from exc
        try:
            self._clear_mirror()
            download(join(self.url, STATE_FILE), self.mirror / STATE_FILE)
        except Exception as exc:
            self.lock.release()
            raise OSError(f"cannot use the landing zone {self.url}: {exc}") from exc

    def _clear_mirror(self) -> None:
        """Nothing of an earlier run stays: its state copy and any batch it did not put up."""
        self.mirror.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{self.mirror / STATE_FILE}{suffix}").unlink(missing_ok=True)
        for folder in self.mirror.iterdir():
            if folder.is_dir() and not folder.is_symlink():
                shutil.rmtree(folder, ignore_errors=True)

    def _every_few_minutes(self) -> None:
        if time.monotonic() - self._uploaded > STATE_UPLOAD_SECONDS:
            self.upload_state()

    def upload_state(self) -> None:
        """A consistent copy of the fetch state put in the store, while batches may write it."""
        db = self.mirror / STATE_FILE
        with self._uploading:
            if not db.is_file():
                return  # the run stopped before it read the state: nothing of its own to add
            snapshot = self.mirror / _SNAPSHOT
            snapshot.unlink(missing_ok=True)
            source = sqlite3.connect(db, timeout=60)
            try:
                with contextlib.closing(sqlite3.connect(snapshot)) as copy:
                    source.backup(copy)
            finally:
                source.close()
            upload(snapshot, join(self.url, STATE_FILE))
            snapshot.unlink(missing_ok=True)
            self._uploaded = time.monotonic()

    def finish(self) -> str | None:
        """Upload the fetch state and release the lock; what went wrong, if anything.

        After a lost lock the state is not uploaded: the landing zone is
        another run's now. The lock is released either way.
        """
        try:
            if self.lock.lost:
                return self.lock.lost
            self.upload_state()
        except Exception as exc:
            return f"cannot write the fetch state to {self.url}: {exc}"
        finally:
            self.lock.release()
        return None
