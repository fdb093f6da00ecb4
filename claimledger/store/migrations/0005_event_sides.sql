-- One row per (event, side of one of its sources): side filters become index lookups.
CREATE TABLE event_sides (
    side     TEXT NOT NULL,
    type     TEXT NOT NULL,
    status   TEXT NOT NULL,
    start    TEXT,
    event_id TEXT NOT NULL REFERENCES events(event_id) ON DELETE CASCADE,
    PRIMARY KEY (side, type, status, event_id)
) WITHOUT ROWID;
CREATE INDEX event_sides_start ON event_sides(side, type, start);
-- sqlite only
INSERT INTO event_sides (side, type, status, start, event_id)
    SELECT DISTINCT json_extract(s.value, '$.side'), e.type, e.status, e.start, e.event_id
    FROM events e, json_each(json_extract(e.data, '$.sources')) s;
