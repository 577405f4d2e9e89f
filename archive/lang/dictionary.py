"""Facts from an Arabic dictionary: which words are ordinary words, which begin with a root و, and
which broken plurals belong to which singular.

The dictionary is Arramooz (``arramooz-pysqlite`` on PyPI, GPL, by Taha Zerrouki): about 30,000
nouns and 14,000 verbs with their roots, numbers and plurals. Its data file is read where pip
installed it, read-only; nothing of it is copied into this repository. This module is the one
place outside the store that speaks SQL, and only to that file.

The three sets below are derived once per installed version and kept in the user's cache folder
(``$XDG_CACHE_HOME/archive``), since reading the dictionary costs about 0.2 s.

Four uses, each a set the analyzers and the search turn into their own terms:

- ``lemmas``: the dictionary's words (unvocalised). A name-like word is one that is not here.
- ``common``: the words of its frequency list (counted in a corpus) seen a thousand times or more:
  a clitic form is never searched when it is a common word of its own, a dictionary word the list
  counts often (``كلام`` is not ``ك`` + ``لام``, ``بيان`` not ``ب`` + ``يان``).
- ``root_waw_words``: words whose first letter ``و`` belongs to the root (``وزارة``, ``وفيات``,
  ``ولاية``), which Lucene's light stemmer takes for the conjunction "and"; less those the
  frequency list finds rarer than what is left without the ``و`` (``وكل``: ``كل``).
- ``broken_plurals``: (plural, singular) pairs given reliably (``صواريخ`` -> ``صاروخ``): the
  plural is not also a singular word nor a verb, has four letters or more and one singular, and
  both hold the strong letters of their root in order.
"""

from __future__ import annotations

import os
import pickle
import re
import sqlite3
import tempfile
from collections.abc import Callable
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import NamedTuple, TypeVar

from ..errors import ArchiveError

PACKAGE = "arramooz"
DISTRIBUTION = "arramooz-pysqlite"
RULES_VERSION = 6  # bump when the derivation below changes (the cache is keyed by it)
COMMON = 1000  # a word the frequency list counts this often is a common word
_HARAKAT = re.compile("[\u064b-\u0652\u0640]")
_BROKEN = "جمع تكسير"
_SINGULAR = "مفرد"


class DictionaryMissing(ArchiveError, RuntimeError):
    """The dictionary package is not installed, or its data file cannot be read."""


def _data_file() -> Path:
    spec = find_spec(PACKAGE)  # locates the package without running its code
    if spec is None or not spec.submodule_search_locations:
        raise DictionaryMissing(f"the Arabic dictionary ({DISTRIBUTION}) is not installed: pip install {DISTRIBUTION}")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "arabicdictionary.sqlite"
    if not path.is_file() or not path.with_name("wordfreq.sqlite").is_file():
        raise DictionaryMissing(f"{path.parent}: the Arabic dictionary's data files are missing: "
                                f"pip install --force-reinstall {DISTRIBUTION}")
    return path


@cache
def dictionary_version() -> str:
    """The installed dictionary's version (part of the analyzers' fingerprint)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return "none"


def _plain(word: str | None) -> str:
    return _HARAKAT.sub("", word or "").strip()


def _read() -> tuple[list[tuple[str, str, str, str]], list[tuple[str, str]], list[tuple[str, int]]]:
    """(nouns as (word, root, number, singular), verbs as (word, root), frequencies as (word, count))."""
    path = _data_file()
    try:
        return _read_files(path)
    except sqlite3.Error as e:
        raise DictionaryMissing(f"{path.parent}: the Arabic dictionary's data files cannot be read ({e}): "
                                f"pip install --force-reinstall {DISTRIBUTION}") from None


def _read_files(path: Path) -> tuple[list[tuple[str, str, str, str]], list[tuple[str, str]], list[tuple[str, int]]]:
    db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        nouns = [(_plain(w), r or "", n or "", _plain(s)) for w, r, n, s in
                 db.execute("SELECT unvocalized, root, number, single FROM nouns")]
        verbs = [(_plain(w), r or "") for w, r in db.execute("SELECT unvocalized, root FROM verbs")]
    finally:
        db.close()
    db = sqlite3.connect(f"file:{path.with_name('wordfreq.sqlite')}?mode=ro&immutable=1", uri=True)
    try:
        frequencies = [(w or "", f or 0) for w, f in db.execute("SELECT unvocalized, freq FROM wordfreq")]
    finally:
        db.close()
    return nouns, verbs, frequencies


class Facts(NamedTuple):
    """What the archive takes from the dictionary."""

    lemmas: frozenset[str]
    root_waw_words: frozenset[str]
    broken_plurals: tuple[tuple[str, str], ...]
    #: the dictionary's frequency list: word -> how often a corpus has it (كلام 235,195)
    frequency: dict[str, int]
    #: the singular nouns and the verbs: a plural whose stem is also the stem of one of these
    #: (كتبة "scribes" and the verb كتب) is not mapped
    singulars_and_verbs: frozenset[str]


def _derive() -> Facts:
    nouns, verbs, frequencies = _read()
    lemmas = frozenset(w for w, *_ in nouns) | frozenset(w for w, _ in verbs)
    freq: dict[str, int] = {}
    for word, count in frequencies:
        freq[_plain(word)] = freq.get(_plain(word), 0) + count
    rooted = [(w, r) for w, r, *_ in nouns] + verbs
    # a root-و word counts when it is not rarer than what is left without its و (وكل "entrust" is
    # rarer than كل "all", ولي than لي: there the و is far more often the conjunction)
    root_waw = frozenset(w for w, r in rooted if w.startswith("و") and r.startswith("و") and len(w) >= 4
                         and freq.get(w, 0) >= freq.get(w[1:], 0))
    singular_words = {w for w, _, number, _ in nouns if number == _SINGULAR}
    verb_words = {w for w, _ in verbs}
    singulars: dict[str, set[str]] = {}
    for word, root, number, single in nouns:
        if number == _BROKEN and single and len(word) >= 4 and _share_root(root, word, single):
            singulars.setdefault(word, set()).add(single)
    plurals = tuple(sorted(
        (plural, next(iter(single))) for plural, single in singulars.items()
        if len(single) == 1 and plural not in singular_words and plural not in verb_words
    ))
    return Facts(lemmas, root_waw, plurals, freq, frozenset(singular_words | verb_words))


_WEAK = frozenset("اويءىأإآؤئ")


def _share_root(root: str, *words: str) -> bool:
    """Whether the strong letters of ``root`` stand, in order, in each of ``words`` (a sanity check:
    a plural and its singular come from one root)."""
    strong = [c for c in root if c not in _WEAK]
    if len(strong) < 2:
        return False
    for word in words:
        it = iter(word)
        if not all(c in it for c in strong):
            return False
    return True


def cache_dir() -> Path:
    """Where data derived from packaged data is kept between runs (``$XDG_CACHE_HOME/archive``)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "archive"


def _cache_file() -> Path:
    return cache_dir() / f"arabic-dictionary-{dictionary_version()}-r{RULES_VERSION}.pickle"


@cache
def facts() -> Facts:
    """The dictionary's facts: from the cache when it holds them, else derived (and cached)."""
    path = _cache_file()
    try:
        with path.open("rb") as fh:
            got = pickle.load(fh)
        if isinstance(got, Facts):
            return got
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
        pass
    got = _derive()
    write_cache(path, got)
    return got


T = TypeVar("T")


def derived(tag: str, build: Callable[[Facts], T]) -> T:
    """``build(facts())``, kept in the cache folder beside the facts under ``tag`` (which the caller
    changes when ``build`` changes): for data derived from the dictionary that costs time to make."""
    path = _cache_file().with_name(_cache_file().stem + f"-{tag}.pickle")
    try:
        with path.open("rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
        pass
    got = build(facts())
    write_cache(path, got)
    return got


def write_cache(path: Path, data: object) -> None:
    """Write ``data`` to ``path`` atomically (a concurrent reader sees the old file or the new one);
    no cache folder is no error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".dictionary-")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(data, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass


def lemmas() -> frozenset[str]:
    """Every noun and verb of the dictionary, unvocalised."""
    return facts().lemmas


def root_waw_words() -> frozenset[str]:
    """Words that begin with ``و`` and whose root begins with ``و`` too."""
    return facts().root_waw_words


def common_words() -> frozenset[str]:
    """Words the dictionary's frequency list counts at least :data:`COMMON` times."""
    return frozenset(w for w, n in facts().frequency.items() if n >= COMMON)


def broken_plurals() -> tuple[tuple[str, str], ...]:
    """Reliable (plural, singular) pairs, sorted."""
    return facts().broken_plurals
