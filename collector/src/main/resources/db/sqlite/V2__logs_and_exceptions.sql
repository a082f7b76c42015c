-- Log records (with full-text search) and exception occurrences.

CREATE TABLE logs (
  id INTEGER PRIMARY KEY,
  time INTEGER NOT NULL,
  service TEXT NOT NULL,
  -- 1 TRACE .. 5 ERROR, so that 'at least WARN' is a range
  level INTEGER NOT NULL,
  logger TEXT,
  thread TEXT,
  message TEXT,
  exception TEXT,
  trace_id TEXT,
  span_id TEXT);

CREATE INDEX logs_time ON logs(time);

CREATE INDEX logs_service_time ON logs(service, time);

CREATE VIRTUAL TABLE logs_fts USING fts5(message, exception, content='logs', content_rowid='id');

CREATE TRIGGER logs_fts_insert AFTER INSERT ON logs BEGIN INSERT INTO logs_fts(rowid, message,
    exception) VALUES (new.id, new.message, new.exception); END;

CREATE TRIGGER logs_fts_delete AFTER DELETE ON logs BEGIN INSERT INTO logs_fts(logs_fts, rowid,
    message, exception) VALUES ('delete', old.id, old.message, old.exception); END;

CREATE TABLE exceptions (
  id INTEGER PRIMARY KEY,
  time INTEGER NOT NULL,
  service TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  type TEXT NOT NULL,
  message TEXT,
  stacktrace TEXT,
  trace_id TEXT,
  span_id TEXT,
  -- request | log | uncaught
  source TEXT NOT NULL);

CREATE INDEX exceptions_time ON exceptions(time);

CREATE INDEX exceptions_service_time ON exceptions(service, time);
