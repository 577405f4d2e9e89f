"""Equivalences between English and Arabic, for cross-language search.

An :class:`Equivalence` says that some English forms and some Arabic forms name the same thing.
They come from three places, read in turn:

- the **names lexicon** (:mod:`.names`): every entry with both English and Arabic names is one
  equivalence (people, places, organisations), its Arabic forms with the adjectives;
- ``data/terms.tsv``: the project's checked list of common news vocabulary (``coup`` /
  ``انقلاب``, ``gold mine`` / ``منجم ذهب``) and the English adjectives of places (``Malian``);
- ``lexicon.tsv`` in the archive's home: the user's own pairs, each added (``+``) or removed
  (``-``), written by ``archive lexicon add|remove`` (:func:`add_pair`, :func:`remove_pair`).

A removed pair cuts the link between that English form and that Arabic form wherever it comes
from. Nothing here analyses: :mod:`archive.search.cross` matches the forms through the index's
analyzers. The user's file is read at query time, so a change applies at once, without reindexing.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from . import names
from .names import LexiconError, read_list_file, split_items
from .scripts import has_arabic

TERMS_FILE = names.DATA / "terms.tsv"
USER_FILE_NAME = "lexicon.tsv"
TERM_KINDS = ("term", "place")
#: The kind an equivalence is counted under, from a names entry's kind.
KIND_OF_NAME = {"country": "place", "region": "place", "city": "place", "people": "people", "org": "org",
                "person": "person"}
_USER_HEADER = """\
# Your own English <-> Arabic equivalences for cross-language search, one per line:
#   +<TAB>English form<TAB>Arabic form      search each also when the other is typed
#   -<TAB>English form<TAB>Arabic form      never (even if the built-in lists say so)
# Written by `archive lexicon add|remove`; applied at once, no reindex needed.
"""


@dataclass(frozen=True)
class Equivalence:
    """English forms and Arabic forms of one thing; ``kind`` is person, place, people, org or term."""

    kind: str
    en: tuple[str, ...]
    ar: tuple[str, ...]
    origin: str  # "names", "terms" or "user"


@dataclass(frozen=True)
class UserPair:
    """One line of the user's file."""

    add: bool
    en: str
    ar: str


def parse_terms(lines: Iterable[str], source: str) -> list[Equivalence]:
    """The rows of a terms file (``kind<TAB>en<TAB>ar``)."""
    out = []
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = line.rstrip("\n").split("\t")
        if len(cols) < 3 or cols[0].strip() not in TERM_KINDS:
            raise LexiconError(f"{source}:{n}: a row needs a kind ({', '.join(TERM_KINDS)}), English and Arabic forms")
        en, ar = split_items(cols[1]), split_items(cols[2])
        if not en or not ar or any(has_arabic(e) for e in en) or not all(has_arabic(a) for a in ar):
            raise LexiconError(f"{source}:{n}: English forms in the second column, Arabic in the third")
        out.append(Equivalence(cols[0].strip(), en, ar, "terms"))
    return out


@cache
def builtin_terms() -> tuple[Equivalence, ...]:
    """The project's term list (read once)."""
    return tuple(parse_terms(TERMS_FILE.read_text(encoding="utf-8").splitlines(), str(TERMS_FILE)))


def of_names(lexicon: names.Lexicon) -> list[Equivalence]:
    """One equivalence per entry of the names lexicon with names in both languages."""
    return [Equivalence(KIND_OF_NAME.get(e.kind, e.kind), e.en, e.arabic_forms(), "names")
            for e in lexicon if e.en and e.arabic_forms()]


# -- the user's file ---------------------------------------------------------------------------------
def user_file(home: Path) -> Path:
    return Path(home) / USER_FILE_NAME


def read_user(home: Path | None) -> list[UserPair]:
    """The user's pairs, in file order (none without a file)."""
    if home is None:
        return []
    path = user_file(home)
    if not path.exists():
        return []
    text = read_list_file(path, "lexicon file")
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 3 or cols[0].strip() not in "+-" or not cols[0].strip():
            raise LexiconError(f"{path}:{n}: a line is +|-<TAB>English<TAB>Arabic")
        out.append(UserPair(cols[0].strip() == "+", " ".join(cols[1].split()), " ".join(cols[2].split())))
    return out


def user_fingerprint(home: Path | list[UserPair] | None) -> str:
    """Changes whenever the user's file does (what cached tables are keyed by); for pairs given as
    such (a shared archive keeps them in its database), whenever they do."""
    if isinstance(home, list):
        return hashlib.sha256(repr(home).encode()).hexdigest()[:16] if home else "-"
    if home is None:
        return "-"
    try:
        st = user_file(home).stat()
    except OSError:
        return "-"
    return f"{st.st_mtime_ns}:{st.st_size}"


def check_pair(en: str, ar: str) -> tuple[str, str]:
    """The pair, its spaces tidied; a :class:`LexiconError` unless the first is English (no Arabic
    letters) and the second Arabic."""
    en, ar = " ".join(en.split()), " ".join(ar.split())
    if not en or not ar or "\t" in en + ar:
        raise LexiconError("a pair needs an English form and an Arabic form")
    if has_arabic(en) or not en.replace(" ", "").isprintable():
        raise LexiconError(f"{en!r}: the first form must be English (Latin letters)")
    if not has_arabic(ar) or not ar.replace(" ", "").isprintable():
        raise LexiconError(f"{ar!r}: the second form must be Arabic")
    return en, ar


def _write_user(home: Path, pairs: list[UserPair]) -> None:
    """Replace the user's file atomically (a reader sees the old file or the new one)."""
    path = user_file(home)
    body = _USER_HEADER + "".join(f"{'+' if p.add else '-'}\t{p.en}\t{p.ar}\n" for p in pairs)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".lexicon-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(body)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def user_pairs(home: Path | list[UserPair] | None) -> list[UserPair]:
    """The user's pairs: from the file in ``home``, or ``home`` itself when it is the list."""
    return home if isinstance(home, list) else read_user(home)


def _set_pair(home: Path, en: str, ar: str, add: bool) -> UserPair:
    en, ar = check_pair(en, ar)
    key = (en.casefold(), ar)
    pairs = [p for p in read_user(home) if (p.en.casefold(), p.ar) != key]
    pair = UserPair(add, en, ar)
    _write_user(home, [*pairs, pair])
    return pair


def add_pair(home: Path, en: str, ar: str) -> UserPair:
    """Record that ``en`` and ``ar`` are the same (replacing a removal of the same pair)."""
    return _set_pair(home, en, ar, True)


def remove_pair(home: Path, en: str, ar: str) -> UserPair:
    """Record that ``en`` and ``ar`` must not be searched for each other."""
    return _set_pair(home, en, ar, False)


def equivalences(lexicon: names.Lexicon, user: list[UserPair]) -> tuple[list[Equivalence], set[tuple[str, str]]]:
    """Every equivalence (names, terms, the user's additions) and the removed (English, Arabic)
    pairs (English case-folded)."""
    out = _with_adjectives(of_names(lexicon), builtin_terms())
    out.extend(Equivalence("user", (p.en,), (p.ar,), "user") for p in user if p.add)
    removed = {(p.en.casefold(), p.ar) for p in user if not p.add}
    return out, removed


def _with_adjectives(named: list[Equivalence], listed: Iterable[Equivalence]) -> list[Equivalence]:
    """The names' equivalences, each with the English adjectives of the term list whose Arabic forms
    are its own (``Sudan`` + ``Sudanese``, as ``السودان`` + ``سوداني``); then the other terms."""
    by_form: dict[str, int] = {}
    for i, eq in enumerate(named):
        for form in eq.ar:
            by_form.setdefault(form, i)
    out = list(named)
    rest = []
    for eq in listed:
        owner = next((by_form[f] for f in eq.ar if f in by_form), None) if eq.kind == "place" else None
        if owner is None:
            rest.append(eq)
            continue
        base = out[owner]
        out[owner] = Equivalence(base.kind, tuple(dict.fromkeys(base.en + eq.en)),
                                 tuple(dict.fromkeys(base.ar + eq.ar)), base.origin)
    return out + rest


def fingerprint(lexicon: names.Lexicon, home: Path | list[UserPair] | None) -> str:
    """Identifies the equivalences in force (the names lexicon, the term list, the user's file)."""
    return hashlib.sha256(f"{lexicon.fingerprint} {user_fingerprint(home)} {terms_digest()}".encode()).hexdigest()[:16]


@cache
def terms_digest() -> str:
    """Identifies the project's term list."""
    return hashlib.sha256(TERMS_FILE.read_bytes()).hexdigest()
