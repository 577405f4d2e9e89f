"""Defaults in one place: the limits and sizes that several parts of the archive share."""

from __future__ import annotations

#: The largest input (a file, a URL's body, a WARC record, once decompressed) the archive takes.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
