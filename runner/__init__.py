"""The run engine: plan shards, run them on an executor (in process, a local pool, Dask), commit in order."""
