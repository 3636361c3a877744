-- CreateEnum
CREATE TYPE "EnvironmentKind" AS ENUM ('sandbox', 'production');

-- CreateEnum
CREATE TYPE "MemberRole" AS ENUM ('owner', 'admin', 'viewer');

-- CreateEnum
CREATE TYPE "SyncConfigScope" AS ENUM ('organization', 'platform', 'connection');

-- CreateEnum
CREATE TYPE "ConnectionStage" AS ENUM ('INITIAL_SYNC', 'HISTORICAL_SYNC', 'ONGOING');

-- CreateEnum
CREATE TYPE "ConnectionHealth" AS ENUM ('HEALTHY', 'UNHEALTHY', 'NEEDS_UPDATE', 'DISABLED');

-- CreateEnum
CREATE TYPE "DisabledReason" AS ENUM ('credentials_revoked', 'account_closed', 'subscription_ended', 'repeated_failures', 'disabled_by_user', 'deleted_on_platform');

-- CreateEnum
CREATE TYPE "LinkSessionStatus" AS ENUM ('pending', 'completed', 'failed', 'expired');

-- CreateEnum
CREATE TYPE "SyncRunKind" AS ENUM ('initial_batch', 'historical_batch', 'incremental', 'backfill', 'manual', 'platform_triggered');

-- CreateEnum
CREATE TYPE "SyncRunStatus" AS ENUM ('queued', 'running', 'rate_limited', 'succeeded', 'failed', 'cancelled');

-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('pending', 'succeeded', 'failed', 'cancelled');

-- CreateEnum
CREATE TYPE "SyncJobErrorHandling" AS ENUM ('ignore', 'fail_fast');

-- CreateEnum
CREATE TYPE "SyncJobRunStatus" AS ENUM ('created', 'running', 'rate_limited', 'completed', 'failed', 'stopped');

-- CreateTable
CREATE TABLE "organizations" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "organizations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "users" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "last_sign_in_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "members" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "role" "MemberRole" NOT NULL DEFAULT 'viewer',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "members_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "environments" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "kind" "EnvironmentKind" NOT NULL,
    "emit_data_events_on_initial" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "environments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "platform_configs" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "environment" "EnvironmentKind" NOT NULL,
    "platform" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "client_id" TEXT,
    "client_secret_encrypted" TEXT,
    "scopes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "platform_configs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sync_configurations" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "environment" "EnvironmentKind" NOT NULL,
    "scope" "SyncConfigScope" NOT NULL,
    "scope_key" TEXT NOT NULL,
    "platform" TEXT,
    "connection_id" TEXT,
    "objects" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "history_months" INTEGER,
    "incremental_frequency_minutes" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sync_configurations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sync_batches" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "environment" "EnvironmentKind" NOT NULL,
    "sync_configuration_id" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "objects" TEXT[],
    "from_months_ago" INTEGER,
    "to_months_ago" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "sync_batches_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "connections" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "environment" "EnvironmentKind" NOT NULL,
    "platform" TEXT NOT NULL,
    "platform_account_id" TEXT,
    "account_name" TEXT,
    "end_user_id" TEXT,
    "stage" "ConnectionStage" NOT NULL DEFAULT 'INITIAL_SYNC',
    "health" "ConnectionHealth" NOT NULL DEFAULT 'HEALTHY',
    "is_ready" BOOLEAN NOT NULL DEFAULT false,
    "disabled_reason" "DisabledReason",
    "health_detail" TEXT,
    "credentials_encrypted" TEXT,
    "credentials_expire_at" TIMESTAMPTZ(3),
    "access_token_hash" TEXT NOT NULL,
    "batches_total" INTEGER NOT NULL DEFAULT 0,
    "batches_completed" INTEGER NOT NULL DEFAULT 0,
    "consecutive_failures" INTEGER NOT NULL DEFAULT 0,
    "last_sync_started_at" TIMESTAMPTZ(3),
    "last_sync_completed_at" TIMESTAMPTZ(3),
    "last_successful_sync_started_at" TIMESTAMPTZ(3),
    "next_sync_at" TIMESTAMPTZ(3),
    "incremental_paused_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "connections_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "link_sessions" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "environment" "EnvironmentKind" NOT NULL,
    "token_hash" TEXT NOT NULL,
    "allowed_platforms" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "end_user_id" TEXT,
    "connection_id" TEXT,
    "status" "LinkSessionStatus" NOT NULL DEFAULT 'pending',
    "error" TEXT,
    "oauth_state" TEXT,
    "public_token_hash" TEXT,
    "public_token_expires_at" TIMESTAMPTZ(3),
    "public_token_used_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "completed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "link_sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sync_runs" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "environment" "EnvironmentKind" NOT NULL,
    "connection_id" TEXT NOT NULL,
    "kind" "SyncRunKind" NOT NULL,
    "status" "SyncRunStatus" NOT NULL DEFAULT 'queued',
    "objects" TEXT[],
    "batch_position" INTEGER,
    "window_start" TIMESTAMPTZ(3),
    "window_end" TIMESTAMPTZ(3),
    "updated_since" TIMESTAMPTZ(3),
    "stats" JSONB NOT NULL DEFAULT '{}',
    "error" JSONB,
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "scheduled_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resume_at" TIMESTAMPTZ(3),
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "last_progress_at" TIMESTAMPTZ(3),
    "lease_owner" TEXT,
    "lease_expires_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sync_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "checkpoints" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "environment" "EnvironmentKind" NOT NULL,
    "sync_run_id" TEXT NOT NULL,
    "object" TEXT NOT NULL,
    "cursor" TEXT,
    "window_start" TIMESTAMPTZ(3),
    "window_end" TIMESTAMPTZ(3),
    "pages" INTEGER NOT NULL DEFAULT 0,
    "records" INTEGER NOT NULL DEFAULT 0,
    "completed_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "checkpoints_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "records" (
    "id" BIGSERIAL NOT NULL,
    "organization_id" TEXT NOT NULL,
    "environment" "EnvironmentKind" NOT NULL,
    "connection_id" TEXT NOT NULL,
    "object" TEXT NOT NULL,
    "external_id" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "hash" TEXT NOT NULL,
    "platform_updated_at" TIMESTAMPTZ(3),
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_modified_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),
    "last_sync_run_id" TEXT,

    CONSTRAINT "records_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "events" (
    "id" TEXT NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "organization_id" TEXT NOT NULL,
    "environment" "EnvironmentKind" NOT NULL,
    "connection_id" TEXT,
    "sync_run_id" TEXT,
    "type" TEXT NOT NULL,
    "object" TEXT,
    "data" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "fanned_out_at" TIMESTAMPTZ(3),

    CONSTRAINT "events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_endpoints" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "environment" "EnvironmentKind" NOT NULL,
    "url" TEXT NOT NULL,
    "description" TEXT,
    "event_types" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "objects" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "disabled_reason" TEXT,
    "disabled_at" TIMESTAMPTZ(3),
    "secret_encrypted" TEXT NOT NULL,
    "previous_secret_encrypted" TEXT,
    "previous_secret_expires_at" TIMESTAMPTZ(3),
    "retry_schedule" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
    "timeout_ms" INTEGER NOT NULL DEFAULT 15000,
    "failing_since" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "webhook_endpoints_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deliveries" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "environment" "EnvironmentKind" NOT NULL,
    "endpoint_id" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'pending',
    "attempt_count" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) DEFAULT CURRENT_TIMESTAMP,
    "last_attempt_at" TIMESTAMPTZ(3),
    "lease_owner" TEXT,
    "lease_expires_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "delivery_attempts" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "environment" "EnvironmentKind" NOT NULL,
    "delivery_id" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "status_code" INTEGER,
    "latency_ms" INTEGER,
    "response_excerpt" TEXT,
    "error" TEXT,

    CONSTRAINT "delivery_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sync_jobs" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "environment" "EnvironmentKind" NOT NULL,
    "name" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "definition" JSONB NOT NULL,
    "error_handling" "SyncJobErrorHandling" NOT NULL DEFAULT 'ignore',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sync_jobs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sync_job_runs" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "environment" "EnvironmentKind" NOT NULL,
    "sync_job_id" TEXT NOT NULL,
    "connection_id" TEXT NOT NULL,
    "webhook_endpoint_id" TEXT,
    "cron_trigger_id" TEXT,
    "args" JSONB NOT NULL DEFAULT '{}',
    "ignore_previous_run" BOOLEAN NOT NULL DEFAULT false,
    "status" "SyncJobRunStatus" NOT NULL DEFAULT 'created',
    "progress" JSONB NOT NULL DEFAULT '{}',
    "state" JSONB NOT NULL DEFAULT '{}',
    "error" JSONB,
    "resume_at" TIMESTAMPTZ(3),
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "lease_owner" TEXT,
    "lease_expires_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sync_job_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cron_triggers" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "environment" "EnvironmentKind" NOT NULL,
    "sync_job_id" TEXT NOT NULL,
    "connection_id" TEXT NOT NULL,
    "webhook_endpoint_id" TEXT,
    "expression" TEXT NOT NULL,
    "args" JSONB NOT NULL DEFAULT '{}',
    "active" BOOLEAN NOT NULL DEFAULT true,
    "last_run_at" TIMESTAMPTZ(3),
    "next_run_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "cron_triggers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "environment" "EnvironmentKind" NOT NULL,
    "name" TEXT NOT NULL,
    "client_id" TEXT NOT NULL,
    "secret_hash" TEXT NOT NULL,
    "secret_hint" TEXT NOT NULL,
    "created_by_id" TEXT,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "organizations_slug_key" ON "organizations"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE INDEX "members_user_id_idx" ON "members"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "members_organization_id_user_id_key" ON "members"("organization_id", "user_id");

-- CreateIndex
CREATE UNIQUE INDEX "environments_organization_id_kind_key" ON "environments"("organization_id", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "platform_configs_organization_id_environment_platform_key" ON "platform_configs"("organization_id", "environment", "platform");

-- CreateIndex
CREATE UNIQUE INDEX "sync_configurations_connection_id_key" ON "sync_configurations"("connection_id");

-- CreateIndex
CREATE UNIQUE INDEX "sync_configurations_organization_id_environment_scope_key_key" ON "sync_configurations"("organization_id", "environment", "scope_key");

-- CreateIndex
CREATE UNIQUE INDEX "sync_batches_sync_configuration_id_position_key" ON "sync_batches"("sync_configuration_id", "position");

-- CreateIndex
CREATE UNIQUE INDEX "connections_access_token_hash_key" ON "connections"("access_token_hash");

-- CreateIndex
CREATE INDEX "connections_organization_id_environment_created_at_idx" ON "connections"("organization_id", "environment", "created_at");

-- CreateIndex
CREATE INDEX "connections_organization_id_environment_health_idx" ON "connections"("organization_id", "environment", "health");

-- CreateIndex
CREATE INDEX "connections_organization_id_environment_stage_idx" ON "connections"("organization_id", "environment", "stage");

-- CreateIndex
CREATE INDEX "connections_organization_id_environment_platform_idx" ON "connections"("organization_id", "environment", "platform");

-- CreateIndex
CREATE INDEX "connections_next_sync_at_health_idx" ON "connections"("next_sync_at", "health");

-- CreateIndex
CREATE UNIQUE INDEX "link_sessions_token_hash_key" ON "link_sessions"("token_hash");

-- CreateIndex
CREATE UNIQUE INDEX "link_sessions_oauth_state_key" ON "link_sessions"("oauth_state");

-- CreateIndex
CREATE UNIQUE INDEX "link_sessions_public_token_hash_key" ON "link_sessions"("public_token_hash");

-- CreateIndex
CREATE INDEX "link_sessions_organization_id_environment_created_at_idx" ON "link_sessions"("organization_id", "environment", "created_at");

-- CreateIndex
CREATE INDEX "sync_runs_connection_id_created_at_idx" ON "sync_runs"("connection_id", "created_at");

-- CreateIndex
CREATE INDEX "sync_runs_organization_id_environment_created_at_idx" ON "sync_runs"("organization_id", "environment", "created_at");

-- CreateIndex
CREATE INDEX "sync_runs_status_scheduled_at_idx" ON "sync_runs"("status", "scheduled_at");

-- CreateIndex
CREATE UNIQUE INDEX "checkpoints_sync_run_id_object_key" ON "checkpoints"("sync_run_id", "object");

-- CreateIndex
CREATE INDEX "records_connection_id_object_last_modified_at_id_idx" ON "records"("connection_id", "object", "last_modified_at", "id");

-- CreateIndex
CREATE UNIQUE INDEX "records_connection_id_object_external_id_key" ON "records"("connection_id", "object", "external_id");

-- CreateIndex
CREATE UNIQUE INDEX "events_seq_key" ON "events"("seq");

-- CreateIndex
CREATE INDEX "events_connection_id_created_at_idx" ON "events"("connection_id", "created_at");

-- CreateIndex
CREATE INDEX "events_organization_id_environment_created_at_idx" ON "events"("organization_id", "environment", "created_at");

-- CreateIndex
CREATE INDEX "events_organization_id_environment_type_created_at_idx" ON "events"("organization_id", "environment", "type", "created_at");

-- CreateIndex
CREATE INDEX "events_fanned_out_at_seq_idx" ON "events"("fanned_out_at", "seq");

-- CreateIndex
CREATE INDEX "webhook_endpoints_organization_id_environment_idx" ON "webhook_endpoints"("organization_id", "environment");

-- CreateIndex
CREATE INDEX "deliveries_endpoint_id_created_at_idx" ON "deliveries"("endpoint_id", "created_at");

-- CreateIndex
CREATE INDEX "deliveries_status_next_attempt_at_idx" ON "deliveries"("status", "next_attempt_at");

-- CreateIndex
CREATE UNIQUE INDEX "deliveries_endpoint_id_event_id_key" ON "deliveries"("endpoint_id", "event_id");

-- CreateIndex
CREATE UNIQUE INDEX "delivery_attempts_delivery_id_number_key" ON "delivery_attempts"("delivery_id", "number");

-- CreateIndex
CREATE INDEX "sync_jobs_organization_id_environment_created_at_idx" ON "sync_jobs"("organization_id", "environment", "created_at");

-- CreateIndex
CREATE INDEX "sync_job_runs_sync_job_id_created_at_idx" ON "sync_job_runs"("sync_job_id", "created_at");

-- CreateIndex
CREATE INDEX "sync_job_runs_status_resume_at_idx" ON "sync_job_runs"("status", "resume_at");

-- CreateIndex
CREATE INDEX "cron_triggers_active_next_run_at_idx" ON "cron_triggers"("active", "next_run_at");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_client_id_key" ON "api_keys"("client_id");

-- CreateIndex
CREATE INDEX "api_keys_organization_id_environment_idx" ON "api_keys"("organization_id", "environment");

-- AddForeignKey
ALTER TABLE "members" ADD CONSTRAINT "members_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "members" ADD CONSTRAINT "members_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "environments" ADD CONSTRAINT "environments_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "platform_configs" ADD CONSTRAINT "platform_configs_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_configurations" ADD CONSTRAINT "sync_configurations_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_configurations" ADD CONSTRAINT "sync_configurations_connection_id_fkey" FOREIGN KEY ("connection_id") REFERENCES "connections"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_batches" ADD CONSTRAINT "sync_batches_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_batches" ADD CONSTRAINT "sync_batches_sync_configuration_id_fkey" FOREIGN KEY ("sync_configuration_id") REFERENCES "sync_configurations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "connections" ADD CONSTRAINT "connections_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "link_sessions" ADD CONSTRAINT "link_sessions_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "link_sessions" ADD CONSTRAINT "link_sessions_connection_id_fkey" FOREIGN KEY ("connection_id") REFERENCES "connections"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_runs" ADD CONSTRAINT "sync_runs_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_runs" ADD CONSTRAINT "sync_runs_connection_id_fkey" FOREIGN KEY ("connection_id") REFERENCES "connections"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "checkpoints" ADD CONSTRAINT "checkpoints_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "checkpoints" ADD CONSTRAINT "checkpoints_sync_run_id_fkey" FOREIGN KEY ("sync_run_id") REFERENCES "sync_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "records" ADD CONSTRAINT "records_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "records" ADD CONSTRAINT "records_connection_id_fkey" FOREIGN KEY ("connection_id") REFERENCES "connections"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "events" ADD CONSTRAINT "events_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "events" ADD CONSTRAINT "events_connection_id_fkey" FOREIGN KEY ("connection_id") REFERENCES "connections"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoints"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "events"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "delivery_attempts" ADD CONSTRAINT "delivery_attempts_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "delivery_attempts" ADD CONSTRAINT "delivery_attempts_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "deliveries"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_jobs" ADD CONSTRAINT "sync_jobs_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_job_runs" ADD CONSTRAINT "sync_job_runs_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_job_runs" ADD CONSTRAINT "sync_job_runs_sync_job_id_fkey" FOREIGN KEY ("sync_job_id") REFERENCES "sync_jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_job_runs" ADD CONSTRAINT "sync_job_runs_connection_id_fkey" FOREIGN KEY ("connection_id") REFERENCES "connections"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_job_runs" ADD CONSTRAINT "sync_job_runs_webhook_endpoint_id_fkey" FOREIGN KEY ("webhook_endpoint_id") REFERENCES "webhook_endpoints"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_job_runs" ADD CONSTRAINT "sync_job_runs_cron_trigger_id_fkey" FOREIGN KEY ("cron_trigger_id") REFERENCES "cron_triggers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cron_triggers" ADD CONSTRAINT "cron_triggers_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cron_triggers" ADD CONSTRAINT "cron_triggers_sync_job_id_fkey" FOREIGN KEY ("sync_job_id") REFERENCES "sync_jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cron_triggers" ADD CONSTRAINT "cron_triggers_connection_id_fkey" FOREIGN KEY ("connection_id") REFERENCES "connections"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cron_triggers" ADD CONSTRAINT "cron_triggers_webhook_endpoint_id_fkey" FOREIGN KEY ("webhook_endpoint_id") REFERENCES "webhook_endpoints"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
