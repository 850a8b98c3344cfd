"""Fetching one URL over HTTP(S) so that any server costs a bounded time and memory.

Pure asyncio + httpx, no Prefect: a `Fetcher` owns one `httpx.AsyncClient`
shared by all the URLs of a batch. Everything a hostile server can stretch is
capped and named in the outcome: the connection, each read, the whole
attempt (a server sending one byte a second never trips a read timeout), the
bytes on the wire, the bytes after gzip, the redirects, the retries. Every
URL ends as exactly one outcome: `Fetched`, `Unchanged` (a 304 on a
conditional request) or `FetchError` with a rejection reason.
"""

from __future__ import annotations

import asyncio
import email.utils
import functools
import random
import re
import ssl
import time
import zlib
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC
from types import TracebackType
from typing import Literal
from urllib.parse import urljoin, urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

import httpx

from presswash.fetching.netguard import BlockedAddress, GuardedBackend, check_literal
from presswash.schemas.records import utc_now
from presswash.schemas.settings import FetchSettings
from presswash.schemas.stages import Reason

Mode = Literal["page", "document", "robots"]

REDIRECTS = frozenset({301, 302, 303, 307, 308})
RETRYABLE = frozenset({429, 500, 502, 503, 504})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
ROBOTS_MAX_BYTES = 512 * 1024  # what Google reads of a robots.txt
ROBOTS_MAX_REDIRECTS = 5  # RFC 9309 asks for at least five
_INFLATE_STEP = 256 * 1024
MAX_IN_FLIGHT = 32  # requests of one Fetcher in flight over all hosts; below the pool size


@dataclass(frozen=True, slots=True)
class Validators:
    """What a conditional GET sends back to the server: its own ETag and Last-Modified."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        found = {}
        if self.etag:
            found["If-None-Match"] = self.etag
        if self.last_modified:
            found["If-Modified-Since"] = self.last_modified
        return found


@dataclass(slots=True)
class Fetched:
    """A 2xx response read completely and within every bound.

    `body` is exactly what came over the wire after de-chunking, still
    gzip/deflate-encoded if the server encoded it, so an archive holds the
    server's bytes and its headers stay true to them.
    """

    url: str
    final_url: str
    status: int
    reason_phrase: str
    http_version: str
    headers: list[tuple[str, str]]
    request_headers: list[tuple[str, str]]
    body: bytes
    decoded_bytes: int
    content_encoding: str | None
    fetched_at: str
    peer: str | None = None
    redirects: list[str] = field(default_factory=list)
    attempts: int = 1
    seconds: float = 0.0

    def header(self, name: str) -> str | None:
        lower = name.lower()
        return next((v for k, v in self.headers if k.lower() == lower), None)


@dataclass(slots=True)
class Unchanged:
    """A 304 to a conditional GET: the copy already landed is still current."""

    url: str
    final_url: str
    fetched_at: str
    attempts: int = 1
    seconds: float = 0.0


@dataclass(slots=True)
class FetchError:
    """A URL given up on, with the rejection reason and a sentence saying why."""

    url: str
    reason: Reason
    detail: str
    fetched_at: str
    http_status: int | None = None
    final_url: str | None = None
    attempts: int = 1
    seconds: float = 0.0


FetchOutcome = Fetched | Unchanged | FetchError


@dataclass(frozen=True, slots=True)
class RobotsRules:
    """What one origin's robots.txt said; plain data so it can travel between tasks."""

    origin: str
    text: str | None = None
    allow_all: bool = False
    disallow_all: bool = False
    note: str = ""


# Every origin's rules, read once per run and handed to each batch.
RobotsByOrigin = dict[str, RobotsRules]


class _GiveUp(Exception):
    """This URL ends here with this reason (not retried)."""

    def __init__(
        self, reason: Reason, detail: str, status: int | None = None, final_url: str | None = None
    ) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail
        self.status = status
        self.final_url = final_url


class _Retry(_GiveUp):
    """A failure worth another attempt (429, 5xx, a refused connection)."""

    def __init__(
        self,
        reason: Reason,
        detail: str,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(reason, detail, status)
        self.retry_after = retry_after


# scheme:// then userinfo up to the last "@" of the authority (RFC 3986 section 3.2.1)
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*:[/\\]*)[^/\\?#\s]*@")


def redact_url(text: str) -> str:
    """A URL, or a sentence holding URLs, fit to be written out: userinfo removed, valid UTF-8.

    `http://user:pw@host/` is fetched with its credentials, but records,
    summaries, logs and WARC headers get `http://host/`: a password must not
    land in files that are shared and kept. A URL given on the command line
    may hold bytes that are not UTF-8 (lone surrogates here); they are
    written as backslash escapes rather than failing the record.
    """
    text = _USERINFO.sub(r"\1", text)
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def url_problem(url: str) -> str | None:
    """Why a URL cannot even be parsed (so nothing can be asked of it), or None.

    Checked before a URL enters a run, so that one malformed URL becomes a
    rejection of its own instead of an exception in a step that handles all.
    """
    try:
        url.encode("utf-8")
        parts = urlsplit(url)
        _ = parts.port  # raises on a port that is not a number in range
    except ValueError as exc:  # UnicodeEncodeError included
        return f"The URL cannot be parsed ({exc})."
    return None


def origin_of(url: str) -> str:
    """scheme://host[:port], the unit robots.txt and the rate limits apply to."""
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[::1" and the like: no origin, and the fetch will say why
        return ""
    return urlunsplit((parts.scheme.lower(), (parts.netloc or "").lower(), "", "", ""))


def normalize_url(url: str) -> str:
    """A URL as fetched and as de-duplicated: trimmed, lower-case scheme and host, no fragment."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    userinfo, at, host = parts.netloc.rpartition("@")  # a password keeps its case
    netloc = userinfo + at + host.lower()
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Retry-After as seconds from now: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class _Inflater:
    """Counts what a gzip/deflate body inflates to, in bounded steps, keeping none of it.

    httpx would inflate the whole body into memory before we could count it;
    a 1 MB gzip bomb becomes a gigabyte. Here the output is produced
    `_INFLATE_STEP` bytes at a time and dropped, and the count stops at the cap.
    """

    def __init__(self, encoding: str | None, cap: int) -> None:
        self.encoding = encoding
        self.cap = cap
        self.count = 0
        self._raw_deflate_tried = False
        self._d = self._new()

    def _new(self) -> zlib._Decompress | None:
        if self.encoding in (None, "identity"):
            return None
        if self.encoding in ("gzip", "x-gzip"):
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        return zlib.decompressobj(zlib.MAX_WBITS)  # deflate: zlib-wrapped first

    def feed(self, data: bytes) -> None:
        if self._d is None:
            self.count += len(data)
        else:
            self._inflate(data)
        if self.count > self.cap:
            raise _GiveUp(
                Reason.TOO_LARGE,
                f"The body inflates to more than fetch.max_decoded_bytes ({self.cap:,} bytes); "
                "stopped inflating there.",
            )

    def _inflate(self, data: bytes) -> None:
        assert self._d is not None
        buf = data
        while buf and not self._d.eof:
            try:
                out = self._d.decompress(buf, _INFLATE_STEP)
            except zlib.error as exc:
                if self.encoding == "deflate" and not self._raw_deflate_tried and self.count == 0:
                    # servers send raw deflate under this name as often as zlib-wrapped
                    self._raw_deflate_tried = True
                    self._d = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise _GiveUp(
                    Reason.FETCH_FAILED,
                    f"The {self.encoding} body is corrupt ({exc}); nothing was kept.",
                ) from exc
            self.count += len(out)
            if self.count > self.cap:
                return
            buf = self._d.unconsumed_tail
            if not buf and len(out) == _INFLATE_STEP:
                buf = b""  # output may still be pending: drain it with empty input
                while True:
                    more = self._d.decompress(b"", _INFLATE_STEP)
                    self.count += len(more)
                    if self.count > self.cap or len(more) < _INFLATE_STEP:
                        return


class _HostGate:
    """Per-host politeness: at most N requests in flight and R started per second."""

    def __init__(self, concurrency: int, per_second: float) -> None:
        self._slots = asyncio.Semaphore(concurrency)
        self._interval = 1.0 / per_second
        self._next = 0.0
        self._lock = asyncio.Lock()

    @asynccontextmanager
    async def __call__(self) -> AsyncIterator[None]:
        async with self._slots:
            async with self._lock:
                now = time.monotonic()
                wait = self._next - now
                self._next = max(now, self._next) + self._interval
            if wait > 0:
                await asyncio.sleep(wait)
            yield


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One verifying TLS context per process: loading the CA store costs ~60 ms each time."""
    return httpx.create_ssl_context(trust_env=False)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport over `GuardedBackend`, so every connection is address-checked."""

    def __init__(self, *, allow_private: bool, max_connections: int = 100) -> None:
        import httpcore

        # the parent's own pool is replaced below; verify=False only spares loading certs twice
        super().__init__(trust_env=False, verify=False)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=_ssl_context(),
            max_connections=max_connections,
            max_keepalive_connections=20,
            keepalive_expiry=5.0,
            http1=True,
            http2=False,
            network_backend=GuardedBackend(allow_private=allow_private),
        )


class Fetcher:
    """One HTTP client for a batch of URLs, with its robots cache and host gates.

    Use as `async with Fetcher(settings) as f: outcome = await f.fetch(url)`.
    `robots` seeds the cache with rules fetched earlier in the run, so a
    host's robots.txt is read once per run, not once per batch.
    """

    def __init__(
        self,
        settings: FetchSettings,
        *,
        user_agent: str | None = None,
        per_host_concurrency: int | None = None,
        requests_per_second: float | None = None,
        robots: RobotsByOrigin | None = None,
    ) -> None:
        self.settings = settings
        self.user_agent = user_agent or settings.user_agent
        self._concurrency = per_host_concurrency or settings.per_host_concurrency
        self._per_second = requests_per_second or settings.requests_per_second
        self.robots: RobotsByOrigin = dict(robots or {})
        self._parsers: dict[str, RobotFileParser] = {}
        self._robot_locks: dict[str, asyncio.Lock] = {}
        self._gates: dict[str, _HostGate] = {}
        self._slots = asyncio.Semaphore(MAX_IN_FLIGHT)
        self._client: httpx.AsyncClient | None = None

    async def __aenter__(self) -> Fetcher:
        s = self.settings
        self._client = httpx.AsyncClient(
            transport=GuardedTransport(allow_private=s.allow_private),
            timeout=httpx.Timeout(
                connect=s.connect_timeout,
                read=s.read_timeout,
                write=s.read_timeout,
                pool=s.total_timeout,
            ),
            follow_redirects=False,
            trust_env=False,
            headers={
                "User-Agent": self.user_agent,
                "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.5",
                "Accept-Encoding": "gzip, deflate",
            },
        )
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    # -- public -----------------------------------------------------------

    async def fetch(
        self, url: str, validators: Validators | None = None, *, mode: Mode = "page"
    ) -> FetchOutcome:
        """Fetch one URL to its outcome; never raises for anything the server or URL does.

        `mode` "page" asks for HTML (anything else is `not_html`); "document"
        takes any type (feeds, sitemaps); "robots" is for robots.txt itself.
        """
        started = time.monotonic()
        fetched_at = utc_now()
        attempts = 0
        s = self.settings
        retries = 0 if mode == "robots" else s.max_retries
        while True:
            attempts += 1
            try:
                outcome = await self._attempt(url, validators, mode, fetched_at)
            except _Retry as exc:
                wait = self._retry_wait(exc, attempts)
                if attempts > retries or wait is None:
                    return self._error(url, exc, fetched_at, attempts, started, wait is None)
                await asyncio.sleep(wait)
                continue
            except _GiveUp as exc:
                return self._error(url, exc, fetched_at, attempts, started)
            except Exception as exc:  # one URL's failure must never end the batch
                failure = _classify(exc, s)
                if isinstance(failure, _Retry) and attempts <= retries:
                    wait = self._retry_wait(failure, attempts)
                    if wait is not None:
                        await asyncio.sleep(wait)
                        continue
                return self._error(url, failure, fetched_at, attempts, started)
            outcome.url = url  # the URL asked for; `final_url` is where it was found
            outcome.attempts = attempts
            outcome.seconds = round(time.monotonic() - started, 3)
            return outcome

    async def robots_for(self, url: str) -> RobotsRules:
        """The robots rules of a URL's origin, fetched at most once per Fetcher."""
        origin = origin_of(url)
        rules = self.robots.get(origin)
        if rules is not None:
            return rules
        lock = self._robot_locks.setdefault(origin, asyncio.Lock())
        async with lock:
            rules = self.robots.get(origin)
            if rules is None:
                rules = await self._fetch_robots(origin)
                self.robots[origin] = rules
        return rules

    async def allowed(self, url: str) -> tuple[bool, str]:
        """Whether robots.txt lets our user agent fetch `url`, and why not."""
        if not self.settings.respect_robots:
            return True, ""
        rules = await self.robots_for(url)
        if rules.allow_all:
            return True, ""
        if rules.disallow_all:
            return False, rules.note
        parser = self._parsers.get(rules.origin)
        if parser is None:
            parser = RobotFileParser()
            parser.parse((rules.text or "").splitlines())
            self._parsers[rules.origin] = parser
        agent = self.user_agent.split("/", 1)[0].strip() or "*"
        if parser.can_fetch(agent, url):
            return True, ""
        return False, f"{rules.origin}/robots.txt disallows this path for '{agent}'."

    # -- one attempt ------------------------------------------------------

    async def _attempt(
        self, url: str, validators: Validators | None, mode: Mode, fetched_at: str
    ) -> Fetched | Unchanged:
        s = self.settings
        limit = ROBOTS_MAX_REDIRECTS if mode == "robots" else s.max_redirects
        current = url
        seen = {normalize_url(url)}
        hops: list[str] = []
        budget = [s.total_timeout]  # seconds left for this attempt, time in gates not counted
        while True:
            try:
                self._check_url(current)
                if mode != "robots":
                    ok, why = await self.allowed(current)
                    if not ok:
                        raise _GiveUp(Reason.ROBOTS_DISALLOWED, why, final_url=current)
                result = await self._request(current, validators, mode, fetched_at, budget)
            except BlockedAddress as exc:
                after = f" (reached by a redirect from {hops[-1]})" if hops else ""
                raise _GiveUp(
                    Reason.BLOCKED_ADDRESS,
                    f"Refused to connect to {current}{after}: {exc}.",
                    final_url=current,
                ) from exc
            if isinstance(result, str):  # a redirect
                target = normalize_url(result)
                if target in seen:
                    raise _GiveUp(
                        Reason.FETCH_FAILED,
                        f"Redirect loop: {current} sends back to {target}, already visited "
                        f"after {len(hops) + 1} redirects.",
                        final_url=current,
                    )
                if len(hops) >= limit:
                    raise _GiveUp(
                        Reason.FETCH_FAILED,
                        f"Redirect limit: more than {limit} redirects "
                        "(fetch.max_redirects); gave up.",
                        final_url=current,
                    )
                seen.add(target)
                hops.append(current)
                current = target
                continue
            if isinstance(result, Fetched):
                result.redirects = hops
            return result

    def _check_url(self, url: str) -> None:
        problem = url_problem(url)
        if problem is not None:
            raise _GiveUp(Reason.FETCH_FAILED, problem, final_url=url)
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https"):
            raise _GiveUp(
                Reason.FETCH_FAILED,
                f"Only http and https URLs are fetched, not {parts.scheme or 'a bare path'!r}.",
                final_url=url,
            )
        if not parts.hostname:
            raise _GiveUp(Reason.FETCH_FAILED, "The URL has no host name.", final_url=url)
        check_literal(parts.hostname, allow_private=self.settings.allow_private)

    def _gate(self, url: str) -> _HostGate:
        host = origin_of(url)
        gate = self._gates.get(host)
        if gate is None:
            gate = self._gates[host] = _HostGate(self._concurrency, self._per_second)
        return gate

    async def _request(
        self,
        url: str,
        validators: Validators | None,
        mode: Mode,
        fetched_at: str,
        budget: list[float],
    ) -> Fetched | Unchanged | str:
        """One request; a redirect returns the absolute Location to follow.

        The total timeout runs only once the host gate has let the request
        through: waiting for one's turn at a polite host is not the server's fault.
        """
        async with self._gate(url)(), self._slots:
            started = time.monotonic()
            try:
                async with asyncio.timeout(max(budget[0], 0.001)):
                    return await self._exchange(url, validators, mode, fetched_at)
            finally:
                budget[0] -= time.monotonic() - started

    async def _exchange(
        self, url: str, validators: Validators | None, mode: Mode, fetched_at: str
    ) -> Fetched | Unchanged | str:
        assert self._client is not None, "use Fetcher as an async context manager"
        headers = validators.headers() if validators else {}
        async with self._client.stream("GET", url, headers=headers) as resp:
            status = resp.status_code
            if status in REDIRECTS:
                location = resp.headers.get("Location")
                if not location:
                    raise _GiveUp(
                        Reason.HTTP_ERROR,
                        f"HTTP {status} redirect without a Location header.",
                        status,
                        url,
                    )
                return urljoin(url, location.strip())
            if status == 304 and validators is not None:
                return Unchanged(url=url, final_url=url, fetched_at=fetched_at)
            if status in RETRYABLE:
                raise _Retry(
                    Reason.HTTP_ERROR,
                    f"The server answered HTTP {status}",
                    status,
                    retry_after_seconds(resp.headers.get("Retry-After")),
                )
            if not 200 <= status < 300:
                raise _GiveUp(Reason.HTTP_ERROR, f"The server answered HTTP {status}.", status, url)
            return await self._read(resp, url, mode, fetched_at)

    def _check_headers(self, resp: httpx.Response, url: str, mode: Mode) -> tuple[str | None, int]:
        """Give up before reading a body the headers already rule out: (encoding, byte cap)."""
        s = self.settings
        status = resp.status_code
        content_type = resp.headers.get("Content-Type", "")
        kind = content_type.split(";", 1)[0].strip().lower()
        if mode == "page" and kind and kind not in HTML_TYPES:
            raise _GiveUp(
                Reason.NOT_HTML, f"The response is {kind}, not an HTML page.", status, url
            )
        cap = ROBOTS_MAX_BYTES if mode == "robots" else s.max_body_bytes
        declared = resp.headers.get("Content-Length", "")
        if declared.strip().isdigit() and int(declared) > cap:
            raise _GiveUp(
                Reason.TOO_LARGE,
                f"The server announces {int(declared):,} bytes, more than "
                f"fetch.max_body_bytes ({cap:,}); not read.",
                status,
                url,
            )
        encoding = (resp.headers.get("Content-Encoding") or "").strip().lower() or None
        if encoding not in (None, "identity", "gzip", "x-gzip", "deflate"):
            raise _GiveUp(
                Reason.FETCH_FAILED,
                f"The body has content encoding {encoding!r}, which presswash does not decode "
                "(it asks for gzip or deflate only).",
                status,
                url,
            )
        return encoding, cap

    async def _read(self, resp: httpx.Response, url: str, mode: Mode, fetched_at: str) -> Fetched:
        status = resp.status_code
        encoding, cap = self._check_headers(resp, url, mode)
        inflater = _Inflater(encoding, self.settings.max_decoded_bytes)
        body = bytearray()
        async for chunk in resp.aiter_raw():
            body += chunk
            if len(body) > cap:
                raise _GiveUp(
                    Reason.TOO_LARGE,
                    f"The body is longer than fetch.max_body_bytes ({cap:,} bytes); "
                    "stopped reading there.",
                    status,
                    url,
                )
            try:
                inflater.feed(chunk)
            except _GiveUp as exc:
                exc.status, exc.final_url = status, url
                raise
        stream = resp.extensions.get("network_stream")
        peer = None
        if stream is not None:
            address = stream.get_extra_info("server_addr")
            peer = str(address[0]) if address else None
        return Fetched(
            url=url,
            final_url=url,
            status=status,
            reason_phrase=resp.reason_phrase,
            http_version=resp.http_version,
            headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in resp.headers.raw],
            request_headers=[
                (k.decode("latin-1"), v.decode("latin-1")) for k, v in resp.request.headers.raw
            ],
            body=bytes(body),
            decoded_bytes=inflater.count,
            content_encoding=encoding,
            fetched_at=fetched_at,
            peer=peer,
        )

    # -- robots and retries ----------------------------------------------

    async def _fetch_robots(self, origin: str) -> RobotsRules:
        """RFC 9309: 4xx means no rules, 5xx means keep out.

        When robots.txt cannot be fetched at all (no connection, a refused
        address, a timeout), the pages are still tried: they fail the same
        way, and their rejection then names the real cause rather than robots.
        """
        outcome = await self.fetch(origin + "/robots.txt", mode="robots")
        if isinstance(outcome, Fetched):
            text = decoded_body(outcome, ROBOTS_MAX_BYTES * 8).decode("utf-8", "replace")
            return RobotsRules(origin, text=text)
        if isinstance(outcome, FetchError):
            status = outcome.http_status
            if status is not None and (status >= 500 or status == 429):
                return RobotsRules(
                    origin,
                    disallow_all=True,
                    note=f"{origin}/robots.txt answered HTTP {status}; by RFC 9309 the whole "
                    "site is treated as disallowed until it answers.",
                )
            return RobotsRules(origin, allow_all=True, note=outcome.detail)
        return RobotsRules(origin, allow_all=True)

    def _retry_wait(self, exc: _Retry, attempts: int) -> float | None:
        """Seconds to wait before the next attempt; None when the server asks too much."""
        s = self.settings
        if exc.retry_after is not None:
            if exc.retry_after > s.max_retry_wait_seconds:
                return None
            return exc.retry_after
        backoff = s.retry_backoff_seconds * (2 ** (attempts - 1))
        return min(backoff * (1 + random.random() / 4), s.max_retry_wait_seconds)

    def _error(
        self,
        url: str,
        exc: _GiveUp,
        fetched_at: str,
        attempts: int,
        started: float,
        too_long_wait: bool = False,
    ) -> FetchError:
        detail = exc.detail
        if isinstance(exc, _Retry):
            if too_long_wait and exc.retry_after is not None:
                detail = (
                    f"{detail.rstrip('.')} and asks to retry after {exc.retry_after:.0f} s, "
                    f"longer than fetch.max_retry_wait_seconds "
                    f"({self.settings.max_retry_wait_seconds:g} s)."
                )
            else:
                detail = f"{detail.rstrip('.')}, still after {attempts} attempts."
        return FetchError(
            url=url,
            reason=exc.reason,
            detail=detail,
            fetched_at=fetched_at,
            http_status=exc.status,
            final_url=exc.final_url,
            attempts=attempts,
            seconds=round(time.monotonic() - started, 3),
        )


def _classify(exc: Exception, s: FetchSettings) -> _GiveUp:
    """An exception from httpx, the guard or the clock as a rejection reason."""
    if isinstance(exc, BlockedAddress):
        return _GiveUp(Reason.BLOCKED_ADDRESS, f"Refused to connect: {exc}.", final_url=None)
    if isinstance(exc, TimeoutError):
        return _GiveUp(
            Reason.TIMEOUT,
            f"No complete answer within fetch.total_timeout ({s.total_timeout:g} s); gave up.",
        )
    if isinstance(exc, httpx.ConnectTimeout):
        return _GiveUp(
            Reason.TIMEOUT, f"No connection within fetch.connect_timeout ({s.connect_timeout:g} s)."
        )
    if isinstance(exc, httpx.TimeoutException):
        return _GiveUp(
            Reason.TIMEOUT,
            f"The server sent nothing for fetch.read_timeout ({s.read_timeout:g} s); gave up.",
        )
    if isinstance(exc, httpx.ConnectError):
        return _Retry(Reason.FETCH_FAILED, f"Cannot connect: {str(exc)[:200] or 'refused'}")
    if isinstance(exc, httpx.RemoteProtocolError):
        return _GiveUp(
            Reason.FETCH_FAILED,
            "The server closed the connection before the response was complete (cut off): "
            f"{str(exc)[:200]}.",
        )
    if isinstance(exc, httpx.InvalidURL | httpx.UnsupportedProtocol):
        return _GiveUp(Reason.FETCH_FAILED, f"The URL cannot be fetched: {str(exc)[:200]}.")
    if isinstance(exc, httpx.HTTPError):
        return _GiveUp(
            Reason.FETCH_FAILED, f"The fetch failed: {type(exc).__name__}: {str(exc)[:200]}."
        )
    return _GiveUp(
        Reason.FETCH_FAILED,
        f"The fetch failed unexpectedly: {type(exc).__name__}: {str(exc)[:200]}.",
    )


def decoded_body(fetched: Fetched, cap: int) -> bytes:
    """The body with its gzip/deflate removed, at most `cap` bytes (feeds, sitemaps, robots)."""
    if fetched.content_encoding in (None, "identity"):
        return fetched.body[:cap]
    wbits = 16 + zlib.MAX_WBITS if "gzip" in fetched.content_encoding else zlib.MAX_WBITS
    for bits in (wbits, -zlib.MAX_WBITS):
        try:
            d = zlib.decompressobj(bits)
            return d.decompress(fetched.body, cap)
        except zlib.error:
            continue
    return b""


def iter_decoded(fetched: Fetched, cap: int, step: int = 64 * 1024) -> Iterator[bytes]:
    """The body with its gzip/deflate removed, `step` bytes at a time, at most `cap` in all.

    For feeds and sitemaps, which are parsed as they are inflated: memory
    holds one step of the inflated document, never all of it.
    """
    if fetched.content_encoding in (None, "identity"):
        body = memoryview(fetched.body)[:cap]
        for start in range(0, len(body), step):
            yield bytes(body[start : start + step])
        return
    wbits = 16 + zlib.MAX_WBITS if "gzip" in fetched.content_encoding else zlib.MAX_WBITS
    try:
        zlib.decompressobj(wbits).decompress(fetched.body[:64], 1)
    except zlib.error:
        wbits = -zlib.MAX_WBITS  # "deflate" sent raw, as servers often do
    inflater = zlib.decompressobj(wbits)
    buf, left = fetched.body, cap
    while left > 0 and not inflater.eof:
        try:
            out = inflater.decompress(buf, min(step, left))
        except zlib.error:
            return
        if not out and not inflater.unconsumed_tail:
            return
        left -= len(out)
        buf = inflater.unconsumed_tail
        yield out
