"""The real command line, end to end, against one temporary Prefect server per session."""

from __future__ import annotations

import gzip
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner, Result

from presswash.flows import app as cli_app
from presswash.flows import cli
from presswash.output.runs import write_summary
from presswash.runner.run import run_bare
from presswash.schemas.records import Article, Rejection
from presswash.schemas.settings import Settings
from tests.articles import make_dump
from tests.conftest import RAW, cli_env, latest_summary, read_jsonl, run_cli
from tests.test_output import stable

pytestmark = pytest.mark.slow


def assert_clean_exit(result, code: int = 0) -> None:
    assert result.returncode == code, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]


def test_clean_raw_samples_end_to_end(prefect_api_url: str, tmp_path: Path) -> None:
    out = tmp_path / "clean"
    result = run_cli(["clean", str(RAW), "--out", str(out)], prefect_api_url)
    assert_clean_exit(result)
    summary = latest_summary(out)
    assert summary["status"] == "finished"
    assert summary["inputs"] == summary["accepted"] + summary["rejected"] > 0
    assert "accepted" in result.stderr and str(out) in result.stderr

    articles = read_jsonl(out / "articles")
    rejected = read_jsonl(out / "rejected")
    assert len(articles) == summary["accepted"] and len(rejected) == summary["rejected"]
    for record in articles:
        Article.model_validate(record)
    for record in rejected:
        Rejection.model_validate(record)
    kinds = {a["source"]["kind"] for a in articles}
    assert {"file", "jsonl", "warc"} <= kinds, kinds
    uris = {a["source"]["uri"] for a in articles}
    assert any(u.endswith(".gz") for u in uris), uris
    assert any(u.endswith((".html", ".htm")) for u in uris), uris
    by_uri = {a["source"]["uri"]: a for a in articles}
    sample = by_uri["samples/003_2dbfb27c5b671720.txt"]
    assert sample["title"] == "Cooler head means warmer China-ROK ties"
    assert sample["authors"] == ["Da Zhigang"]
    assert {"en", "zh", "ko"} <= {a["language"] for a in articles}

    again = run_cli(["clean", str(RAW), "--out", str(out)], prefect_api_url)
    assert_clean_exit(again)
    assert stable(read_jsonl(out / "articles")) == stable(articles)
    assert stable(read_jsonl(out / "rejected")) == stable(rejected)


def test_every_bad_input_is_a_rejection_with_its_reason(
    prefect_api_url: str, tmp_path: Path
) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "empty.txt").write_bytes(b"")
    (src / "blank.txt").write_bytes(b" \n\t\r\n ")
    (src / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(300))
    (src / "broken16.txt").write_bytes(b"\xff\xfe" + b"\x00\xd8\x41")
    (src / "nav.txt").write_text("Home | News | Sport\nShare\nCopyright © 2025 Example\n")
    (src / "short.txt").write_text("The mayor opened the new bridge on Monday morning.\n")
    (src / "cut.txt.gz").write_bytes(gzip.compress(make_dump(1).encode())[:200])
    (src / "export.jsonl").write_text(
        json.dumps({"id": "ok", "text": make_dump(2)}) + "\n" + '{"id": "x", "text": "cut\n'
    )
    (src / "good.txt").write_text(make_dump(3))
    out = tmp_path / "out"
    result = run_cli(["clean", str(src), "--out", str(out)], prefect_api_url)
    assert_clean_exit(result)
    reasons = {r["source"]["uri"]: r["reason"] for r in read_jsonl(out / "rejected")}
    assert reasons == {
        "empty.txt": "empty",
        "blank.txt": "empty",
        "image.txt": "binary",
        "broken16.txt": "undecodable",
        "nav.txt": "no_content",
        "short.txt": "too_short",
        "cut.txt.gz": "undecodable",
        "export.jsonl#2": "invalid_record",
    }
    for record in read_jsonl(out / "rejected"):
        assert len(record["detail"]) > 20
    accepted = {a["source"]["uri"] for a in read_jsonl(out / "articles")}
    assert accepted == {"good.txt", "export.jsonl#1"}
    summary = latest_summary(out)
    assert (summary["inputs"], summary["accepted"], summary["rejected"]) == (10, 2, 8)


def test_missing_source_is_bad_usage(prefect_api_url: str, tmp_path: Path) -> None:
    result = run_cli(
        ["clean", str(tmp_path / "nope"), "--out", str(tmp_path / "o")], prefect_api_url
    )
    assert_clean_exit(result, 2)
    assert result.stderr.strip().count("\n") == 0
    assert "no such file or folder" in result.stderr


def test_unwritable_output_fails_with_one_line(prefect_api_url: str, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    shutil.copy(RAW / "samples" / "000_a666fe7f38a3cd6b.txt", tmp_path / "a.txt")
    result = run_cli(
        ["clean", str(tmp_path / "a.txt"), "--out", str(blocker / "out")], prefect_api_url
    )
    assert_clean_exit(result, 1)
    assert result.stderr.startswith("presswash: error:")
    assert result.stderr.strip().count("\n") == 0


def test_bad_option_is_usage_error(prefect_api_url: str) -> None:
    result = run_cli(["clean", "--no-such-option"], prefect_api_url)
    assert result.returncode == 2


def test_schema_and_version(prefect_api_url: str) -> None:
    article = run_cli(["schema"], prefect_api_url)
    assert_clean_exit(article)
    schema = json.loads(article.stdout)
    assert {"id", "source", "text", "language", "content_hash"} <= set(schema["properties"])
    rejection = json.loads(run_cli(["schema", "--rejection"], prefect_api_url).stdout)
    assert {"stage", "reason", "detail", "duplicate_of"} <= set(rejection["properties"])
    version = run_cli(["--version"], prefect_api_url)
    assert version.stdout.startswith("presswash ")


def test_explain_marks_every_line(prefect_api_url: str) -> None:
    sample = RAW / "samples" / "003_2dbfb27c5b671720.txt"
    result = run_cli(["clean", "--explain", str(sample)], prefect_api_url)
    assert_clean_exit(result)
    marked = [line for line in result.stdout.splitlines() if line[:2] in ("+ ", "- ")]
    assert len(marked) == sum(1 for line in sample.read_text().splitlines() if line.strip())
    assert any(line.startswith("- spam") for line in marked)
    assert any(line.startswith("+ kept") for line in marked)


def invoke(args: list[str], columns: str = "40") -> Result:
    """The command in this process: its stdout and stderr are captured, not a terminal."""
    return CliRunner().invoke(cli.app, args, env={"COLUMNS": columns})


def test_help_shows_no_value_after_plain_flags() -> None:
    for args in (["--help"], ["backfill", "--help"]):
        result = invoke(args, columns="120")
        assert result.exit_code == 0, result.output
        assert "<bool>" not in result.stdout, result.stdout
    backfill = invoke(["backfill", "--help"], columns="120").stdout
    assert re.search(r"--dry-run\s+Show what would be cleaned", backfill), backfill
    assert "--since <str>" in backfill, "options that take a value still say so"


def test_clean_with_no_input_reads_the_configs_raw(tmp_path: Path) -> None:
    zone = tmp_path / "landing-zone-of-the-config"
    config = tmp_path / "presswash.toml"
    config.write_text(f"raw = {json.dumps(str(zone))}\n", encoding="utf-8")
    result = invoke(["clean", "--config", str(config), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert str(zone) in result.stderr, result.stderr  # the config's raw, not ./raw


def test_tables_in_a_pipe_are_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "the-source-with-a-name-far-longer-than-forty-columns"
    source.mkdir()
    for n in range(2):
        (source / f"page-{n}.txt").write_text(make_dump(700 + n), encoding="utf-8")
    out = tmp_path / "clean"
    settings = Settings(out=out, run={"in_process": True})
    summary = run_bare([str(source)], settings, root=str(tmp_path))
    alert = "source 'the-source-with-a-name-far-longer-than-forty-columns' rejected 90 %"
    write_summary(out, summary.model_copy(update={"run_id": "29990101T000000Z-abcdef"}))
    write_summary(out, summary.model_copy(update={"status": "alert", "alerts": [alert]}))

    env = cli_env("http://127.0.0.1:9/api")  # `runs` never reaches Prefect
    env["COLUMNS"] = "40"
    runs = subprocess.run(  # a real pipe, as `presswash runs | less` has
        [str(Path(sys.executable).with_name("presswash")), "runs", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    assert_clean_exit(runs)
    assert "…" not in runs.stdout, runs.stdout
    assert summary.run_id in runs.stdout and "29990101T000000Z-abcdef" in runs.stdout
    assert f"alert: {alert}" in runs.stdout
    as_json = json.loads(invoke(["runs", str(out), "--json"]).stdout)
    assert [r["run_id"] for r in as_json] == ["29990101T000000Z-abcdef", summary.run_id]
    assert as_json[1]["alerts"] == [alert]

    stats = invoke(["stats", str(out)])
    assert stats.exit_code == 0, stats.output
    assert "…" not in stats.stdout, stats.stdout
    assert source.name in stats.stdout

    printed = io.StringIO()
    monkeypatch.setattr(cli_app, "err", Console(file=printed, width=40))
    cli_app.print_summary(summary)
    assert "…" not in printed.getvalue()
    assert f"{out}/runs/{summary.run_id}.json" in printed.getvalue()


def test_explain_shows_the_metadata_the_written_record_gets(tmp_path: Path) -> None:
    export = RAW / "exports" / "scraper_export.jsonl"
    settings = Settings(out=tmp_path / "clean", run={"in_process": True})
    run_bare([str(export)], settings, root=str(export.parent))
    written = {a["source"]["uri"]: a for a in read_jsonl(tmp_path / "clean" / "articles")}
    assert len(written) >= 3

    result = invoke(["clean", "--explain", str(export)], columns="60")
    assert result.exit_code == 0, result.output
    shown: dict[str, dict[str, str]] = {}
    for block in re.split(r"^─+ (\S+) ─+$", result.stdout, flags=re.M)[1:]:
        if "#" in block:
            uri = block
            shown[uri] = {}
            continue
        for line in block.splitlines():
            label, _, value = line.strip().partition(": ")
            if label in ("title", "authors", "published", "site", "url"):
                shown[uri][label] = value.strip()
    for uri, record in written.items():
        assert shown[uri]["title"] == str(record["title"]), uri
        assert shown[uri]["authors"] == (", ".join(record["authors"]) or "None"), uri
        assert shown[uri]["published"] == str(record["published_at"]), uri
        assert shown[uri]["site"] == str(record["site_name"]), uri
        assert shown[uri]["url"] == record["url"], uri
    assert shown["scraper_export.jsonl#1"]["title"] != "None"
    assert shown["scraper_export.jsonl#5"]["title"] == "Live: flood updates"  # rejected, shown too


def test_the_server_serve_starts_has_analytics_off(monkeypatch: pytest.MonkeyPatch) -> None:
    from presswash.flows.serve import server_env

    monkeypatch.delenv("PREFECT_SERVER_ANALYTICS_ENABLED", raising=False)
    assert server_env()["PREFECT_SERVER_ANALYTICS_ENABLED"] == "false"
    monkeypatch.setenv("PREFECT_SERVER_ANALYTICS_ENABLED", "true")
    assert server_env()["PREFECT_SERVER_ANALYTICS_ENABLED"] == "true", "the user's choice wins"
