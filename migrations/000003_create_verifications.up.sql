-- Audit log: every verification request, kept for billing disputes and support.
CREATE TYPE verification_result AS ENUM ('match', 'no_match', 'no_face', 'error');

CREATE TABLE verifications (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id    bigint              NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    face_id      bigint              REFERENCES faces (id) ON DELETE SET NULL,
    external_id  text                NOT NULL,
    result       verification_result NOT NULL,
    score        real                CHECK (score BETWEEN 0 AND 1),
    latency_ms   integer             NOT NULL CHECK (latency_ms >= 0),
    request_id   uuid                NOT NULL DEFAULT gen_random_uuid(),
    created_at   timestamptz         NOT NULL DEFAULT now()
);

CREATE INDEX verifications_tenant_created_at ON verifications (tenant_id, created_at DESC);
