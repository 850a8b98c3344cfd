"""De-duplication: exact copies by content hash, near copies by MinHash bands.

An article is a duplicate of the first kept article with the same text, or
of the most similar kept article above the threshold among its candidates:
the kept articles sharing the most band keys with it, reading at most
BUCKET_ROWS (the oldest) per key, whose title agrees with its own or that
is the same page fetched again (`may_be_copy`): two pages of one site whose
extracted texts are mostly the site's furniture are not copies. The
candidates come from the articles of the same shard kept before it, and from
the index of everything committed before its shard (earlier shards and
earlier runs). An article is never a duplicate of a record from its own
input: re-running the same inputs replaces, it does not duplicate.

The work is split so the serial commit stays cheap: the worker that cleaned
a shard signs its articles and looks them up in the index as it stood then
(rows up to a watermark); the committer adds only what was committed since,
from memory, and makes the decisions in shard order. The outcome is the one
a lookup at commit time would give: rows are numbered in commit order and
never renumbered, and a worker's answer that names a row removed since is
looked up again.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from presswash.output.index import BUCKET_ROWS, NO_BOUND, NewRow, Row, Watermark
from presswash.output.state import OutputState
from presswash.parsers.neardup import (
    band_keys,
    furniture_copy,
    may_be_copy,
    pack,
    signature,
    similarity,
    unpack,
)

# A signature not computed yet (None is the signature of a text too short to have one).
NOT_SIGNED = object()
_WEIGHT = 720720
# Kept articles compared with a new one, at most: those sharing the most band keys. A copy at
# the 0.7 threshold shares about 4 of the 16 bands, a stranger almost never more than 1.
MAX_CANDIDATES = 8
# Rows committed between a worker's look-up and the commit, at most, that the committer adds
# from memory; past it (a worker far behind, another process writing) it looks up again.
RECENT_ROWS = 50_000


@dataclass(frozen=True, slots=True)
class Duplicate:
    """The kept article a duplicate points to; `similarity` is None for an exact copy."""

    kept: str
    similarity: float | None = None
    # an exact copy that is the site's furniture, not this page's article (`furniture_copy`)
    furniture: bool = False

    def detail(self) -> str:
        if self.furniture:
            return (
                f"The only text found is that of article {self.kept}, another page of the "
                "same site under another title: the site's furniture, not this page's article."
            )
        if self.similarity is None:
            return f"The same text as article {self.kept}, which is kept."
        return (
            f"Nearly the same text as article {self.kept} (estimated similarity "
            f"{self.similarity:.2f}), which is kept."
        )


class Scored(NamedTuple):
    """A candidate kept article compared with a new one."""

    id: str
    input: str
    similarity: float
    # whether its title and URL let it be a copy of the new one (`may_be_copy`)
    may_copy: bool


@dataclass(slots=True)
class Facts:
    """One staged article as de-duplication sees it, and what the index held for it.

    `exact`, `buckets` and `scores` cover index rows numbered up to the
    watermark of the look-up; `scores` holds the comparison with the look-up's
    best-ranked candidates.
    """

    id: str
    content_hash: str
    input: str
    title: str | None = None
    url: str | None = None
    sig: tuple[int, ...] | None = None
    keys: list[int] | None = None
    exact: list[Row] = field(default_factory=list)
    buckets: list[list[int]] = field(default_factory=list)
    scores: dict[int, Scored] = field(default_factory=dict)
    # the ranked index candidates, once the look-up is complete
    top: list[int] = field(default_factory=list)
    words: int = 0

    def score(self, row: Row) -> Scored | None:
        """The comparison with a kept article; None when either has no signature."""
        if self.sig is None or row.sig is None:
            return None
        agrees = may_be_copy(self.title, self.url, row.title, row.url)
        return Scored(row.id, row.input, similarity(self.sig, unpack(row.sig)), agrees)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "h": self.content_hash,
            "in": self.input,
            "title": self.title,
            "url": self.url,
            "sig": pack(self.sig).hex() if self.sig is not None else None,
            "keys": self.keys,
            "exact": [[r.n, r.id, r.input, r.title, r.url] for r in self.exact],
            "words": self.words,
            "buckets": self.buckets,
            "scores": [[n, *v] for n, v in self.scores.items()],
            "top": self.top,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Facts:
        return cls(
            data["id"],
            data["h"],
            data["in"],
            data["title"],
            data["url"],
            unpack(bytes.fromhex(data["sig"])) if data["sig"] else None,
            data["keys"],
            [Row(n, id_, input_, None, *kept) for n, id_, input_, *kept in data["exact"]],
            data["buckets"],
            {n: Scored(*scored) for n, *scored in data["scores"]},
            data["top"],
            data.get("words", 0),
        )

    def referenced(self) -> Iterable[int]:
        yield from (r.n for r in self.exact)
        for bucket in self.buckets:
            yield from bucket


def sign(record: dict[str, Any], source_input: str, near: bool, sig: object = NOT_SIGNED) -> Facts:
    """What de-duplication needs of a record; the signature only when near copies are looked for."""
    facts = Facts(
        record["id"], record["content_hash"], source_input, record.get("title"), record.get("url")
    )
    facts.words = record.get("word_count") or len(record.get("text", "").split())
    if near:
        facts.sig = signature(record["text"]) if sig is NOT_SIGNED else sig  # type: ignore[assignment]
        facts.keys = band_keys(facts.sig) if facts.sig is not None else None
    return facts


def rank(bucket_lists: Iterable[Sequence[int]]) -> list[int]:
    """The best candidates, MAX_CANDIDATES at most: those sharing the most and rarest buckets.

    A shared bucket counts more the fewer articles it holds: on sites whose
    pages share stock sentences some buckets hold every article, and a copy
    sharing one quiet bucket is a better candidate than a stranger sharing a
    crowded one. Ties go to the oldest. Integer weights (720720 is divisible
    by every bucket size up to 16), so every process ranks the same way.
    """
    score: dict[int, int] = {}
    for bucket in bucket_lists:
        if not bucket:
            continue
        weight = _WEIGHT // len(bucket)
        for n in bucket:
            score[n] = score.get(n, 0) + weight
    if len(score) <= 1:
        return list(score)
    return heapq.nsmallest(MAX_CANDIDATES, score, key=lambda n: (-score[n], n))


def look_up(state: OutputState, facts: Facts, upto: int = NO_BOUND) -> Facts:
    """Fill in what the index holds for an article among rows numbered up to `upto`."""
    facts.exact = state.same_hash(facts.content_hash, upto=upto)
    facts.scores = {}
    if facts.keys is None or facts.sig is None:
        facts.buckets = []
        facts.top = []
        return facts
    facts.buckets = state.buckets(facts.keys, upto=upto)
    facts.top = rank(facts.buckets)
    for n, row in state.rows(facts.top, sigs=True).items():
        scored = facts.score(row)
        assert scored is not None
        facts.scores[n] = scored
    return facts


class Recent:
    """The rows committed after a watermark, in memory: what a worker could not see."""

    def __init__(self, kept: list[tuple[str, Row]], keys: list[tuple[int, int]]):
        self.by_hash: dict[str, list[Row]] = defaultdict(list)
        self.rows: dict[int, Row] = {}
        for digest, row in kept:
            self.by_hash[digest].append(Row(row.n, row.id, row.input, None, row.title, row.url))
            self.rows[row.n] = row
        self.by_key: dict[int, list[int]] = defaultdict(list)
        for key, n in keys:
            self.by_key[key].append(n)

    def extend(self, facts: Facts) -> bool:
        """Add these rows to a look-up made up to the watermark, as if made now.

        Returns whether any bucket gained a row (the candidates must be ranked again).
        """
        facts.exact = facts.exact + self.by_hash.get(facts.content_hash, [])
        changed = False
        for band, key in enumerate(facts.keys or ()):
            newer = self.by_key.get(key)
            room = BUCKET_ROWS - len(facts.buckets[band])
            if newer and room > 0:
                facts.buckets[band] = facts.buckets[band] + newer[:room]
                changed = True
        return changed


def _exact(facts: Facts, kept_id: str, title: str | None, url: str | None) -> Duplicate:
    """An exact copy: a duplicate, or the site's furniture found on two of its pages."""
    furniture = furniture_copy(facts.title, facts.url, title, url, facts.words)
    return Duplicate(kept_id, furniture=furniture)


PIECE = "#records="
_SPAN = re.compile(r"(\d+)-(\d*)")


def span_of(key: str) -> tuple[str, int, float]:
    """(path, first record, last record) of an input key; a whole file holds every record.

    A piece of a big file is keyed `path#records=a-b` (`b` empty: to the end).
    """
    path, sep, span = key.rpartition(PIECE)
    match = _SPAN.fullmatch(span) if sep else None
    if match is None:
        return key, 1, math.inf
    return path, int(match[1]), int(match[2]) if match[2] else math.inf


class Claims:
    """The inputs a shard owns, as whole files or record ranges of one.

    Two pieces of one file are different inputs (a copy in the second of an
    article in the first is a duplicate, as in a file read whole); a piece and
    the whole file, or pieces cut elsewhere by an earlier run, overlap: they
    hold some of the same records, which are never duplicates of themselves.
    """

    def __init__(self, keys: Iterable[str]) -> None:
        self.keys = set(keys)
        self._spans: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for key in self.keys:
            path, lo, hi = span_of(key)
            self._spans[path].append((lo, hi))

    def overlaps(self, key: str) -> bool:
        """Whether an input key shares records with one of these."""
        if key in self.keys:
            return True
        path, lo, hi = span_of(key)
        return any(lo <= h and low <= hi for low, h in self._spans.get(path, ()))

    def covers(self, key: str) -> bool:
        """Whether every record of an input key lies in one of these."""
        if key in self.keys:
            return True
        path, lo, hi = span_of(key)
        return any(low <= lo and hi <= h for low, h in self._spans.get(path, ()))

    def holds(self, path: str, uri: str) -> bool:
        """Whether the record `uri` (`...#n`) of input file `path` lies in one of these."""
        spans = self._spans.get(path)
        if not spans:
            return False
        number = uri.rpartition("#")[2]
        if not number.isdigit():
            return any(lo == 1 and hi == math.inf for lo, hi in spans)
        return any(lo <= int(number) <= hi for lo, hi in spans)


class ShardDeduper:
    """Duplicate decisions for one shard's staged articles, in their order."""

    def __init__(self, state: OutputState, inputs: set[str], threshold: float | None) -> None:
        self.state = state
        self.inputs = Claims(inputs)
        self.threshold = threshold
        self.kept: list[NewRow] = []
        self._hashes: dict[str, int] = {}  # content hash -> its first kept article
        self._buckets: dict[int, list[int]] = defaultdict(list)
        self._sigs: list[tuple[int, ...] | None] = []

    def decide(self, staged: list[Facts], seen: Watermark | None) -> dict[int, Duplicate]:
        """Line number of each duplicate among the staged articles -> the kept article it copies."""
        self._complete(staged, seen)
        duplicates: dict[int, Duplicate] = {}
        for number, facts in enumerate(staged):
            found = self._staged_exact(facts) or self._index_exact(facts)
            if found is None and self.threshold is not None and facts.sig is not None:
                found = self._near(facts)
            if found is None:
                self._keep(facts)
            else:
                duplicates[number] = found
        return duplicates

    def _complete(self, staged: list[Facts], seen: Watermark | None) -> None:
        """Bring every look-up up to now: from memory when it can be trusted, else again."""
        recent = None
        alive: set[int] | None = None
        if seen is not None:
            newer = self.state.newer_than(seen.row, RECENT_ROWS)
            if newer is not None:
                recent = Recent(*newer)
            if self.state.removed_count() != seen.removed:  # some rows the worker saw may be gone
                referenced = {n for facts in staged for n in facts.referenced()}
                alive = set(self.state.rows(referenced, sigs=False))
        for facts in staged:
            if recent is not None and (alive is None or alive.issuperset(facts.referenced())):
                if recent.extend(facts):
                    facts.top = rank(facts.buckets)
                    self._score_missing(facts, recent)
            else:
                look_up(self.state, facts)

    def _score_missing(self, facts: Facts, recent: Recent) -> None:
        """Score the final candidates the worker did not (rows new to it, or re-ranked)."""
        if facts.sig is None:
            return
        missing = [n for n in facts.top if n not in facts.scores]
        fetch = [n for n in missing if n not in recent.rows]
        fetched = self.state.rows(fetch, sigs=True) if fetch else {}
        for n in missing:
            scored = facts.score(recent.rows[n] if n in recent.rows else fetched[n])
            if scored is not None:
                facts.scores[n] = scored

    def _staged_exact(self, facts: Facts) -> Duplicate | None:
        number = self._hashes.get(facts.content_hash)
        if number is None:
            return None
        kept = self.kept[number]
        return _exact(facts, kept.id, kept.title, kept.url)

    def _index_exact(self, facts: Facts) -> Duplicate | None:
        for row in facts.exact:
            if not self.inputs.overlaps(row.input):
                return _exact(facts, row.id, row.title, row.url)
        return None

    def _near(self, facts: Facts) -> Duplicate | None:
        """The most similar kept article above the threshold, in this shard or the index,
        among those that may be a copy of it by their title and URL.
        """
        assert self.threshold is not None and facts.sig is not None and facts.keys is not None
        best: Duplicate | None = None
        own = [bucket[:BUCKET_ROWS] for key in facts.keys if (bucket := self._buckets.get(key))]
        for number in rank(own) if own else ():
            sig, kept = self._sigs[number], self.kept[number]
            assert sig is not None
            score = similarity(facts.sig, sig)  # cheaper than the titles: compared first
            if score >= self.threshold and may_be_copy(
                facts.title, facts.url, kept.title, kept.url
            ):
                best = self._better(best, kept.id, score)
        for n in facts.top:
            scored = facts.scores.get(n)
            if scored is not None and scored.may_copy and not self.inputs.overlaps(scored.input):
                best = self._better(best, scored.id, scored.similarity)
        return best

    def _better(self, best: Duplicate | None, kept_id: str, score: float) -> Duplicate | None:
        assert self.threshold is not None
        if score >= self.threshold and (best is None or score > (best.similarity or 0)):
            return Duplicate(kept_id, score)
        return best

    def _keep(self, facts: Facts) -> None:
        number = len(self.kept)
        self.kept.append(
            NewRow(
                facts.id,
                facts.content_hash,
                facts.input,
                pack(facts.sig) if facts.sig is not None else None,
                facts.keys,
                facts.title,
                facts.url,
            )
        )
        self._sigs.append(facts.sig)
        self._hashes.setdefault(facts.content_hash, number)
        for key in facts.keys or ():
            self._buckets[key].append(number)
