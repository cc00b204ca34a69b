-- ferry:no-transaction
-- Built CONCURRENTLY so enrolment keeps working on a large faces table;
-- PostgreSQL refuses that inside a transaction, hence the directive above.
CREATE INDEX CONCURRENTLY IF NOT EXISTS faces_metadata_gin ON faces USING gin (metadata jsonb_path_ops);
