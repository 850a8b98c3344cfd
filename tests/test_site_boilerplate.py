"""Lines a site repeats on every page are dropped, even where they read like prose."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from presswash.parsers.sitelines import boilerplate_keys, page_line_keys
from presswash.parsers.textdump import clean_textdump
from presswash.runner.run import run_bare
from presswash.schemas.settings import Settings
from tests.articles import make_dump
from tests.conftest import read_jsonl
from tests.test_output import stable

DISCLAIMER = (
    "The views expressed in this article are those of the writer and do not necessarily "
    "reflect the editorial position of the Gazette, which welcomes letters from its readers."
)
CORRECTIONS = (
    "Readers who spot an error in our reporting can write to the standards desk, "
    "which answers every message within two working days."
)


def gazette_page(n: int) -> str:
    """A page of a made-up site whose footer carries two paragraphs of prose."""
    lines = make_dump(n, site="Harbour Gazette").splitlines()
    footer = next(i for i, line in enumerate(lines) if line.startswith("Copyright"))
    lines[footer:footer] = [DISCLAIMER, "", CORRECTIONS, ""]
    return "\n".join(lines) + "\n"


def write_site(root: Path, numbers: range) -> Path:
    folder = root / "harbour-gazette"
    folder.mkdir(parents=True, exist_ok=True)
    for n in numbers:
        (folder / f"page-{n}.txt").write_text(gazette_page(n), encoding="utf-8")
    return root


def texts(out: Path) -> list[str]:
    return [r["text"] for r in read_jsonl(out / "articles")]


def bare(out: Path, **run: object) -> Settings:
    return Settings(out=out, run={"in_process": True, **run})


def test_the_single_page_cleaner_keeps_footer_prose() -> None:
    # What a page alone gives: no DOM and no other page to compare with.
    out = clean_textdump(gazette_page(1))
    assert DISCLAIMER in out.lines and CORRECTIONS in out.lines


def test_keys_need_three_pages_and_the_share() -> None:
    counts = {"a": 3, "b": 2, "c": 10}
    assert boilerplate_keys(counts, 2, 0.25) == frozenset()
    assert boilerplate_keys(counts, 10, 0.25) == {"a", "c"}
    assert boilerplate_keys(counts, 20, 0.25) == {"c"}
    # pairs of neighbours, the page's edges included: top-A, A-A, A-B, B-bottom
    assert len(page_line_keys("Same line\nsame   LINE\nOther line")) == 4
    assert page_line_keys("One\nTwo") == page_line_keys("one\n\n  TWO")


def test_a_run_of_one_site_drops_its_repeated_prose(tmp_path: Path) -> None:
    raw = write_site(tmp_path / "raw", range(6))
    summary = run_bare([str(raw)], bare(tmp_path / "out", shard_files=2))
    assert summary.accepted == 6
    for text in texts(tmp_path / "out"):
        assert DISCLAIMER not in text and CORRECTIONS not in text
        assert "In update" in text  # the article itself stays
    assert summary.removed_lines["site_boilerplate"] >= 6 * 2


def test_what_was_learned_is_reused_for_a_page_cleaned_alone(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_bare([str(write_site(tmp_path / "batch", range(6)))], bare(out))
    batch = {r["source"]["uri"]: r for r in read_jsonl(out / "articles")}

    # the same page again, alone, later: the same record
    alone = write_site(tmp_path / "alone", range(3, 4))
    run_bare([str(alone)], bare(out))
    again = [
        r
        for r in read_jsonl(out / "articles")
        if r["source"]["uri"] == "harbour-gazette/page-3.txt"
    ]
    assert stable(again) == stable([batch["harbour-gazette/page-3.txt"]])

    # a new page of the site, alone: its footer is known already
    shutil.rmtree(alone)
    run_bare([str(write_site(alone, range(40, 41)))], bare(out))
    new = [r for r in read_jsonl(out / "articles") if r["source"]["uri"].endswith("page-40.txt")]
    assert len(new) == 1 and DISCLAIMER not in new[0]["text"]

    # with nothing learned (a fresh output folder) the same page keeps it: the single-page rules
    run_bare([str(alone)], bare(tmp_path / "fresh"))
    assert DISCLAIMER in texts(tmp_path / "fresh")[0]


def test_rerun_and_worker_count_do_not_change_the_records(tmp_path: Path) -> None:
    raw = write_site(tmp_path / "raw", range(9))
    run_bare([str(raw)], bare(tmp_path / "a", shard_files=2))
    first = stable(read_jsonl(tmp_path / "a" / "articles"))
    run_bare([str(raw)], bare(tmp_path / "a", shard_files=2))
    assert stable(read_jsonl(tmp_path / "a" / "articles")) == first
    pooled = Settings(out=tmp_path / "b", run={"shard_files": 3, "workers": 2})
    run_bare([str(raw)], pooled)
    assert stable(read_jsonl(tmp_path / "b" / "articles")) == first


def test_the_sample_stops_at_its_size(tmp_path: Path) -> None:
    raw = write_site(tmp_path / "raw", range(8))
    settings = Settings(
        out=tmp_path / "out", run={"in_process": True}, cleaning={"site_sample_pages": 4}
    )
    run_bare([str(raw)], settings)
    conn = sqlite3.connect(tmp_path / "out" / "_state" / "state.sqlite")
    (pages,) = conn.execute("SELECT COUNT(*) FROM site_sample").fetchone()
    conn.close()
    assert pages == 4
    assert all(DISCLAIMER not in text for text in texts(tmp_path / "out"))


def test_switched_off_it_learns_nothing(tmp_path: Path) -> None:
    raw = write_site(tmp_path / "raw", range(6))
    settings = Settings(
        out=tmp_path / "out", run={"in_process": True}, cleaning={"site_boilerplate": False}
    )
    run_bare([str(raw)], settings)
    assert all(DISCLAIMER in text for text in texts(tmp_path / "out"))


def test_explain_shows_the_learned_lines(tmp_path: Path) -> None:
    from rich.console import Console

    from presswash.flows.explain import explain_file

    raw = write_site(tmp_path / "raw", range(6))
    settings = bare(tmp_path / "out")
    run_bare([str(raw)], settings)
    console = Console(record=True, width=400)
    explain_file(raw / "harbour-gazette" / "page-2.txt", settings, console)
    shown = console.export_text()
    assert "site boilerplate:" in shown and "source 'harbour-gazette'" in shown
    assert f"- site_boilerplate  {DISCLAIMER}" in shown


def test_html_sources_are_not_sampled(tmp_path: Path) -> None:
    from presswash.runner.plan import plan_shards
    from presswash.runner.sites import may_hold_text
    from presswash.sources.inputs import iter_inputs

    site = tmp_path / "raw" / "pages"
    site.mkdir(parents=True)
    for n in range(4):
        body = "".join(f"<p>{line}</p>" for line in gazette_page(n).splitlines())
        (site / f"p{n}.html").write_text(f"<html><body>{body}</body></html>")
    (site / "export.jsonl").write_text('{"html": "<p>Only markup in this export.</p>"}\n')
    specs = list(plan_shards(iter_inputs([str(tmp_path / "raw")]), 2, 1 << 30))
    assert [may_hold_text(s) for s in specs] == [True, False, False]  # export.jsonl sorts first
    run_bare([str(tmp_path / "raw")], bare(tmp_path / "out", shard_files=2))
    conn = sqlite3.connect(tmp_path / "out" / "_state" / "state.sqlite")
    assert conn.execute(
        "SELECT COUNT(*) FROM sqlite_master WHERE name = 'site_sample'"
    ).fetchone() == (0,)
    conn.close()


# A line many sites print, each among its own paragraphs: common, yet no site's boilerplate.
APPEAL = (
    "Readers who value independent local reporting can support it for the price of a coffee "
    "each week, and every contribution goes to the newsroom."
)
SITES = ("Harbour Gazette", "Valley Post", "Coastal Times", "Summit Herald")


def mixed_page(n: int, site: str) -> str:
    """A page of one of several made-up sites with the common appeal inside its article."""
    lines = make_dump(n, site=site).splitlines()
    second = [i for i, line in enumerate(lines) if line.startswith("In update")][2]
    lines[second:second] = [APPEAL, ""]
    return "\n".join(lines) + "\n"


def test_a_folder_mixing_sites_is_not_pooled_into_one(tmp_path: Path) -> None:
    folder = tmp_path / "raw" / "dumps"
    folder.mkdir(parents=True)
    for k, site in enumerate(SITES):
        for n in range(3):
            (folder / f"{k}-{n}.txt").write_text(mixed_page(10 * k + n, site), encoding="utf-8")
    learned = run_bare([str(tmp_path / "raw")], bare(tmp_path / "on"))
    off = Settings(
        out=tmp_path / "off", run={"in_process": True}, cleaning={"site_boilerplate": False}
    )
    run_bare([str(tmp_path / "raw")], off)
    assert learned.accepted == 12
    assert all(APPEAL in text for text in texts(tmp_path / "on"))
    assert sorted(texts(tmp_path / "on")) == sorted(texts(tmp_path / "off"))
    for k, site in enumerate(SITES):  # and what it writes is what the function gives alone
        alone = "\n".join(clean_textdump(mixed_page(10 * k, site)).lines)
        assert any(text == alone for text in texts(tmp_path / "on"))


def test_pages_with_a_url_are_learned_per_site(tmp_path: Path) -> None:
    import json

    raw = tmp_path / "raw" / "export"
    raw.mkdir(parents=True)
    records = [
        {
            "url": f"https://www.valley-post.example/news/{n}",
            "text": make_dump(n, site="Valley Post"),
        }
        for n in range(13)
    ]
    records += [
        {"url": f"https://harbour-gazette.example/story/{n}", "text": gazette_page(n)}
        for n in range(20, 23)
    ]
    (raw / "pages.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    # three pages of sixteen: below the source's share, all of the gazette's own pages
    run_bare([str(tmp_path / "raw")], bare(tmp_path / "out"))
    gazette = [t for t in texts(tmp_path / "out") if any(f"update {n}." in t for n in (20, 21, 22))]
    assert len(gazette) == 3
    assert all(DISCLAIMER not in t and CORRECTIONS not in t for t in gazette)
    assert all("In update" in t for t in texts(tmp_path / "out"))
