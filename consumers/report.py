"""A one-file HTML report of an output folder: is this run healthy, at a glance.

Charts are inline SVG made here in Python, not drawn by a script in the page:
the file then shows the same in any browser, in a mail attachment or a CI
artefact viewer that blocks scripts, and it can carry a Content-Security-Policy
that forbids every script and every network fetch. Titles and site names come
from scraped pages, i.e. from strangers; with no script allowed, a string that
escaped escaping still could not run. Every such string goes through `_e`.
"""

from __future__ import annotations

import html
import os
import time
from collections.abc import Sequence
from pathlib import Path

from presswash.consumers.stats import FolderStats, folder_stats

ACCEPTED = "#2f6fde"
REJECTED = "#e0483e"
NEUTRAL = "#6b7f99"
MAX_BARS = 15
MAX_DAYS = 60
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;
margin:0;background:#f4f6f9;color:#1d2633}
header{background:#1d2633;color:#fff;padding:14px 24px}
header h1{margin:0;font-size:20px}header p{margin:2px 0 0;color:#b8c4d6;font-size:13px}
main{padding:16px 24px;max-width:1160px}
.health{padding:10px 14px;border-radius:6px;margin-bottom:14px;font-weight:600}
.ok{background:#dff3e4;color:#17612e}.warn{background:#fdecea;color:#8c1d13}
.health ul{margin:4px 0 0 18px;padding:0;font-weight:400}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(120px,1fr));gap:10px;
margin-bottom:14px}
.card{background:#fff;border-radius:6px;padding:10px 12px;box-shadow:0 1px 2px #0001}
.card b{display:block;font-size:22px}.card span{color:#5b6778;font-size:12px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(540px,1fr));gap:12px}
section{background:#fff;border-radius:6px;padding:10px 14px;box-shadow:0 1px 2px #0001;
margin-bottom:12px}
h2{font-size:15px;margin:0 0 6px}.note{color:#5b6778;font-size:12px;margin:2px 0 0}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{text-align:left;padding:3px 6px;border-bottom:1px solid #e6e9ee;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.legend i{display:inline-block;width:10px;height:10px;margin:0 4px 0 10px}
svg text{font:11px system-ui,sans-serif;fill:#1d2633}
"""


def _e(value: object) -> str:
    """Escape for both text and attribute positions; the data is untrusted."""
    return html.escape(str(value), quote=True)


def _short(label: str, limit: int = 24) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _top(
    rows: Sequence[tuple[str, list[int]]], limit: int = MAX_BARS
) -> list[tuple[str, list[int]]]:
    """The largest rows, the rest summed into one 'other (n)' row so nothing vanishes."""
    ordered = sorted(rows, key=lambda r: (-sum(r[1]), r[0]))
    if len(ordered) <= limit:
        return list(ordered)
    head, tail = ordered[: limit - 1], ordered[limit - 1 :]
    width = len(tail[0][1])
    other = [sum(r[1][i] for r in tail) for i in range(width)]
    return [*head, (f"other ({len(tail)})", other)]


def hbar_chart(rows: Sequence[tuple[str, list[int]]], colors: Sequence[str], name: str) -> str:
    """Horizontal stacked bars: one row per label, one segment per series."""
    if not rows:
        return '<p class="note">nothing to show</p>'
    label_w, bar_w, row_h, width = 170, 300, 22, 540
    peak = max(sum(values) for _, values in rows) or 1
    height = row_h * len(rows) + 4
    parts = [
        f'<svg class="chart" data-chart="{_e(name)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{_e(name)}">'
    ]
    for i, (label, values) in enumerate(rows):
        y = i * row_h + 2
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">'
            f"<title>{_e(label)}</title>{_e(_short(label))}</text>"
        )
        x = float(label_w)
        for value, color in zip(values, colors, strict=False):
            if value <= 0:
                continue
            w = max(1.0, bar_w * value / peak)
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" '
                f'fill="{color}"><title>{_e(label)}: {value}</title></rect>'
            )
            x += w
        parts.append(
            f'<text x="{x + 5:.1f}" y="{y + 15}">{_e(" + ".join(map(str, values)))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def vbar_chart(rows: Sequence[tuple[str, list[int]]], colors: Sequence[str], name: str) -> str:
    """Vertical stacked bars in the given order (dates, buckets), labels under the axis."""
    if not rows:
        return '<p class="note">nothing to show</p>'
    width, height, left, bottom, top = 540, 230, 40, 70, 16
    plot_w, plot_h = width - left - 10, height - bottom - top
    peak = max(sum(values) for _, values in rows) or 1
    slot = plot_w / len(rows)
    bar = min(48.0, max(2.0, slot * 0.75))
    every = max(1, round(len(rows) / 20))
    parts = [
        f'<svg class="chart" data-chart="{_e(name)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{_e(name)}">',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}" '
        'stroke="#9aa5b4"/>',
        f'<text x="{left - 4}" y="{top + 4}" text-anchor="end">{peak}</text>',
        f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end">0</text>',
    ]
    for i, (label, values) in enumerate(rows):
        x = left + i * slot + (slot - bar) / 2
        y = float(top + plot_h)
        for value, color in zip(values, colors, strict=False):
            if value <= 0:
                continue
            h = max(1.0, plot_h * value / peak)
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{color}"><title>{_e(label)}: {value}</title></rect>'
            )
        if len(rows) <= 20 and sum(values):
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle">'
                f"{sum(values)}</text>"
            )
        if i % every == 0:
            lx, ly = x + bar / 2, top + plot_h + 12
            parts.append(
                f'<text x="{lx:.1f}" y="{ly}" text-anchor="end" '
                f'transform="rotate(-40 {lx:.1f} {ly})">{_e(_short(label, 14))}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _legend(*series: tuple[str, str]) -> str:
    items = "".join(f'<i style="background:{color}"></i>{_e(name)}' for name, color in series)
    return f'<p class="note legend">{items}</p>'


def _section(title: str, body: str, note: str = "") -> str:
    extra = f'<p class="note">{_e(note)}</p>' if note else ""
    return f"<section><h2>{_e(title)}</h2>{body}{extra}</section>"


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "–"


def health_problems(stats: FolderStats) -> list[str]:
    """Plain reasons to look closer; empty means the folder looks healthy."""
    problems = []
    if stats.latest_runs:
        run = stats.latest_runs[0]
        if run.status != "finished":
            problems.append(f"latest run {run.run_id} ended '{run.status}'")
        problems.extend(f"alert: {alert}" for alert in run.alerts)
        if run.error:
            problems.append(f"latest run error: {run.error}")
    else:
        problems.append("no run summary in runs/")
    if stats.articles == 0:
        problems.append("no articles")
    if stats.records and stats.rejection_rate >= 0.5:
        problems.append(f"{_pct(stats.rejections, stats.records)} of inputs were rejected")
    if stats.reasons.get("internal_error"):
        problems.append(f"{stats.reasons['internal_error']} internal_error rejections (a bug)")
    if stats.invalid_lines:
        problems.append(f"{stats.invalid_lines} lines are not valid records")
    return problems


def _health(stats: FolderStats) -> str:
    problems = health_problems(stats)
    if not problems:
        return '<div class="health ok" data-health="ok">Looks healthy</div>'
    items = "".join(f"<li>{_e(p)}</li>" for p in problems)
    return f'<div class="health warn" data-health="attention">Needs a look<ul>{items}</ul></div>'


def _cards(stats: FolderStats) -> str:
    cards = [
        (stats.articles, "articles"),
        (stats.rejections, f"rejections ({_pct(stats.rejections, stats.records)})"),
        (stats.duplicates, "duplicates"),
        (len(stats.languages), "languages"),
        (len(stats.sources), "sources"),
        (f"{stats.mean_words:.0f}", "mean words / article"),
        (stats.words, "words in all"),
        (stats.runs, "runs"),
    ]
    body = "".join(f"<div class='card'><b>{_e(v)}</b><span>{_e(k)}</span></div>" for v, k in cards)
    return f'<div class="cards">{body}</div>'


def _table(headers: Sequence[str], rows: Sequence[Sequence[object]], numeric: set[int]) -> str:
    head = "".join(
        f"<th{' class=n' if i in numeric else ''}>{_e(h)}</th>" for i, h in enumerate(headers)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f"<td{' class=n' if i in numeric else ''}>{_e('' if c is None else c)}</td>"
            for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def _runs_table(stats: FolderStats) -> str:
    rows = [
        (
            run.run_id,
            run.status + (f": {'; '.join(run.alerts)}" if run.alerts else ""),
            run.started_at,
            f"{run.duration_seconds:.1f}",
            run.inputs,
            run.accepted,
            run.rejected,
            ", ".join(f"{k} {v}" for k, v in list(run.rejected_by_reason.items())[:3]),
        )
        for run in stats.latest_runs
    ]
    headers = ("run", "status", "started", "seconds", "inputs", "accepted", "rejected", "reasons")
    return _table(headers, rows, {3, 4, 5, 6})


def _coverage(stats: FolderStats) -> str:
    n = stats.articles
    rows = [
        ("title", stats.with_title, _pct(stats.with_title, n)),
        ("authors", stats.with_authors, _pct(stats.with_authors, n)),
        ("published_at", stats.with_published_at, _pct(stats.with_published_at, n)),
        ("site_name", stats.with_site_name, _pct(stats.with_site_name, n)),
        ("url", stats.with_url, _pct(stats.with_url, n)),
    ]
    return _table(("field", "articles with it", "share"), rows, {1, 2})


def _charts(stats: FolderStats) -> str:
    both = (ACCEPTED, REJECTED)
    sources = sorted(set(stats.sources) | set(stats.source_rejections))
    per_source = [
        (s, [stats.sources.get(s, 0), stats.source_rejections.get(s, 0)]) for s in sources
    ]
    dates = sorted(set(stats.dates) | set(stats.date_rejections))[-MAX_DAYS:]
    per_date = [(d, [stats.dates.get(d, 0), stats.date_rejections.get(d, 0)]) for d in dates]
    published = list(stats.published.items())
    undated = stats.published.get("(none)", 0)
    days = [(d, [c]) for d, c in published if d != "(none)"][-MAX_DAYS:]
    legend = _legend(("articles", ACCEPTED), ("rejections", REJECTED))
    return "".join(
        [
            _section(
                "Languages",
                hbar_chart(
                    _top([(k, [v]) for k, v in stats.languages.items()]), [ACCEPTED], "languages"
                ),
            ),
            _section(
                "Rejection reasons",
                hbar_chart(
                    _top([(k, [v]) for k, v in stats.reasons.items()]), [REJECTED], "reasons"
                ),
                "stages: " + (", ".join(f"{k} {v}" for k, v in stats.stages.items()) or "none"),
            ),
            _section("Records per source", legend + hbar_chart(_top(per_source), both, "sources")),
            _section(
                "Articles per site (site_name)",
                hbar_chart(_top([(k, [v]) for k, v in stats.sites.items()]), [ACCEPTED], "sites"),
            ),
            _section(
                "Records per day (landing date partition)",
                legend + vbar_chart(per_date, both, "dates"),
                f"last {MAX_DAYS} dates shown" if len(stats.dates) > MAX_DAYS else "",
            ),
            _section(
                "Articles per publication day",
                vbar_chart(days, [NEUTRAL], "published"),
                f"articles without published_at: {undated}"
                + (f"; last {MAX_DAYS} days shown" if len(published) > MAX_DAYS else ""),
            ),
            _section(
                "Text length (words per article)",
                vbar_chart([(k, [v]) for k, v in stats.lengths.items()], [ACCEPTED], "lengths"),
                f"min {stats.min_words or 0}, mean {stats.mean_words:.0f}, "
                f"max {stats.max_words or 0}",
            ),
            _section(
                "Lines removed by cleaning",
                hbar_chart(
                    _top([(k, [v]) for k, v in stats.removed_lines.items()]), [NEUTRAL], "removed"
                ),
            ),
        ]
    )


def render_report(stats: FolderStats, generated_at: str | None = None) -> str:
    """The whole page as one string: no external resource of any kind."""
    when = generated_at or time.strftime("%Y-%m-%d %H:%M:%SZ", time.gmtime())
    latest = [
        (
            a.title or "(no title)",
            a.source_name,
            a.site_name,
            a.language,
            a.word_count,
            a.published_at,
        )
        for a in stats.latest_articles
    ]
    body = "".join(
        [
            _health(stats),
            _cards(stats),
            f'<div class="grid">{_charts(stats)}</div>',
            _section("Metadata coverage", _coverage(stats)),
            _section("Latest runs", _runs_table(stats) if stats.latest_runs else "<p>none</p>"),
            _section(
                "Latest articles",
                _table(("title", "source", "site", "lang", "words", "published"), latest, {4}),
            ),
        ]
    )
    versions = ", ".join(stats.pipeline_versions) or "–"
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<meta http-equiv='Content-Security-Policy' content=\"{CSP}\">"
        "<meta name='viewport' content='width=device-width,initial-scale=1'>"
        f"<title>presswash report · {_e(stats.folder)}</title><style>{CSS}</style></head>"
        f"<body><header><h1>presswash report · {_e(stats.folder)}</h1>"
        f"<p>generated {_e(when)} · pipeline {_e(versions)} · {stats.part_files} part files</p>"
        f"</header><main>{body}</main></body></html>\n"
    )


def write_report(out_dir: str | os.PathLike[str], html_path: str | os.PathLike[str]) -> Path:
    """Compute the folder's figures and write the report atomically; returns its path."""
    stats = folder_stats(out_dir)
    target = Path(html_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_text(render_report(stats), encoding="utf-8")
    os.replace(tmp, target)
    return target
