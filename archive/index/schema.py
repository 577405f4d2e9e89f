"""The index schema, declared in one place, and what a stored document is indexed with.

One text field per language family and part (``title_ar``, ``body_en``, ``body_other`` ...), each
with its own analyzer, so one query is analysed per field and finds Arabic and English documents
alike. Keyword fields carry what filters and facets need.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from whoosh import fields, formats

from ..analysis import (
    ANALYSIS_REVISION,
    ANALYSIS_VERSION,
    ANALYZERS,
    CliticAnalyzer,
    NamePhraseAnalyzer,
    SpellingKeyAnalyzer,
    TransliterationAnalyzer,
    family_of,
    generic_analyzer,
)
from ..lang.scripts import ARABIC_RE, LATIN_RE
from ..model import Document
from .whoosh_internals import FusedPositions

FAMILIES = ("ar", "en", "other")
TITLE_BOOST = 3.0
TITLE_FIELDS = [f"title_{f}" for f in FAMILIES]
BODY_FIELDS = [f"body_{f}" for f in FAMILIES]
TEXT_FIELDS = TITLE_FIELDS + BODY_FIELDS
#: The spelling keys of the Arabic text (see :mod:`archive.analysis.spelling`); not searched directly.
SPELL_FIELD = "spell_ar"
#: The words of the Arabic title and body behind proclitics (see :mod:`archive.analysis.clitics`).
CLITIC_FIELD = "clitic_ar"
#: The lexicon's multi-word names found in the Arabic title and body (see
#: :mod:`archive.analysis.name_phrases`).
NAMES_FIELD = "names_ar"
#: Words that look like names, by their consonant skeleton, in Arabic and English text (see
#: :mod:`archive.analysis.transliteration`); not searched directly.
XLIT_FIELD = "xlit"
#: Fields scored with another field's lengths (BM25's length normalisation): a clitic form or a
#: multi-word name counts as a word of the body.
LENGTHS_OF = {CLITIC_FIELD: "body_ar", NAMES_FIELD: "body_ar"}


def _text_field(analyzer: Any, **kwargs: Any) -> fields.TEXT:
    """A phrase-searchable text field whose postings are made by :class:`FusedPositions`."""
    field = fields.TEXT(analyzer=analyzer, phrase=True, **kwargs)
    field.format = FusedPositions(field_boost=field.format.field_boost)
    return field


def make_schema(lexicon: str | None = None) -> fields.Schema:
    """The index schema of analysis version :data:`~archive.analysis.ANALYSIS_VERSION`; ``lexicon`` is
    the fingerprint of the names lexicon the Arabic fields use (the built-in one when None)."""
    f: dict[str, fields.FieldType] = {
        "id": fields.ID(stored=True, unique=True),
        "texthash": fields.ID(stored=True, sortable=True),
        "lang": fields.KEYWORD(commas=True, lowercase=True, scorable=False),
        "source": fields.ID(sortable=True),
        "site": fields.ID(sortable=True),
        "host": fields.KEYWORD(commas=True, lowercase=True, scorable=False),
        "tag": fields.KEYWORD(commas=True, lowercase=True),
        "date": fields.NUMERIC(int, bits=32, sortable=True),  # yyyymmdd (signed: unsigned ranges misbehave)
        "year": fields.ID(sortable=True),
        "author": _text_field(generic_analyzer()),
    }
    for fam in FAMILIES:
        make = ANALYZERS[fam]
        f[f"title_{fam}"] = _text_field(make(lexicon) if fam == "ar" else make(), field_boost=TITLE_BOOST)
        f[f"body_{fam}"] = _text_field(make(lexicon) if fam == "ar" else make())
    f[SPELL_FIELD] = fields.FieldType(formats.Existence(), SpellingKeyAnalyzer(lexicon), scorable=False)
    f[CLITIC_FIELD] = fields.FieldType(formats.Frequency(), CliticAnalyzer(lexicon), scorable=True)
    f[NAMES_FIELD] = fields.FieldType(formats.Frequency(), NamePhraseAnalyzer(lexicon), scorable=True)
    f[XLIT_FIELD] = fields.FieldType(formats.Existence(), TransliterationAnalyzer(lexicon), scorable=False)
    return fields.Schema(**f)


def analysis_signature(lexicon: str, dictionary: str) -> str:
    """What an index records about how it was analysed: the analysis version and revision, the
    lexicon's fingerprint and the Arabic dictionary's version (each changes the terms)."""
    return f"{ANALYSIS_VERSION}.{ANALYSIS_REVISION} {lexicon} {dictionary}"


def family_of_field(fieldname: str) -> str:
    """``body_ar`` -> ``ar``; ``author`` -> ``other`` (it uses the generic analyzer)."""
    return fieldname.rsplit("_", 1)[1] if fieldname.startswith(("title_", "body_")) else "other"


def title_family(title: str, language: str | None) -> str:
    """The analyzer family for a title: by its script, then by the document's language."""
    doc_family = family_of(language or "und")
    arabic = len(ARABIC_RE.findall(title))
    latin = len(LATIN_RE.findall(title))
    if arabic > latin:
        return doc_family if doc_family == "ar" or language in ("fa", "ur") else "ar"
    if latin and doc_family == "ar":
        return "en"
    return doc_family


def index_fields(doc: Document) -> dict:
    """The field values a stored document is indexed with."""
    out: dict = {"id": doc.id, "texthash": doc.text_sha256}
    bodies: dict[str, list[str]] = {fam: [] for fam in FAMILIES}
    for seg in doc.segments:
        bodies[family_of(seg.lang)].append(seg.text)
    if not doc.segments:
        bodies[family_of(doc.language or "und")].append(doc.text)
    for note in doc.notes:  # the user's notes are searched with the text, each by its own script
        bodies[title_family(note.text, doc.language)].append(note.text)
    for fam, texts in bodies.items():
        if texts:
            out[f"body_{fam}"] = "\n".join(texts)
    titles = [t for t in (doc.title, doc.subtitle) if t]
    if titles:
        out[f"title_{title_family(titles[0], doc.language)}"] = "\n".join(titles)
    arabic = [out[f] for f in ("title_ar", "body_ar") if f in out]
    if arabic:
        out[SPELL_FIELD] = out[CLITIC_FIELD] = out[NAMES_FIELD] = "\n".join(arabic)
    names_text = [out[f] for f in ("title_ar", "body_ar", "title_en", "body_en") if f in out]
    if names_text:
        out[XLIT_FIELD] = "\n".join(names_text)
    out["lang"] = ",".join(dict.fromkeys([doc.language or "und", *doc.languages]))
    out.update(_keywords(doc))
    return out


def url_hosts(url: str | None) -> list[str]:
    """A URL's host and its parent domains, without ``www.``: ``https://uk.reuters.com/x`` ->
    ``["uk.reuters.com", "reuters.com"]`` (a top-level domain alone is left out)."""
    if not url:
        return []
    try:
        host = (urlsplit(url).hostname or "").strip(".").lower()
    except ValueError:
        return []
    host = host.removeprefix("www.")
    if not host or "," in host:
        return []
    parts = host.split(".")
    if len(parts) < 2 or host.replace(".", "").isdigit():
        return [host] if host else []
    return [".".join(parts[i:]) for i in range(len(parts) - 1)]


def _keywords(doc: Document) -> dict:
    """The keyword and date fields of a document (those it has a value for)."""
    out: dict = {}
    if doc.source:
        out["source"] = doc.source.strip().lower()
    if doc.site:
        out["site"] = doc.site.strip().lower().removeprefix("www.")
    hosts = url_hosts(doc.url)
    if hosts:
        out["host"] = ",".join(hosts)
    if doc.tags:
        out["tag"] = ",".join(doc.tags)
    if doc.author:
        out["author"] = doc.author
    if doc.date:
        out["date"] = int(doc.date.replace("-", "")[:8])
        out["year"] = doc.date[:4]
    return out
