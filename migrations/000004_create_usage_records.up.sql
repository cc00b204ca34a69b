-- Monthly usage per tenant, the basis of the invoice.
CREATE TABLE usage_records (
    tenant_id      bigint  NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    month          date    NOT NULL CHECK (month = date_trunc('month', month)::date),
    enrollments    integer NOT NULL DEFAULT 0 CHECK (enrollments >= 0),
    verifications  integer NOT NULL DEFAULT 0 CHECK (verifications >= 0),
    PRIMARY KEY (tenant_id, month)
);

-- Called by the API after each verification: one upsert, no read-modify-write race.
CREATE FUNCTION record_verification(p_tenant bigint, p_at timestamptz) RETURNS void
LANGUAGE sql
BEGIN ATOMIC
    INSERT INTO usage_records (tenant_id, month, verifications)
    VALUES (p_tenant, date_trunc('month', p_at)::date, 1)
    ON CONFLICT (tenant_id, month)
    DO UPDATE SET verifications = usage_records.verifications + 1;
END;
