"""What `presswash clean raw` writes is what was stored: no record of raw/ changes unseen.

The command runs as the README's first one does, directly (no Prefect server,
a Prefect home of its own), with no `PRESSWASH_*` setting and no config file.
Each record, without the clock fields `ingested_at` and `rejected_at`, is
hashed (sha256 of its sorted JSON) and keyed by kind and `source.uri`, as
`scripts/compare_records.py` does; the hashes must equal those stored in
`tests/data/raw_digests.json`.

When a change to the records is meant (a cleaning fix, a new field, a version
bump: `pipeline_version` is part of every record), refresh the stored file and
commit it with the change:

    PRESSWASH_UPDATE_DIGESTS=1 uv run pytest tests/test_raw_digests.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import DATA, RAW, REPO, direct_env, load_script, presswash

pytestmark = pytest.mark.slow

DIGESTS = DATA / "raw_digests.json"
UPDATE = "PRESSWASH_UPDATE_DIGESTS"


def compare_records() -> ModuleType:
    """scripts/compare_records.py, whose reading and hashing of records this test shares."""
    return load_script("scripts/compare_records.py")


def raw_digests(tmp_path: Path) -> dict[str, str]:
    """The digest of every record `presswash clean raw --out <tmp>` writes, by kind and URI."""
    env = direct_env({"PREFECT_HOME": str(tmp_path / "prefect-home")})
    env = {k: v for k, v in env.items() if not k.startswith("PRESSWASH_")}
    out = tmp_path / "out"
    done = presswash(["clean", str(RAW), "--out", str(out)], env, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    records = compare_records()
    return {key: records.digest(record) for key, record in records.read_output(out).items()}


def changes(stored: dict[str, str], found: dict[str, str]) -> list[str]:
    """One line per record that differs, is new, or is gone."""
    lines = []
    for key in sorted(set(stored) | set(found)):
        if key not in stored:
            lines.append(f"new: {key}")
        elif key not in found:
            lines.append(f"gone: {key}")
        elif stored[key] != found[key]:
            lines.append(f"changed: {key}")
    return lines


def test_the_records_of_raw_are_the_stored_ones(tmp_path: Path) -> None:
    found = raw_digests(tmp_path)
    if os.environ.get(UPDATE) == "1":
        DIGESTS.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        pytest.skip(f"wrote {len(found)} digests to {DIGESTS.relative_to(REPO)}: review, commit")
    stored = json.loads(DIGESTS.read_text(encoding="utf-8"))
    differ = changes(stored, found)
    assert not differ, (
        f"{len(differ)} of the records presswash writes for raw/ are not the stored ones:\n"
        + "\n".join(differ)
        + f"\nIf that is meant, refresh them with `{UPDATE}=1 uv run pytest "
        "tests/test_raw_digests.py` and commit tests/data/raw_digests.json"
    )
