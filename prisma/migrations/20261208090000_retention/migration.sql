-- Retention (lib/retention): how many days each organization keeps its history, and deletes that
-- answer at once and remove a connection's data in the background.

-- Days kept: events with their deliveries and attempts; finished runs (sync, job, write) with their
-- checkpoints and request logs; records' tombstones after their deletion.
ALTER TABLE "organizations" ADD COLUMN "event_retention_days" INTEGER NOT NULL DEFAULT 30,
ADD COLUMN "run_retention_days" INTEGER NOT NULL DEFAULT 90,
ADD COLUMN "tombstone_retention_days" INTEGER NOT NULL DEFAULT 30;

-- When the background removal of a deleted connection's data finished. Connections deleted before
-- this migration had their records removed by the delete itself.
ALTER TABLE "connections" ADD COLUMN "purged_at" TIMESTAMPTZ(3);
UPDATE "connections" SET "purged_at" = "deleted_at" WHERE "deleted_at" IS NOT NULL;

-- Partial indexes Prisma cannot express (its diff ignores them): the deleted connections still to be
-- purged, and records' tombstones by deletion time (a handful among millions of live records).
CREATE INDEX "connections_purge_idx" ON "connections" ("deleted_at") WHERE "deleted_at" IS NOT NULL AND "purged_at" IS NULL;
CREATE INDEX "records_tombstones_idx" ON "records" ("deleted_at") WHERE "deleted_at" IS NOT NULL;

-- A delivery by its event: deleting an event cascades to its deliveries, and without this index each
-- deleted event scanned the whole deliveries table for them.
CREATE INDEX "deliveries_event_id_idx" ON "deliveries"("event_id");

-- Retention: an environment's finished writes by when they finished.
CREATE INDEX "writes_organization_id_environment_finished_at_idx" ON "writes"("organization_id", "environment", "finished_at");

-- Deleting an environment's data: its connections created before this time are deleted in the
-- background (each as a connection delete), then it is cleared.
ALTER TABLE "environments" ADD COLUMN "delete_connections_requested_at" TIMESTAMPTZ(3);
