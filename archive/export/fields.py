"""What every export format says of a document, worked out once: strings cleaned of control
characters (:func:`clean`, applied to a whole document by :func:`clean_document`), text direction,
the title or its stand-in, dates as numbers, the access date, safe URLs, authors as names, and file
names for one-file-per-document exports."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from ..lang.scripts import strip_controls
from ..model import Document, Note, Segment

#: C0 controls but tab and newline, DEL, C1 controls, the bidi embedding, override and isolate
#: controls (U+202A-U+202E, U+2066-U+2069), and lone surrogates (unwritable as UTF-8).

#: Languages written right to left (ISO 639-1 and -3 codes).
RTL_LANGUAGES = frozenset({
    "ar", "arc", "arz", "apc", "ckb", "dv", "fa", "he", "iw", "ji", "ks", "ku", "ps", "prs", "sd", "syr", "ug", "ur",
    "yi",
})

_LANG_TAG = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*")
_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_WORD = re.compile(r"\S+")
TITLE_WORDS = 12  # a missing title's stand-in: this many words of the text at most
TITLE_CHARS = 100
SLUG_CHARS = 40

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def clean(s: str) -> str:
    """``s`` without control characters: line breaks become ``\\n``; the rest of C0 but tab, DEL, C1,
    the bidi override and isolate controls (which can disguise text) and lone surrogates go."""
    return strip_controls(s.replace("\r\n", "\n").replace("\r", "\n"))


def _opt(s: str | None) -> str | None:
    return None if s is None else clean(s)


def clean_document(doc: Document) -> Document:
    """A copy of ``doc`` with :func:`clean` applied to every string in it (what every writer writes)."""
    changes: dict[str, object] = {}
    for name in doc.__dataclass_fields__:
        value = getattr(doc, name)
        if isinstance(value, str):
            changes[name] = clean(value)
    changes["languages"] = [clean(x) for x in doc.languages]
    changes["tags"] = [clean(x) for x in doc.tags]
    changes["segments"] = [Segment(clean(s.lang), clean(s.text)) for s in doc.segments]
    changes["notes"] = [Note(n.id, clean(n.text), clean(n.created)) for n in doc.notes]
    changes["extracted"] = {clean(k): _opt(v) for k, v in doc.extracted.items()}
    return replace(doc, **changes)  # type: ignore[arg-type]


# -- languages and direction -----------------------------------------------------------------------
def lang_tag(lang: str | None) -> str | None:
    """``lang`` if it is a usable language tag (not "und"), else None: safe in an attribute."""
    if not lang or not _LANG_TAG.fullmatch(lang) or lang.lower() in ("und", "zxx", "mul"):
        return None
    return lang


def is_rtl(lang: str | None) -> bool:
    """Whether a language (``ar``, ``fa-IR``, ``ur``...) is written right to left."""
    return bool(lang) and re.split("[-_]", lang or "")[0].lower() in RTL_LANGUAGES


def direction(lang: str | None) -> str:
    return "rtl" if is_rtl(lang) else "ltr"


def segments(doc: Document) -> list[Segment]:
    """The document's language segments; its whole text as one segment of its language if it has none."""
    if doc.segments:
        return doc.segments
    return [Segment(doc.language or "und", doc.text)] if doc.text.strip() else []


def paragraphs(text: str) -> list[str]:
    """A segment's paragraphs: its non-empty lines, stripped."""
    return [p.strip() for p in text.split("\n") if p.strip()]


# -- titles, dates, URLs ---------------------------------------------------------------------------
def title(doc: Document) -> str:
    """The title, else the first words of the text (with "…" when cut), else "(untitled)"."""
    if doc.title and doc.title.strip():
        return " ".join(doc.title.split())
    words = _WORD.findall(doc.text)
    if not words:
        return "(untitled)"
    out = " ".join(words[:TITLE_WORDS])
    if len(out) > TITLE_CHARS:
        out = out[:TITLE_CHARS].rsplit(" ", 1)[0] or out[:TITLE_CHARS]
    return out + ("…" if out != " ".join(words) else "")


def date_parts(date: str | None) -> list[int]:
    """``"2024-05-01"`` -> ``[2024, 5, 1]``; ``"2024-05"`` -> ``[2024, 5]``; nothing usable -> ``[]``.
    A timestamp's date counts (``"2024-05-01T10:00:00+00:00"``)."""
    m = _DATE.match(date.strip()) if date else None
    if not m:
        return []
    parts = [int(x) for x in m.groups() if x is not None]
    if len(parts) > 1 and not 1 <= parts[1] <= 12:
        return parts[:1]
    if len(parts) > 2 and not 1 <= parts[2] <= 31:
        return parts[:2]
    return parts


def iso(parts: list[int], sep: str = "-") -> str:
    """``[2024, 5, 1]`` -> ``"2024-05-01"`` (as many parts as there are)."""
    return sep.join([f"{parts[0]:04d}", *(f"{p:02d}" for p in parts[1:])]) if parts else ""


def accessed(doc: Document, given: str | None = None) -> list[int]:
    """The access date a citation gives: ``given`` if any, else when the page was captured, else
    when it was added to the archive."""
    for candidate in (given, doc.captured, doc.added):
        parts = date_parts(candidate)
        if parts:
            return parts
    return []


def http_url(url: str | None) -> str | None:
    """``url`` if it is an http(s) URL with a host and no spaces or angle brackets, else None."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or re.search(r"[\s<>\"']", url):
        return None
    return url


# -- names -----------------------------------------------------------------------------------------
@dataclass
class Name:
    """One author: family and given names when the byline clearly splits so, else a literal."""

    literal: str
    family: str | None = None
    given: str | None = None


_SPLIT_AUTHORS = re.compile(r"\s*[,،;؛]\s*|\s+(?:and|&)\s+", re.IGNORECASE)
#: A capitalised name: "Jane", "McDonald", "O'Neil", "Smith-Jones", or an initial "J."
_PERSON_WORD = re.compile(r"[A-Z](?:[a-z]+(?:[A-Z][a-z]+)?|['’][A-Z][a-z]+|\.)(?:-[A-Z][a-z]+)?")
_NOT_PEOPLE = frozenset({
    "agency", "bureau", "correspondent", "correspondents", "desk", "editor", "editorial", "editors", "news",
    "newsroom", "online", "press", "reporter", "reporters", "staff", "team", "writer", "writers",
})


def authors(doc: Document) -> list[Name]:
    """The byline as names. Bylines join several authors with commas (the ingester's way) or "and";
    a name of two or three capitalised Latin words (not "BBC News", not "Staff") is given and family
    name, anything else (Arabic names, organisations) stays one literal name."""
    if not doc.author or not doc.author.strip():
        return []
    out = []
    for part in _SPLIT_AUTHORS.split(doc.author.strip()):
        words = part.split()
        if not words:
            continue
        literal = " ".join(words)
        if (2 <= len(words) <= 3 and all(_PERSON_WORD.fullmatch(w) for w in words)
                and words[-1].lower() not in _NOT_PEOPLE and not words[-1].endswith(".")
                and not any(w.lower() in _NOT_PEOPLE for w in words)):
            out.append(Name(literal, family=words[-1], given=" ".join(words[:-1])))
        else:
            out.append(Name(literal))
    return out


# -- file names ------------------------------------------------------------------------------------
def slug(text: str, limit: int = SLUG_CHARS) -> str:
    """Letters and digits of ``text`` (any script, marks dropped), lower case, joined by "-", at most
    ``limit`` characters: never a path separator, a dot or a control character."""
    text = "".join(c for c in unicodedata.normalize("NFKC", text) if not unicodedata.category(c).startswith("M"))
    words = re.findall(r"[^\W_]+", re.sub("['’]", "", text.lower()))
    out = ""
    for w in words:
        candidate = f"{out}-{w}" if out else w
        if len(candidate) > limit:
            if not out:
                out = w[:limit]
            break
        out = candidate
    return out


def file_name(doc: Document, suffix: str) -> str:
    """``<id>-<slug of the title>.<suffix>``: the id keeps names unique; nothing of the title but its
    letters and digits gets in."""
    ident = re.sub(r"[^0-9A-Za-z]", "", doc.id)[:64] or "document"
    words = slug(doc.title or "")
    return f"{ident}-{words}{suffix}" if words else f"{ident}{suffix}"
