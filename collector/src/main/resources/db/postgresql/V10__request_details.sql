-- See the SQLite step: what no query filters or sorts on, packed into one column (RequestDetails).

ALTER TABLE requests ADD COLUMN details BYTEA;
