"""Configuration: TOML, environment overrides, one-line errors naming the key, alert exit 3."""

from __future__ import annotations

from pathlib import Path

import pytest

from presswash.schemas.settings import load_settings
from tests.articles import make_dump
from tests.conftest import latest_summary, run_cli

pytestmark = pytest.mark.slow


def test_toml_then_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "presswash.toml"
    config.write_text('out = "elsewhere"\n[cleaning]\nmin_words = 12\nlanguages = ["EN", "ko"]\n')
    settings = load_settings(config)
    assert (str(settings.out), settings.cleaning.min_words) == ("elsewhere", 12)
    assert settings.cleaning.languages == ["en", "ko"]
    monkeypatch.setenv("PRESSWASH_CLEANING__MIN_WORDS", "7")
    assert load_settings(config).cleaning.min_words == 7


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[cleaning]\nmin_words = "many"\n', "cleaning.min_words"),
        ("[limits]\nmax_input_byte = 10\n", "limits.max_input_byte"),
        ('[cleaning]\nlanguages = ["english"]\n', "cleaning.languages"),
        ("[run\nworkers = 2\n", "cannot read config"),
        ("alert_rejection_rate = 3\n", "alert_rejection_rate"),
    ],
)
def test_a_bad_config_is_one_line_naming_the_key(
    prefect_api_url: str, tmp_path: Path, toml: str, message: str
) -> None:
    config = tmp_path / "bad.toml"
    config.write_text(toml)
    result = run_cli(["clean", str(tmp_path), "--config", str(config)], prefect_api_url)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stderr.strip().count("\n") == 0 and "Traceback" not in result.stderr


def test_missing_config_file_is_bad_usage(prefect_api_url: str, tmp_path: Path) -> None:
    result = run_cli(["clean", "--config", str(tmp_path / "none.toml")], prefect_api_url)
    assert result.returncode == 2 and "config file not found" in result.stderr


def test_a_source_over_its_rejection_threshold_exits_3(
    prefect_api_url: str, tmp_path: Path
) -> None:
    site = tmp_path / "raw" / "fragile-site"
    site.mkdir(parents=True)
    (site / "good.txt").write_text(make_dump(950))
    for n in range(3):
        (site / f"broken{n}.txt").write_text("Home | News\nShare\n")
    config = tmp_path / "presswash.toml"
    config.write_text("alert_rejection_rate = 0.5\n")
    out = tmp_path / "clean"
    result = run_cli(
        ["clean", str(tmp_path / "raw"), "--out", str(out), "--config", str(config)],
        prefect_api_url,
    )
    assert result.returncode == 3, result.stderr[-1500:]
    summary = latest_summary(out)
    assert summary["status"] == "alert"
    assert "fragile-site" in summary["alerts"][0] and "75%" in summary["alerts"][0]
    assert "fragile-site" in result.stderr


def _numeric_fields(model: type, prefix: str = "") -> list[tuple[str, object]]:
    """Every int or float setting of a settings model and its nested models, by dotted key."""
    import typing

    from pydantic import BaseModel

    found = []
    for name, info in model.model_fields.items():
        kinds = {a for a in typing.get_args(info.annotation)} | {info.annotation}
        nested = [k for k in kinds if isinstance(k, type) and issubclass(k, BaseModel)]
        if nested:
            found += _numeric_fields(nested[0], f"{prefix}{name}.")
        elif kinds & {int, float} and bool not in kinds:
            found.append((f"{prefix}{name}", info))
    return found


def test_every_numeric_setting_has_a_range() -> None:
    """A value validation lets through must never crash or stall a run later (inf, 1e10, 1e-9)."""
    from annotated_types import Ge, Gt, Le, Lt

    from presswash.schemas.settings import Settings, SourceSettings

    fields = _numeric_fields(Settings) + _numeric_fields(SourceSettings, "sources.*.")
    assert len(fields) > 30
    unbounded = []
    for key, info in fields:
        marks = getattr(info, "metadata", [])
        low = any(isinstance(m, Ge | Gt) for m in marks)
        high = any(isinstance(m, Le | Lt) for m in marks)
        if not (low and high):
            unbounded.append(key)
    assert not unbounded, f"settings without a lower and an upper bound: {unbounded}"


def test_the_fetch_commands_default_source_is_the_schemas() -> None:
    from presswash.flows.fetch_cli import DEFAULT_SOURCE
    from presswash.schemas import fetch

    assert DEFAULT_SOURCE == fetch.DEFAULT_SOURCE
