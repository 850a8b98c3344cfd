"""Compare what two versions of presswash write for the same inputs.

A refactoring must not change a single record. This script runs
`presswash clean` (whichever one is on PATH, or `--presswash`) on each input
folder, keeps one line per record with the fields that depend only on the
input (the clock fields `ingested_at` and `rejected_at` are dropped), and
writes them to a snapshot file. Two snapshots are then compared record by
record:

    python scripts/compare_records.py snapshot raw/ --to before.json
    # ... change the code ...
    python scripts/compare_records.py snapshot raw/ --to after.json
    python scripts/compare_records.py diff before.json after.json

`diff` exits with 1 and lists the records that differ, or prints "equal".
`tests/test_raw_digests.py` hashes raw/'s records with this script's
`read_output` and `digest`, so both compare records the same way.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# Fields that hold the time of the run, not anything read from the input.
CLOCK_FIELDS = ("ingested_at", "rejected_at")


def stable(record: dict) -> dict:
    """A record without the fields that change from one run to the next."""
    return {k: v for k, v in record.items() if k not in CLOCK_FIELDS}


def read_output(out: Path) -> dict[str, dict]:
    """Every record under an output folder, keyed by kind and source URI."""
    records: dict[str, dict] = {}
    for kind in ("articles", "rejected"):
        for part in sorted((out / kind).rglob("*.jsonl")):
            for line in part.read_text(encoding="utf-8").splitlines():
                record = stable(json.loads(line))
                records[f"{kind} {record['source']['uri']}"] = record
    return records


def clean(presswash: str, source: Path, config: Path | None) -> dict[str, dict]:
    """The records `presswash clean` writes for one input folder (a direct run)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
        env["PREFECT_HOME"] = str(Path(tmp) / "prefect-home")
        command = [presswash, "clean", str(source), "--out", str(out)]
        if config is not None:
            command += ["--config", str(config)]
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600)
        if done.returncode not in (0, 1):
            sys.exit(f"presswash clean {source} failed ({done.returncode}):\n{done.stderr}")
        return read_output(out)


def digest(record: dict) -> str:
    return hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()


def snapshot(args: argparse.Namespace) -> int:
    presswash = args.presswash or shutil.which("presswash") or sys.exit("no presswash on PATH")
    result = {}
    for source in args.sources:
        records = clean(presswash, Path(source), args.config)
        result[str(source)] = {key: records[key] for key in sorted(records)}
        print(f"{source}: {len(records)} records", file=sys.stderr)
    Path(args.to).write_text(json.dumps(result, indent=1, sort_keys=True), encoding="utf-8")
    return 0


def diff(args: argparse.Namespace) -> int:
    before = json.loads(Path(args.before).read_text(encoding="utf-8"))
    after = json.loads(Path(args.after).read_text(encoding="utf-8"))
    differ = 0
    for source in sorted(set(before) | set(after)):
        old, new = before.get(source, {}), after.get(source, {})
        for key in sorted(set(old) | set(new)):
            if key not in old or key not in new:
                differ += 1
                print(f"{source}: {key} only {'after' if key in new else 'before'}")
            elif digest(old[key]) != digest(new[key]):
                differ += 1
                fields = sorted(
                    f for f in set(old[key]) | set(new[key]) if old[key].get(f) != new[key].get(f)
                )
                print(f"{source}: {key} differs in {', '.join(fields)}")
    total = sum(len(v) for v in after.values())
    print("equal" if not differ else f"{differ} of {total} records differ")
    return 1 if differ else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    verbs = parser.add_subparsers(dest="verb", required=True)
    snap = verbs.add_parser("snapshot", help="clean input folders and keep their records")
    snap.add_argument("sources", nargs="+", type=Path)
    snap.add_argument("--to", required=True, help="the snapshot file to write")
    snap.add_argument("--presswash", help="the presswash command (default: the one on PATH)")
    snap.add_argument("--config", type=Path, help="a config file for every run")
    snap.set_defaults(run=snapshot)
    compare = verbs.add_parser("diff", help="compare two snapshots")
    compare.add_argument("before")
    compare.add_argument("after")
    compare.set_defaults(run=diff)
    args = parser.parse_args()
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
