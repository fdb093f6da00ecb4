-- Claims extracted from documents, and the events they are grouped into.
CREATE TABLE claims (
    claim_id   TEXT PRIMARY KEY,
    doc_id     TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    start      INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    type       TEXT NOT NULL,
    side       TEXT NOT NULL,
    certainty  TEXT NOT NULL,
    published  TEXT,
    event_id   TEXT,
    data       TEXT NOT NULL
);
CREATE INDEX claims_doc ON claims(doc_id);
CREATE INDEX claims_event ON claims(event_id);

CREATE TABLE events (
    event_id  TEXT PRIMARY KEY,
    type      TEXT NOT NULL,
    status    TEXT NOT NULL,
    start     TEXT,
    n_claims  INTEGER NOT NULL,
    n_sources INTEGER NOT NULL,
    data      TEXT NOT NULL
);
CREATE INDEX events_status ON events(status);
