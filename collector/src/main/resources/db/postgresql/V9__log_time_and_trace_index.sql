-- See the SQLite step: the time index with the trace id in it, replacing the plain time index.

CREATE INDEX logs_time_trace ON logs(time, id, trace_id);
DROP INDEX logs_time;
