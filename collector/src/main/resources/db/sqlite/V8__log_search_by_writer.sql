-- Log records are indexed for search by the writer, a commit's rows in one statement
-- (SqliteBackend.afterInsert): the row-by-row trigger made FTS5 half of what a log record cost.

DROP TRIGGER logs_fts_insert;
