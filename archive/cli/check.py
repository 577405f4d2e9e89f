"""``archive check``: do the store and the index agree, and do the originals match their hashes?"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import click

from .common import handle_errors, pass_archive, plural

if TYPE_CHECKING:
    from ..api import Archive
    from ..check import CheckReport


@click.command("check")
@click.option("--repair", is_flag=True, help="Fix the index from the store (the store is never changed).")
@click.option("--quick", is_flag=True, help="Skip re-hashing every original (faster on a big archive).")
@click.option("--wait", type=click.FloatRange(0, None), default=30.0, show_default=True,
              help="Seconds to wait for a running import to end.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@pass_archive
@handle_errors
def check_(arc: Archive, repair: bool, quick: bool, wait: float, as_json: bool) -> None:
    """Verify that the store and the index agree and that the originals match their hashes.

    Exits 1 when they do not (after --repair: when something could not be repaired).
    Documents a killed import stored but did not index yet are "pending", and those it indexed
    but did not flag yet are "unflagged": neither is a fault, and the next import or --repair
    finishes them. The index's files are checked against the checksums written with them, and a
    damaged index is rebuilt by --repair; the clean texts are checked against their hashes
    (--quick skips them too). Works on a read-only copy (without --repair).

    \b
    Examples:
      archive check
      archive check --repair
    """
    from ..check import check

    report = check(arc, repair=repair, hashes=not quick, wait=wait)
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
    else:
        _print_check(report)
    if not report.ok:
        sys.exit(1)


def _ids(ids: list[str], n: int = 5) -> str:
    more = f", ... ({len(ids) - n} more)" if len(ids) > n else ""
    return ", ".join(ids[:n]) + more


def _print_check(r: CheckReport) -> None:
    click.echo(f"store:      {plural(r.documents, 'document')}")
    if r.index_error and r.index_error.startswith("damaged"):
        click.echo(f"index:      {r.index_error}")
    else:
        unreadable = f" (unreadable: {r.index_error})" if r.index_error else ""
        click.echo(f"index:      {plural(r.index_entries, 'entry', 'entries')}{unreadable}")
    if r.repaired:
        click.echo("repaired:   " + ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in r.repaired.items()))
    rows = [
        ("missing", r.missing, "marked indexed but not in the index"),
        ("duplicated", r.duplicated, "in the index more than once"),
        ("orphans", r.orphans, "in the index but not in the store"),
        ("stale", r.stale, "indexed with a text other than the store's"),
    ]
    for label, ids, what in rows:
        if ids:
            click.echo(f"{label + ':':<11} {len(ids):,} {what}: {_ids(ids)}")
    if r.dangling_rows:
        click.echo(f"dangling:   {r.dangling_rows:,} rows (segments, originals) of no document")
    if r.counters_off:
        click.echo(f"counters:   {len(r.counters_off)} of the counts `info` shows disagree with the documents "
                   f"(e.g. {r.counters_off[0]})")
    for msg in r.store_errors:
        click.echo(f"sqlite:     {msg}")
    for c in r.corrupt[:20]:
        click.echo(f"corrupt:    {c['id']}: {c['problem']}")
    if len(r.corrupt) > 20:
        click.echo(f"corrupt:    ... {len(r.corrupt) - 20} more")
    if r.pending:
        click.echo(f"pending:    {plural(len(r.pending), 'document')} stored by an interrupted import "
                   f"{'is' if len(r.pending) == 1 else 'are'} not indexed "
                   f"yet; the next import or `archive check --repair` indexes them")
    if r.leftovers:
        click.echo(f"leftovers:  {', '.join(r.leftovers)} beside the index (an interrupted rebuild); the next import "
                   f"or `archive check --repair` deletes them")
    if r.without_impacts:
        click.echo(f"impacts:    {plural(len(r.without_impacts), 'segment')} of an older index "
                   f"{'has' if len(r.without_impacts) == 1 else 'have'} no impacts file (searches of common "
                   "words are slower); `archive check --repair` writes them")
    if r.unflagged:
        click.echo(f"unflagged:  {plural(len(r.unflagged), 'document')} indexed by an interrupted import "
                   f"{'is' if len(r.unflagged) == 1 else 'are'} not flagged "
                   f"indexed yet; the next import or `archive check --repair` flags them")
    if r.ok:
        matches = "matches its hash" if r.documents == 1 else "match their hashes"
        hashes = (f"; {plural(r.documents, 'original')} {matches}, and so do the clean texts"
                  if r.hashes_checked else "")
        click.echo(f"ok: store and index agree{hashes} ({r.seconds:.1f} s)")
        return
    _advise(r)


def _advise(r: CheckReport) -> None:
    """What to do about what is wrong, on stderr."""
    from ..check import TEXT_PROBLEMS

    if r.repairable:
        click.echo("fix the index from the store with: archive check --repair", err=True)
    texts = [c["id"] for c in r.corrupt if c["problem"] in TEXT_PROBLEMS]
    if texts:
        click.echo(f"a damaged clean text cannot be repaired from the store: restore the archive from a backup, or "
                   f"add the original again: archive show {texts[0]} --raw > page; archive remove {texts[0]}; "
                   f"archive add page" + (f" (and likewise {' '.join(texts[1:10])})" if len(texts) > 1 else ""),
                   err=True)
    if len(texts) < len(r.corrupt) or r.store_errors:
        damaged = " ".join(c["id"] for c in r.corrupt[:10] if c["problem"] not in TEXT_PROBLEMS)
        click.echo("corruption in the store cannot be repaired: restore the archive from a backup"
                   + (f", or remove the damaged documents (archive remove {damaged}) and import them again"
                      if damaged else ""),
                   err=True)
