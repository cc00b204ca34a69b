-- Tenants: one row per customer of the face-verification API.
-- The API key itself is never stored, only its SHA-256 hash (hex).
CREATE TABLE tenants (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name          text        NOT NULL,
    api_key_hash  text        NOT NULL UNIQUE CHECK (api_key_hash ~ '^[0-9a-f]{64}$'),
    settings      jsonb       NOT NULL DEFAULT '{}'::jsonb,
    active        boolean     NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

COMMENT ON COLUMN tenants.settings IS 'Per-tenant options, e.g. {"match_threshold": 0.82, "retention_days": 30}';

-- Keeps updated_at honest for every table that has one.
CREATE FUNCTION touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER tenants_touch_updated_at
    BEFORE UPDATE ON tenants
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
