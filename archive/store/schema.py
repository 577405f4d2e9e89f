"""The store's SQLite tables and their version (``Store`` creates them, or migrates an older file)."""

from __future__ import annotations

#: Bumped by a release that changes the tables; ``Store`` migrates older files in place.
SCHEMA_VERSION = 6

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    raw_sha256 TEXT NOT NULL UNIQUE,
    text_sha256 TEXT NOT NULL,
    input TEXT,
    url TEXT,
    source TEXT,
    site TEXT,
    title TEXT,
    subtitle TEXT,
    author TEXT,
    date TEXT,
    section TEXT,
    language TEXT,
    languages TEXT NOT NULL DEFAULT '[]',
    tags TEXT NOT NULL DEFAULT '[]',
    kind TEXT NOT NULL,
    encoding TEXT,
    captured TEXT,
    added TEXT NOT NULL,
    size INTEGER NOT NULL,
    text TEXT NOT NULL,
    indexed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS documents_text_sha256 ON documents(text_sha256);
CREATE INDEX IF NOT EXISTS documents_added ON documents(added);
CREATE INDEX IF NOT EXISTS documents_url ON documents(url);
CREATE INDEX IF NOT EXISTS documents_input ON documents(input);
CREATE INDEX IF NOT EXISTS documents_indexed ON documents(indexed) WHERE indexed = 0;
CREATE TABLE IF NOT EXISTS segments (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    lang TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (doc_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS originals (
    doc_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    data BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS line_keys (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    PRIMARY KEY (scope, key, doc_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS line_keys_doc ON line_keys(doc_id);
"""

#: Version 2: near-duplicates. ``cluster`` is the id of the first document of a document's group of
#: copies (itself when it has none); ``sketches`` holds each document's similarity sketch
#: (:mod:`archive.ingest.similarity`), looked up by hash; ``shingles`` the number of its shingles.
MIGRATE_2 = """
ALTER TABLE documents ADD COLUMN cluster TEXT;
ALTER TABLE documents ADD COLUMN shingles INTEGER;
CREATE INDEX IF NOT EXISTS documents_cluster ON documents(cluster);
CREATE TABLE IF NOT EXISTS sketches (
    hash INTEGER NOT NULL,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    PRIMARY KEY (hash, doc_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS sketches_doc ON sketches(doc_id);
UPDATE documents SET cluster = (
    SELECT d.id FROM documents d WHERE d.text_sha256 = documents.text_sha256 ORDER BY d.added, d.id LIMIT 1
);
"""

#: Version 3: the user's curation. ``edits`` holds each field a user corrected, with the
#: extraction's value (``documents`` holds the user's, so filters, the index and every reader see
#: it; resetting the field puts the extraction's value back); ``notes`` the user's notes.
MIGRATE_3 = """
CREATE TABLE IF NOT EXISTS edits (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    field TEXT NOT NULL,
    extracted TEXT,
    edited TEXT NOT NULL,
    PRIMARY KEY (doc_id, field)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS notes (
    id INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS notes_doc ON notes(doc_id);
"""

#: Version 4: the trash. ``archive remove`` moves a document here whole (its row, segments,
#: corrections and notes as JSON, its compressed original) until ``restore-removed`` puts it back
#: or ``trash --empty`` deletes it.
MIGRATE_4 = """
CREATE TABLE IF NOT EXISTS trash (
    id TEXT PRIMARY KEY,
    raw_sha256 TEXT NOT NULL,
    removed TEXT NOT NULL,
    title TEXT,
    record TEXT NOT NULL,
    original BLOB
) WITHOUT ROWID;
"""


def _count(kind: str, key: str, n: str, where: str = "true", source: str = "") -> str:
    """A trigger's statement adding ``n`` to the counter (kind, key)."""
    return (f"    INSERT INTO counts SELECT '{kind}', {key}, {n}{source} WHERE {where}\n"
            "        ON CONFLICT(kind, key) DO UPDATE SET n = n + excluded.n;\n")


def _counts(row: str, sign: str, *, documents: bool = True, unindexed: bool = True) -> str:
    """The statements counting the document ``row`` (NEW or OLD) in (``sign`` "") or out ("-")."""
    one = f"{sign}1"
    return "".join([
        _count("documents", "''", one) if documents else "",
        _count("bytes", "''", f"{sign}{row}.size"),
        _count("language", f"COALESCE({row}.language, 'und')", one),
        _count("source", f"COALESCE({row}.source, '(none)')", one),
        _count("site", f"{row}.site", one, f"{row}.site IS NOT NULL"),
        _count("languages", "value", one, source=f" FROM json_each({row}.languages)"),
        _count("unindexed", "''", one, f"{row}.indexed = 0") if unindexed else "",
    ])


#: Version 5: counters kept by triggers, so ``archive info`` reads a few rows instead of scanning
#: every document: documents, bytes, and documents per main language, source, site and language.
#: Rows may hold 0 (read with ``n > 0``).
MIGRATE_5 = f"""
CREATE TABLE IF NOT EXISTS counts (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (kind, key)
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS counts_insert AFTER INSERT ON documents BEGIN
{_counts("NEW", "")}END;
CREATE TRIGGER IF NOT EXISTS counts_delete AFTER DELETE ON documents BEGIN
{_counts("OLD", "-")}END;
CREATE TRIGGER IF NOT EXISTS counts_update AFTER UPDATE OF source, language, languages, site, size ON documents BEGIN
{_counts("OLD", "-", documents=False, unindexed=False)}{_counts("NEW", "", documents=False, unindexed=False)}END;
CREATE TRIGGER IF NOT EXISTS counts_indexed AFTER UPDATE OF indexed ON documents WHEN OLD.indexed != NEW.indexed BEGIN
{_count("unindexed", "''", "CASE WHEN NEW.indexed = 0 THEN 1 ELSE -1 END")}END;
"""

#: Version 6: a covering index of each document's group of copies. ``cluster`` was added after the
#: clean text, so reading it from the table steps through the text's overflow pages: 4-5 ms for the
#: ten hits of a search in a 50,000-document store when those pages are not cached, ~0.1 ms from here.
MIGRATE_6 = "CREATE INDEX IF NOT EXISTS documents_id_cluster ON documents(id, cluster);"

#: The counters from a scan of the documents: (kind, key, n) rows (the migration's first fill, and
#: what ``check`` compares the counters with).
COUNT_QUERIES = (
    "SELECT 'documents', '', COUNT(*) FROM documents",
    "SELECT 'bytes', '', COALESCE(SUM(size), 0) FROM documents",
    "SELECT 'unindexed', '', COUNT(*) FROM documents WHERE indexed = 0",
    "SELECT 'language', COALESCE(language, 'und'), COUNT(*) FROM documents GROUP BY 2",
    "SELECT 'source', COALESCE(source, '(none)'), COUNT(*) FROM documents GROUP BY 2",
    "SELECT 'site', site, COUNT(*) FROM documents WHERE site IS NOT NULL GROUP BY 2",
    "SELECT 'languages', j.value, COUNT(*) FROM documents, json_each(documents.languages) j GROUP BY 2",
)
RECOUNT = "DELETE FROM counts;\n" + "".join(f"INSERT INTO counts {q};\n" for q in COUNT_QUERIES)

#: The migration steps, in order: (the schema version they make, the statements). The tables; groups
#: of copies; corrections and notes; the trash; counters kept by triggers; the groups' covering index.
STEPS = ((1, SCHEMA), (2, MIGRATE_2), (3, MIGRATE_3), (4, MIGRATE_4), (5, MIGRATE_5 + ";" + RECOUNT), (6, MIGRATE_6))
