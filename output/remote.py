"""An output on object storage: its local mirror, its one-writer lock, its uploads.

A run into a remote output works on a local mirror folder that holds the
output's `_state/` (dedup index, site boilerplate, shard table) and
`_staging/`: SQLite and the atomic rename that commits rely on need a local
disk. The mirror is a cache: the output's own `_state/state.sqlite` is the
truth, downloaded when a run starts and uploaded when it ends (and every few
minutes in between). Part files go up one PUT each, so a reader of the store
sees a whole file or none. One writer at a time is enforced with a lock
object, `<out>/_state/lock`, written only if absent where the store can say so.
The workers of a remote cluster, which share no disk with the committer,
stage under `<out>/_staging/<run-id>/`; whatever a dead run left there goes
when the next run takes the lock.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from presswash.output.state import OutputState
from presswash.schemas import layout
from presswash.schemas.layout import LOCK, STATE_DB, is_url, join, local_path, normalize
from presswash.sources.storage import RemoteFile, filesystem, full_url, is_dir, mtime_ns

# The lock is refreshed every HEARTBEAT_SECONDS while a run lives; one not refreshed for
# STALE_SECONDS belongs to a run that died, and the next run takes it over.
HEARTBEAT_SECONDS = 60.0
STALE_SECONDS = 15 * 60.0
# A run also uploads its state this often, so that a run killed mid-way loses little.
STATE_UPLOAD_SECONDS = 10 * 60.0
UPLOAD_ATTEMPTS = 3
_PART = re.compile(r"^part-([0-9a-f]+)\.jsonl$")


class RemoteBusy(Exception):
    """Another run holds the output's lock: one writer at a time per remote output."""


def existing_output(out_dir: str | os.PathLike[str]) -> Path | str:
    """An output folder to read: a local Path, or an object-storage URL; it must exist."""
    if isinstance(out_dir, str) and is_url(out_dir):
        url = normalize(out_dir)
        if not is_dir(url):
            raise FileNotFoundError(f"no such output folder: {url!r}")
        return url
    folder = Path(local_path(out_dir) if isinstance(out_dir, str) else out_dir)
    if not folder.is_dir():
        raise FileNotFoundError(f"no such output folder: {str(folder)!r}")
    return folder


def part_key(path: Path, mirror: Path) -> str:
    """A mirror file's place in the output (`articles/source_name=x/date=y/part-z.jsonl`)."""
    return path.relative_to(mirror).as_posix()


class RemoteLock:
    """The lock object of one remote output, held by one run and refreshed while it lives.

    `name` is the lock object's place below the URL (a landing zone's is not
    the output's); `on_beat` is called after each refresh, for work a run
    does every few minutes (an error in it waits for the next beat).
    """

    def __init__(
        self,
        url: str,
        run_id: str,
        name: str = LOCK,
        on_beat: Callable[[], None] | None = None,
    ) -> None:
        self.folder = normalize(url)
        self.url = join(url, name)
        self.run_id = run_id
        self.on_beat = on_beat
        self.host = socket.gethostname()
        self.since = datetime.now(UTC).isoformat(timespec="seconds")
        self.lost: str | None = None
        self.took_over = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _body(self) -> bytes:
        return orjson.dumps(
            {
                "run_id": self.run_id,
                "host": self.host,
                "pid": os.getpid(),
                "since": self.since,
                "refreshed_at": time.time(),
            }
        )

    def _read(self) -> dict[str, Any] | None:
        fs, path = filesystem(self.url)
        try:
            data = orjson.loads(fs.cat_file(path))
        except FileNotFoundError:
            return None
        except orjson.JSONDecodeError:
            return {}
        return data if isinstance(data, dict) else {}

    def _create(self) -> bool:
        """Write the lock only if there is none; the store decides where it can."""
        fs, path = filesystem(self.url)
        try:
            fs.pipe_file(path, self._body(), mode="create")
        except FileExistsError:
            return False
        except TypeError:  # a store whose client has no exclusive write: check, write, check
            if fs.exists(path):
                return False
            fs.pipe_file(path, self._body())
        held = self._read()
        return bool(held) and held.get("run_id") == self.run_id

    def acquire(self) -> None:
        """Take the lock, taking over one left by a dead run; RemoteBusy if a live run has it."""
        if self._create():
            self._start()
            return
        held = self._read()
        if held is not None and not _abandoned(held):
            raise RemoteBusy(
                f"{self.folder} is being written by run "
                f"{held.get('run_id')} on {held.get('host')} (pid {held.get('pid')}) since "
                f"{held.get('since')}; one writer at a time (the lock {self.url} goes stale "
                f"{STALE_SECONDS / 60:.0f} minutes after its run stops)"
            )
        fs, path = filesystem(self.url)
        with contextlib.suppress(FileNotFoundError):
            fs.rm_file(path)
        self.took_over = held is not None
        if not self._create():
            raise RemoteBusy(f"another run took the lock {self.url} first")
        self._start()

    def _start(self) -> None:
        self._thread = threading.Thread(target=self._beat, name="presswash-lock", daemon=True)
        self._thread.start()

    def _beat(self) -> None:
        while not self._stop.wait(HEARTBEAT_SECONDS):
            try:
                held = self._read()
                if not held or held.get("run_id") != self.run_id:
                    self.lost = f"the lock {self.url} was taken by another run"
                    return
                fs, path = filesystem(self.url)
                fs.pipe_file(path, self._body())
                if self.on_beat is not None:
                    self.on_beat()
            except Exception:  # a passing network error: the next beat tries again
                continue

    def release(self) -> None:
        """Stop refreshing and remove the lock if it is still this run's."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        with contextlib.suppress(Exception):
            held = self._read()
            if held and held.get("run_id") == self.run_id:
                fs, path = filesystem(self.url)
                fs.rm_file(path)


def _abandoned(held: dict[str, Any]) -> bool:
    """A lock no live run holds: not refreshed for STALE_SECONDS, or its process is gone here."""
    refreshed = held.get("refreshed_at")
    if not isinstance(refreshed, int | float) or time.time() - refreshed > STALE_SECONDS:
        return True
    if held.get("host") != socket.gethostname() or not isinstance(held.get("pid"), int):
        return False
    try:
        os.kill(held["pid"], 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _retry(action: Any, *args: Any) -> Any:
    """A store call tried again after a passing error; the last error is raised."""
    for attempt in range(UPLOAD_ATTEMPTS):
        try:
            return action(*args)
        except FileNotFoundError:
            raise
        except Exception:
            if attempt == UPLOAD_ATTEMPTS - 1:
                raise
            time.sleep(0.5 * 2**attempt)
    return None


def download(url: str, local: Path) -> bool:
    """An object brought down whole, through a temporary name beside `local`; False if absent."""
    fs, path = filesystem(url)
    local.parent.mkdir(parents=True, exist_ok=True)
    tmp = local.with_name(local.name + ".download")
    try:
        _retry(fs.get_file, path, str(tmp))
    except FileNotFoundError:
        tmp.unlink(missing_ok=True)
        return False
    os.replace(tmp, local)
    return True


def upload(local: Path, url: str) -> None:
    """A local file put whole (one PUT, or a multipart upload that appears only when done)."""
    fs, path = filesystem(url)
    _retry(fs.put_file, str(local), path)


class RemoteOutput:
    """A run's remote output: its lock, its state going down and up, its files going up.

    `CleanRun` calls it at three points: `prepare` (lock, state down, orphans
    removed), `before_rewrite`/`after_commit` around each commit, and `finish`.
    """

    def __init__(self, url: str, mirror: Path, run_id: str) -> None:
        self.url = normalize(url)
        self.mirror = mirror
        self.lock = RemoteLock(self.url, run_id)
        self.broken: str | None = None
        self._uploaded_state = time.monotonic()

    def _fs(self) -> tuple[Any, str]:
        return filesystem(self.url)

    def remote(self, local: Path) -> str:
        """The path in the store of a mirror file."""
        _, root = self._fs()
        return f"{root}/{part_key(local, self.mirror)}"

    def prepare(self) -> None:
        """Lock the output, bring its state down, and drop what dead runs left there.

        Staged files of a dead run (a cluster's workers stage under the
        output's `_staging/`) belong to no live run once the lock is held.
        """
        self.lock.acquire()
        fs, root = self._fs()
        with contextlib.suppress(FileNotFoundError):
            _retry(fs.rm, f"{root}/{layout.STAGING}", True)
        db = self.mirror / STATE_DB
        db.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        if not download(join(self.url, STATE_DB), db):
            return  # a new output, or one whose state was removed: nothing to reconcile
        self._remove_orphans()

    def _remove_orphans(self) -> int:
        """Delete part files of shards the state does not know: a run that died left them."""
        state = OutputState.open_readonly(self.mirror)
        if state is None:  # just downloaded: only a file removed under this run gets here
            raise FileNotFoundError(f"no state database in {self.mirror}")
        with state:
            known = state.shard_ids()
        fs, root = self._fs()
        orphans = []
        for kind in (layout.ARTICLES, layout.REJECTED):
            try:
                names = fs.find(f"{root}/{kind}")
            except FileNotFoundError:
                continue
            for name in names:
                match = _PART.match(name.rsplit("/", 1)[-1])
                if match and match[1] not in known:
                    orphans.append(name)
        for name in orphans:
            _retry(fs.rm_file, name)
        return len(orphans)

    def check(self) -> None:
        """Raise if the lock was lost: another writer would be overwriting this run's work."""
        if self.lock.lost:
            self.broken = self.lock.lost
            raise RemoteBusy(self.lock.lost)

    def fetch(self, local: Path) -> None:
        """Bring an older part file down before a commit rewrites it (absent there: absent here)."""
        fs, _ = self._fs()
        local.unlink(missing_ok=True)
        local.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            _retry(fs.get_file, self.remote(local), str(local))

    def after_commit(
        self, written: tuple[Path, ...], removed: tuple[Path, ...], state: OutputState
    ) -> None:
        """Upload what a commit wrote (one PUT a file), delete what it removed, drop local copies.

        A failure here leaves the store's state at its last upload, which
        does not know this shard: the next run deletes its files as orphans.
        """
        fs, _ = self._fs()
        try:
            for path in written:
                _retry(fs.put_file, str(path), self.remote(path))
            for path in removed:
                with contextlib.suppress(FileNotFoundError):
                    _retry(fs.rm_file, self.remote(path))
        except Exception as exc:
            self.broken = f"cannot write to {self.url}: {exc}"
            raise OSError(self.broken) from exc
        for path in written:
            path.unlink(missing_ok=True)
        if time.monotonic() - self._uploaded_state > STATE_UPLOAD_SECONDS:
            self._upload_snapshot(state)

    def _upload_snapshot(self, state: OutputState) -> None:
        """A consistent copy of the open state database, uploaded between two commits."""
        snapshot = state.snapshot()
        self._upload_state(snapshot)
        snapshot.unlink(missing_ok=True)

    def _upload_state(self, db: Path) -> None:
        fs, root = self._fs()
        _retry(fs.put_file, str(db), f"{root}/{STATE_DB}")
        self._uploaded_state = time.monotonic()

    def finish(
        self, summary_file: Path | None, report: Callable[[Path], None] | None = None
    ) -> None:
        """Upload the run summary, the report and the state; release the lock.

        `report(target)` writes the report of the whole output to a local file
        (the consumers know how; this module only moves files). After a failed
        upload the state stays as last uploaded (the files it does not know go
        at the next run); the lock is released either way.
        """
        try:
            if summary_file is not None and summary_file.exists():
                self.upload(summary_file)
            if self.broken is None:
                if report is not None:
                    self._upload_report(report)
                self._upload_state(self.mirror / STATE_DB)
        finally:
            self.lock.release()

    def upload(self, local: Path) -> None:
        fs, _ = self._fs()
        _retry(fs.put_file, str(local), self.remote(local))

    def _upload_report(self, report: Callable[[Path], None]) -> None:
        """The report of the whole output (a report never fails a run)."""
        target = self.mirror / "report.html"
        try:
            report(target)
            self.upload(target)
        except Exception:
            return


def walk_parts(url: str, kind: str) -> Iterator[RemoteFile]:
    """The part files (`*.jsonl`) of one kind below an output URL, sorted, `_`/`.` skipped."""
    fs, root = filesystem(url)
    base = f"{normalize(root)}/{kind}" if kind else normalize(root)
    try:
        found = fs.find(base, detail=True)
    except FileNotFoundError:
        return
    for name in sorted(found):
        rel = name[len(base) :].strip("/")
        if not name.endswith(".jsonl") or any(p.startswith((".", "_")) for p in rel.split("/")):
            continue
        info = found[name]
        yield RemoteFile(full_url(fs, name), int(info.get("size") or 0), mtime_ns(info))
