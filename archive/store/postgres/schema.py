"""A PostgreSQL archive's tables (``archive db init`` creates them; every writer makes sure they exist).

One row holds everything about a document (metadata, clean text, segments, original bytes, the
user's corrections (``edits``: field -> the extraction's value) and notes, copy group and similarity
sketch, and its index entry: the ``terms`` vector with a GIN index, each lexeme's frequency as two
arrays kept in the row itself (``tf_keys``, ``tf_counts``; ``tf_extra``: the rare lexemes whose key
another of the row shares, by name; ranking reads them and the lengths instead of the vector, which
lives in TOAST: :func:`in_the_row`), the
field lengths, the date as a number), so a document lives whole in one place. ``vocabulary`` counts the
documents of each lexeme (BM25's document frequencies, the expansions' "does the archive hold this
word"), ``totals`` the documents and each field's summed length (BM25's averages); both are changed
in the transaction that adds or removes a document. ``trash`` holds removed documents, whole, until they are restored or
the trash is emptied. ``lexicon`` holds the user's cross-language pairs (what ``HOME/lexicon.tsv``
holds for a home folder; ``english`` case-folded in the key). ``line_keys`` are the lines of text dumps seen per
site, from which the extraction learns a site's chrome (as in the embedded store).
"""

from __future__ import annotations

SCHEMA_VERSION = 3

#: The columns of a document (the ``documents`` table, each shard's part of it, and the trash).
COLUMNS = """
    id text COLLATE "C" NOT NULL,
    seq bigint NOT NULL DEFAULT nextval('document_seq'),
    raw_sha256 text NOT NULL,
    text_sha256 text NOT NULL,
    input text, url text, source text, site text, title text, subtitle text, author text, date text,
    section text, language text,
    languages jsonb NOT NULL DEFAULT '[]',
    tags jsonb NOT NULL DEFAULT '[]',
    kind text NOT NULL, encoding text, captured text,
    added text NOT NULL,
    size bigint NOT NULL,
    text text NOT NULL,
    segments jsonb NOT NULL DEFAULT '[]',
    edits jsonb NOT NULL DEFAULT '{}',
    notes jsonb NOT NULL DEFAULT '[]',
    original bytea NOT NULL,
    cluster text COLLATE "C",
    shingles integer,
    sketch bigint[] NOT NULL DEFAULT '{}',
    terms tsvector NOT NULL,
    lengths jsonb NOT NULL DEFAULT '{}',
    day integer,
    arabic boolean NOT NULL DEFAULT false,
    tf_keys integer[],
    tf_counts smallint[],
    tf_extra jsonb"""


def documents_table(name: str) -> str:
    """A table of documents with its keys and indexes (the whole archive's, or one shard's part)."""
    return f"""
CREATE SEQUENCE IF NOT EXISTS document_seq;
CREATE TABLE IF NOT EXISTS {name} ({COLUMNS}, PRIMARY KEY (id), UNIQUE (raw_sha256));
CREATE INDEX IF NOT EXISTS {name}_terms ON {name} USING gin (terms);
CREATE INDEX IF NOT EXISTS {name}_sketch ON {name} USING gin (sketch);
CREATE INDEX IF NOT EXISTS {name}_text_sha256 ON {name} (text_sha256);
CREATE INDEX IF NOT EXISTS {name}_added ON {name} (added, id);
CREATE INDEX IF NOT EXISTS {name}_url ON {name} (url);
CREATE INDEX IF NOT EXISTS {name}_input ON {name} (input);
CREATE INDEX IF NOT EXISTS {name}_cluster ON {name} (cluster);
""" + in_the_row(name)


def in_the_row(name: str) -> str:
    """What ranking reads kept in the row itself (storage ``MAIN``: never moved out to TOAST while the
    row fits a page, which would cost a look-up in TOAST for every matching row), compressed with lz4
    where the server has it (decompressed several times faster than pglz)."""
    return f"""
ALTER TABLE {name} ALTER COLUMN tf_keys SET STORAGE MAIN, ALTER COLUMN tf_counts SET STORAGE MAIN,
    ALTER COLUMN lengths SET STORAGE MAIN;
DO $$ BEGIN
    ALTER TABLE {name} ALTER COLUMN tf_keys SET COMPRESSION lz4, ALTER COLUMN tf_counts SET COMPRESSION lz4,
        ALTER COLUMN lengths SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN NULL;  -- (a server built without lz4: pglz, the default)
END $$;
"""


#: What lives beside the documents, on the archive's own server (with shards too).
SHARED_TABLES = """
CREATE TABLE IF NOT EXISTS archive_meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE IF NOT EXISTS line_keys (
    scope text NOT NULL, key text NOT NULL, doc_id text COLLATE "C" NOT NULL, PRIMARY KEY (scope, key, doc_id)
);
CREATE INDEX IF NOT EXISTS line_keys_doc ON line_keys (doc_id);
CREATE SEQUENCE IF NOT EXISTS note_ids;
CREATE TABLE IF NOT EXISTS trash (LIKE documents INCLUDING DEFAULTS, removed text NOT NULL, PRIMARY KEY (id));
CREATE TABLE IF NOT EXISTS vocabulary (lexeme text COLLATE "C" PRIMARY KEY, df integer NOT NULL);
CREATE TABLE IF NOT EXISTS totals (field text PRIMARY KEY, total bigint NOT NULL);
INSERT INTO totals (field, total) VALUES ('', 0) ON CONFLICT DO NOTHING;
"""

#: Version 2: the user's cross-language pairs.
LEXICON = """
CREATE TABLE IF NOT EXISTS lexicon (
    english text NOT NULL, arabic text NOT NULL, add boolean NOT NULL, seq bigserial, PRIMARY KEY (english, arabic)
);
"""

#: Version 3: the frequency arrays (filled from each document's vector by :func:`.connection._upgrade`).
FREQUENCIES = """
ALTER TABLE {table} ADD COLUMN IF NOT EXISTS tf_keys integer[], ADD COLUMN IF NOT EXISTS tf_counts smallint[],
    ADD COLUMN IF NOT EXISTS tf_extra jsonb;
"""

#: The steps that bring an archive of an earlier version up to date: (the version they make, the SQL).
STEPS = [(2, LEXICON), (3, FREQUENCIES)]

#: One server's archive.
SCHEMA = documents_table("documents") + SHARED_TABLES + LEXICON
