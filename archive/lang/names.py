"""The names lexicon: places, peoples, organisations and people, in English and Arabic.

Three files, each read in turn, a later row replacing an earlier one with the same id:

- ``data/names-cldr.tsv``: every country and territory, the world regions and about 420 cities,
  with their English and Arabic names from Unicode CLDR (made by ``tools/build_names.py``);
- ``data/names.tsv``: the project's own list for the news it follows (Sahel cities, peoples,
  organisations, people, and spellings and adjectives CLDR lacks);
- ``names.tsv`` in the archive's home, if there is one: the user's additions and corrections
  (a row whose kind is ``-`` removes the id).

The format is documented at the top of ``data/names.tsv``. Each entry's Arabic *forms* are its
spellings and its adjectives with their feminine and plural forms (``أفريقي`` -> ``أفريقية``,
``أفريقيون``, ``أفريقيين``, ``أفريقيات``), less the forms its ``not`` column names. Nothing here
normalises or stems: the analyzers do that with their own rules.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..errors import ArchiveError

DATA = Path(__file__).resolve().parent / "data"
BUILTIN_FILES = (DATA / "names-cldr.tsv", DATA / "names.tsv")
USER_FILE_NAME = "names.tsv"
KINDS = ("country", "region", "city", "people", "org", "person")
#: The endings that make an Arabic relative adjective feminine and plural: ي -> ية, يون, يين, يات.
ADJECTIVE_ENDINGS = ("ة", "ون", "ين", "ات")


class LexiconError(ArchiveError, ValueError):
    """A names file that cannot be read; the message names the file and line."""


def split_items(column: str) -> tuple[str, ...]:
    """A column's ";"-separated items, their spaces tidied, empty ones and repeats left out."""
    return tuple(dict.fromkeys(s for part in column.split(";") if (s := " ".join(part.split()))))


def adjective_forms(adjective: str) -> tuple[str, ...]:
    """An adjective and its feminine and plural forms (only for a one-word adjective in ي)."""
    if " " in adjective or not adjective.endswith("ي"):
        return (adjective,)
    return (adjective, *(adjective + ending for ending in ADJECTIVE_ENDINGS))


@dataclass(frozen=True)
class Entry:
    """One named thing."""

    id: str
    kind: str
    en: tuple[str, ...] = ()
    ar: tuple[str, ...] = ()
    ar_adj: tuple[str, ...] = ()
    exclude: frozenset[str] = field(default_factory=frozenset)

    def arabic_forms(self) -> tuple[str, ...]:
        """Spellings, adjectives and their inflections, without the excluded forms."""
        forms = [*self.ar]
        for adj in self.ar_adj:
            forms.extend(adjective_forms(adj))
        return tuple(f for f in dict.fromkeys(forms) if f not in self.exclude)


def read_list_file(path: Path, what: str) -> str:
    """The text of a list file (a BOM allowed), or a :class:`LexiconError` naming it."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except OSError as e:
        raise LexiconError(f"{path}: cannot read the {what} ({e.strerror or e})") from None
    except UnicodeDecodeError as e:
        raise LexiconError(f"{path}: the {what} is not UTF-8 text (byte {e.start})") from None


def parse(lines: Iterable[str], source: str) -> Iterator[Entry | str]:
    """Entries of a names file, and the ids of ``-`` rows (removals), in file order."""
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = line.rstrip("\n").split("\t")
        ident, kind = cols[0].strip(), (cols[1].strip() if len(cols) > 1 else "")
        if not ident or (kind != "-" and kind not in KINDS):
            raise LexiconError(f"{source}:{n}: a row needs an id and a kind ({', '.join(KINDS)}, or - to remove)")
        if kind == "-":
            yield ident
            continue
        cols += [""] * (6 - len(cols))
        yield Entry(ident, kind, split_items(cols[2]), split_items(cols[3]), split_items(cols[4]),
                    frozenset(split_items(cols[5])))


class Lexicon:
    """The entries of the built-in files and, optionally, a user's file; ``fingerprint`` changes
    whenever any of them does (the index records it: a changed lexicon asks for a reindex)."""

    def __init__(self, files: Iterable[Path]) -> None:
        self.entries: dict[str, Entry] = {}
        digest = hashlib.sha256()
        self.files: list[Path] = []
        for path in files:
            text = read_list_file(path, "names file")
            self.files.append(path)
            digest.update(text.encode("utf-8"))
            for item in parse(text.splitlines(), str(path)):
                if isinstance(item, str):
                    self.entries.pop(item, None)
                else:
                    self.entries[item.id] = item
        self.fingerprint = digest.hexdigest()[:16]

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries.values())

    def get(self, ident: str) -> Entry | None:
        return self.entries.get(ident)


@cache
def builtin() -> Lexicon:
    """The lexicon of the built-in files (read once)."""
    return Lexicon(BUILTIN_FILES)


def for_home(home: Path | None) -> Lexicon:
    """The lexicon an archive uses: the built-in one, plus ``HOME/names.tsv`` when it exists."""
    user = Path(home) / USER_FILE_NAME if home is not None else None
    if user is None or not user.is_file():
        return builtin()
    return _with_user_file(user, user.stat().st_mtime_ns, user.stat().st_size)


@cache
def _with_user_file(path: Path, mtime: int, size: int) -> Lexicon:
    return Lexicon((*BUILTIN_FILES, path))
