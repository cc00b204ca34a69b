-- Enrolled faces: a 512-dimension embedding per face, one face per external id per tenant.
-- pgvector stores the embeddings; its ivfflat index is built once faces are loaded
-- (000006_index_faces_embedding).
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE faces (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id      bigint      NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    external_id    text        NOT NULL,
    embedding      vector(512) NOT NULL,
    metadata       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    quality_score  real        NOT NULL CHECK (quality_score BETWEEN 0 AND 1),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT faces_one_per_external_id UNIQUE (tenant_id, external_id)
);

CREATE TRIGGER faces_touch_updated_at
    BEFORE UPDATE ON faces
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
