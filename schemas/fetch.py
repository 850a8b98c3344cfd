"""The summary of a fetch run: `runs/fetch-<run-id>.json`, what a monitor reads first.

Its books balance like a clean run's: every URL asked for is fetched,
unchanged (a 304), rejected with a reason, or skipped because the landing
zone already holds it; `balanced()` is checked before the file is written.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

DEFAULT_SOURCE = "adhoc"  # the landing folder of URLs fetched without --source


class DiscoveredDoc(BaseModel):
    """One feed or sitemap read during discovery."""

    model_config = ConfigDict(extra="forbid")

    url: str
    kind: str = Field(description="'feed', 'sitemap', 'sitemap_index' or 'unknown'.")
    links: int = Field(description="Page or sitemap links it held.")
    error: str | None = Field(default=None, description="Why it gave nothing, if so.")


class FetchSummary(BaseModel):
    """One `presswash fetch` run."""

    model_config = ConfigDict(extra="forbid")

    run_id: str
    status: str = Field(description="'finished' or 'failed'.")
    started_at: str
    finished_at: str
    duration_seconds: float
    pipeline_version: str
    source: str = Field(description="The landing folder name (`--source`).")
    raw: str = Field(description="The landing zone folder.")
    out: str = Field(description="Where rejections and this summary go.")
    asked: int = Field(description="Distinct page URLs asked for after discovery.")
    fetched: int = Field(description="Pages written to the landing zone.")
    unchanged: int = Field(description="304 answers to a conditional request (`--refetch`).")
    rejected: int = Field(description="URLs given up on; see rejected_by_reason.")
    skipped: int = Field(description="URLs already in the landing zone, not asked again.")
    over_max_pages: int = Field(
        default=0, description="URLs found but left out by the source's max_pages."
    )
    rejected_by_reason: dict[str, int] = Field(default_factory=dict)
    discovered: list[DiscoveredDoc] = Field(default_factory=list)
    warc_files: list[str] = Field(
        default_factory=list, description="WARC files written, relative to `raw`."
    )
    partitions: list[str] = Field(
        default_factory=list, description="`<source>/<date>` folders that received pages."
    )
    rejection_files: list[str] = Field(default_factory=list)
    bytes_received: int = 0
    batches: int = 0
    pages_per_second: float = 0.0
    clean_run_id: str | None = Field(
        default=None, description="The clean run started with `--clean`, if any."
    )
    clean_error: str | None = Field(
        default=None, description="Why the clean run of `--clean` failed, if it did."
    )
    error: str | None = None
    prefect_flow_run_id: str | None = None

    def balanced(self) -> bool:
        return self.asked == self.fetched + self.unchanged + self.rejected + self.skipped
