"""Documents as references for a citation manager: RIS, BibTeX (biblatex fields) and CSL-JSON.

Every document is a newspaper article: its site is the newspaper, its byline the authors (split into
family and given name only when that is clear, else kept as one literal or braced name), its date
the publication date (missing or partial dates are left out or partial), its access date the one
given, else when the page was captured, else when it was added. Tags become keywords and notes
notes. A URL is given only when it is http(s). Titles fall back to the first words of the text; a
subtitle (a news article's standfirst, not part of its title) is left out.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from typing import TextIO

from ..model import Document
from .fields import MONTHS, Name, accessed, authors, clean_document, date_parts, http_url, iso, lang_tag, title

# -- RIS -------------------------------------------------------------------------------------------


def _ris_value(s: str) -> str:
    """One line: RIS has no escapes, so line breaks become spaces."""
    return " ".join(s.split())


def _ris_name(name: Name) -> str:
    return f"{name.family}, {name.given}" if name.family and name.given else name.literal


def ris_record(doc: Document, access: str | None = None) -> str:
    """One ``TY  - NEWS`` ... ``ER  - `` record (``doc`` already cleaned)."""
    tags: list[tuple[str, str | None]] = [("TY", "NEWS"), ("ID", doc.id), ("TI", title(doc))]
    tags += [("AU", _ris_name(n)) for n in authors(doc)]
    parts = date_parts(doc.date)
    if parts:
        tags += [("PY", str(parts[0])), ("DA", iso(parts, "/"))]
    tags += [("T2", doc.site), ("SE", doc.section), ("UR", http_url(doc.url))]
    seen = accessed(doc, access)
    if seen:
        tags.append(("Y2", iso(seen, "/")))
    tags += [("LA", lang_tag(doc.language))]
    tags += [("KW", t) for t in doc.tags]
    tags += [("N1", n.text) for n in doc.notes]
    lines = [f"{tag}  - {_ris_value(v)}" for tag, v in tags if v and _ris_value(v)]
    return "\n".join([*lines, "ER  - "]) + "\n"


def write_ris(docs: Iterable[Document], out: TextIO, *, accessed: str | None = None) -> int:
    """RIS records separated by a blank line. Returns how many."""
    n = 0
    for doc in docs:
        out.write(("\n" if n else "") + ris_record(clean_document(doc), accessed))
        n += 1
    return n


# -- BibTeX ----------------------------------------------------------------------------------------
_TEX_SPECIALS = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
    "^": r"\textasciicircum{}", "~": r"\textasciitilde{}",
}
_TEX_CHARS = re.compile(r"[\\&%$#_^~{}]")


def _braces_balance(s: str) -> bool:
    depth = 0
    for c in s:
        depth += 1 if c == "{" else -1 if c == "}" else 0
        if depth < 0:
            return False
    return depth == 0


def tex(s: str) -> str:
    """``s`` as the inside of a braced BibTeX value: LaTeX's special characters escaped, one line.
    BibTeX counts every brace, escaped or not: braces that pair up are written ``\\{ \\}``, others
    ``\\textbraceleft{}`` / ``\\textbraceright{}`` so the value still closes where it should."""
    s = " ".join(s.split())
    paired = _braces_balance(s)

    def one(m: re.Match[str]) -> str:
        c = m.group()
        if c in "{}":
            return "\\" + c if paired else r"\textbraceleft{}" if c == "{" else r"\textbraceright{}"
        return _TEX_SPECIALS[c]

    return _TEX_CHARS.sub(one, s)


def _bib_name(name: Name) -> str:
    if name.family and name.given:
        return f"{tex(name.family)}, {tex(name.given)}"
    return "{" + tex(name.literal) + "}"  # one name as it is, never "Staff, A. J."


def _bib_url(url: str) -> str:
    """A URL verbatim (biblatex reads ``url`` as is), with the characters that would end or unbalance
    the value percent-encoded."""
    return url.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")


def _ascii_word(s: str | None) -> str:
    s = unicodedata.normalize("NFKD", s or "").encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]", "", s)


def _key_word(s: str | None) -> str:
    return _ascii_word(s).lstrip("0123456789")


_STOP = frozenset({"a", "an", "the", "of", "on", "in", "to", "and", "for", "at", "by", "with", "from"})


def bib_key(doc: Document) -> str:
    """An ASCII key like ``doe2024mali``: the first author's family name (or the site), the year and
    the title's first word that is ASCII and not an article; ``doc<id>`` when none of them is."""
    names = authors(doc)
    who = _key_word(names[0].family or names[0].literal) if names else ""
    who = who or _key_word((doc.site or "").split(".")[0])
    parts = date_parts(doc.date)
    year = str(parts[0]) if parts else ""
    word = next((w for w in (_ascii_word(x) for x in title(doc).split()) if w and w not in _STOP), "")
    key = f"{who[:20]}{year}{word[:20]}"
    return key if who and (year or word) else f"doc{_ascii_word(doc.id)[:12] or 'x'}"


def bib_entry(doc: Document, key: str, access: str | None = None) -> str:
    """One ``@article`` (with a site) or ``@online`` entry (``doc`` already cleaned)."""
    fields: list[tuple[str, str]] = [("title", "{" + tex(title(doc)) + "}")]
    names = authors(doc)
    if names:
        fields.append(("author", "{" + " and ".join(_bib_name(n) for n in names) + "}"))
    if doc.site:
        fields.append(("journal", "{" + tex(doc.site) + "}"))
    parts = date_parts(doc.date)
    if parts:
        fields += [("date", "{" + iso(parts) + "}"), ("year", "{" + str(parts[0]) + "}")]
        if len(parts) > 1:
            fields.append(("month", MONTHS[parts[1] - 1]))
    url = http_url(doc.url)
    if url:
        fields.append(("url", "{" + _bib_url(url) + "}"))
    seen = accessed(doc, access)
    if seen:
        fields.append(("urldate", "{" + iso(seen) + "}"))
    language = lang_tag(doc.language)
    if language:
        fields.append(("language", "{" + tex(language) + "}"))
    if doc.tags:
        fields.append(("keywords", "{" + tex(", ".join(doc.tags)) + "}"))
    if doc.notes:
        fields.append(("note", "{" + tex(" / ".join(n.text for n in doc.notes)) + "}"))
    kind = "article" if doc.site else "online"
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@{kind}{{{key},\n{body},\n}}\n"


def write_bibtex(docs: Iterable[Document], out: TextIO, *, accessed: str | None = None) -> int:
    """BibTeX entries, keys unique within the file (``doe2024mali``, ``doe2024malia``...). Returns how many."""
    used: set[str] = set()
    n = 0
    for doc in docs:
        doc = clean_document(doc)
        base = key = bib_key(doc)
        i = 0
        while key in used:
            key = base + _suffix(i)
            i += 1
        used.add(key)
        out.write(("\n" if n else "") + bib_entry(doc, key, accessed))
        n += 1
    return n


def _suffix(i: int) -> str:
    """a, b, ..., z, aa, ab, ...: the suffixes that make a key unique."""
    letters = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        letters = chr(97 + r) + letters
    return letters


# -- CSL-JSON --------------------------------------------------------------------------------------


def _csl_name(name: Name) -> dict[str, str]:
    if name.family and name.given:
        return {"family": name.family, "given": name.given}
    return {"literal": name.literal}


def csl_item(doc: Document, access: str | None = None) -> dict:
    """One CSL-JSON item of type ``article-newspaper`` (``doc`` already cleaned)."""
    item: dict = {"id": doc.id, "type": "article-newspaper", "title": title(doc)}
    names = authors(doc)
    if names:
        item["author"] = [_csl_name(n) for n in names]
    optional = {"container-title": doc.site, "section": doc.section, "URL": http_url(doc.url),
                "language": lang_tag(doc.language), "keyword": ", ".join(doc.tags),
                "note": "\n".join(n.text for n in doc.notes)}
    item.update({k: v for k, v in optional.items() if v})
    parts = date_parts(doc.date)
    if parts:
        item["issued"] = {"date-parts": [parts]}
    seen = accessed(doc, access)
    if seen:
        item["accessed"] = {"date-parts": [seen]}
    return item


def write_csl_json(docs: Iterable[Document], out: TextIO, *, accessed: str | None = None) -> int:
    """A JSON array of items, one a line, written as the documents come. Returns how many."""
    out.write("[")
    n = 0
    for doc in docs:
        item = json.dumps(csl_item(clean_document(doc), accessed), ensure_ascii=False)
        out.write(("," if n else "") + "\n" + item)
        n += 1
    out.write("\n]\n")
    return n
