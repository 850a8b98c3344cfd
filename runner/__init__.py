"""The run engine: plan shards, run them on an executor (in process, pool, Dask), commit."""
