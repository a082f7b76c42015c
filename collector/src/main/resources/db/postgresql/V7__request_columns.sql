-- See the SQLite step: the attributes every agent span carries in columns of their own. One
-- statement, so that the table is rewritten at most once.

ALTER TABLE requests ADD COLUMN lifted INTEGER NOT NULL DEFAULT 0, ADD COLUMN scheme TEXT,
    ADD COLUMN server_address TEXT, ADD COLUMN server_port BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN user_agent TEXT, ADD COLUMN error_type TEXT,
    ADD COLUMN socket_in BIGINT NOT NULL DEFAULT 0, ADD COLUMN socket_out BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN socket_calls BIGINT NOT NULL DEFAULT 0, ADD COLUMN socket_nanos BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN zero_copy_bytes BIGINT NOT NULL DEFAULT 0, ADD COLUMN copied_bytes BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN io_verdict TEXT;
