"""Precision and recall of presswash's near-duplicate detection on pairs made from real pages.

Positives: each gold article text with a re-published variant (a few words
changed, a header and footer added, a paragraph dropped, or all of these).
Negatives: every pair of different pages. Candidates come from the same
MinHash bands the pipeline indexes; a pair counts as a duplicate when its
estimated similarity reaches the threshold.

    uv run python bench/neardup.py [--bench ../shared/bench]
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections import defaultdict
from pathlib import Path

from presswash.parsers.neardup import band_keys, signature, similarity

REPO = Path(__file__).resolve().parents[1]


def load_texts(bench: Path) -> list[str]:
    texts = []
    for folder in (bench / "gold", bench / "modern" / "gold"):
        for path in sorted(folder.glob("*.json")):
            text = json.loads(path.read_text(encoding="utf-8")).get("text") or ""
            if len(text.split()) >= 80:
                texts.append(text)
    return texts


def variant(text: str, rng: random.Random, kind: str) -> str:
    words = text.split(" ")
    lines = text.split("\n")
    if kind == "words":  # a few words changed (3 %)
        for i in rng.sample(range(len(words)), max(1, len(words) // 33)):
            words[i] = rng.choice(["reportedly", "officials", "Tuesday", "local", "new"])
        return " ".join(words)
    if kind == "frame":  # another outlet's header and footer
        return "Syndicated from a partner outlet.\n" + text + "\nShare this story with friends."
    if kind == "cut" and len(lines) > 3:  # one paragraph dropped
        del lines[rng.randrange(1, len(lines) - 1)]
        return "\n".join(lines)
    return variant(variant(text, rng, "words"), rng, "frame")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", type=Path, default=REPO.parent / "shared" / "bench")
    args = parser.parse_args()
    rng = random.Random(7)
    texts = load_texts(args.bench)
    started = time.perf_counter()
    sigs = [signature(t) for t in texts]
    per_doc = (time.perf_counter() - started) / len(texts) * 1e6
    kinds = ["words", "frame", "cut", "all"]
    variants = [
        (i, k, signature(variant(texts[i], rng, k))) for i in range(len(texts)) for k in kinds
    ]

    buckets: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, sig in enumerate(sigs):
        if sig is not None:
            for band, key in enumerate(band_keys(sig)):
                buckets[(band, key)].append(i)
    negatives: dict[tuple[int, int], float] = {}
    for members in buckets.values():
        for a in members:
            for b in members:
                if a < b and (a, b) not in negatives:
                    negatives[(a, b)] = similarity(sigs[a], sigs[b])  # type: ignore[arg-type]
    positives = []
    for i, kind, sig in variants:
        keys = set(enumerate(band_keys(sig))) if sig else set()
        candidate = sigs[i] is not None and any(i in buckets.get(k, []) for k in keys)
        score = similarity(sigs[i], sig) if candidate and sig else 0.0  # type: ignore[arg-type]
        positives.append((kind, score))

    print(f"{len(texts)} texts, {len(positives)} near-duplicate pairs, all other pairs negative")
    print(f"signature: {per_doc:.0f} µs per text")
    print(f"{'threshold':>9} {'recall':>7} {'precision':>9} {'false pairs':>11}  recall by kind")
    for threshold in (0.6, 0.7, 0.8, 0.9):
        tp = sum(1 for _, s in positives if s >= threshold)
        fp = sum(1 for s in negatives.values() if s >= threshold)
        by_kind = " ".join(
            f"{k} {sum(1 for kk, s in positives if kk == k and s >= threshold) / len(texts):.3f}"
            for k in kinds
        )
        precision = tp / (tp + fp) if tp + fp else 1.0
        print(
            f"{threshold:>9.1f} {tp / len(positives):>7.3f} {precision:>9.4f} {fp:>11}  {by_kind}"
        )


if __name__ == "__main__":
    main()
