-- Status and duration classes indexed with the start time (see the SQLite step 5).
-- PostgreSQL 15 generates STORED columns only.

ALTER TABLE requests ADD COLUMN status_class INTEGER GENERATED ALWAYS AS (status / 100) STORED;

ALTER TABLE requests ADD COLUMN duration_class INTEGER GENERATED ALWAYS AS (CASE WHEN duration_ms <
    1 THEN 0 WHEN duration_ms < 2 THEN 1 WHEN duration_ms < 5 THEN 2 WHEN duration_ms < 10 THEN 3 WHEN
    duration_ms < 20 THEN 4 WHEN duration_ms < 50 THEN 5 WHEN duration_ms < 100 THEN 6 WHEN duration_ms
    < 200 THEN 7 WHEN duration_ms < 500 THEN 8 WHEN duration_ms < 1000 THEN 9 WHEN duration_ms < 2000
    THEN 10 WHEN duration_ms < 5000 THEN 11 WHEN duration_ms < 10000 THEN 12 WHEN duration_ms < 30000
    THEN 13 WHEN duration_ms < 60000 THEN 14 ELSE 15 END) STORED;

DROP INDEX requests_status_time;

CREATE INDEX requests_status_class_time ON requests(status_class, start_time);

CREATE INDEX requests_duration_class_time ON requests(duration_class, start_time);
