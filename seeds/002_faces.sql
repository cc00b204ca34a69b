-- Enrolled faces for the demo tenants, and a few verifications against them.
-- Embeddings are synthetic (512 floats, one face per external id per tenant); the CSV
-- before this file created the tenants.
INSERT INTO faces (tenant_id, external_id, embedding, metadata, quality_score)
SELECT t.id,
       f.external_id,
       ARRAY(SELECT round((sin(g * f.seed) / 2 + 0.5)::numeric, 4)::real FROM generate_series(1, 512) AS g)::vector(512),
       f.metadata::jsonb,
       f.quality
FROM (VALUES
        ('Acme, Inc.',     'emp-0001', 1.0, '{"department": "R&D", "badge": 1}',   0.97),
        ('Acme, Inc.',     'emp-0002', 2.0, '{"department": "Sales", "badge": 2}', 0.88),
        ('Globex "Labs"',  'visitor-42', 3.0, '{"note": "day pass"}',              0.71)
     ) AS f (tenant, external_id, seed, metadata, quality)
JOIN tenants t ON t.name = f.tenant;

-- 2,000 more, so that the ivfflat index has something to learn its 100 lists from: each a
-- variation of one of twenty "people", as a real enrolment set clusters.
INSERT INTO faces (tenant_id, external_id, embedding, metadata, quality_score)
SELECT t.id,
       format('demo-%s', lpad(n::text, 4, '0')),
       ARRAY(SELECT round((sin(g * (n % 20 + 4)) / 2 + 0.5
                           + ((abs(sin(n * 12.9898 + g * 78.233)) * 43758.5453)::numeric % 1) / 20)::numeric, 4)::real
             FROM generate_series(1, 512) AS g)::vector(512),
       jsonb_build_object('person', n % 20),
       0.5 + (n % 50) / 100.0
FROM generate_series(1, 2000) AS n
JOIN tenants t ON t.name = 'Acme, Inc.';

-- ivfflat learns its lists from the rows present when it is built: now there are some.
REINDEX INDEX faces_embedding_ivfflat;

INSERT INTO verifications (tenant_id, face_id, external_id, result, score, latency_ms)
SELECT f.tenant_id, f.id, f.external_id, 'match', 0.93, 41
FROM faces f
WHERE f.external_id = 'emp-0001';

INSERT INTO verifications (tenant_id, face_id, external_id, result, score, latency_ms)
SELECT t.id, NULL, 'emp-9999', 'no_match', 0.12, 38
FROM tenants t
WHERE t.name = 'Acme, Inc.';

SELECT record_verification(tenant_id, created_at) FROM verifications;
