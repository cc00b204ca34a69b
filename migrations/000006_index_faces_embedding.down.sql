-- ferry:no-transaction
DROP INDEX CONCURRENTLY IF EXISTS faces_embedding_ivfflat;
