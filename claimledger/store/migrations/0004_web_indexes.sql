-- Covering indexes for the overview's counts and timeline, and a partial index for the map.
CREATE INDEX claims_type_side_published ON claims(type, side, published);
CREATE INDEX claims_side_published ON claims(side, published);
CREATE INDEX claims_published_side ON claims(published, side);
CREATE INDEX events_map ON events(n_claims DESC) WHERE lat IS NOT NULL;
CREATE INDEX events_status_contradictions ON events(status, n_contradictions DESC, n_claims DESC);
CREATE INDEX events_type_status ON events(type, status);
