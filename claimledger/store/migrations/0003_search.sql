-- Full-text search over documents and claims, and event columns the web filters use.
CREATE VIRTUAL TABLE documents_fts USING fts5(doc_id UNINDEXED, title, text, tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE claims_fts USING fts5(claim_id UNINDEXED, doc_id UNINDEXED, sentence, claimant, tokenize='unicode61 remove_diacritics 2');
INSERT INTO documents_fts (doc_id, title, text) SELECT doc_id, coalesce(title, ''), text FROM documents;
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
