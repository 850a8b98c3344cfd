"""The pure cleaning core: bytes in, documents and records out; no I/O; imports only schemas."""
