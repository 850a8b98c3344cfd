"""Run settings: limits, language filter, output, alerting; one typed model.

Read from `presswash.toml` (or `--config FILE`) and overridden by
`PRESSWASH_*` environment variables, so a deployment can change one limit
without editing the file. Every field that changes what lands in the output
is part of `output_fingerprint()`, which goes into `pipeline_version`.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from presswash.schemas.records import MAX_TEXT_CHARS  # the article model's own bound on `text`
from presswash.schemas.stages import PageKind

MiB = 1024 * 1024
GiB = 1024 * MiB
MIN_RATE = 0.01  # requests per second: one per 100 s, slower would wait for days
MAX_RATE = 10_000.0
WEEK_MINUTES = 7 * 24 * 60
# Every numeric setting has a range, so a value that validation lets through never
# crashes or stalls a run later (a timer that overflows, a rate that waits for years).
_NUMBERS = ConfigDict(extra="forbid", allow_inf_nan=False)


def default_workers() -> int:
    """The cores this process may use (its CPU affinity, as a container sets it), at most 8.

    A batch tool is expected to use the machine; past 8 workers the single
    committer and the disk, not the cores, bound a run, so more needs asking.
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))


class Limits(BaseModel):
    """Bounds on what one input may cost; crossing one is a rejection naming it."""

    model_config = _NUMBERS

    max_input_bytes: int = Field(
        default=32 * MiB,
        gt=0,
        le=GiB,
        description="Raw bytes of one input (a file, a JSONL line, a WARC record).",
    )
    max_decompressed_bytes: int = Field(
        default=256 * MiB,
        gt=0,
        le=1024 * GiB,
        description="Bytes a compressed file (gzip, a .warc.gz) may expand to.",
    )
    max_line_bytes: int = Field(
        default=16 * MiB, gt=0, le=GiB, description="Bytes of one line of a JSONL export."
    )
    max_text_line_chars: int = Field(
        default=200_000,
        gt=0,
        le=MAX_TEXT_CHARS,
        description="Characters of one line of a text dump.",
    )
    max_text_chars: int = Field(
        default=2_000_000,
        gt=0,
        le=MAX_TEXT_CHARS,
        description="Characters of one document's text: a text dump as read, and the article "
        "text any input yields.",
    )
    max_records_per_file: int = Field(
        default=5_000_000,
        gt=0,
        le=1_000_000_000,
        description="Records read from one JSONL or WARC file.",
    )
    parse_timeout_seconds: float = Field(
        default=30.0,
        gt=0,
        le=3600,
        description="Wall time one document may take to clean (an hour at most).",
    )
    max_html_nodes: int = Field(
        default=200_000,
        ge=1_000,
        le=10_000_000,
        description="Elements one HTML page may open; a page with more is rejected "
        "`too_large` before it is parsed, which bounds a worker's memory (about 1 KB per "
        "element while cleaning).",
    )


class CleaningSettings(BaseModel):
    """Thresholds of acceptance that change which records are accepted."""

    model_config = _NUMBERS

    min_words: int = Field(
        default=40, ge=1, le=100_000, description="Fewer words than this: `too_short`."
    )
    languages: list[str] = Field(
        default_factory=list,
        description="Keep only these ISO 639-1 codes; empty keeps every language.",
    )
    near_duplicate_threshold: float | None = Field(
        default=0.7,
        ge=0.0,
        le=1.0,
        description="Estimated similarity (Jaccard of 4-token shingles) at or above which an "
        "article is a near duplicate of one already kept; unset turns near duplicates off "
        "(exact copies are always caught).",
    )
    site_boilerplate: bool = Field(
        default=True,
        description="Learn, per source, the lines its text dumps repeat page after page "
        "(footer, disclaimer, 'Most viewed') and drop them as `site_boilerplate`.",
    )
    site_sample_pages: int = Field(
        default=200,
        ge=3,
        le=100_000,
        description="Pages of a source learned from, the first ones met; then its list of "
        "boilerplate lines stays fixed, so later pages are cleaned as earlier ones were.",
    )
    site_min_share: float = Field(
        default=0.25,
        gt=0.0,
        le=1.0,
        description="A line on at least this share of a source's learned pages (and on 3 "
        "at least) is boilerplate of that source.",
    )

    page_types: list[str] = Field(
        default_factory=lambda: [kind.value for kind in PageKind],
        description="Keep only pages of these types (article, collection, listing, forum, "
        "product, documentation, service, other); the others become `not_article`. Every "
        "type by default, so that no article is lost to a wrong guess.",
    )

    @field_validator("page_types")
    @classmethod
    def _kinds(cls, value: list[str]) -> list[str]:
        """Known type names only, so that a typo cannot silently reject every page."""
        kinds = {kind.strip().lower() for kind in value if kind.strip()}
        unknown = sorted(kinds - {kind.value for kind in PageKind})
        if unknown or not kinds:
            raise ValueError(f"not page types: {unknown or value!r} (known: {', '.join(PageKind)})")
        return [kind.value for kind in PageKind if kind.value in kinds]

    @field_validator("languages")
    @classmethod
    def _codes(cls, value: list[str]) -> list[str]:
        codes = [code.strip().lower() for code in value if code.strip()]
        for code in codes:
            if not code.isalpha() or not 2 <= len(code) <= 3:
                raise ValueError(f"not an ISO 639-1 code: {code!r}")
        return sorted(set(codes))


class RunSettings(BaseModel):
    """How a run is executed; none of this changes the records."""

    model_config = _NUMBERS

    workers: int = Field(
        default_factory=default_workers,
        ge=1,
        le=256,
        description="Worker processes for cleaning; by default the machine's cores, at most 8.",
    )
    shard_files: int = Field(
        default=1000,
        ge=1,
        le=1_000_000,
        description="Input files per shard at most; the last shards of a run are smaller, so "
        "that the workers finish together.",
    )
    shard_bytes: int = Field(
        default=64 * MiB,
        ge=1,
        le=1024 * GiB,
        description="Raw bytes per shard at most (a bigger file is one shard).",
    )
    follow_symlinks: bool = Field(
        default=False, description="Follow symlinks that lead out of the input root."
    )
    executor: Literal["local", "dask"] = Field(
        default="local",
        description="'local': worker processes on this machine; 'dask': a Dask cluster (a "
        "local one of run.workers processes, or the one at run.dask_address).",
    )
    dask_address: str | None = Field(
        default=None, description="Scheduler address of a running Dask cluster (tcp://host:8786)."
    )
    state_dir: Path | None = Field(
        default=None,
        description="Local folder holding the run state and staging of outputs on object "
        "storage, and the fetch state of landing zones there, one subfolder per URL; by "
        "default under the user's cache folder.",
    )
    in_process: bool = Field(
        default=False,
        description="Clean in the calling process instead of worker processes: for debugging "
        "only, since the per-document time limit and crash isolation need worker processes.",
    )


class FetchSettings(BaseModel):
    """How `presswash fetch` talks to web servers; none of this changes the records.

    Every bound exists because a hostile or broken server must cost a known,
    small amount of time and memory: a fetch is given up, never waited on.
    """

    model_config = _NUMBERS

    user_agent: str = Field(
        default="presswash/0.1 (news article cleaner)",
        min_length=1,
        description="User-Agent header sent with every request, and matched in robots.txt.",
    )
    connect_timeout: float = Field(
        default=10.0,
        gt=0,
        le=600,
        description="Seconds to resolve a host and open a connection.",
    )
    read_timeout: float = Field(
        default=20.0,
        gt=0,
        le=3600,
        description="Seconds to wait for any next bytes from the server.",
    )
    total_timeout: float = Field(
        default=60.0,
        gt=0,
        le=86_400,
        description="Seconds one attempt at a URL may take in all, redirects included; "
        "stops servers that send one byte at a time.",
    )
    max_body_bytes: int = Field(
        default=16 * MiB,
        gt=0,
        le=GiB,
        description="Bytes of one response body as sent on the wire.",
    )
    max_decoded_bytes: int = Field(
        default=32 * MiB,
        gt=0,
        le=GiB,
        description="Bytes a gzip/deflate response body may inflate to (gzip bombs).",
    )
    max_redirects: int = Field(
        default=10, ge=0, le=50, description="Redirects followed for one URL at most."
    )
    max_retries: int = Field(
        default=3,
        ge=0,
        le=10,
        description="Extra attempts after 429, 5xx or a refused connection; never after 4xx.",
    )
    retry_backoff_seconds: float = Field(
        default=1.0,
        ge=0,
        le=3600,
        description="First wait before a retry; doubled on each next one.",
    )
    max_retry_wait_seconds: float = Field(
        default=60.0,
        ge=0,
        le=86_400,
        description="Longest wait for one retry; a longer Retry-After gives the URL up.",
    )
    per_host_concurrency: int = Field(
        default=4, ge=1, le=64, description="Requests in flight to one host at once."
    )
    requests_per_second: float = Field(
        default=4.0,
        ge=MIN_RATE,
        le=MAX_RATE,
        description="Requests started per second to one host at most.",
    )
    respect_robots: bool = Field(
        default=True, description="Fetch robots.txt once per host per run and obey it."
    )
    allow_private: bool = Field(
        default=False,
        description="Allow private and loopback addresses (an intranet, tests); link-local "
        "and cloud metadata addresses stay refused.",
    )
    batch_size: int = Field(
        default=50, ge=1, le=10_000, description="URLs per fetch task (one connection pool)."
    )
    max_discovery_depth: int = Field(
        default=3, ge=0, le=10, description="Nesting of sitemap indexes followed at most."
    )
    max_discovery_documents: int = Field(
        default=200, ge=1, le=100_000, description="Feeds and sitemaps fetched in one run at most."
    )
    max_discovered_urls: int = Field(
        default=50_000,
        ge=1,
        le=10_000_000,
        description="Page URLs taken from feeds and sitemaps at most.",
    )


class SourceSettings(BaseModel):
    """A named source: where its pages are found; `presswash fetch --source NAME`."""

    model_config = _NUMBERS

    urls: list[str] = Field(default_factory=list, description="Page URLs fetched as they are.")
    feeds: list[str] = Field(
        default_factory=list, description="RSS or Atom feeds whose items are fetched."
    )
    sitemaps: list[str] = Field(
        default_factory=list,
        description="Sitemaps, sitemap indexes or Google News sitemaps whose pages are fetched.",
    )
    user_agent: str | None = Field(
        default=None, description="User-Agent for this source; fetch.user_agent when unset."
    )
    max_pages: int | None = Field(
        default=None,
        ge=1,
        le=100_000_000,
        description="Page URLs fetched per run at most; unbounded when unset.",
    )
    per_host_concurrency: int | None = Field(
        default=None,
        ge=1,
        le=64,
        description="Requests in flight to one host; fetch.per_host_concurrency when unset.",
    )
    requests_per_second: float | None = Field(
        default=None,
        ge=MIN_RATE,
        le=MAX_RATE,
        description="Requests per second to one host; fetch.requests_per_second when unset.",
    )


class ServeSettings(BaseModel):
    """What `presswash serve` schedules: fetching each source, cleaning new partitions."""

    model_config = _NUMBERS

    fetch_every_minutes: int = Field(
        default=30,
        ge=1,
        le=WEEK_MINUTES,
        description="How often each configured source is fetched.",
    )
    clean_every_minutes: int = Field(
        default=60,
        ge=1,
        le=WEEK_MINUTES,
        description="How often new landing-zone partitions are cleaned.",
    )
    lookback_days: int = Field(
        default=2,
        ge=0,
        le=3660,
        description="Days back (before today, UTC) whose partitions each scheduled clean "
        "checks; partitions already clean are skipped, so a larger value only costs a look.",
    )


class Settings(BaseSettings):
    """Everything a run can be told; see the README's configuration section."""

    model_config = SettingsConfigDict(
        env_prefix="PRESSWASH_",
        env_nested_delimiter="__",
        extra="forbid",
        toml_file=None,
    )

    out: Path = Field(
        default=Path("clean"),
        description="Output folder, or an object-storage URL (s3://, gs://, az://); for a URL "
        "this becomes the local folder of its run state, and the URL goes to remote_out.",
    )
    remote_out: str | None = Field(
        default=None, description="The output's URL when it is on object storage (set from out)."
    )
    raw: Path = Field(
        default=Path("raw"),
        description="The landing zone fetches write to, or an object-storage URL; for a URL "
        "this becomes the local folder of its fetch state, and the URL goes to remote_raw.",
    )
    remote_raw: str | None = Field(
        default=None,
        description="The landing zone's URL when it is on object storage (set from raw).",
    )
    limits: Limits = Field(default_factory=Limits)
    cleaning: CleaningSettings = Field(default_factory=CleaningSettings)
    run: RunSettings = Field(default_factory=RunSettings)
    fetch: FetchSettings = Field(default_factory=FetchSettings)
    sources: dict[str, SourceSettings] = Field(
        default_factory=dict, description="Named sources for `presswash fetch --source NAME`."
    )
    serve: ServeSettings = Field(default_factory=ServeSettings)
    alert_rejection_rate: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="Flag a source whose share of rejections is above this; exit code 3.",
    )
    alert_rejection_rate_by_source: dict[str, Annotated[float, Field(ge=0.0, le=1.0)]] = Field(
        default_factory=dict,
        description="Per-source thresholds, overriding alert_rejection_rate for those sources.",
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_file = settings_cls.model_config.get("toml_file")
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if toml_file:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=toml_file))
        return tuple(sources)

    @model_validator(mode="before")
    @classmethod
    def _output_url(cls, data: Any) -> Any:
        """`out` or `raw` given as a URL: remember it, and make the field its local folder.

        `file://` is a plain path. A remote_out (remote_raw) whose local folder
        is no longer `out` (`raw`), because the command line gave another, is dropped.
        """
        if not isinstance(data, dict):
            return data
        data = dict(data)
        base = _state_dir(data.get("run"))
        _located(data, "out", "remote_out", _mirror_of("outputs", base))
        _located(data, "raw", "remote_raw", _mirror_of("landing", base))
        return data

    @property
    def landing(self) -> str:
        """The landing zone as given: its URL on object storage, else its folder."""
        return self.remote_raw or str(self.raw)

    def output_fingerprint(self) -> str:
        """A short hash of the settings that change what records hold."""
        relevant: dict[str, Any] = {
            "cleaning": self.cleaning.model_dump(mode="json"),  # includes the dedup threshold
            "limits": self.limits.model_dump(mode="json"),
        }
        blob = json.dumps(relevant, sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:8]


def _mirror_of(kind: str, base: Path | None) -> Callable[[str], Path]:
    """The local folder of a URL of one kind (an output, a landing zone)."""
    from presswash.schemas.layout import default_mirror

    return lambda url: default_mirror(url, base, kind)


def _located(
    data: dict[str, Any], field: str, remote_field: str, mirror: Callable[[str], Path]
) -> None:
    """One location field and its URL twin, set from what was given (see `_output_url`)."""
    from presswash.schemas.layout import is_url, local_path, normalize

    value, remote = data.get(field), data.get(remote_field)
    if isinstance(value, str) and is_url(value):
        data[remote_field] = normalize(value)
        data[field] = mirror(value)
    elif isinstance(value, str):
        data[field] = local_path(value)
    if not is_url(value or "") and remote and value is not None:
        if Path(data[field]) != mirror(remote):
            data[remote_field] = None
    elif remote and value is None:
        data[field] = mirror(remote)


def _state_dir(run: Any) -> Path | None:
    value = run.get("state_dir") if isinstance(run, dict) else getattr(run, "state_dir", None)
    return Path(value) if value else None


def load_settings(config: Path | None = None, **overrides: Any) -> Settings:
    """Settings from a TOML file (if any), the environment, then explicit overrides.

    Explicit overrides (the CLI's options) win over the environment, which
    wins over the file: the nearer to the command, the stronger.
    """
    path = config if config is not None else Path("presswash.toml")
    toml_file = path if path.is_file() else None
    if config is not None and toml_file is None:
        raise FileNotFoundError(f"config file not found: {config}")

    class _Bound(Settings):
        model_config = SettingsConfigDict(toml_file=toml_file)

    loaded = _Bound(**overrides)
    return Settings.model_validate(loaded.model_dump())
