"""The command line: each command parses its options, calls :class:`archive.api.Archive`, prints.

    common      one-line errors, shared options, printing documents, the choke point of all output
    add         add, extract
    search      search, and how results are printed
    documents   show, list, remove, reindex, info, dupes, diff
    importing   import
    check       check
    lexicon     lexicon add, remove, list, show (cross-language equivalences)
    curate      tag, edit, note: the user's tags, corrections and notes
    keeping     backup, restore, restore-removed, trash
    export      export (Markdown, HTML, JSONL, CSV, RIS, BibTeX, CSL-JSON)
    serve       serve: the local web application
    database    db init: a shared archive's tables in PostgreSQL, on one server or sharded; migrate
    bidi        right-to-left text reordered for terminals without bidi support (UAX #9)
    shaping     Arabic letters in their joined forms, for the same terminals

Start-up is kept small: this module imports click and the command modules, which import the
library only inside the commands, so ``archive --help`` and ``--version`` load no archive code.
"""

from __future__ import annotations

import click

from ..settings import VERSION
from . import add, check, curate, database, documents, export, importing, keeping, lexicon, search, serve
from .common import guard_output

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT)
@click.option(
    "--home",
    type=click.Path(file_okay=False),
    envvar="ARCHIVE_HOME",
    help="The archive's folder (default: $ARCHIVE_HOME, else the user data folder, e.g. ~/.local/share/archive).",
)
@click.option(
    "--db",
    envvar="ARCHIVE_DB",
    metavar="URL",
    help="A shared archive in PostgreSQL (postgresql://user@host/database) instead of --home "
    "(default: $ARCHIVE_DB).",
)
@click.version_option(VERSION, prog_name="archive")
def main(home: str | None, db: str | None) -> None:
    """A bilingual (Arabic/English) archive: add pages, search them, read them back."""
    # the archive of --home is opened by the command that needs it (common.pass_archive)
    guard_output()  # everything printed from here on is cleaned of control characters


for _command in (
    add.add, add.extract, search.search, documents.show, documents.list_, importing.import_, check.check_,
    documents.remove, documents.reindex, documents.info, documents.dupes, documents.diff, lexicon.lexicon,
    curate.tag, curate.edit, curate.note, keeping.backup, keeping.restore, keeping.restore_removed, keeping.trash,
    export.export, serve.serve, database.db, database.migrate,
):
    main.add_command(_command)

__all__ = ["main"]

if __name__ == "__main__":  # pragma: no cover
    main()
