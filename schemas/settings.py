"""Run settings: limits, language filter, output, alerting; one typed model.

Read from `presswash.toml` (or `--config FILE`) and overridden by
`PRESSWASH_*` environment variables, so a deployment can change one limit
without editing the file. Every field that changes what lands in the output
is part of `output_fingerprint()`, which goes into `pipeline_version`.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

MiB = 1024 * 1024


class Limits(BaseModel):
    """Bounds on what one input may cost; crossing one is a rejection naming it."""

    model_config = ConfigDict(extra="forbid")

    max_input_bytes: int = Field(
        default=32 * MiB,
        gt=0,
        description="Raw bytes of one input (a file, a JSONL line, a WARC record).",
    )
    max_decompressed_bytes: int = Field(
        default=256 * MiB, gt=0, description="Bytes a compressed file may expand to."
    )
    max_line_bytes: int = Field(
        default=16 * MiB, gt=0, description="Bytes of one line of a JSONL export."
    )
    max_text_line_chars: int = Field(
        default=200_000, gt=0, description="Characters of one line of a text dump."
    )
    max_text_chars: int = Field(
        default=2_000_000, gt=0, description="Characters of one document's decoded text."
    )
    max_records_per_file: int = Field(
        default=5_000_000, gt=0, description="Records read from one JSONL or WARC file."
    )
    parse_timeout_seconds: float = Field(
        default=30.0, gt=0, description="Wall time one document may take to clean."
    )


class Cleaning(BaseModel):
    """Thresholds of acceptance that change which records are accepted."""

    model_config = ConfigDict(extra="forbid")

    min_words: int = Field(default=40, ge=1, description="Fewer words than this: `too_short`.")
    languages: list[str] = Field(
        default_factory=list,
        description="Keep only these ISO 639-1 codes; empty keeps every language.",
    )

    @field_validator("languages")
    @classmethod
    def _codes(cls, value: list[str]) -> list[str]:
        codes = [code.strip().lower() for code in value if code.strip()]
        for code in codes:
            if not code.isalpha() or not 2 <= len(code) <= 3:
                raise ValueError(f"not an ISO 639-1 code: {code!r}")
        return sorted(set(codes))


class Run(BaseModel):
    """How a run is executed; none of this changes the records."""

    model_config = ConfigDict(extra="forbid")

    workers: int = Field(default=1, ge=1, le=256, description="Worker processes for cleaning.")
    shard_files: int = Field(default=200, ge=1, description="Input files per shard at most.")
    shard_bytes: int = Field(
        default=64 * MiB,
        ge=1,
        description="Raw bytes per shard at most (a bigger file is one shard).",
    )
    follow_symlinks: bool = Field(
        default=False, description="Follow symlinks that lead out of the input root."
    )


class Settings(BaseSettings):
    """Everything a run can be told; see the README's configuration section."""

    model_config = SettingsConfigDict(
        env_prefix="PRESSWASH_",
        env_nested_delimiter="__",
        extra="forbid",
        toml_file=None,
    )

    out: Path = Field(default=Path("clean"), description="Output folder.")
    limits: Limits = Field(default_factory=Limits)
    cleaning: Cleaning = Field(default_factory=Cleaning)
    run: Run = Field(default_factory=Run)
    alert_rejection_rate: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="Flag a source whose share of rejections is above this; exit code 3.",
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

    def output_fingerprint(self) -> str:
        """A short hash of the settings that change what records hold."""
        relevant: dict[str, Any] = {
            "cleaning": self.cleaning.model_dump(mode="json"),
            "limits": self.limits.model_dump(mode="json"),
        }
        blob = json.dumps(relevant, sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:8]


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
