"""Stage 2: bytes -> text, and HTML told apart from plain text by content.

Order of evidence for the charset: a byte-order mark, gzip framing, valid UTF-8, the declared
charset (HTTP header, then ``<meta>``), then detection on the whole document. A declared charset
is checked, not trusted: Arabic pages often declare ISO-8859-1 while being windows-1256.
"""

from __future__ import annotations

import codecs
import re
import zlib

from .errors import InputError
from .model import Decoded, RawInput

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]

_MAGIC = [
    (b"%PDF", "PDF"),
    (b"PK\x03\x04", "ZIP/Office"),
    (b"\x89PNG", "PNG image"),
    (b"GIF8", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"RIFF", "RIFF media"),
    (b"\x7fELF", "executable"),
    (b"MZ", "executable"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ", "xz archive"),
    (b"7z\xbc\xaf", "7z archive"),
    (b"\x00\x00\x00\x18ftyp", "MP4 video"),
    (b"\x00\x00\x00\x20ftyp", "MP4 video"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
    (b"SQLite format 3", "SQLite database"),
    (b"WARC/", "WARC file (use `archive import`)"),
]

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
_HTML_START = re.compile(
    r"\A(?:\s|<!--.*?-->|<\?xml[^>]*>)*<(?:!doctype\s+html|html|head|body)\b",
    re.I | re.S,
)
_TAG = re.compile(
    r"</?(?:p|div|br|a|span|li|ul|table|td|tr|h[1-6]|body|head|html|article|section|img|meta)\b[^<>]*>", re.I
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_LATIN1_HIGH = re.compile(r"[\u00c0-\u00ff]")
_LETTERS = re.compile(r"[^\W\d_]")


def gunzip(name: str, data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Decompress gzip data, refusing truncated streams and output past ``max_bytes``."""
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = d.decompress(data, max_bytes + 1)
    except zlib.error as e:
        raise InputError(name, f"corrupt gzip data ({e})") from None
    if len(out) > max_bytes:
        raise InputError(name, f"too large once decompressed (over {max_bytes:,} bytes)")
    if not d.eof:
        raise InputError(name, "truncated gzip data")
    return out


def sniff_binary(data: bytes) -> str | None:
    """Name the binary format of ``data`` if it is one we recognise or obviously binary."""
    for magic, label in _MAGIC:
        if data.startswith(magic):
            return label
    head = data[:8192]
    if b"\x00" in head and not _looks_utf16(head):
        return "binary data"
    return None


def _looks_utf16(head: bytes) -> bool:
    """UTF-16 without a BOM: NUL bytes sit on every other position."""
    if len(head) < 4:
        return False
    even = head[0::2].count(0)
    odd = head[1::2].count(0)
    half = len(head) / 2
    return max(even, odd) > 0.3 * half and min(even, odd) < 0.05 * half


def _norm_charset(label: str) -> str | None:
    try:
        name = codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None
    # Browsers treat these labels as their Windows supersets.
    return {"iso8859-1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252", "iso8859-9": "cp1254"}.get(
        name, name
    )


def _declared(raw: RawInput) -> list[str]:
    found: list[str] = []
    if raw.content_type:
        m = _HEADER_CHARSET.search(raw.content_type)
        if m and (cs := _norm_charset(m.group(1))):
            found.append(cs)
    m = _META_CHARSET.search(raw.data[:8192])
    if m and (cs := _norm_charset(m.group(1).decode("ascii", "ignore"))):
        found.append(cs)
    return found


def looks_mojibake(text: str) -> bool:
    """Arabic single-byte text read as Latin shows as dense accented Latin letters."""
    letters = len(_LETTERS.findall(text[:20000]))
    if letters < 20:
        return False
    return len(_LATIN1_HIGH.findall(text[:20000])) > 0.25 * letters


def _detect(data: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return None
    return str(best), _norm_charset(best.encoding) or best.encoding


def decode_text(name: str, data: bytes, declared: list[str] | None = None) -> tuple[str, str]:
    """Decode ``data`` to ``(text, encoding)`` or raise InputError."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(enc), enc.replace("-le", "").replace("-be", "")
            except UnicodeDecodeError:
                raise InputError(name, f"invalid {enc} text after its byte-order mark") from None
    if _looks_utf16(data[:8192]):
        enc = "utf-16-le" if data[1::2][:4096].count(0) > data[0::2][:4096].count(0) else "utf-16-be"
        try:
            return data.decode(enc), "utf-16"
        except UnicodeDecodeError:
            pass
    try:
        text = data.decode("utf-8")
        return text, "utf-8"
    except UnicodeDecodeError as e:
        utf8_error = e
    for enc in declared or []:
        if enc == "utf-8":
            continue
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if not looks_mojibake(text):
            return text, enc
    guess = _detect(data)
    if guess is not None:
        text, enc = guess
        if not looks_mojibake(text):
            return text, enc
    # Mostly UTF-8 with a few broken bytes (a truncated or spliced file): keep it if the damage is small.
    text = data.decode("utf-8", errors="replace")
    if text.count("\ufffd") <= max(3, len(text) // 1000):
        return text, "utf-8"
    raise InputError(name, f"cannot decode text (not UTF-8: {utf8_error.reason} at byte {utf8_error.start})")


def is_html(text: str, content_type: str | None = None) -> bool:
    """Tell HTML from plain text by content; a Content-Type header only decides ties."""
    head = text[:4096]
    if _HTML_START.match(head):
        return True
    tags = len(_TAG.findall(text[:65536]))
    if tags >= 8 and tags * 40 > min(len(text), 65536) / 10:
        return True
    return bool(content_type and "html" in content_type.lower() and tags >= 2)


def decode(raw: RawInput, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Decoded:
    """Bytes -> :class:`Decoded`, or an :class:`InputError` that says why not."""
    data = raw.data
    if len(data) > max_bytes:
        raise InputError(raw.name, f"too large ({len(data):,} bytes; the limit is {max_bytes:,})")
    if data[:2] == b"\x1f\x8b":
        data = gunzip(raw.name, data, max_bytes)
    if not data.strip():
        raise InputError(raw.name, "empty file")
    kind = sniff_binary(data)
    if kind:
        raise InputError(raw.name, f"not a text or HTML document ({kind})")
    text, encoding = decode_text(raw.name, data, _declared(raw))
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    sample = text[:65536]
    if len(_CONTROL.findall(sample)) > max(8, len(sample) // 200):
        raise InputError(raw.name, "not a text or HTML document (control characters)")
    if not text.strip():
        raise InputError(raw.name, "empty file")
    kind = "html" if is_html(text, raw.content_type) else "text"
    return Decoded(name=raw.name, text=text, encoding=encoding, kind=kind, url=raw.url, captured=raw.captured)
