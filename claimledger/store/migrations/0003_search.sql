-- Full-text search over documents and claims, and event columns the web filters use.
-- sqlite only
CREATE VIRTUAL TABLE documents_fts USING fts5(doc_id UNINDEXED, title, text, tokenize='unicode61 remove_diacritics 2');
-- sqlite only
CREATE VIRTUAL TABLE claims_fts USING fts5(claim_id UNINDEXED, doc_id UNINDEXED, sentence, claimant, tokenize='unicode61 remove_diacritics 2');
-- sqlite only
INSERT INTO documents_fts (doc_id, title, text) SELECT doc_id, coalesce(title, ''), text FROM documents;
-- sqlite only
INSERT INTO claims_fts (claim_id, doc_id, sentence, claimant)
    SELECT claim_id, doc_id, json_extract(data, '$.sentence'), json_extract(data, '$.claimant.name') FROM claims;
ALTER TABLE events ADD COLUMN sides TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN places TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN n_contradictions INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN lat REAL;
ALTER TABLE events ADD COLUMN lon REAL;
CREATE INDEX events_type ON events(type);
CREATE INDEX events_start ON events(start);
CREATE INDEX claims_type ON claims(type);
CREATE INDEX claims_side ON claims(side);
CREATE INDEX claims_published ON claims(published);
CREATE INDEX documents_duplicate ON documents(duplicate_of);
-- postgresql only
CREATE TABLE claims_fts (
    claim_id TEXT NOT NULL,
    doc_id   TEXT NOT NULL,
    sentence TEXT,
    claimant TEXT,
    tsv      tsvector GENERATED ALWAYS AS (to_tsvector('simple', coalesce(sentence, '') || ' ' || coalesce(claimant, ''))) STORED
);
-- postgresql only
CREATE INDEX claims_fts_tsv ON claims_fts USING gin (tsv);
-- postgresql only
CREATE INDEX claims_fts_doc ON claims_fts (doc_id);
-- postgresql only
ALTER TABLE documents ADD COLUMN tsv tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', coalesce(title, '') || ' ' || left(text, 100000))) STORED;
-- postgresql only
CREATE INDEX documents_tsv ON documents USING gin (tsv)
