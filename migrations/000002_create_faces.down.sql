-- The vector extension stays: it may have been there before this migration (Supabase
-- installs it), and other schemas may use it.
DROP TABLE faces;
