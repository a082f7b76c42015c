-- Per-minute request rollups for charts, and counters that survive restarts.

CREATE TABLE request_rollups (
  service TEXT NOT NULL,
  minute BIGINT NOT NULL,
  route TEXT NOT NULL,
  count BIGINT NOT NULL,
  errors BIGINT NOT NULL,
  total_ms DOUBLE PRECISION NOT NULL,
  max_ms DOUBLE PRECISION NOT NULL,
  histogram BYTEA NOT NULL,
  PRIMARY KEY (service, minute, route));

CREATE INDEX request_rollups_minute ON request_rollups(minute);

CREATE TABLE counters (name TEXT PRIMARY KEY,
  value BIGINT NOT NULL);
