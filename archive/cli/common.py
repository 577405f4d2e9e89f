"""What every command shares: one-line errors, the shared options, and printing documents."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterable
from functools import wraps
from typing import TYPE_CHECKING, Any

import click

from ..errors import ArchiveError

if TYPE_CHECKING:
    from ..model import AddResult, Filters, Segment


def pass_archive(fn: Callable) -> Callable:
    """Give the command the :class:`~archive.api.Archive` of ``--home`` as its first argument, made on
    first use (so ``archive search --help`` opens and imports nothing), closed when the command ends."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        root = click.get_current_context().find_root()
        arc = root.meta.get("archive.archive")
        if arc is None:
            from ..api import Archive

            arc = root.meta["archive.archive"] = Archive(root.params.get("home"))
            root.call_on_close(arc.close)
        return fn(arc, *args, **kwargs)

    return wrapper


def fail(msg: str, code: int = 1) -> None:
    click.echo(f"archive: error: {msg}", err=True)
    sys.exit(code)


def handle_errors(fn: Callable) -> Callable:
    """Turn library errors into one line on stderr and a non-zero exit, never a traceback."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ArchiveError as e:
            fail(str(e))
        except KeyboardInterrupt:
            fail("interrupted", 130)
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
