"""Reading the output the way downstream users do: the Python API, DuckDB, pandas, Parquet,
`presswash stats`, and the HTML report in a real headless browser."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import orjson
import pytest
from lxml import html as lxml_html
from rich.console import Console
from typer.testing import CliRunner

import presswash
from presswash.consumers.reader import RecordError
from presswash.consumers.report import render_report
from presswash.consumers.stats import folder_stats
from presswash.flows.cli import app
from presswash.runner.run import run_bare
from presswash.schemas.records import Article, Rejection
from presswash.schemas.settings import Settings
from tests.articles import make_dump

HOSTILE_SITE = "Wire <img src=x onerror=alert(1)> & <script>alert(2)</script>"
PER_PARTITION = {
    ("courier", "2025-03-01"): 3,
    ("courier", "2025-03-02"): 3,
    ("gazette", "2025-03-02"): 4,
    ("wire", "2025-03-04"): 2,
}
REASONS = {"empty": 1, "binary": 1, "no_content": 1, "duplicate": 1, "invalid_record": 1}
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _body(n: int) -> str:
    """Only the paragraphs of a made-up page, as a scraper export would carry them."""
    return "\n".join(line for line in make_dump(n).splitlines() if line.startswith("In update"))


def _export_line(n: int, published: str) -> bytes:
    record = {
        "id": f"w-{n}",
        "url": f"https://wire.example/{n}",
        "title": f"Wire story {n}",
        "site_name": HOSTILE_SITE,
        "published_at": published,
        "text": _body(n),
    }
    return orjson.dumps(record) + b"\n"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A landing zone of three sources on four days, with bad inputs and a duplicate, cleaned."""
    root = tmp_path_factory.mktemp("consumers")
    raw = root / "raw"
    for n in range(6):
        folder = raw / "courier" / f"2025-03-0{1 + n % 2}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"page-{n}.txt").write_text(make_dump(n), encoding="utf-8")
    gazette = raw / "gazette" / "2025-03-02"
    gazette.mkdir(parents=True)
    for n in range(6, 10):
        text = make_dump(n, site="Harbour Gazette")
        (gazette / f"page-{n}.txt").write_text(text, encoding="utf-8")
    bad = raw / "gazette" / "2025-03-03"
    bad.mkdir(parents=True)
    (bad / "empty.txt").write_bytes(b"")
    (bad / "pixel.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (bad / "short.txt").write_text("Breaking news.\nMore soon.\n", encoding="utf-8")
    (bad / "copy.txt").write_text(make_dump(1), encoding="utf-8")  # courier's page-1 again
    wire = raw / "wire" / "2025-03-04"
    wire.mkdir(parents=True)
    (wire / "export.jsonl").write_bytes(
        _export_line(20, "2025-03-04T09:30:00+01:00")
        + b'{"id": "broken", "text": \n'
        + _export_line(21, "2025-03-04")
    )
    out = root / "out"
    summary = run_bare([str(raw)], Settings(out=out, run={"in_process": True}))
    assert (summary.accepted, summary.rejected) == (12, 5), summary.rejected_by_reason
    return out


@pytest.fixture(autouse=True)
def wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    """As `run_cli` sets COLUMNS=200: rich would otherwise wrap a long path at 80 columns."""
    from presswash.flows import app as cli_app
    from presswash.flows import consume_cli

    for module in (cli_app, consume_cli):
        monkeypatch.setattr(module, "err", Console(stderr=True, highlight=False, width=200))
    monkeypatch.setattr(consume_cli, "out", Console(highlight=False, width=200))


def _invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


# --- the Python API -------------------------------------------------------------------------


def test_read_articles_yields_validated_articles_of_every_partition(out: Path) -> None:
    articles = list(presswash.read_articles(out))
    assert len(articles) == 12
    assert all(isinstance(a, Article) for a in articles)
    folders = Counter(a.source.uri.split("/")[0] for a in articles)
    assert folders == {"courier": 6, "gazette": 4, "wire": 2}
    wire = {a.source.external_id: a for a in articles if a.source.kind == "jsonl"}  # type: ignore[attr-defined]
    assert wire["w-20"].published_at == "2025-03-04T09:30:00+01:00"
    assert wire["w-20"].site_name == HOSTILE_SITE
    assert all(a.word_count > 40 and a.text for a in articles)


def test_read_rejections_and_the_duplicate_points_at_the_kept_article(out: Path) -> None:
    rejections = list(presswash.read_rejections(out))
    assert all(isinstance(r, Rejection) for r in rejections)
    assert Counter(r.reason for r in rejections) == REASONS
    duplicate = next(r for r in rejections if r.reason == "duplicate")
    kept = next(a for a in presswash.read_articles(out) if a.source.uri.endswith("page-1.txt"))
    assert duplicate.duplicate_of == kept.id
    assert duplicate.source.uri == "gazette/2025-03-03/copy.txt"


def test_read_one_part_file_or_one_partition(out: Path) -> None:
    partition = out / "articles" / "source_name=courier" / "date=2025-03-01"
    (part,) = sorted(partition.glob("*.jsonl"))
    assert len(list(presswash.read_articles(part))) == 3
    assert len(list(presswash.read_articles(partition))) == 3
    assert list(presswash.read_rejections(partition.parent)) == []


def test_a_bad_line_names_file_and_line_or_is_skipped_and_counted(
    out: Path, tmp_path: Path
) -> None:
    good = next(iter(presswash.read_articles(out))).model_dump_json()
    broken = json.loads(good) | {"language": "English"}
    part = tmp_path / "articles" / "source_name=x" / "date=undated" / "part-1.jsonl"
    part.parent.mkdir(parents=True)
    part.write_text(f"{good}\n{json.dumps(broken)}\n{{not json\n{good}\n", encoding="utf-8")
    with pytest.raises(RecordError) as caught:
        list(presswash.read_articles(tmp_path))
    assert caught.value.line == 2 and caught.value.path == part
    assert "part-1.jsonl, line 2" in str(caught.value) and "language" in str(caught.value)
    lenient = presswash.read_articles(tmp_path, errors="skip")
    assert len(list(lenient)) == 2
    assert lenient.skipped == 2
    assert "line 3: not valid JSON" in lenient.counts.first_problems[1]
    with pytest.raises(FileNotFoundError, match="nowhere"):
        presswash.read_articles(tmp_path / "nowhere")


# --- DuckDB and pandas on the JSONL ----------------------------------------------------------


def test_duckdb_reads_the_hive_partitions_without_hiding_a_field(out: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    rows = duckdb.sql(
        f"""
        select source_name, strftime(date, '%Y-%m-%d') as day, count(*) as n,
               any_value(typeof(source)) as source_type, any_value(source.kind) as kind,
               any_value(typeof(word_count)) as wc_type
        from read_json('{out}/articles/**/*.jsonl', hive_partitioning=true,
                       format='newline_delimited')
        group by all order by all
        """
    ).fetchall()
    assert {(r[0], r[1]): r[2] for r in rows} == PER_PARTITION
    assert all(r[3].startswith("STRUCT(kind VARCHAR, uri VARCHAR, sha256 VARCHAR") for r in rows)
    assert {r[4] for r in rows} == {"file", "jsonl"}
    assert {r[5] for r in rows} == {"BIGINT"}
    # mixed plain dates and date-times with an offset stay text: nothing is reinterpreted
    published = duckdb.sql(
        f"""
        select typeof(published_at), list(published_at order by published_at)
        from read_json('{out}/articles/**/*.jsonl', hive_partitioning=true,
                       format='newline_delimited')
        where source_name = 'wire' group by 1
        """
    ).fetchall()
    assert published == [("VARCHAR", ["2025-03-04", "2025-03-04T09:30:00+01:00"])]


def test_pandas_reads_the_part_files(out: Path) -> None:
    pd = pytest.importorskip("pandas")
    frames = [
        pd.read_json(part, lines=True, dtype=False).assign(
            source_name=part.parent.parent.name.split("=", 1)[1]
        )
        for part in sorted((out / "articles").rglob("*.jsonl"))
    ]
    df = pd.concat(frames, ignore_index=True)
    assert len(df) == 12
    assert df.groupby("source_name").size().to_dict() == {"courier": 6, "gazette": 4, "wire": 2}
    assert str(df["word_count"].dtype) == "int64"
    assert str(df["language_confidence"].dtype) == "float64"
    assert isinstance(df.loc[0, "source"], dict) and isinstance(df.loc[0, "authors"], list)


def test_pyarrow_json_dataset_with_hive_partitioning(out: Path) -> None:
    ds = pytest.importorskip("pyarrow.dataset")
    table = ds.dataset(out / "articles", format="json", partitioning="hive").to_table(
        columns=["id", "word_count", "source_name", "date"]
    )
    df = table.to_pandas()
    assert len(df) == 12
    assert {(s, d): n for (s, d), n in df.groupby(["source_name", "date"]).size().items()} == (
        PER_PARTITION
    )


# --- Parquet export --------------------------------------------------------------------------


def test_export_parquet_keeps_counts_partitions_and_typed_columns(
    out: Path, tmp_path: Path
) -> None:
    pa_ds = pytest.importorskip("pyarrow.dataset")
    duckdb = pytest.importorskip("duckdb")
    dest = tmp_path / "parquet"
    code, _, stderr = _invoke(
        "export", str(out), "--format", "parquet", "--dest", str(dest), "--rejections"
    )
    assert code == 0, stderr
    assert "articles: 12 rows in 4 files" in stderr
    table = pa_ds.dataset(dest / "articles", format="parquet", partitioning="hive").to_table()
    assert table.num_rows == 12
    rows = table.to_pylist()
    assert Counter((r["source_name"], r["date"]) for r in rows) == PER_PARTITION
    schema = table.schema
    assert str(schema.field("authors").type) == "list<element: string>"
    removed = schema.field("cleaning").type.field("removed").type
    assert (str(removed.key_type), str(removed.item_type)) == ("string", "int64")
    assert str(schema.field("ingested_at").type) == "timestamp[us, tz=UTC]"
    wire = {r["source"]["external_id"]: r for r in rows if r["source"]["kind"] == "jsonl"}
    assert wire["w-20"]["published_at"] == "2025-03-04T09:30:00+01:00"
    assert wire["w-20"]["site_name"] == HOSTILE_SITE
    assert all(r["cleaning"]["removed"] for r in rows if r["source"]["kind"] == "file")
    counts = duckdb.sql(
        f"select reason, count(*) from read_parquet('{dest}/rejected/**/*.parquet', "
        "hive_partitioning=true) group by all"
    ).fetchall()
    assert dict(counts) == REASONS


def test_a_second_export_drops_parts_that_are_gone(out: Path, tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    copy = tmp_path / "clean"
    shutil.copytree(out, copy)
    dest = tmp_path / "parquet"
    assert _invoke("export", str(copy), "--dest", str(dest))[0] == 0
    shutil.rmtree(copy / "articles" / "source_name=gazette")
    assert _invoke("export", str(copy), "--dest", str(dest))[0] == 0
    parts = sorted(p.relative_to(dest).parts[1] for p in dest.rglob("*.parquet"))
    assert parts == ["source_name=courier", "source_name=courier", "source_name=wire"]


def test_export_refuses_to_overwrite_the_folder_it_reads(out: Path) -> None:
    code, _, stderr = _invoke("export", str(out), "--dest", str(out))
    assert code == 2
    assert stderr.count("\n") == 1 and "overlaps the output folder" in stderr
    assert len(list(presswash.read_articles(out))) == 12


def test_export_without_pyarrow_says_how_to_get_it(
    out: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [m for m in sys.modules if m == "pyarrow" or m.startswith("pyarrow.")]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    code, _, stderr = _invoke("export", str(out), "--dest", str(tmp_path / "p"))
    assert code == 1
    assert "uv run --extra parquet presswash export" in stderr
    assert "pip install 'presswash[parquet]'" in stderr
    assert "Traceback" not in stderr


# --- stats -----------------------------------------------------------------------------------


def test_stats_tables_show_the_numbers(out: Path) -> None:
    code, stdout, _ = _invoke("stats", str(out))
    assert code == 0
    lines = stdout.splitlines()

    def row(label: str) -> list[str]:
        found = next(line for line in lines if line.strip("│ ").startswith(label))
        return [cell.strip() for cell in found.strip("│ ").split("│")]

    assert row("records")[1] == "17"
    assert row("articles")[1:] == ["12", "70.6%"]
    assert row("rejections")[1:] == ["5", "29.4%"]
    assert row("duplicates")[1] == "1"
    assert row("courier")[1:] == ["6", "0"]
    assert row("gazette")[1:] == ["4", "4"]
    assert row("wire")[1:] == ["2", "1"]
    assert row("2025-03-02")[1:] == ["7", "0"]
    assert row("2025-03-03")[1:] == ["0", "4"]
    assert row("en")[1] == "12"
    assert row("invalid_record")[1] == "1"


def test_stats_json_matches_the_records(out: Path) -> None:
    code, stdout, _ = _invoke("stats", str(out), "--json")
    assert code == 0
    data = json.loads(stdout)
    articles = list(presswash.read_articles(out))
    assert data["articles"] == 12 and data["rejections"] == 5 and data["duplicates"] == 1
    assert data["words"] == sum(a.word_count for a in articles)
    assert data["sources"] == {"courier": 6, "gazette": 4, "wire": 2}
    assert data["dates"] == {"2025-03-01": 3, "2025-03-02": 7, "2025-03-04": 2}
    assert data["reasons"] == dict(sorted(REASONS.items()))
    assert data["stages"]["dedup"] == 1
    assert sum(data["lengths"].values()) == 12
    assert data["sites"][HOSTILE_SITE] == 2 and data["sites"]["Harbour Gazette"] == 4
    assert data["runs"] == 1 and data["latest_runs"][0]["accepted"] == 12


def test_stats_reuse_counts_of_unchanged_parts_and_see_changed_ones(
    out: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    first = folder_stats(copy).model_dump()
    assert folder_stats(copy).model_dump() == first  # the second pass comes from the cache
    part = next((copy / "articles").rglob("*.jsonl"))
    with part.open("ab") as handle:
        handle.write(b"not a record\n")
    changed = folder_stats(copy)
    assert changed.invalid_lines == first["invalid_lines"] + 1
    assert changed.articles == first["articles"]
    part.unlink()
    assert folder_stats(copy).articles < first["articles"]  # a part gone is not counted


@pytest.mark.parametrize(
    "args", [["stats"], ["report", "--html", "r.html"], ["export", "--dest", "p"]]
)
def test_a_missing_folder_is_usage_error_in_one_line(args: list[str], tmp_path: Path) -> None:
    code, _, stderr = _invoke(args[0], str(tmp_path / "nowhere"), *args[1:])
    assert code == 2
    assert stderr == f"presswash: error: no such output folder: '{tmp_path / 'nowhere'}'\n"


# --- the HTML report -------------------------------------------------------------------------


def test_report_escapes_untrusted_strings(out: Path) -> None:
    stats = folder_stats(out)
    stats.latest_articles[0].title = '</svg></table><script>alert("t")</script>'
    page = render_report(stats)
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;" in page
    assert "Wire &lt;img src=x onerror=alert(1)&gt; &amp; &lt;script&gt;" in page
    assert "http://" not in page and "https://" not in page  # nothing to fetch


def test_report_renders_in_headless_chromium(out: Path, tmp_path: Path) -> None:
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (CI installs Debian's chromium; see .ci/run)")
    page = tmp_path / "report.html"
    code, _, stderr = _invoke("report", str(out), "--html", str(page))
    assert code == 0, stderr
    browser = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--enable-logging=stderr",
            "--v=0",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert browser.returncode == 0, browser.stderr[-2000:]
    console = [line for line in browser.stderr.splitlines() if ":CONSOLE" in line]
    assert console == []  # a blocked script or fetch (CSP) would be logged here
    dom = lxml_html.fromstring(browser.stdout)
    charts = {svg.get("data-chart"): svg for svg in dom.iter("svg")}
    assert set(charts) == {
        "languages",
        "reasons",
        "sources",
        "sites",
        "dates",
        "published",
        "lengths",
        "removed",
    }
    assert len(charts["reasons"].findall(".//rect")) == len(REASONS)
    # bars: courier; gazette's articles and rejections; wire's articles and rejection
    assert len(charts["sources"].findall(".//rect")) == 5
    assert len(charts["dates"].findall(".//rect")) == 5
    assert len(charts["lengths"].findall(".//rect")) >= 1
    assert not dom.xpath("//script | //img | //link | //iframe")
    assert dom.xpath("//*[@data-health='ok']")
    assert HOSTILE_SITE in dom.text_content()
