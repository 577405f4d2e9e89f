"""Defaults in one place: the release, and the limits that several parts of the archive share."""

from __future__ import annotations

#: The release (``setup.cfg`` reads it from here; ``archive.__version__`` is this).
VERSION = "0.3.0"

#: The largest input (a file, a URL's body, a WARC record, once decompressed) the archive takes.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
