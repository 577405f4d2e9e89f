"""What is particular to a shared archive (``--db``, a real PostgreSQL server): naming it, errors in
one line (a bad URL, a server that does not answer, a password never shown), a database without an
archive, and the commands it cannot run yet refused in one line. What both backends do alike is
tested on both in test_cli.py and tests/search/test_backends_agree.py."""

from __future__ import annotations

import json
import subprocess

import psycopg
import pytest
from click.testing import CliRunner
from conftest import SEEDS, Cli
from support import archive_cmd

from archive.cli import main


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_archive_db_names_the_archive(pg_url: str) -> None:
    assert run("--db", pg_url, "add", str(SEEDS)).exit_code == 0
    r = run("search", "Africa Corps", "--json", env={"ARCHIVE_DB": pg_url})
    assert r.exit_code == 0 and '"total": 2' in r.stdout


def test_bad_urls_and_servers_are_one_line_errors() -> None:
    r = run("--db", "mysql://db/x", "search", "x")
    assert r.exit_code == 1 and r.stderr == "archive: error: --db mysql://db/x: not a PostgreSQL URL " \
                                           "(postgresql://user@host/database)\n"
    r = run("--db", "postgresql://analyst:s3cret@127.0.0.1:1/news", "search", "x")
    assert r.exit_code == 1 and len(r.stderr.splitlines()) == 1
    assert "cannot connect to postgresql://analyst:***@127.0.0.1:1/news" in r.stderr and "s3cret" not in r.stderr


def test_which_archive_when_both_are_named(pg_url: str, tmp_path) -> None:
    """An option on the command line beats the other's environment variable; both options at once are
    a usage error; of the two variables, ARCHIVE_DB wins."""
    assert run("--db", pg_url, "add", str(SEEDS)).exit_code == 0
    home = str(tmp_path / "home")
    r = run("--home", home, "--db", pg_url, "search", "Wagner")
    assert r.exit_code == 2 and "--home and --db name two archives: give one" in r.stderr
    r = run("--home", home, "search", "Wagner", "--json", env={"ARCHIVE_DB": pg_url})
    assert r.exit_code == 1 and f"no archive at {home} yet" in r.stderr  # the folder, not the database
    r = run("--db", pg_url, "search", "Wagner", "--json", env={"ARCHIVE_HOME": home})
    assert r.exit_code == 0 and json.loads(r.stdout)["total"] == 2
    r = run("search", "Wagner", "--json", env={"ARCHIVE_HOME": home, "ARCHIVE_DB": pg_url})
    assert r.exit_code == 0 and json.loads(r.stdout)["total"] == 2


@pytest.mark.slow
def test_tags_and_edits_at_once_lose_nothing_and_the_entry_follows_the_store(pg_url: str) -> None:
    """Twelve `tag` commands on one document at once keep every tag; eight `edit`s of its title at
    once leave the search entry analysed from the title stored (not from one an earlier edit read)."""
    assert run("--db", pg_url, "add", str(SEEDS)).exit_code == 0
    doc = json.loads(run("--db", pg_url, "search", "Wagner", "--json").stdout)["hits"][0]["id"]
    cmd = [*archive_cmd(), "--db", pg_url]
    procs = [subprocess.Popen([*cmd, "tag", doc, "--add", f"t{i}"], stderr=subprocess.PIPE) for i in range(12)]
    assert all(p.wait(timeout=120) == 0 for p in procs), [p.stderr.read() for p in procs if p.stderr]
    tags = json.loads(run("--db", pg_url, "show", doc, "--json").stdout)["tags"]
    assert sorted(tags) == sorted(f"t{i}" for i in range(12))
    for round_ in range(3):
        procs = [subprocess.Popen([*cmd, "edit", doc, "--title", f"Round{round_} Title{i}"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for i in range(8)]
        assert all(p.wait(timeout=120) == 0 for p in procs)
        report = json.loads(run("--db", pg_url, "check", "--quick", "--json").stdout)
        assert report["ok"] is True and not report["stale"], report
        title = json.loads(run("--db", pg_url, "show", doc, "--json").stdout)["title"]
        found = json.loads(run("--db", pg_url, "search", f'title:"{title}"', "--json").stdout)
        assert [h["id"] for h in found["hits"]] == [doc], (title, found["total"])


def test_curation_and_export(pg_url: str, tmp_path) -> None:
    cli = Cli(tmp_path, db=pg_url)
    cli("add", str(SEEDS))
    doc = cli.hits("Tinzaouaten")[0]["id"]
    cli("tag", doc, "--add", "sahel")
    cli("edit", doc, "--title", "A corrected title")
    cli("note", doc, "ملاحظة عن فاغنر")
    assert cli.hits("tag:sahel")[0]["id"] == doc and cli.hits("title:corrected")[0]["id"] == doc
    assert cli.hits("ملاحظة")[0]["id"] == doc
    lines = cli("export", "tag:sahel", "--format", "jsonl").stdout.splitlines()
    record = json.loads(lines[0])
    assert len(lines) == 1 and record["title"] == "A corrected title"
    assert record["notes"][0]["text"] == "ملاحظة عن فاغنر"


def test_check_finds_damage_and_repairs_what_the_rows_can_rebuild(pg_url: str, tmp_path) -> None:
    cli = Cli(tmp_path, db=pg_url)
    for i, town in enumerate(["Gao", "Kidal"]):
        (tmp_path / f"{town}.txt").write_text(f"News from {town}\n\nThe market of {town} opened again on day {i} "
                                              f"after the rains, traders said.\n", encoding="utf-8")
    cli("add", str(SEEDS), str(SEEDS.parent / "ar"), str(tmp_path / "Gao.txt"), str(tmp_path / "Kidal.txt"))
    assert cli.json("check")["ok"] is True
    ids = sorted(d["id"] for d in cli.json("list"))
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("UPDATE documents SET terms = ''::tsvector WHERE id = %s", (ids[0],))  # a lost index entry
        conn.execute("UPDATE vocabulary SET df = df + 5 WHERE lexeme = 'be:wagner'")  # a count off
        conn.execute("UPDATE documents SET text = text || ' tampered' WHERE id = %s", (ids[1],))  # bit rot
        conn.execute("UPDATE documents SET tf_counts = array_fill(7::smallint, ARRAY[cardinality(tf_counts)]) "
                     "WHERE id = %s", (ids[2],))  # frequencies that are not the vector's
        conn.execute("UPDATE documents SET lengths = '{}' WHERE id = %s", (ids[3],))  # lengths ranking divides by
        conn.execute("UPDATE documents SET segments = '[]' WHERE id = %s", (ids[4],))  # the language parts lost
    report = cli.json("check", ok=False)
    assert report["ok"] is False and report["stale"] == sorted([ids[0], ids[2], ids[3]])
    assert report["counters_off"]
    assert all(line.startswith(("vocabulary ", "totals ")) for line in report["counters_off"])
    assert report["corrupt"] == sorted([{"id": ids[1], "problem": "the clean text does not match its hash"},
                                        {"id": ids[4], "problem": "the segments do not match the clean text"}],
                                       key=lambda c: c["id"])
    repaired = cli.json("check", "--repair", ok=False)
    assert repaired["repaired"]["reindexed_stale"] == 3 and repaired["counters_off"] == []
    assert cli.hits("Tinzaouaten") and cli.json("check", "--quick")["ok"] is True


def test_a_role_that_may_only_read_searches_and_cannot_write(pg_url: str, tmp_path) -> None:
    """The README's analyst: SELECT on the tables, nothing more."""
    owner = Cli(tmp_path, db=pg_url)
    owner("add", str(SEEDS))
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("DROP ROLE IF EXISTS analyst")
        conn.execute("CREATE ROLE analyst LOGIN")
        conn.execute("GRANT USAGE ON SCHEMA public TO analyst")
        conn.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO analyst")
    analyst = Cli(tmp_path, db=pg_url.replace("archive@", "analyst@"))
    assert analyst.hits("Africa Corps") and analyst.json("show", analyst.hits("Wagner")[0]["id"])["text"]
    assert len(analyst("export", "--format", "jsonl").stdout.splitlines()) == 2
    page = tmp_path / "new.txt"
    page.write_text("A page an analyst may not add. It says enough words to be an article.\n", encoding="utf-8")
    r = analyst("add", str(page), ok=False)
    assert r.exit_code == 1 and "permission denied for table documents" in r.stderr and len(r.stderr.splitlines()) == 1
    r = analyst("tag", analyst.hits("Wagner")[0]["id"], "--add", "x", ok=False)
    assert r.exit_code == 1 and "permission denied" in r.stderr and len(r.stderr.splitlines()) == 1


def test_an_archive_of_an_older_schema_is_upgraded_by_a_writer(pg_url: str, tmp_path) -> None:
    cli = Cli(tmp_path, db=pg_url)
    cli("add", str(SEEDS), str(SEEDS.parent / "ar"))
    removed = cli.hits("Tinzaouaten")[0]["id"]
    cli("remove", removed)
    queries = ["Wagner", "مالي", "Africa Corps", '"Africa Corps"']
    before = [cli.json("search", q) for q in queries]
    with psycopg.connect(pg_url, autocommit=True) as conn:  # as release 1 of the schema left it
        conn.execute("DROP TABLE lexicon")
        for table in ("documents", "trash"):  # (schema 3 added the frequency arrays)
            conn.execute(f"ALTER TABLE {table} DROP COLUMN tf_keys, DROP COLUMN tf_counts")
        conn.execute("UPDATE archive_meta SET value = '1' WHERE key = 'schema'")
    assert [cli.json("search", q) for q in queries] == before  # any command of a writer upgrades it, once
    cli("lexicon", "add", "Azawagh", "أزواغ")
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT value FROM archive_meta WHERE key = 'schema'").fetchone()[0] == "3"
        assert conn.execute("SELECT count(*) FROM documents WHERE tf_keys IS NULL").fetchone()[0] == 0
    cli("restore-removed", removed)  # (the trash's rows were given their arrays too)
    assert cli.hits("Tinzaouaten")[0]["id"] == removed and cli.json("check")["ok"] is True


def test_a_database_without_an_archive_is_made_one_by_the_first_writer(pg_url: str) -> None:
    cli = Cli(SEEDS, db=pg_url)
    assert cli.json("search", "Wagner")["total"] == 0  # a reader makes the tables too (nothing to find)
    cli("add", str(SEEDS))
    assert cli.json("search", "Wagner")["total"] == 2


def test_a_database_holding_other_tables_of_archive_s_names_is_left_alone(pg_url: str) -> None:
    """A database whose own table is named as one of the archive's is not made an archive around it
    (its tables would be taken for the archive's): one line, and nothing is created in it."""
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE documents (x int); CREATE TABLE totals (y text)")
    for args in (["add", str(SEEDS)], ["search", "Wagner"], ["db", "init"]):
        r = run("--db", pg_url, *args)
        assert r.exit_code == 1 and len(r.stderr.splitlines()) == 1, r.stderr
        assert "holds tables that are not an archive's (documents, totals)" in r.stderr
    with psycopg.connect(pg_url) as conn:
        made = conn.execute("SELECT to_regclass('archive_meta') IS NOT NULL, to_regclass('vocabulary') IS NOT NULL")
        assert made.fetchone() == (False, False)
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 0


@pytest.mark.parametrize("args", [["backup", "out.tar"], ["restore", str(SEEDS / "000_cc340d0b0fd3e763.txt")]],
                         ids=lambda a: a[0])
def test_commands_not_yet_there_say_so_in_one_line(pg_url: str, args: list[str]) -> None:
    r = run("--db", pg_url, *args)
    assert r.exit_code == 1 and len(r.stderr.splitlines()) == 1, r.stderr
    assert "not available for a PostgreSQL archive" in r.stderr
