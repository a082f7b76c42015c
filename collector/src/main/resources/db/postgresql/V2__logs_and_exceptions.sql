-- Log records (full-text searchable through a generated tsvector) and exception occurrences.

CREATE TABLE logs (
  id BIGINT PRIMARY KEY,
  time BIGINT NOT NULL,
  service TEXT NOT NULL,
  level INTEGER NOT NULL,
  logger TEXT,
  thread TEXT,
  message TEXT,
  exception TEXT,
  trace_id TEXT,
  span_id TEXT,
  -- the first 200,000 characters: a tsvector is at most 1 MB, and a longer one would fail the commit
  search tsvector GENERATED ALWAYS AS (to_tsvector('simple', regexp_replace(left(coalesce(message,
      '') || ' ' || coalesce(exception, ''), 200000), '[^[:alnum:]]+', ' ', 'g'))) STORED);

CREATE INDEX logs_time ON logs(time);

CREATE INDEX logs_service_time ON logs(service, time);

-- a small pending list: inserts stay cheap, and it cannot hold megabytes against the size cap
CREATE INDEX logs_search ON logs USING gin (search) WITH (gin_pending_list_limit = 512);

CREATE TABLE exceptions (
  id BIGINT PRIMARY KEY,
  time BIGINT NOT NULL,
  service TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  type TEXT NOT NULL,
  message TEXT,
  stacktrace TEXT,
  trace_id TEXT,
  span_id TEXT,
  source TEXT NOT NULL);

CREATE INDEX exceptions_time ON exceptions(time);

CREATE INDEX exceptions_service_time ON exceptions(service, time);
