"""Gzip, one member at a time: no inflated byte leaves before its member's CRC is checked.

Deflate carries no checksum until the end of a member, and a damaged member
inflates to plausible garbage for a while before zlib notices (if it notices at
all: a flipped literal is only caught by the CRC). So a member is inflated whole
and checked before any of its bytes are handed out: in memory up to
`MEMBER_IN_MEMORY`, and past that by a first pass that only checks, then a second
that hands out (the input is re-read, never spooled to disk). A stream that
cannot seek back hands a big member out as it inflates, unchecked: the one case
where damage is found after the bytes are gone.

A file that merely ends early is different: what inflated before the cut is
exactly the start of the original, so it is handed out and the cut reported.

The budget makes a gzip bomb harmless: inflating stops one byte past it,
whatever the compressed file claims, counting every member tried.
"""

from __future__ import annotations

import gzip
import io
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from presswash.parsers.readers.base import CHUNK, LimitExceeded

GZIP_MAGIC = b"\x1f\x8b\x08"  # ID1, ID2, CM=deflate: how every gzip member starts
MEMBER_IN_MEMORY = 16 * 1024 * 1024  # a member inflating to more is checked by a first pass
STEP = 256 * 1024  # inflated bytes per zlib call, so one call never balloons
FEED = 64 * 1024  # compressed bytes per zlib call
RETAIN = 4 * 1024 * 1024  # compressed bytes kept behind, to resync where seeking is impossible


@dataclass(frozen=True, slots=True)
class Damage:
    """A stretch of a gzip file that could not be used, and where reading went on."""

    offset: int  # where the damaged member (or the non-gzip bytes) starts in the file
    why: str  # what failed, in words: no bytes of the file
    resumed_at: int | None = None  # the next intact member; None when the rest is lost
    cut_off: bool = False  # the file ends inside the member: a truncation, not corruption

    def short(self) -> str:
        """One clause, for a rejection detail that already says what was lost."""
        if self.cut_off:
            return f"the file ends inside the gzip member at byte {self.offset:,}"
        return f"the gzip member at byte {self.offset:,} is damaged: {self.why}"

    def detail(self) -> str:
        """A sentence for the rejection of what the damaged member held."""
        if self.cut_off:
            return f"The archive is cut off: {self.short()}."
        what = f"The gzip member at byte {self.offset:,} of the file is damaged ({self.why})"
        if self.resumed_at is None:
            return f"{what}; no intact member follows, so the rest of the file is lost."
        return (
            f"{what}; what it held was skipped, and reading went on at the next intact "
            f"member (byte {self.resumed_at:,})."
        )


def zlib_why(exc: zlib.error) -> str:
    """zlib's complaint in words; its messages are fixed strings, never input bytes."""
    message = str(exc).rsplit(": ", 1)[-1]
    if message == "incorrect data check":
        return "its CRC check fails"
    if message == "incorrect length check":
        return "its length check fails"
    return f"invalid compressed data: {message[:80]}"


class _Compressed:
    """The compressed file, read forward in chunks; it seeks back only when the file can."""

    def __init__(self, raw: BinaryIO, start: int = 0) -> None:
        self._raw = raw
        self._buf = bytearray()
        self._base = 0  # file offset (from where reading began) of _buf[0]
        self._eof = False
        self._origin = _tell(raw)
        if start:  # a piece of a big file: offsets stay the whole file's
            self._rewind(start)

    @property
    def seekable(self) -> bool:
        return self._origin is not None

    def data_at(self, offset: int, size: int) -> bytes:
        """Up to `size` bytes from `offset`; fewer only at the end of the file."""
        if offset < self._base:
            self._rewind(offset)
        while self._base + len(self._buf) < offset + size and self._fill():
            pass
        start = offset - self._base
        return bytes(self._buf[start : start + size])

    def release(self, offset: int) -> None:
        """Forget the bytes before `offset`, in large steps so the buffer is not copied often."""
        drop = min(offset, self._base + len(self._buf)) - self._base
        if drop >= CHUNK:
            del self._buf[:drop]
            self._base += drop

    def find(self, needle: bytes, start: int) -> int | None:
        """The offset of the next `needle` at or after `start`, scanning forward in chunks."""
        if start < self._base and self.seekable:
            self._rewind(start)
        pos = max(start, self._base)
        while True:
            found = self._buf.find(needle, pos - self._base)
            if found >= 0:
                return self._base + found
            pos = max(pos, self._base + len(self._buf) - len(needle) + 1)
            self.release(pos)
            if not self._fill():
                return None

    def rest_is_zero(self, start: int) -> bool:
        """Whether nothing but NUL padding is left from `start` (which gzip tolerates)."""
        pos = start
        while True:
            chunk = self.data_at(pos, CHUNK)
            if not chunk:
                return True
            if chunk.strip(b"\x00"):
                return False
            pos += len(chunk)
            self.release(pos)

    def _fill(self) -> bool:
        if self._eof:
            return False
        chunk = self._raw.read(CHUNK)
        if not chunk:
            self._eof = True
            return False
        self._buf += chunk
        return True

    def _rewind(self, offset: int) -> None:
        if self._origin is None:
            raise OSError("the input cannot seek back")
        self._raw.seek(self._origin + offset)
        self._buf = bytearray()
        self._base = offset
        self._eof = False


def _tell(raw: BinaryIO) -> int | None:
    """Where reading starts, if the stream can come back to it; else None."""
    try:
        return raw.tell() if raw.seekable() else None
    except (AttributeError, OSError, ValueError):
        return None


class _Inflate:
    """One member's inflater, fed from the file at a moving offset."""

    def __init__(self, comp: _Compressed, start: int) -> None:
        self.start = start
        self.fed = start
        self._comp = comp
        self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)

    def step(self, max_out: int) -> bytes | None:
        """Up to `max_out` bytes (maybe none yet); None once the member ended with a good CRC.

        Raises zlib.error on damage (CRC included) and EOFError when the file ends first.
        """
        if self._zlib.eof:
            return None
        piece = self._zlib.unconsumed_tail
        if not piece:
            piece = self._comp.data_at(self.fed, FEED)
            self.fed += len(piece)
            self._comp.release(self.fed - RETAIN)
        out = self._zlib.decompress(piece, max_out)
        if not out and not piece and not self._zlib.eof:
            raise EOFError("the file ends inside a gzip member")
        return out

    @property
    def end(self) -> int:
        """The file offset just past the member; meaningful once step() returned None."""
        return self.fed - len(self._zlib.unused_data)  # at the end, the tail repeats it

    @property
    def span(self) -> int:
        """The compressed bytes of the member inflated so far."""
        return self.fed - len(self._zlib.unconsumed_tail) - len(self._zlib.unused_data) - self.start


class MemberStream:
    """The inflated bytes of a gzip file, each member handed out only once it checked good.

    At a damaged member reading stops: `damage` says what happened, and
    `resume()` goes on at the next intact member, found by its magic bytes
    (when `resync` is on). The stream never raises on bad bytes, only
    LimitExceeded past `limit` inflated bytes. With `plain_ok`, input that
    does not start like gzip is handed out as it is.

    A piece of a big file reads the members from `start` up to `stop` (both
    member starts of a seekable file), with the `spent` bytes inflated before
    it already counted: damage and limits are then met as in the whole file.
    """

    def __init__(
        self,
        raw: BinaryIO,
        *,
        limit: int,
        limit_name: str = "max_decompressed_bytes",
        plain_ok: bool = False,
        resync: bool = True,
        start: int = 0,
        stop: int | None = None,
        spent: int = 0,
    ) -> None:
        self._comp = _Compressed(raw, start)
        self._limit = limit
        self._limit_name = limit_name
        self._resync = resync
        self._inflated = spent
        self._pos = start  # the file offset of the next member
        self._stop = stop
        self._pending = memoryview(b"")
        self._stream: _Inflate | None = None  # a member handed out as it inflates
        self._counting = False  # whether the streamed member still counts toward the budget
        self._after: Damage | None = None  # damage to report once the pending bytes are out
        self._halted = False
        self._finished = False
        self.damage: Damage | None = None
        self.handed_out = 0
        head = self._comp.data_at(start, 2)
        self.gzipped = head == GZIP_MAGIC[:2] or not plain_ok

    def read(self, size: int | None = -1) -> bytes:
        """Up to `size` checked bytes; b"" at the end of the file or at a damaged member."""
        want = size if size is not None and size > 0 else STEP
        data = self._read_plain(want) if not self.gzipped else self._read_gzip(want)
        self.handed_out += len(data)
        return data

    def resume(self) -> bool:
        """Go on after `damage`; False when nothing can follow it."""
        damage, self.damage = self.damage, None
        if damage is not None and damage.resumed_at is not None:
            self._halted = False
        return not self._halted and not self._finished

    def skip_member(self) -> bool:
        """Drop the rest of the member being read (it held a broken record); False if not gzip."""
        if not self.gzipped:
            return False
        self._pending = memoryview(b"")
        while self._stream is not None:
            self._stream_step(STEP)
        return True

    def _read_plain(self, want: int) -> bytes:
        if self._stop is not None:
            want = min(want, self._stop - self._pos)
        data = self._comp.data_at(self._pos, want) if want > 0 else b""
        self._pos += len(data)
        self._comp.release(self._pos)
        return data

    def _read_gzip(self, want: int) -> bytes:
        while True:
            if self._halted:
                return b""
            if self._pending:
                data, self._pending = self._pending[:want], self._pending[want:]
                return bytes(data)
            if self._stream is not None:
                data = self._stream_step(want)
                if data:
                    return data
                continue
            if self._after is not None:
                self._halt(self._after)
                self._after = None
                continue
            if self._finished:
                return b""
            self._next_member()

    def _next_member(self) -> None:
        start = self._pos
        if self._stop is not None and start >= self._stop:
            self._finished = True  # the end of a piece: the next member is the next piece's
            return
        head = self._comp.data_at(start, len(GZIP_MAGIC))
        if not head or (head[0] == 0 and self._comp.rest_is_zero(start)):
            self._finished = True
            return
        if len(head) < len(GZIP_MAGIC) and GZIP_MAGIC.startswith(head):
            self._halt(Damage(start, "cut off", cut_off=True))
            self._finished = True
            return
        why = "these bytes are not gzip data" if head != GZIP_MAGIC else self._try(start, True)
        if why is not None:
            self._recover(start, why)

    def _try(self, start: int, allow_cut: bool) -> str | None:
        """Inflate and check the member at `start`, making it the next to hand out; else why not."""
        inflater = _Inflate(self._comp, start)
        parts: list[bytes] = []
        size = 0
        try:
            while (out := inflater.step(self._room())) is not None:
                self._count(len(out))
                parts.append(out)
                size += len(out)
                if size > MEMBER_IN_MEMORY:
                    return self._big(inflater, parts)
        except zlib.error as exc:
            return zlib_why(exc)
        except EOFError:
            if not allow_cut:
                return "the file ends inside it"
            self._pending = memoryview(b"".join(parts))
            self._after = Damage(start, "cut off", cut_off=True)
            self._pos = inflater.fed
            return None
        self._pending = memoryview(b"".join(parts))
        self._pos = inflater.end
        self._comp.release(self._pos)
        return None

    def _big(self, inflater: _Inflate, parts: list[bytes]) -> str | None:
        """A member too big to hold: check it in one pass, then inflate it again from the file."""
        if not self._comp.seekable:  # no second pass possible: hand it out unchecked
            self._pending = memoryview(b"".join(parts))
            self._stream, self._counting = inflater, True
            return None
        parts.clear()
        try:
            while (out := inflater.step(self._room())) is not None:
                self._count(len(out))
        except zlib.error as exc:
            return zlib_why(exc)
        except EOFError:
            pass  # a cut-off member: its start is still good; the second pass reports the cut
        self._stream, self._counting = _Inflate(self._comp, inflater.start), False
        return None

    def _stream_step(self, want: int) -> bytes:
        """The next bytes of a streamed member; b"" when it ended (or broke: then `damage`)."""
        assert self._stream is not None
        stream = self._stream
        try:
            out = stream.step(min(want, self._room()) if self._counting else want)
        except zlib.error as exc:  # only unchecked, or a file that changed between passes
            self._stream = None
            self._recover(stream.start, zlib_why(exc))
            return b""
        except EOFError:
            self._stream = None
            self._after = Damage(stream.start, "cut off", cut_off=True)
            return b""
        if out is None:
            self._stream = None
            self._pos = stream.end
            return b""
        if self._counting:
            self._count(len(out))
        return out

    def _recover(self, start: int, why: str) -> None:
        """Stop at damage; find the next member that checks good, to go on from there."""
        pos = start + 1
        while self._resync and (found := self._comp.find(GZIP_MAGIC, pos)) is not None:
            if self._stop is not None and found >= self._stop:  # the next piece reads on there
                self._halt(Damage(start, why, resumed_at=self._stop))
                self._finished = True
                return
            if self._try(found, False) is None:
                self._halt(Damage(start, why, resumed_at=found))
                return
            pos = found + 1
        self._halt(Damage(start, why))
        self._finished = True

    def _halt(self, damage: Damage) -> None:
        self.damage = damage
        self._halted = True

    def _room(self) -> int:
        return max(1, min(STEP, self._limit - self._inflated + 1))

    def _count(self, size: int) -> None:
        self._inflated += size
        if self._inflated > self._limit:
            raise LimitExceeded(self._limit_name, self._limit)


class _Checked(io.RawIOBase):
    """A MemberStream as a raw stream that raises at damage: for files read as one stream."""

    def __init__(self, members: MemberStream) -> None:
        self._members = members

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        view = memoryview(buffer)
        data = self._members.read(len(view))
        damage = self._members.damage
        if not data and damage is not None:
            if damage.cut_off:
                raise EOFError(damage.short())
            raise gzip.BadGzipFile(damage.short())
        view[: len(data)] = data
        return len(data)


def open_gzip(raw: BinaryIO, limit: int, limit_name: str) -> io.BufferedReader:
    """A buffered, bounded reader of the checked, inflated bytes of `raw`.

    A damaged member raises gzip.BadGzipFile and a cut-off file EOFError, once
    the good bytes before them are read; nothing of a damaged member is read.
    """
    members = MemberStream(raw, limit=limit, limit_name=limit_name, resync=False)
    return io.BufferedReader(_Checked(members), buffer_size=256 * 1024)


@dataclass(frozen=True, slots=True)
class Member:
    """An intact gzip member in short: where it lies, and how its inflated bytes begin and end."""

    start: int
    end: int
    size: int  # inflated bytes
    head: bytes
    tail: bytes


def intact_members(
    raw: BinaryIO, *, max_span: int, budget: int, head: int, tail: int
) -> Iterator[Member]:
    """The members of a gzip file from its start, each inflated and checked, as a `Member`.

    Only the first `head` and last `tail` inflated bytes of a member are kept,
    so memory stays bounded whatever the file holds. The walk ends at the first
    member that is not intact (damaged, cut off, not gzip, NUL padding), at one
    spanning more than `max_span` compressed bytes (a file that is one big member
    is never inflated whole just to learn that), and past `budget` inflated bytes.
    """
    comp = _Compressed(raw)
    pos = 0
    while comp.data_at(pos, len(GZIP_MAGIC)) == GZIP_MAGIC:
        member = _member_ends(comp, pos, (max_span, budget), (head, tail))
        if member is None:
            return
        yield member
        pos = member.end
        budget -= member.size


def _member_ends(
    comp: _Compressed, start: int, bounds: tuple[int, int], keep: tuple[int, int]
) -> Member | None:
    """The member at `start` in short; None if it is not intact or crosses a bound."""
    inflater = _Inflate(comp, start)
    head, tail = keep
    first = bytearray()
    last = b""
    size = 0
    try:
        while (out := inflater.step(STEP)) is not None:
            if len(first) < head:
                first += out[: head - len(first)]
            last = (last + out)[-tail:] if tail else b""
            size += len(out)
            if inflater.span > bounds[0] or size > bounds[1]:
                return None
    except (zlib.error, EOFError):
        return None
    return Member(start, inflater.end, size, bytes(first), last)


class ContentDecodeError(ValueError):
    """A body that names a Content-Encoding and does not decode under it."""


# C0 controls other than tab, line feed, form feed, carriage return and escape
# (ISO-2022 text uses escape): compressed bytes have them within a few bytes.
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")
MAX_CODINGS = 4  # Content-Encodings stacked on one body; real servers apply one
_UNSUPPORTED = "The body is compressed with Content-Encoding '{}', which presswash does not decode."


def decode_content(data: bytes, coding: str | None, limit: int) -> bytes:
    """A body with its HTTP Content-Encoding undone, bounded by `limit` bytes.

    Some archivers store the decoded body under the original header, so a
    body that is not in the named encoding but reads as text is taken as it
    is (as warcio does). Anything else that fails is ContentDecodeError,
    never a partial body: warcio would hand out what inflated before a break.
    """
    names = [name.strip().lower() for name in (coding or "").split(",") if name.strip()]
    if len(names) > MAX_CODINGS:
        raise ContentDecodeError(
            f"The body names {len(names):,} Content-Encodings in a row; no server sends more "
            f"than {MAX_CODINGS}."
        )
    for name in reversed(names):  # the last coding applied is undone first
        data = _decode_one(data, name[:40], limit)
    return data


def _decode_one(data: bytes, name: str, limit: int) -> bytes:
    if name == "identity" or not data:
        return data
    if name in ("gzip", "x-gzip") and data.startswith(GZIP_MAGIC[:2]):
        return _inflate_body(data, 16 + zlib.MAX_WBITS, limit, "gzip")
    if name == "deflate":
        if len(data) > 1 and data[0] & 0x0F == 8 and (data[0] * 256 + data[1]) % 31 == 0:
            return _inflate_body(data, zlib.MAX_WBITS, limit, "deflate")
        try:  # many servers send raw deflate without the zlib wrapper
            return _inflate_body(data, -zlib.MAX_WBITS, limit, "deflate")
        except ContentDecodeError:
            if not _looks_plain(data):
                raise
    if _looks_plain(data):
        return data
    if name in ("gzip", "x-gzip", "deflate"):
        raise ContentDecodeError(
            f"The body says Content-Encoding {name} but is neither {name} data nor text."
        )
    printable = "".join(ch for ch in name if ch.isprintable())
    raise ContentDecodeError(_UNSUPPORTED.format(printable))


def _looks_plain(data: bytes) -> bool:
    return _CONTROL.search(data, 0, 1024) is None


def _inflate_body(data: bytes, wbits: int, limit: int, name: str) -> bytes:
    """Every member of a compressed body, checked; ContentDecodeError or LimitExceeded if not."""
    parts: list[bytes] = []
    size = 0
    rest = data
    while True:
        inflater = zlib.decompressobj(wbits)
        chunk = rest
        try:
            while not inflater.eof:
                out = inflater.decompress(chunk, max(1, min(STEP, limit - size + 1)))
                size += len(out)
                if size > limit:
                    raise LimitExceeded("max_input_bytes", limit)
                parts.append(out)
                chunk = inflater.unconsumed_tail
                if not out and not chunk:
                    raise ContentDecodeError(f"The {name}-encoded body is cut off before its end.")
        except zlib.error as exc:
            raise ContentDecodeError(
                f"The {name}-encoded body is damaged: {zlib_why(exc)}."
            ) from None
        rest = inflater.unused_data
        if wbits < 16 + zlib.MAX_WBITS or not rest.startswith(GZIP_MAGIC[:2]):
            return b"".join(parts)  # bytes after the end are ignored, as browsers do
