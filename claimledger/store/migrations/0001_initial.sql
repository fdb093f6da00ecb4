-- Documents, their near-duplicate band keys, rejected inputs.
CREATE TABLE documents (
    doc_id        TEXT PRIMARY KEY,
    content_hash  TEXT NOT NULL,
    title         TEXT,
    outlet        TEXT,
    published     TEXT,
    language      TEXT NOT NULL,
    url           TEXT,
    source        TEXT,
    text          TEXT NOT NULL,
    raw           TEXT,
    duplicate_of  TEXT REFERENCES documents(doc_id),
    signature     BLOB,
    meta          TEXT NOT NULL DEFAULT '{}',
    places        TEXT NOT NULL DEFAULT '[]',
    extracted_version TEXT
);
CREATE INDEX documents_hash ON documents(content_hash);
CREATE INDEX documents_extracted ON documents(extracted_version);

CREATE TABLE doc_bands (
    band_key INTEGER NOT NULL,
    doc_id   TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    PRIMARY KEY (band_key, doc_id)
) WITHOUT ROWID;

CREATE TABLE rejections (
    source  TEXT NOT NULL,
    line    INTEGER NOT NULL DEFAULT 0,
    code    TEXT NOT NULL,
    message TEXT NOT NULL,
    PRIMARY KEY (source, line, code)
);

-- postgresql only
ALTER TABLE documents ADD COLUMN rowid BIGSERIAL;
-- postgresql only
CREATE INDEX documents_rowid ON documents(rowid);
-- postgresql only
CREATE TABLE ledger_revision (n INTEGER NOT NULL);
-- postgresql only
INSERT INTO ledger_revision VALUES (0);
-- postgresql only
CREATE FUNCTION instr(haystack text, needle text) RETURNS integer LANGUAGE sql IMMUTABLE
    AS 'SELECT strpos(haystack, needle)'
