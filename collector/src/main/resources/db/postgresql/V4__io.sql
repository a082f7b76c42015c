-- Socket and file-channel I/O.

CREATE TABLE io (
  id BIGINT PRIMARY KEY,
  time BIGINT NOT NULL,
  service TEXT NOT NULL,
  path TEXT NOT NULL,
  call_site TEXT NOT NULL,
  kind TEXT NOT NULL,
  calls BIGINT NOT NULL,
  bytes BIGINT NOT NULL,
  zero_copy_bytes BIGINT NOT NULL,
  copied_bytes BIGINT NOT NULL,
  mechanism TEXT NOT NULL,
  verdict TEXT NOT NULL,
  reason TEXT,
  nanos BIGINT NOT NULL,
  source TEXT,
  target TEXT,
  trace_id TEXT,
  span_id TEXT);

CREATE INDEX io_time ON io(time);

CREATE INDEX io_service_time ON io(service, time);
