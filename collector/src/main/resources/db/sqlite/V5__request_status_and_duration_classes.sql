-- Indexes for the rare-match request filters. Status class (5xx) and a coarse duration class are
-- generated columns indexed with the start time, so "5xx" and "at least 2 s" walk their rows newest
-- first instead of scanning the table. The class index replaces the exact status one (an exact status
-- is found within its class), so ingest keeps the same index count but for the duration one, whose few
-- distinct prefixes keep its inserts at the index's edges.

ALTER TABLE requests ADD COLUMN status_class INTEGER GENERATED ALWAYS AS (status / 100) VIRTUAL;

-- the bounds of DurationClasses, written out: a released step never changes
ALTER TABLE requests ADD COLUMN duration_class INTEGER GENERATED ALWAYS AS (CASE WHEN duration_ms <
    1 THEN 0 WHEN duration_ms < 2 THEN 1 WHEN duration_ms < 5 THEN 2 WHEN duration_ms < 10 THEN 3 WHEN
    duration_ms < 20 THEN 4 WHEN duration_ms < 50 THEN 5 WHEN duration_ms < 100 THEN 6 WHEN duration_ms
    < 200 THEN 7 WHEN duration_ms < 500 THEN 8 WHEN duration_ms < 1000 THEN 9 WHEN duration_ms < 2000
    THEN 10 WHEN duration_ms < 5000 THEN 11 WHEN duration_ms < 10000 THEN 12 WHEN duration_ms < 30000
    THEN 13 WHEN duration_ms < 60000 THEN 14 ELSE 15 END) VIRTUAL;

DROP INDEX requests_status_time;

CREATE INDEX requests_status_class_time ON requests(status_class, start_time);

CREATE INDEX requests_duration_class_time ON requests(duration_class, start_time);
