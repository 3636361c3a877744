-- AlterTable
ALTER TABLE "events" ADD COLUMN     "external_id" TEXT;

-- Data events written before the column: their record is data.id (lib/events/emit.ts, recordEventsSql).
UPDATE "events" SET "external_id" = "data"->>'id'
WHERE "sync_run_id" IS NOT NULL AND "object" IS NOT NULL AND "type" ~ '_(CREATED|UPDATED|DELETED)$' AND "data" ? 'id';

-- CreateTable
CREATE TABLE "platform_requests" (
    "id" BIGSERIAL NOT NULL,
    "sync_run_id" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "object" TEXT,
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "status" INTEGER,
    "latency_ms" INTEGER NOT NULL,
    "attempt" INTEGER NOT NULL,
    "rate_limited" BOOLEAN NOT NULL,
    "bytes" INTEGER,
    "error" TEXT,
    "sent_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "platform_requests_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "platform_requests_sync_run_id_seq_idx" ON "platform_requests"("sync_run_id", "seq");

-- CreateIndex
CREATE INDEX "events_connection_id_external_id_created_at_idx" ON "events"("connection_id", "external_id", "created_at");

-- AddForeignKey
ALTER TABLE "platform_requests" ADD CONSTRAINT "platform_requests_sync_run_id_fkey" FOREIGN KEY ("sync_run_id") REFERENCES "sync_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
