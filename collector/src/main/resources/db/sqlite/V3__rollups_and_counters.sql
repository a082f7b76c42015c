-- Per-minute request rollups for charts, and counters that survive restarts.

CREATE TABLE request_rollups (
  service TEXT NOT NULL,
  -- epoch minute
  minute INTEGER NOT NULL,
  -- the route, else the path
  route TEXT NOT NULL,
  count INTEGER NOT NULL,
  errors INTEGER NOT NULL,
  total_ms REAL NOT NULL,
  max_ms REAL NOT NULL,
  -- DurationHistogram buckets
  histogram BLOB NOT NULL,
  PRIMARY KEY (service, minute, route)) WITHOUT ROWID;

CREATE INDEX request_rollups_minute ON request_rollups(minute);

CREATE TABLE counters (name TEXT PRIMARY KEY,
  value INTEGER NOT NULL) WITHOUT ROWID;
