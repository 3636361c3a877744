-- Writes answered at once (response_mode=async): queued, run by a worker, their outcome kept.
CREATE TABLE "writes" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "environment" "EnvironmentKind" NOT NULL,
    "connection_id" TEXT NOT NULL,
    "object" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "record_id" TEXT,
    "data" JSONB NOT NULL DEFAULT '{}',
    "idempotency_key" TEXT NOT NULL,
    "status" "RunStatus" NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "result" JSONB,
    "error" JSONB,
    "resume_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "lease_owner" TEXT,
    "lease_expires_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "writes_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "writes_status_resume_at_idx" ON "writes"("status", "resume_at");
CREATE INDEX "writes_connection_id_idx" ON "writes"("connection_id");

ALTER TABLE "writes" ADD CONSTRAINT "writes_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "writes" ADD CONSTRAINT "writes_connection_id_fkey" FOREIGN KEY ("connection_id") REFERENCES "connections"("id") ON DELETE CASCADE ON UPDATE CASCADE;
