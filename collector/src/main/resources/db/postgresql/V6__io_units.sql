-- A row may add up several units of work (plain socket traffic, summed at ingest).

ALTER TABLE io ADD COLUMN units BIGINT NOT NULL DEFAULT 1;
