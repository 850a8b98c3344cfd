"""The output folder: its layout on disk or object storage, staging, run state and summaries."""
