-- ferry:no-transaction
DROP INDEX CONCURRENTLY IF EXISTS faces_metadata_gin;
