-- CreateTable
CREATE TABLE "record_counts" (
    "connection_id" TEXT NOT NULL,
    "object" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "environment" "EnvironmentKind" NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "record_counts_pkey" PRIMARY KEY ("connection_id","object")
);

-- CreateIndex
CREATE INDEX "events_connection_id_type_created_at_idx" ON "events"("connection_id", "type", "created_at");

-- AddForeignKey
ALTER TABLE "record_counts" ADD CONSTRAINT "record_counts_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "record_counts" ADD CONSTRAINT "record_counts_connection_id_fkey" FOREIGN KEY ("connection_id") REFERENCES "connections"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Written by hand (Prisma cannot express these, and its diff ignores them): the Connections list's
-- partial indexes, one per sort and search column, over the rows the dashboard shows.
-- "Last synced" pages: keyset on (last_sync_completed_at, id).
CREATE INDEX "connections_list_last_sync_idx" ON "connections"("organization_id", "environment", "last_sync_completed_at", "id") WHERE "deleted_at" IS NULL;
-- "Name" pages and name search: case-insensitive, in byte order (collation "C") so that a prefix
-- LIKE can use the same index on any database collation.
CREATE INDEX "connections_list_name_idx" ON "connections"("organization_id", "environment", (lower("account_name") COLLATE "C"), "id") WHERE "deleted_at" IS NULL;
-- Prefix search on the platform's account id and the team's end-user id.
CREATE INDEX "connections_search_account_idx" ON "connections"("organization_id", "environment", (lower("platform_account_id") COLLATE "C")) WHERE "deleted_at" IS NULL;
CREATE INDEX "connections_search_end_user_idx" ON "connections"("organization_id", "environment", (lower("end_user_id") COLLATE "C")) WHERE "deleted_at" IS NULL;

-- record_counts follows records: one statement-level trigger per operation adds the statement's net
-- change per (connection, object) from its transition tables, so a 1,000-record page costs one
-- upsert, not 1,000. Rows are locked in (connection_id, object) order; deletions only update (an
-- organization's cascade may already have removed its connections' rows).
CREATE FUNCTION "record_counts_apply"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "record_counts" ("connection_id", "object", "organization_id", "environment", "count")
    SELECT "connection_id", "object", "organization_id", "environment", count(*) FROM new_rows
    WHERE "deleted_at" IS NULL
    GROUP BY 1, 2, 3, 4 ORDER BY 1, 2
    ON CONFLICT ("connection_id", "object") DO UPDATE SET "count" = "record_counts"."count" + excluded."count";
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO "record_counts" ("connection_id", "object", "organization_id", "environment", "count")
    SELECT "connection_id", "object", "organization_id", "environment", sum(delta) FROM (
      SELECT "connection_id", "object", "organization_id", "environment", 1 AS delta FROM new_rows WHERE "deleted_at" IS NULL
      UNION ALL
      SELECT "connection_id", "object", "organization_id", "environment", -1 FROM old_rows WHERE "deleted_at" IS NULL
    ) AS changes
    GROUP BY 1, 2, 3, 4 HAVING sum(delta) <> 0 ORDER BY 1, 2
    ON CONFLICT ("connection_id", "object") DO UPDATE SET "count" = "record_counts"."count" + excluded."count";
  ELSE
    UPDATE "record_counts" AS c SET "count" = c."count" - gone.n
    FROM (SELECT "connection_id", "object", count(*) AS n FROM old_rows WHERE "deleted_at" IS NULL GROUP BY 1, 2) AS gone
    WHERE c."connection_id" = gone."connection_id" AND c."object" = gone."object";
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "records_count_insert" AFTER INSERT ON "records" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "record_counts_apply"();
CREATE TRIGGER "records_count_update" AFTER UPDATE ON "records" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "record_counts_apply"();
CREATE TRIGGER "records_count_delete" AFTER DELETE ON "records" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "record_counts_apply"();

-- The records already stored.
INSERT INTO "record_counts" ("connection_id", "object", "organization_id", "environment", "count")
SELECT "connection_id", "object", "organization_id", "environment", count(*) FROM "records"
WHERE "deleted_at" IS NULL
GROUP BY 1, 2, 3, 4;
