-- The attributes every agent span carries, socket figures included, in columns of their own
-- (RequestColumns) instead of each row's attribute JSON; "lifted" says which a row's span had.

ALTER TABLE requests ADD COLUMN lifted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE requests ADD COLUMN scheme TEXT;
ALTER TABLE requests ADD COLUMN server_address TEXT;
ALTER TABLE requests ADD COLUMN server_port INTEGER NOT NULL DEFAULT 0;
ALTER TABLE requests ADD COLUMN user_agent TEXT;
ALTER TABLE requests ADD COLUMN error_type TEXT;
ALTER TABLE requests ADD COLUMN socket_in INTEGER NOT NULL DEFAULT 0;
ALTER TABLE requests ADD COLUMN socket_out INTEGER NOT NULL DEFAULT 0;
ALTER TABLE requests ADD COLUMN socket_calls INTEGER NOT NULL DEFAULT 0;
ALTER TABLE requests ADD COLUMN socket_nanos INTEGER NOT NULL DEFAULT 0;
ALTER TABLE requests ADD COLUMN zero_copy_bytes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE requests ADD COLUMN copied_bytes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE requests ADD COLUMN io_verdict TEXT;
