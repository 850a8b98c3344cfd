"""The bare core runner: plans shards, cleans a shard, commits it; no Prefect.

The flows call these functions from Prefect tasks; the benchmark and the
tests call them directly, which is how the cost of Prefect is measured.
"""
