-- The linker's blocks: one row per (block key, claim), so a new document finds the claims it
-- can be compared with without reading the ledger (see reconcile/online.py).
CREATE TABLE link_keys (
    key      TEXT NOT NULL,
    claim_id TEXT NOT NULL REFERENCES claims(claim_id) ON DELETE CASCADE,
    PRIMARY KEY (key, claim_id)
) WITHOUT ROWID;
CREATE INDEX link_keys_claim ON link_keys(claim_id)
