"""Object storage (`s3://`, `gs://`, `az://`, ...) through fsspec, for sources and outputs.

Credentials and endpoints are never presswash's business: each store's own
library reads its standard environment and config files (for S3,
`AWS_ACCESS_KEY_ID`, `AWS_ENDPOINT_URL`, `~/.aws/config`, ...).

A run into a remote output works on a local mirror folder that holds the
output's `_state/` (dedup index, site boilerplate, shard table) and
`_staging/`: SQLite and the atomic rename that commits rely on need a local
disk. The mirror is a cache: the output's own `_state/state.sqlite` is the
truth, downloaded when a run starts and uploaded when it ends (and every few
minutes in between). Part files go up one PUT each, so a reader of the store
sees a whole file or none. One writer at a time is enforced with a lock
object, `<out>/_state/lock`, written only if absent where the store can say so.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
STATE_DB = "_state/state.sqlite"
LOCK = "_state/lock"
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


def filesystem(url: str) -> tuple[Any, str]:
    """The fsspec file system of a URL and the URL's path in it (a missing extra: one line)."""
    import fsspec

    try:
        return fsspec.core.url_to_fs(url)
    except ImportError as exc:
        scheme = url.split("://", 1)[0]
        extra = {"s3": "s3", "gs": "gcs", "gcs": "gcs", "az": "azure", "abfs": "azure"}
        hint = extra.get(scheme)
        more = f" (install presswash[{hint}])" if hint else ""
        raise OSError(f"no support for {scheme}:// here{more}: {exc}") from exc


def open_binary(url: str) -> io.BufferedReader:
    """A readable, seekable binary file object for a URL, with the whole `io` interface.

    fsspec's own file objects lack some of it (`readline(limit)`), which the
    readers use to bound a line's length.
    """
    fs, path = filesystem(url)
    return io.BufferedReader(fs.open(path, "rb"), buffer_size=1 << 20)


def full_url(fs: Any, path: str) -> str:
    return fs.unstrip_protocol(path)


def mtime_ns(info: dict[str, Any]) -> int:
    """An object's modification time in nanoseconds, from whichever key its store uses."""
    for key in ("LastModified", "mtime", "last_modified", "updated", "created"):
        value = info.get(key)
        if isinstance(value, datetime):
            return int(value.timestamp() * 1e9)
        if isinstance(value, int | float):
            return int(value * 1e9)
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp() * 1e9)
    return 0


@dataclass(frozen=True, slots=True)
class RemoteFile:
    """One object found below a URL: its full URL, size and modification time."""

    url: str
    size: int
    mtime_ns: int


def list_files(url: str) -> list[RemoteFile]:
    """Every object below a folder URL (or the object itself), sorted by URL."""
    fs, path = filesystem(url)
    found = fs.find(path, detail=True)
    files = [
        RemoteFile(full_url(fs, name), int(info.get("size") or 0), mtime_ns(info))
        for name, info in found.items()
        if info.get("type", "file") != "directory"
    ]
    return sorted(files, key=lambda f: f.url)


def glob_urls(pattern: str) -> list[str]:
    fs, path = filesystem(pattern)
    return sorted(full_url(fs, p) for p in fs.glob(path))


def exists(url: str) -> bool:
    fs, path = filesystem(url)
    return bool(fs.exists(path))


def is_dir(url: str) -> bool:
    fs, path = filesystem(url)
    return bool(fs.isdir(path))


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


def output_roots(files: list[RemoteFile]) -> list[str]:
    """The presswash output folders among listed objects: those holding `_state/`."""
    return sorted({f.url[: f.url.index("/_state/")] for f in files if "/_state/" in f.url})


def inside_output(url: str) -> bool:
    """Whether `url` lies in (or is) a presswash output: an ancestor holds `_state/`."""
    scheme, _, rest = normalize(url).partition("://")
    parts = rest.split("/")
    for end in range(len(parts), 0, -1):
        folder = f"{scheme}://{'/'.join(parts[:end])}"
        if exists(join(folder, STATE_DB)) or exists(join(folder, LOCK)):
            return True
    return False


def default_mirror(url: str, base: Path | None = None) -> Path:
    """The local folder a remote output's run state lives in, one per output URL.

    Under the user's cache folder (`$XDG_CACHE_HOME`, else `~/.cache`) unless
    `run.state_dir` says where.
    """
    if base is None:
        cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        base = Path(cache) / "presswash" / "outputs"
    url = normalize(url)
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", url.split("://", 1)[-1]).strip("._")[-60:] or "out"
    digest = hashlib.sha256(url.encode()).hexdigest()[:8]
    return base / f"{name}-{digest}"


def part_key(path: Path, mirror: Path) -> str:
    """A mirror file's place in the output (`articles/source_name=x/date=y/part-z.jsonl`)."""
    return path.relative_to(mirror).as_posix()


class RemoteLock:
    """The lock object of one remote output, held by one run and refreshed while it lives."""

    def __init__(self, url: str, run_id: str) -> None:
        self.url = join(url, LOCK)
        self.run_id = run_id
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
                f"{self.url.removesuffix('/' + LOCK)} is being written by run "
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
        """Lock the output, bring its state down, and drop part files no state knows of."""
        self.lock.acquire()
        fs, root = self._fs()
        db = self.mirror / STATE_DB
        db.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        try:
            tmp = db.with_name(db.name + ".download")
            _retry(fs.get_file, f"{root}/{STATE_DB}", str(tmp))
        except FileNotFoundError:
            return  # a new output, or one whose state was removed: nothing to reconcile
        os.replace(tmp, db)
        self._remove_orphans(db)

    def _remove_orphans(self, db: Path) -> int:
        """Delete part files of shards the state does not know: a run that died left them."""
        with contextlib.closing(sqlite3.connect(db)) as conn:
            known = {shard for (shard,) in conn.execute("SELECT shard_id FROM shards")}
        fs, root = self._fs()
        orphans = []
        for kind in ("articles", "rejected"):
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
        self, written: tuple[Path, ...], removed: tuple[Path, ...], conn: sqlite3.Connection
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
            self._upload_snapshot(conn)

    def _upload_snapshot(self, conn: sqlite3.Connection) -> None:
        """A consistent copy of the open state database, uploaded between two commits."""
        snapshot = self.mirror / "_state" / "state.snapshot.sqlite"
        snapshot.unlink(missing_ok=True)
        with contextlib.closing(sqlite3.connect(snapshot)) as copy:
            conn.backup(copy)
        self._upload_state(snapshot)
        snapshot.unlink(missing_ok=True)

    def _upload_state(self, db: Path) -> None:
        fs, root = self._fs()
        _retry(fs.put_file, str(db), f"{root}/{STATE_DB}")
        self._uploaded_state = time.monotonic()

    def finish(self, summary_file: Path | None) -> None:
        """Upload the run summary, the report and the state; release the lock.

        After a failed upload the state stays as last uploaded (the files it
        does not know go at the next run); the lock is released either way.
        """
        try:
            if summary_file is not None and summary_file.exists():
                self.upload(summary_file)
            if self.broken is None:
                self._upload_report()
                self._upload_state(self.mirror / STATE_DB)
        finally:
            self.lock.release()

    def upload(self, local: Path) -> None:
        fs, _ = self._fs()
        _retry(fs.put_file, str(local), self.remote(local))

    def _upload_report(self) -> None:
        """The report of the whole output, read from the store (a report never fails a run)."""
        from presswash.store.report import render_report
        from presswash.store.stats import folder_stats

        target = self.mirror / "report.html"
        try:
            stats = folder_stats(self.url, cache=self.mirror / STATE_DB)
            target.write_text(render_report(stats), encoding="utf-8")
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


def read_bytes(url: str) -> bytes:
    fs, path = filesystem(url)
    return bytes(fs.cat_file(path))
