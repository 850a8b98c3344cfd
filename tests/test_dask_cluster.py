"""A real Dask cluster on loopback: a scheduler and two worker processes, started as a user would.

`presswash clean --executor dask --dask-address tcp://...` must clean its
shards in those workers (asked of the workers themselves) and write the same
records as a local run. With the output on object storage (the session's
moto server) the workers share no folder with the command: they stage on
the store, each in a temporary folder of its own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import free_port, read_jsonl, s3_client

pytest.importorskip("distributed", reason="dask.distributed (the dask extra) is not installed")
pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent


@pytest.fixture(scope="session")
def dask_cluster(s3_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`dask scheduler` and two `dask worker` processes on loopback, for the whole session.

    The workers reach the session's object store through the standard
    variables, and each has a temporary folder of its own.
    """
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, **s3_env, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": env}
    procs = [
        subprocess.Popen(
            [
                str(BIN / "dask"),
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--no-dashboard",
                # its HTTP endpoint (health, metrics) on a free port, not 8787 held all session
                "--dashboard-address",
                "127.0.0.1:0",
            ],
            **quiet,
        )
    ]
    for n in range(2):
        own = {**env, "TMPDIR": str(tmp_path_factory.mktemp(f"dask-worker-{n}"))}
        procs.append(
            subprocess.Popen(
                [
                    str(BIN / "dask"),
                    "worker",
                    address,
                    "--nthreads",
                    "1",
                    "--no-nanny",
                    "--host",
                    "127.0.0.1",
                    "--no-dashboard",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=own,
            )
        )
    try:
        from distributed import Client

        with Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        for proc in reversed(procs):  # the workers first, while the scheduler can see them go
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()


def _dumps(folder: Path, count: int) -> None:
    folder.mkdir(parents=True)
    for n in range(count):
        lines = [f"Story {n}: the harbour board meets on day {n}"]
        lines += [
            f"Paragraph {k} of story {n} says the board voted {n * 7 + k} to {k} on the new "
            f"ferry timetable after residents of district {n + k} asked for later boats."
            for k in range(6)
        ]
        (folder / f"s{n:02d}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _stable(out: Path) -> list[str]:
    records = read_jsonl(out / "articles") + read_jsonl(out / "rejected")
    for record in records:
        record.pop("ingested_at", None)
        record.pop("rejected_at", None)
    return sorted(json.dumps(r, sort_keys=True) for r in records)


def _clean(args: list[str], **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PRESSWASH_RUN__SHARD_FILES"] = "2"
    env.update(extra)
    return subprocess.run(
        [str(BIN / "presswash"), "clean", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        stdin=subprocess.DEVNULL,
    )


def test_clean_runs_its_shards_on_a_running_cluster(dask_cluster: str, tmp_path: Path) -> None:
    from distributed import Client

    from presswash.runner.dask_worker import shards_cleaned_here

    src = tmp_path / "raw" / "harbour"
    _dumps(src, 15)
    # an exact copy in another shard: de-duplication must decide as a local run does
    (src / "t99.txt").write_bytes((src / "s03.txt").read_bytes() + b"\n")
    with Client(dask_cluster, timeout="30s") as client:
        before = client.run(shards_cleaned_here)
    cluster_out, local_out = tmp_path / "cluster", tmp_path / "local"
    started = time.monotonic()
    result = _clean(
        [str(src), "--out", str(cluster_out), "--executor", "dask", "--dask-address", dask_cluster]
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    with Client(dask_cluster, timeout="30s") as client:
        after = client.run(shards_cleaned_here)
    ran = {worker: after[worker][0] - before.get(worker, (0, 0))[0] for worker in after}
    assert len(ran) == 2 and sum(ran.values()) == 8, ran
    assert all(count > 0 for count in ran.values()), f"one worker got nothing: {ran}"
    summary = json.loads(next((cluster_out / "runs").glob("*.json")).read_text())
    assert summary["executor"] == "dask" and summary["mode"] == "direct"
    assert time.monotonic() - started < 120

    local = _clean([str(src), "--out", str(local_out), "--workers", "2"])
    assert local.returncode == 0, local.stderr[-3000:]
    assert _stable(cluster_out) == _stable(local_out)
    assert summary["rejected_by_reason"] == {"duplicate": 1}


def _stored(fs: Any, prefix: str) -> list[str]:
    """The records below an output URL's prefix, timestamps aside, sorted."""
    records = []
    kinds = (f"{prefix}/articles/", f"{prefix}/rejected/")
    for key in sorted(fs.find(prefix)):
        if key.endswith(".jsonl") and key.startswith(kinds):
            records += [json.loads(line) for line in fs.cat_file(key).decode().splitlines()]
    for record in records:
        record.pop("ingested_at", None)
        record.pop("rejected_at", None)
    return sorted(json.dumps(r, sort_keys=True) for r in records)


def test_a_cluster_stages_on_the_object_store_when_the_output_is_there(
    dask_cluster: str, s3_env: dict[str, str], tmp_path: Path
) -> None:
    """No folder shared between the workers and the command: staged files go through the store.

    A run on the cluster after a local run into the same output replaces its
    part files (each put whole once committed) with the same records.
    """
    from distributed import Client

    from presswash.runner.dask_worker import shards_cleaned_here

    fs, bucket = s3_client(s3_env), "presswash-dask"
    fs.mkdir(bucket)
    src = tmp_path / "harbour"
    _dumps(src, 9)
    (src / "t99.txt").write_bytes((src / "s03.txt").read_bytes() + b"\n")
    for path in sorted(src.iterdir()):
        fs.put_file(str(path), f"{bucket}/raw/harbour/{path.name}")
    raw = f"s3://{bucket}/raw/harbour"
    machine = {**s3_env, "XDG_CACHE_HOME": str(tmp_path / "committer")}
    local = _clean([raw, "--out", f"s3://{bucket}/clean", "--workers", "2"], **machine)
    assert local.returncode == 0, local.stderr[-3000:]
    parts = _parts(fs, f"{bucket}/clean")
    records = _stored(fs, f"{bucket}/clean")
    assert sum('"reason": "duplicate"' in r for r in records) == 1

    on_cluster = [raw, "--out", f"s3://{bucket}/clean", "--executor", "dask"]
    with Client(dask_cluster, timeout="30s") as client:
        before = client.run(shards_cleaned_here)
        again = _clean([*on_cluster, "--dask-address", dask_cluster], **machine)
        after = client.run(shards_cleaned_here)
    assert again.returncode == 0, again.stderr[-3000:]
    staged = {w: after[w][1] - before.get(w, (0, 0))[1] for w in after}
    assert sum(staged.values()) == 5 and all(staged.values()), staged  # 10 files, 2 a shard
    keys = fs.find(f"{bucket}/clean")
    assert not [k for k in keys if "/_staging/" in k or k.endswith(("/lock", ".tmp"))], keys
    assert _parts(fs, f"{bucket}/clean") == parts, "the same part files, replaced"
    assert _stored(fs, f"{bucket}/clean") == records, "the local run's records, none added"


def _parts(fs: Any, prefix: str) -> list[str]:
    return sorted(k for k in fs.find(prefix) if k.endswith(".jsonl") and "/runs/" not in k)
