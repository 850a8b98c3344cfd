"""Prefect and the command line only: flows, deployments, the typer CLI; no cleaning logic."""
