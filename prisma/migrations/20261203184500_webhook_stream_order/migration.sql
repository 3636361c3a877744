-- AlterTable
ALTER TABLE "webhook_endpoints" ADD COLUMN     "ordering_wait_seconds" INTEGER NOT NULL DEFAULT 3600;

-- AlterTable
ALTER TABLE "deliveries" ADD COLUMN     "failing_since" TIMESTAMPTZ(3),
ADD COLUMN     "sequence" INTEGER,
ADD COLUMN     "stream" TEXT;

-- AlterTable
ALTER TABLE "delivery_attempts" ADD COLUMN     "request_headers" JSONB;

-- CreateTable
CREATE TABLE "webhook_streams" (
    "endpoint_id" TEXT NOT NULL,
    "stream" TEXT NOT NULL,
    "last_sequence" INTEGER NOT NULL,

    CONSTRAINT "webhook_streams_pkey" PRIMARY KEY ("endpoint_id","stream")
);

-- Written by hand: existing deliveries join the stream their event belongs to (lib/webhooks/streams.ts)
-- and are numbered in event order, and each stream's counter starts after its last number.
UPDATE "deliveries" d SET "stream" = CASE
    WHEN v."type" = 'ENDPOINT_TEST' THEN 'endpoint_test:' || d."id"
    WHEN v."type" LIKE 'SYNC\_JOB\_RUN\_%' AND v."data"->>'sync_job_run_id' IS NOT NULL THEN 'sync_job_run:' || (v."data"->>'sync_job_run_id')
    WHEN v."connection_id" IS NOT NULL THEN 'connection:' || v."connection_id"
    ELSE 'endpoint' END
FROM "events" v WHERE v."id" = d."event_id";

UPDATE "deliveries" d SET "sequence" = n."sequence"
FROM (SELECT d2."id", row_number() OVER (PARTITION BY d2."endpoint_id", d2."stream" ORDER BY v."seq") AS "sequence"
      FROM "deliveries" d2 JOIN "events" v ON v."id" = d2."event_id") n
WHERE n."id" = d."id";

INSERT INTO "webhook_streams" ("endpoint_id", "stream", "last_sequence")
SELECT "endpoint_id", "stream", max("sequence") FROM "deliveries" GROUP BY "endpoint_id", "stream";

ALTER TABLE "deliveries" ALTER COLUMN "sequence" SET NOT NULL,
ALTER COLUMN "sequence" SET DEFAULT 0,
ALTER COLUMN "stream" SET NOT NULL,
ALTER COLUMN "stream" SET DEFAULT 'endpoint';

-- Written by hand (Prisma cannot express it): the claim walks the streams that have pending
-- deliveries and finds each one's head here, without reading delivered rows.
CREATE INDEX "deliveries_pending_stream_idx" ON "deliveries"("endpoint_id", "stream", "sequence") WHERE "status" = 'pending';

-- AddForeignKey
ALTER TABLE "webhook_streams" ADD CONSTRAINT "webhook_streams_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoints"("id") ON DELETE CASCADE ON UPDATE CASCADE;
