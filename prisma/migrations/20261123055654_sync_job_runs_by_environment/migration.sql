-- CreateIndex
CREATE INDEX "sync_job_runs_organization_id_environment_id_idx" ON "sync_job_runs"("organization_id", "environment", "id");
