"""Stage 2: bytes -> text, and HTML told apart from plain text by content.

Order of evidence for the charset: a byte-order mark, gzip framing, valid UTF-8 (or UTF-8 with at
most 1 byte in 1,000 damaged, each damaged place one U+FFFD), the declared charset (HTTP header,
then ``<meta>``), then detection on the whole document. A declared charset
is checked, not trusted: Arabic pages often declare ISO-8859-1 while being windows-1256.
"""

from __future__ import annotations

import codecs
import re
import zlib

from ..errors import InputError
from ..lang.arabic import BASIC_LETTERS
from ..model import Decoded, Kind, RawInput
from ..settings import DEFAULT_MAX_BYTES

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
_LATIN1_RUN = re.compile(r"[\u00c0-\u00ff]{3,}")
_ARABIC_LETTER = re.compile(f"[{BASIC_LETTERS}]")
_ARABIC_ANY = re.compile(r"[\u0620-\u06d3]")
# UTF-8 lead byte read as windows-1252 (Ã Â Ø Ù Ð Ñ ...) followed by a continuation byte read so.
_1252_CONT = (
    "[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
_UTF8_AS_1252 = re.compile("[\u00c2-\u00df]" + _1252_CONT)
# Three-byte UTF-8 (curly quotes, dashes, CJK ...) read as windows-1252: "â€™", "â€œ".
_UTF8_AS_1252_3 = re.compile("[\u00e0-\u00ef]" + _1252_CONT + _1252_CONT)
# UTF-8 Arabic (lead bytes D8/D9) read as windows-1256: ط or ظ, then a continuation byte's symbol.
_UTF8_AS_1256 = re.compile(
    "[\u0637\u0638][\u0080-\u00bf\u0152\u0153\u0192\u02c6\u2013\u2014\u2018-\u201e\u2020-\u2022"
    "\u2026\u2030\u2039\u203a\u20ac\u2122\u067e\u0679\u0686\u0698\u0688\u06af\u06a9\u0691\u06ba"
    "\u06be\u200c\u200d]"
)
_GLUED = re.compile("[\u0620-\u06d3][A-Za-z\u00c0-\u00ff\u2122]|[A-Za-z\u00c0-\u00ff\u2122][\u0620-\u06d3]")


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
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return None  # text with a byte-order mark (UTF-16 and UTF-32 hold NUL bytes)
    if b"\x00" in head and not _looks_utf16(head) and _utf32_order(head) is None:
        return "binary data"
    return None


def _utf32_order(head: bytes) -> str | None:
    """UTF-32 without a BOM ("utf-32-le" or "utf-32-be"): in every four bytes, the two high ones
    are NUL (every character below U+10000)."""
    head = head[: len(head) // 4 * 4]
    if len(head) < 8:
        return None
    quarter = len(head) // 4
    if head[2::4].count(0) == quarter and head[3::4].count(0) == quarter and head[0::4].count(0) < quarter:
        return "utf-32-le"
    if head[0::4].count(0) == quarter and head[1::4].count(0) == quarter and head[3::4].count(0) < quarter:
        return "utf-32-be"
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
    meta = _META_CHARSET.search(raw.data[:8192])
    if meta and (cs := _norm_charset(meta.group(1).decode("ascii", "ignore"))):
        found.append(cs)
    return found


def looks_mojibake(text: str) -> bool:
    """Text decoded with the wrong charset, in the shapes Arabic pages take:

    - single-byte Arabic (windows-1256, ISO-8859-6) read as Latin: runs of accented Latin letters
      ("ÓæÑíÇ" for سوريا) where real European text has them one at a time;
    - UTF-8 read as a single-byte charset: "Ø§Ù„", "â€™" (as windows-1252) or "ط§ظ„" (as windows-1256);
    - ISO-8859-6 read as windows-1256, or Latin text as either: Arabic letters glued to Latin ones.
    """
    high = len(_LATIN1_HIGH.findall(text))
    if high >= 20 and sum(len(m) for m in _LATIN1_RUN.findall(text)) > 0.4 * high:
        return True
    if len(_UTF8_AS_1252.findall(text)) >= 10 or len(_UTF8_AS_1252_3.findall(text)) >= 3:
        return True
    arabic = len(_ARABIC_ANY.findall(text))
    if arabic >= 20:
        if len(_UTF8_AS_1256.findall(text)) > 0.25 * arabic:
            return True
        glued = len(_GLUED.findall(text))
        if glued >= 5 and glued > 0.01 * arabic:
            return True
    return False


# Legacy multi-byte charsets a detector may pick for bytes that are no text at all.
_MULTIBYTE = ("cp949", "euc_kr", "johab", "gb2312", "gbk", "gb18030", "hz", "big5", "big5hkscs", "cp950",
              "cp932", "shift_jis", "shift_jis_2004", "shift_jisx0213", "euc_jp", "euc_jis_2004", "iso2022")


def _detect(data: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return None
    if best.encoding.startswith(_MULTIBYTE) and best.coherence < 0.1:
        return None  # "Korean" with no Korean words in it: garbage, not text
    return str(best), _norm_charset(best.encoding) or best.encoding


def _utf8_tail(data: bytes, err: UnicodeDecodeError) -> str | None:
    """UTF-8 cut off inside its last character (a truncated download): drop the partial character."""
    if err.reason == "unexpected end of data" and err.end == len(data) and len(data) - err.start < 4:
        try:
            return data[: err.start].decode("utf-8")
        except UnicodeDecodeError:
            return None
    return None


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 with a few broken bytes (spliced or damaged), when real UTF-8 characters outnumber them."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ch > "\x7f") - bad
    if bad <= max(8, len(text) // 200) and good >= 5 * bad:
        return text
    return None


_ESCAPED_BYTES = re.compile("[\udc80-\udcff]+")


def _damaged_utf8(data: bytes, *, declared_utf8: bool) -> str | None:
    """UTF-8 with a few damaged bytes, each damaged place one U+FFFD: at most 1 byte in 1,000 is not
    UTF-8, and real UTF-8 characters (of two bytes or more) are there too, at least as many as the
    damaged places unless the page declares UTF-8 (an English page has few). A single-byte charset
    gives no such characters, or fewer than it gives bytes UTF-8 refuses."""
    text = data.decode("utf-8", "surrogateescape")  # each byte that is not UTF-8: one lone surrogate
    bad = len(data) - len(text.encode("utf-8", "ignore"))
    if not bad or bad * 1000 > len(data):
        return None
    good = len(text) - len(text.encode("ascii", "ignore")) - bad
    if good < 1 or (good < len(_ESCAPED_BYTES.findall(text)) and not declared_utf8):
        return None
    return _ESCAPED_BYTES.sub("\ufffd", text)


def _after_bom(name: str, data: bytes, enc: str) -> tuple[str, str]:
    """Text after a byte-order mark of ``enc`` (UTF-8 with a few damaged bytes too), or InputError."""
    try:
        return data.decode(enc), enc.replace("-le", "").replace("-be", "")
    except UnicodeDecodeError:
        text = _damaged_utf8(data, declared_utf8=True) if enc == "utf-8" else None
        if text is None:
            raise InputError(name, f"invalid {enc} text after its byte-order mark") from None
        return text, "utf-8"


def _single_byte(data: bytes) -> tuple[str, str] | None:
    """Undeclared (or wrongly declared) single-byte text: windows-1256, ISO-8859-6 or windows-1252.

    Checked before a general detector, which misreads Arabic as Cyrillic or Greek when most of a
    page is ASCII markup. Each candidate that does not read as mojibake is scored: Arabic wins
    when it gives real Arabic words, windows-1252 otherwise.
    """
    western: str | None = None
    arabic: tuple[int, str, str] | None = None
    for enc in ("cp1256", "iso8859-6", "cp1252"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if looks_mojibake(text):
            continue
        if enc == "cp1252":
            western = text
            continue
        score = len(_ARABIC_LETTER.findall(text))
        if score >= 20 and (arabic is None or score > arabic[0]):
            arabic = (score, text, enc)
    if arabic is not None:
        return arabic[1], arabic[2]
    if western is not None:
        return western, "cp1252"
    return None


def decode_text(name: str, data: bytes, declared: list[str] | None = None) -> tuple[str, str]:
    """Decode ``data`` to ``(text, encoding)`` or raise InputError.

    Order: byte-order mark; UTF-32 and UTF-16 by their NUL patterns; UTF-8, also with at most 1 in
    1,000 bytes damaged (:func:`_damaged_utf8`); each declared charset that does not read as mojibake;
    UTF-8 cut off inside its last character, or with a few damaged bytes among many good characters;
    windows-1256 / ISO-8859-6 / windows-1252; detection.
    Never returns text that :func:`looks_mojibake`.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return _after_bom(name, data[len(bom) :], enc)
    order = _utf32_order(data[:8192])
    if order is not None:
        try:
            return data.decode(order), "utf-32"
        except UnicodeDecodeError:
            pass
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
    text_ = _damaged_utf8(data, declared_utf8="utf-8" in (declared or []))
    if text_ is not None:
        return text_, "utf-8"
    for enc in declared or []:
        if enc == "utf-8":
            continue
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if not looks_mojibake(text):
            return text, enc
    text_ = _utf8_tail(data, utf8_error) or _mostly_utf8(data)
    if text_ is not None:
        return text_, "utf-8"
    guess = _single_byte(data)
    if guess is not None:
        return guess
    guess = _detect(data)
    if guess is not None:
        text, enc = guess
        if not looks_mojibake(text):
            return text, enc
    raise InputError(
        name,
        f"cannot decode text (not UTF-8: {utf8_error.reason} at byte {utf8_error.start}, "
        "and no other charset reads as text)",
    )


def is_html(text: str, content_type: str | None = None) -> bool:
    """Tell HTML from plain text by content; a Content-Type header only decides ties."""
    head = text[:4096]
    if _HTML_START.match(head):
        return True
    sample = text[:65536]
    tags = len(_TAG.findall(sample))
    if tags >= 8:
        # Markup, not a text dump with a few stray tags: tags on a good share of the lines.
        lines = [line for line in sample.splitlines() if line.strip()]
        tagged = sum(1 for line in lines if _TAG.search(line))
        if tagged >= 0.3 * len(lines):
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
    binary = sniff_binary(data)
    if binary:
        raise InputError(raw.name, f"not a text or HTML document ({binary})")
    text, encoding = decode_text(raw.name, data, _declared(raw))
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    sample = text[:65536]
    if len(_CONTROL.findall(sample)) > max(8, len(sample) // 200):
        raise InputError(raw.name, "not a text or HTML document (control characters)")
    if not text.strip():
        raise InputError(raw.name, "empty file")
    kind: Kind = "html" if is_html(text, raw.content_type) else "text"
    return Decoded(name=raw.name, text=text, encoding=encoding, kind=kind, url=raw.url, captured=raw.captured)
