-- What no query filters or sorts on (client address, exception and log counts, attribute JSON and
-- the lifted columns of V7) is written packed into one column (RequestDetails): each bound parameter
-- cost the writer a JNI call, a UTF-8 copy and a malloc, and a request had 28. Rows written before
-- keep their values in the old columns, which new rows leave at their defaults.

ALTER TABLE requests ADD COLUMN details BLOB;
