-- When a record was last written through the API (the dashboard's data browser marks such records).
-- Nullable without a default: adding it rewrites no row.
ALTER TABLE "records" ADD COLUMN "written_at" TIMESTAMPTZ(3);
