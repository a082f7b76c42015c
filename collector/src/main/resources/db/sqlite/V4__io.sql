-- Socket and file-channel I/O, one row per unit of work (request, or "-") and call site/kind/mechanism.

CREATE TABLE io (
  id INTEGER PRIMARY KEY,
  time INTEGER NOT NULL,
  service TEXT NOT NULL,
  -- the request's route or path, "-" outside requests
  path TEXT NOT NULL,
  call_site TEXT NOT NULL,
  -- transferTo | transferFrom | socket | copy-loop
  kind TEXT NOT NULL,
  calls INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  zero_copy_bytes INTEGER NOT NULL,
  copied_bytes INTEGER NOT NULL,
  -- sendfile | copy_file_range | mmap | user-copy
  mechanism TEXT NOT NULL,
  -- zero-copy | fallback | candidate | tls-blocked | none
  verdict TEXT NOT NULL,
  reason TEXT,
  nanos INTEGER NOT NULL,
  source TEXT,
  target TEXT,
  trace_id TEXT,
  span_id TEXT);

-- time-ordered only (MEASURED.md); a trace's rows are found within its request's time range
CREATE INDEX io_time ON io(time);

CREATE INDEX io_service_time ON io(service, time);
