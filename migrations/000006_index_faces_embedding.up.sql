-- ferry:no-transaction
-- Nearest-neighbour search over the embeddings (cosine distance, `<=>`). ivfflat learns its
-- lists from the rows present when it is built, so it comes after the faces are loaded:
-- late, and CONCURRENTLY, so enrolment and verification keep working while it builds.
-- lists = 100 suits up to about a million faces (rows / 1000); rebuild it
-- (REINDEX INDEX CONCURRENTLY) after loading many more.
CREATE INDEX CONCURRENTLY IF NOT EXISTS faces_embedding_ivfflat
    ON faces USING ivfflat (embedding vector_cosine_ops) WITH (lists = 100);
