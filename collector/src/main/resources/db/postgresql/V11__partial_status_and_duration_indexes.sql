-- See the SQLite step: the status and duration class indexes keep only unusual statuses (not 2xx)
-- and slow requests (duration class 7 on, at least 100 ms).

DROP INDEX requests_status_class_time;

DROP INDEX requests_duration_class_time;

CREATE INDEX requests_unusual_status_time ON requests(status_class, start_time) WHERE status_class <> 2;

CREATE INDEX requests_slow_time ON requests(duration_class, start_time) WHERE duration_class >= 7;
