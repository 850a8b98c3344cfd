"""The records, settings and summaries (Pydantic), and the output layout they live in."""
