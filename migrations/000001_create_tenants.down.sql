DROP TABLE tenants;
DROP FUNCTION touch_updated_at();
