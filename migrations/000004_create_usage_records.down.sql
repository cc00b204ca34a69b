DROP FUNCTION record_verification(bigint, timestamptz);
DROP TABLE usage_records;
