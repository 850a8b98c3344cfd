"""Hostile inputs made by the tests themselves, through the real CLI: one test per class of fault.

Each class was found by an outside tester on 0.3.0: a limit that one path
skipped, a file name that failed a whole run, an output folder read back as
input, a full disk that printed tracebacks, settings that crashed later, and
pages whose parse grew a worker without bound.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import RAW, cli_env, direct_env, latest_summary, read_jsonl, run_direct

pytestmark = pytest.mark.slow

MEASURE = """
import resource, subprocess, sys
code = subprocess.run(sys.argv[1:]).returncode
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
sys.stderr.write(f"PEAK_RSS_KIB={peak}")
sys.exit(code)
"""


SENTENCES = [
    "The city council approved the new budget on Tuesday after a debate that lasted hours.",
    "Residents had asked for more money for schools, roads and the public library.",
    "The mayor said the plan would keep taxes flat while repairing two old bridges.",
    "Opponents argued that the parks department was left without enough staff.",
    "A final vote is expected next month, once the committee has read every comment.",
    "Local businesses welcomed the decision to extend the opening hours of the market.",
]


def _prose(words: int, seed: str = "council") -> str:
    """Ordinary English news prose of about `words` words; `seed` makes pages differ."""
    out: list[str] = []
    i = 0
    while sum(len(x.split()) for x in out) < words:
        plain = SENTENCES[i % len(SENTENCES)].split()
        # a seed word every third word: no two seeds share a 4-word shingle, so no near copies
        mixed = [
            w for k, word in enumerate(plain) for w in ((word, seed) if k % 3 == 2 else (word,))
        ]
        out.append(" ".join(mixed))
        i += 1
    return " ".join(out)


def _page(title: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"<html><head><title>{title}</title></head><body><article>{body}</article></body></html>"


def _by_uri(out: Path) -> dict[str, dict[str, object]]:
    records = read_jsonl(out / "articles") + read_jsonl(out / "rejected")
    return {str(r["source"]["uri"]): r for r in records}


def test_max_text_chars_holds_for_html_pages_and_export_html_fields(tmp_path: Path) -> None:
    """Fault 1: HTML went straight to extraction and skipped the text length limit."""
    src = tmp_path / "in"
    src.mkdir()
    long_line = _prose(30_000)  # about 180,000 characters on one line
    (src / "one_line.html").write_text(_page("One long line", [long_line]), encoding="utf-8")
    record = {"id": "x1", "html": _page("Exported page", [long_line]), "url": "https://a.test/1"}
    (src / "export.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    (src / "fine.html").write_text(_page("Fine", [_prose(300)]), encoding="utf-8")
    out = tmp_path / "out"
    env_limit = {"PRESSWASH_LIMITS__MAX_TEXT_CHARS": "100000"}
    result = run_direct(["clean", str(src), "--out", str(out)], env=env_limit)
    assert result.returncode == 0, result.stderr[-2000:]
    found = _by_uri(out)
    for uri in ("one_line.html", "export.jsonl#1"):
        assert found[uri]["reason"] == "too_large", found[uri]
        assert "limits.max_text_chars" in str(found[uri]["detail"])
    assert "text" in found["fine.html"]


def test_file_names_that_are_not_utf8_are_inputs_like_any_other(tmp_path: Path) -> None:
    """Fault 4: one undecodable file name failed the whole run and wrote nothing."""
    src = tmp_path / "in"
    (src / "good").mkdir(parents=True)
    page = _page("Budget passes", [_prose(120)]).encode()
    (src / "good" / "a.html").write_bytes(page)
    os.mkdir(os.fsencode(src) + b"/dir\xfe")
    with open(os.fsencode(src) + b"/bad\xffbyte.html", "wb") as handle:
        handle.write(_page("Roads plan", [_prose(150, "mayor")]).encode())
    with open(os.fsencode(src) + b"/dir\xfe/x.html", "wb") as handle:
        handle.write(_page("Parks plan", [_prose(130, "board")]).encode())
    out = tmp_path / "out"
    result = run_direct(["clean", str(src), "--out", str(out)])
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    found = _by_uri(out)
    assert set(found) == {"good/a.html", "bad%FFbyte.html", "dir%FE/x.html"}
    assert latest_summary(out)["inputs"] == 3
    # a second run replaces rather than duplicates: the state database keeps such names too
    again = run_direct(["clean", str(src), "--out", str(out)])
    assert again.returncode == 0, again.stderr[-2000:]
    assert len(read_jsonl(out / "articles")) + len(read_jsonl(out / "rejected")) == 3


def test_an_output_folder_inside_the_input_root_is_never_read(tmp_path: Path) -> None:
    """Fault 5: `clean dir --out dir/out` read its own state, parts and report back in."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.html").write_text(_page("Budget passes", [_prose(120)]), encoding="utf-8")
    (src / "b.html").write_text(_page("Roads plan", [_prose(140, "mayor")]), encoding="utf-8")
    elsewhere = tmp_path / "older-output"
    first = run_direct(["clean", str(src), "--out", str(elsewhere)])
    assert first.returncode == 0, first.stderr[-2000:]
    os.rename(elsewhere, src / "copied-output")  # another presswash output, found by its layout
    out = src / "out"
    for _ in range(3):
        result = run_direct(["clean", str(src), "--out", str(out)])
        assert result.returncode == 0, result.stderr[-2000:]
        assert latest_summary(out)["inputs"] == 2
    assert set(_by_uri(out)) == {"a.html", "b.html"}
    inside = run_direct(["clean", str(out / "articles"), "--out", str(tmp_path / "x")])
    assert inside.returncode == 2
    assert "output folder" in inside.stderr


FULL_DISK = """
import errno, sys
import presswash.output.staging as staging

def full(self, record):
    raise OSError(errno.ENOSPC, "No space left on device")

staging.ShardWriter.article = full
from presswash.flows.cli import main
sys.argv = ["presswash", *sys.argv[1:]]
main()
"""


@pytest.mark.parametrize("mode", ["direct", "prefect"])
def test_a_full_disk_while_staging_fails_in_one_line_and_old_staging_goes(
    mode: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """Fault 6: ENOSPC in a worker's staging printed tracebacks and wrote no summary."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.html").write_text(_page("Budget passes", [_prose(120)]), encoding="utf-8")
    out = tmp_path / "out"
    dead = out / "_staging" / "20200101T000000Z-dead01"
    dead.mkdir(parents=True)
    (dead / "x.articles.jsonl").write_text("{}\n")
    in_process = {"PRESSWASH_RUN__IN_PROCESS": "true"}
    if mode == "prefect":
        env = {**cli_env(request.getfixturevalue("prefect_api_url")), **in_process}
    else:
        env = direct_env(in_process)
    result = subprocess.run(
        [sys.executable, "-c", FULL_DISK, "clean", str(src), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 1, result.stderr[-2000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    errors = [line for line in result.stderr.splitlines() if line.startswith("presswash: error")]
    assert len(errors) == 1 and "No space left on device" in errors[0], result.stderr[-2000:]
    summary = latest_summary(out)
    assert summary["status"] == "failed" and "No space left" in summary["error"]
    assert not dead.exists(), "a dead run's staging folder was left behind"
    rerun = subprocess.run(
        [str(Path(sys.executable).with_name("presswash")), "clean", str(src), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        env={k: v for k, v in env.items() if k != "PRESSWASH_RUN__IN_PROCESS"},
        stdin=subprocess.DEVNULL,
    )
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert len(read_jsonl(out / "articles")) == 1
    assert not (out / "_staging").exists()


@pytest.mark.parametrize(
    ("variable", "value", "key"),
    [
        ("PRESSWASH_LIMITS__PARSE_TIMEOUT_SECONDS", "1e10", "limits.parse_timeout_seconds"),
        ("PRESSWASH_LIMITS__PARSE_TIMEOUT_SECONDS", "inf", "limits.parse_timeout_seconds"),
        ("PRESSWASH_FETCH__REQUESTS_PER_SECOND", "1e-9", "fetch.requests_per_second"),
        ("PRESSWASH_FETCH__TOTAL_TIMEOUT", "nan", "fetch.total_timeout"),
    ],
)
def test_settings_out_of_range_are_bad_usage_naming_the_key(
    tmp_path: Path, variable: str, value: str, key: str
) -> None:
    """Fault 7: values that validation let through crashed the run later (exit 1, tracebacks)."""
    exe = Path(sys.executable).with_name("presswash")
    env = {**os.environ, variable: value}
    env.pop("PREFECT_API_URL", None)
    result = subprocess.run(
        [str(exe), "clean", str(RAW), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2, result.stderr[-2000:]
    assert key in result.stderr and "Traceback" not in result.stderr


def test_a_page_of_a_million_elements_is_rejected_before_it_grows_a_worker(tmp_path: Path) -> None:
    """Fault 9: an 8 MB page of one million <p> peaked at 925 MB in a worker."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "million.html").write_text(
        "<html><body>" + "<p>x</p>" * 1_000_000 + "</body></html>", encoding="utf-8"
    )
    (src / "fine.html").write_text(_page("Budget passes", [_prose(200)]), encoding="utf-8")
    out = tmp_path / "out"
    exe = str(Path(sys.executable).with_name("presswash"))
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, exe, "clean", str(src), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        env=direct_env(),
        stdin=subprocess.DEVNULL,
    )
    stderr, _, peak = result.stderr.rpartition("PEAK_RSS_KIB=")
    assert result.returncode == 0, stderr[-2000:]
    assert int(peak) < 400 * 1024, f"peak RSS {int(peak) / 1024:.0f} MiB"
    found = _by_uri(out)
    assert found["million.html"]["reason"] == "too_large"
    assert "limits.max_html_nodes" in str(found["million.html"]["detail"])
    assert "text" in found["fine.html"]


def test_control_characters_and_absurd_metadata_never_reach_a_record(tmp_path: Path) -> None:
    """Minor faults: an escaped NUL stayed in text and title; a 2 MB title was accepted."""
    src = tmp_path / "in"
    src.mkdir()
    records = [
        {"id": "nul", "title": "Budget\u0000 passes", "text": _prose(80) + "\u0000 end"},
        {"id": "big", "title": "T" * 2_000_000, "text": _prose(90, "mayor")},
    ]
    lines = "".join(json.dumps(r) + "\n" for r in records)
    (src / "export.jsonl").write_text(lines, encoding="utf-8")
    out = tmp_path / "out"
    result = run_direct(["clean", str(src), "--out", str(out)])
    assert result.returncode == 0, result.stderr[-2000:]
    articles = {r["source"]["external_id"]: r for r in read_jsonl(out / "articles")}
    assert articles["nul"]["title"] == "Budget passes"
    assert "\x00" not in articles["nul"]["text"]
    assert articles["big"]["title"] is None
