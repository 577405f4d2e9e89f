"""The store's SQLite tables and their version (``Store`` creates them, or migrates an older file)."""

from __future__ import annotations

#: Bumped by a release that changes the tables; ``Store`` migrates older files in place.
SCHEMA_VERSION = 4

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
