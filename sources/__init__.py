"""The raw inputs: finding, naming and opening the files to clean, local or on object storage."""
