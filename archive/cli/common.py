"""What every command shares: one-line errors, the shared options, printing documents, and the one
choke point every printed line passes (:func:`guard_output`)."""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Callable, Iterable
from contextlib import suppress
from functools import wraps
from typing import IO, TYPE_CHECKING, Any

import click
from click.core import ParameterSource

from ..errors import ArchiveError

if TYPE_CHECKING:
    from ..model import AddResult, Filters, Segment


def where() -> tuple[str | None, str | None]:
    """The archive the command names: (``--home`` folder, ``--db`` URL), one of them None. An option
    on the command line beats the other's environment variable (``--home`` with ``ARCHIVE_DB`` set is
    the folder); of the two variables, ``ARCHIVE_DB`` wins; both options at once are a usage error."""
    root = click.get_current_context().find_root()
    home, db = root.params.get("home"), root.params.get("db")
    if home and db:
        given = {name for name in ("home", "db") if root.get_parameter_source(name) is ParameterSource.COMMANDLINE}
        if given == {"home", "db"}:
            raise click.UsageError("--home and --db name two archives: give one", root)
        if given == {"home"}:
            return home, None
    return (None, db) if db else (home, None)


def pass_archive(fn: Callable) -> Callable:
    """Give the command the :class:`~archive.api.Archive` of ``--home`` (or the
    :class:`~archive.shared.SharedArchive` of ``--db``) as its first argument, made on first use (so
    ``archive search --help`` opens and imports nothing), closed when the command ends."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        root = click.get_current_context().find_root()
        arc = root.meta.get("archive.archive")
        if arc is None:
            home, db = where()
            if db:
                from ..shared import SharedArchive

                arc = SharedArchive(db)
            else:
                from ..api import Archive

                arc = Archive(home)
            root.meta["archive.archive"] = arc
            root.call_on_close(arc.close)
        return fn(arc, *args, **kwargs)

    return wrapper


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 document``, ``2,000 documents`` (``many``: the plural when it is not ``word`` + s)."""
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def fail(msg: str, code: int = 1) -> None:
    click.echo(f"archive: error: {msg}", err=True)
    sys.exit(code)


def interrupted() -> None:
    """A Ctrl-C that stops at once (the second during an import): say so and leave now, without
    the interpreter's exit handlers, which wait for worker threads and processes a stop abandons
    (one of them stuck means a hang). What is stored is safe as after a kill; the next writer
    indexes what was left pending."""
    with suppress(Exception):
        sys.stdout.flush()
    with suppress(Exception):
        click.echo("archive: error: interrupted", err=True)
        sys.stderr.flush()
    os._exit(130)


def handle_errors(fn: Callable) -> Callable:
    """Turn library errors into one line on stderr and a non-zero exit, never a traceback."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ArchiveError as e:
            fail(str(e))
        except KeyboardInterrupt:
            interrupted()
        except BrokenPipeError:
            sys.stderr.close()
            sys.exit(0)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as e:  # a bug: still one line, with the details on demand
            if os.environ.get("ARCHIVE_DEBUG"):
                raise
            fail(f"unexpected {type(e).__name__}: {e} (set ARCHIVE_DEBUG=1 for the traceback)")

    return wrapper


def filter_options(fn: Callable) -> Callable:
    """--lang, --source, --tag, --since, --until, shared by search and list."""
    for opt in reversed([
        click.option("--lang", help="Only documents with this language (ISO 639-1, e.g. ar, en)."),
        click.option("--source", help="Only documents added with this --source label."),
        click.option("--tag", help="Only documents with this tag."),
        click.option("--since", metavar="DATE", help="Published on or after DATE (YYYY[-MM[-DD]])."),
        click.option("--until", metavar="DATE", help="Published on or before DATE (YYYY[-MM[-DD]])."),
    ]):
        fn = opt(fn)
    return fn


def make_filters(lang: str | None, source: str | None, tag: str | None, since: str | None,
                 until: str | None) -> Filters:
    from ..model import Filters

    return Filters(lang=lang, source=source, since=since, until=until, tag=tag)


RTL_OPTION = click.option(
    "--rtl", type=click.Choice(["logical", "visual"]), default="logical", show_default=True, envvar="ARCHIVE_RTL",
    help="Right-to-left text as stored (for terminals with bidi support) or shaped and reordered "
         "for terminals without it (env ARCHIVE_RTL).",
)


def print_add(r: AddResult) -> None:
    """One line for one input, as ``add`` (and ``import -v``) print it; failures go to stderr."""
    if r.status == "failed":
        click.echo(f"failed     {r.input}: {r.error}", err=True)
        return
    langs = ",".join(r.languages or ([r.language] if r.language else [])) or "und"
    note = "  (already archived)" if r.status == "duplicate" else ""
    if r.tagged:
        note = f"  (already archived; tagged {', '.join(r.tagged)})"
    click.echo(f"{r.status:<10} {r.id}  {langs:<6} {r.title or '(no title)'}{note}")


def print_meta(rows: Iterable[tuple[str, object]], rtl: str = "logical") -> None:
    for k, v in rows:
        if v not in (None, "", []):
            click.echo(f"{k + ':':<10} {display(str(v), rtl, indent=11)}")


def print_segments(segments: Iterable[Segment], rtl: str = "logical") -> None:
    for seg in segments:
        click.echo()
        click.echo(click.style(f"[{seg.lang}]", bold=True) if sys.stdout.isatty() else f"[{seg.lang}]")
        for para in seg.text.split("\n"):
            click.echo(display(para, rtl))


def display(text: str, rtl: str, indent: int = 0) -> str:
    """Text as stored, or (``rtl="visual"``) Arabic shaped and reordered for a terminal without bidi."""
    if rtl != "visual":
        return text
    from .bidi import has_rtl, visual_lines

    if not has_rtl(text):
        return text
    width = shutil.get_terminal_size((100, 24)).columns - indent
    return ("\n" + " " * indent).join(visual_lines(text, width))


# -- the choke point of everything printed ----------------------------------------------------------
#: The escape sequences the command line prints itself, and the only ones that reach the terminal:
#: the colours of ``search`` (dim, bold, bold yellow), ``diff`` (red, green) and ``show`` (bold),
#: the level names ``serve``'s uvicorn logs (yellow, red, bright red), their reset, and the
#: progress line's "erase to the end of the line".
OWN_SEQUENCES = re.compile(r"(\x1b\[(?:(?:0|1|2|31|32|33|91|1;33)m|K))")


def clean_output(text: str) -> str:
    """``text`` as it may reach a terminal: each character of :data:`archive.lang.scripts.CONTROLS_RE`
    (C0 but tab and line feed, DEL, C1, bidi embeddings, overrides and isolates, lone surrogates)
    written as its escape (``\\u001b``), so that no page, server or stored document sets the
    terminal's title, clears it, moves its cursor or reorders its text, and what was there shows.
    The escape is printable ASCII and, inside the JSON that ``--json`` prints (which holds these
    characters raw only inside strings), a JSON escape of the same character: the JSON still reads
    back to the same values. What passes as it is: :data:`OWN_SEQUENCES` exactly, and a carriage
    return that begins a write (the progress line rewriting itself; a line of data begins with no
    carriage return of its own, the ingest pipeline removes them)."""
    if text.replace("\n", "").replace("\t", "").isprintable():
        return text  # the usual case, without loading anything (``--help`` loads no library code)
    from ..lang.scripts import CONTROLS_RE

    if not CONTROLS_RE.search(text):
        return text
    lead = "\r" if text.startswith("\r") else ""
    parts = OWN_SEQUENCES.split(text[len(lead):])
    for i in range(0, len(parts), 2):  # the data between our own sequences
        parts[i] = CONTROLS_RE.sub(_escape, parts[i])
    return lead + "".join(parts)


def _escape(m: re.Match[str]) -> str:
    return f"\\u{ord(m.group()):04x}"


class CleanOutput:
    """A text stream that writes through to another with :func:`clean_output` applied; everything
    else (``buffer``, ``isatty``, ``flush``, ``encoding``...) is the other stream's. ``buffer`` stays
    the raw bytes: ``show --raw`` prints the original as it was added, and ``export`` writes files
    whose formats clean the text themselves."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        if not isinstance(text, str):  # as a text stream would (click probes streams with b"")
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self._stream.write(clean_output(text))
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def guard_output() -> None:
    """Send standard output and standard error through :class:`CleanOutput`, once (the ``main``
    group calls it before any command runs): every line any command prints, click's messages,
    warnings and the last-resort log handler included, passes :func:`clean_output`."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is not None and not isinstance(stream, CleanOutput):
            setattr(sys, name, CleanOutput(stream))
